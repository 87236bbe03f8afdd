/* widgets/status.h — the status line: spinner, progress, message, right text.
 *
 * Layout of its one row: [spinner] progress · message ........ right
 * The spinner turns only while busy and only when the owner calls
 * status_tick (from its event loop timer, e.g. every 100 ms): the widget has
 * no clock. status_set_busy may be called on every frame: only a change of
 * busy restarts the spinner. Build progress with theme_glyph(GLYPH_DOT) as
 * separator so it reads "page 12 · 720 rows" in UTF-8 and "page 12 - 720
 * rows" in ASCII. Progress and message are always kept apart by " · "
 * (" - "); with both, progress takes at most half the room (cut with an
 * ellipsis) so the message shows.
 * Messages are drawn in their role (ROLE_ERROR, ROLE_WARNING, ROLE_STATUS).
 * A new message replaces the old one whatever its role; on success the
 * owner calls status_clear_error() so a stale error does not outlive what
 * it was about (an informational message stays).
 * All strings copied, sanitized when drawn. No keys: handle is WR_IGNORED.
 */
#ifndef WIDGETS_STATUS_H
#define WIDGETS_STATUS_H

#include <stdbool.h>

#include "widgets/widget.h"

struct status;

struct status *status_new(void);
struct widget *status_widget(struct status *s);
void status_delete(struct status *s);

void status_set_busy(struct status *s, bool busy);
bool status_busy(const struct status *s);
int status_tick(struct status *s);                            /* WR_REDRAW when busy, else 0 */
void status_set_progress(struct status *s, const char *text); /* NULL clears */
void status_set_message(struct status *s, enum theme_role role, const char *text); /* NULL clears */
/* Clears the message when it is an error, warning or danger (not an
 * informational one). New (issue 12). */
void status_clear_error(struct status *s);
void status_clear_message(struct status *s); /* whatever its role */
void status_set_right(struct status *s, const char *text);

#endif
