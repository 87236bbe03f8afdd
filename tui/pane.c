/* tui/pane.c — the pane classes from the PANES list (tui/pane.h). */
#include "tui/pane.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/table.h"
#include "widgets/text.h"
#include "widgets/widget.h"

#define PANE_EXTERN(x, id, name, label, key) extern const struct pane_ops pane_##name##_ops;
PANES(PANE_EXTERN, _)
#undef PANE_EXTERN

static const struct {
    const struct pane_ops *ops;
    const char *label;
} classes[PANE_COUNT] = {
#define PANE_CLASS(x, id, name, label, key) [PANE_##id] = {&pane_##name##_ops, label},
    PANES(PANE_CLASS, _)
#undef PANE_CLASS
};

const struct pane_ops *pane_class(enum pane_id id)
{
    return id < PANE_COUNT ? classes[id].ops : NULL;
}

const char *pane_label(enum pane_id id)
{
    return id < PANE_COUNT ? classes[id].label : "";
}

unsigned pane_scope(enum pane_id id)
{
    return id < PANE_COUNT ? 1u << id : 0;
}

int pane_pollfds_all(struct pane *const *panes, struct app *a, struct pollfd *fds, int max,
                     int *timeout_ms)
{
    int n = 0;
    for (int i = 0; i < PANE_COUNT; i++) {
        struct pane *p = panes[i];
        int t = -1;
        if (!p || !p->ops->pollfds || n >= max)
            continue;
        n += p->ops->pollfds(p, a, fds + n, max - n, &t);
        if (t >= 0 && (*timeout_ms < 0 || t < *timeout_ms))
            *timeout_ms = t;
    }
    return n;
}

void pane_perform_all(struct pane *const *panes, struct app *a)
{
    for (int i = 0; i < PANE_COUNT; i++)
        if (panes[i] && panes[i]->ops->perform)
            panes[i]->ops->perform(panes[i], a);
}

struct table *pane_table(struct pane *p)
{
    return p && p->ops->table ? p->ops->table(p) : NULL;
}

bool pane_offers(const struct pane *p, const struct app *a, enum action act)
{
    if (!p || act <= ACT_NONE || act >= ACT_COUNT || !(action_table[act].scope & pane_scope(p->id)))
        return false;
    return !p->ops->offers || p->ops->offers(p, a, act);
}

int pane_note(int top, int cols, int max_rows, const char *text, int role)
{
    size_t len = text ? strlen(text) : 0, off = 0, next;
    int rows = 0;
    while (off < len && rows < max_rows) {
        size_t n = text_wrap(text + off, len - off, cols - 2, &next);
        bool last = rows + 1 == max_rows;
        draw_text(stdscr, top + rows, 1, cols - 2, text + off, last ? len - off : n,
                  (enum theme_role)role, TEXT_ELLIPSIS);
        rows++;
        if (next == 0)
            break;
        off += next;
    }
    return rows;
}

int pane_nav(struct table *t, enum action act)
{
    if (!t)
        return 0;
    switch (act) {
    case ACT_UP:
        return table_move(t, -1);
    case ACT_DOWN:
        return table_move(t, 1);
    case ACT_PAGE_UP:
        return table_page_up(t);
    case ACT_PAGE_DOWN:
        return table_page_down(t);
    case ACT_FIRST:
        return table_home(t);
    case ACT_LAST:
        return table_end(t);
    default:
        return 0;
    }
}
