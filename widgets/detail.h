/* widgets/detail.h — a scrollable detail view: sections, key/value lines,
 * and pretty-printed JSON (json-c, a general library: widgets may use it).
 *
 * The view holds its own copy of every line (built once by the owner, drawn
 * many times). Keys and values are raw outside text: sanitized when drawn.
 * A value too long for the width is cut with an ellipsis; Left/Right scroll
 * horizontally. Keys: Up k, Down j, PgUp ^B, PgDn ^F, Home g, End G, Left h,
 * Right l (WR_MOVED | WR_REDRAW). Everything else (Esc, q) is WR_IGNORED: the
 * owner closes the view.
 */
#ifndef WIDGETS_DETAIL_H
#define WIDGETS_DETAIL_H

#include <stddef.h>

#include "widgets/widget.h"

struct json_object;
struct detail;

struct detail *detail_new(const char *title); /* title NULL: no frame title */
struct widget *detail_widget(struct detail *d);
void detail_delete(struct detail *d);

void detail_clear(struct detail *d);
/* Each returns 0 or -1 (out of memory). indent is in steps of 2 columns. */
int detail_add_section(struct detail *d, const char *title);
int detail_add_kv(struct detail *d, int indent, const char *key, const char *value);
int detail_add_line(struct detail *d, int indent, const char *text, enum theme_role role);
/* Pretty JSON, object keys in their order, 2 spaces an indent level. */
int detail_add_json(struct detail *d, int indent, struct json_object *value);
/* Parses text first; a parse error returns -1 and says why in err. */
int detail_add_json_text(struct detail *d, int indent, const char *json, char *err,
                         size_t errlen);

size_t detail_line_count(const struct detail *d);
size_t detail_top(const struct detail *d);
/* The plain text of line i (as added, unsanitized; JSON lines rendered), or
 * NULL: tests and copy-out. */
const char *detail_line_text(const struct detail *d, size_t i);

#endif
