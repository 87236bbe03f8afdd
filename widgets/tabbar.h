/* widgets/tabbar.h — one row of tabs, the active one highlighted.
 *
 * Labels are copied (sanitized when drawn) and drawn as " 1 Label " so the
 * digit keys are visible; narrow screens cut labels, never the active one
 * first. Keys: Tab / Shift-Tab next/previous, '1'..'9' that tab: WR_CHANGED |
 * WR_REDRAW when the active tab changes, WR_HANDLED when it was already so.
 */
#ifndef WIDGETS_TABBAR_H
#define WIDGETS_TABBAR_H

#include <stddef.h>

#include "widgets/widget.h"

struct tabbar;

struct tabbar *tabbar_new(const char *const *labels, size_t n);
struct widget *tabbar_widget(struct tabbar *t);
void tabbar_delete(struct tabbar *t);

int tabbar_set_active(struct tabbar *t, size_t i); /* WR_CHANGED | WR_REDRAW, or 0 */
size_t tabbar_active(const struct tabbar *t);
int tabbar_set_label(struct tabbar *t, size_t i, const char *label); /* 0 or -1 */

#endif
