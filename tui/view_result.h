/* tui/view_result.h — what a change ended as, when the status line cannot
 * hold it: the check after an unknown outcome (tui/outcome_check.h) and the
 * result of a batch job (every unprocessed id with its error code). A
 * scrolled text (widgets/detail.h) that may offer two things:
 *
 *   result-open (Enter)  opens the items it found, one after the other
 *                        (pools a create whose outcome was unknown made);
 *                        with nothing to open it closes the view, as OK;
 *   result-save (w)      asks for a file name and writes `save_text` there
 *                        (tui/atomic_file.h: all of it or nothing); a failure
 *                        says why in a dialog and the view stays.
 *
 * Keys (SCOPE_RESULT): the navigation actions scroll; back (q) and cancel
 * (Esc) close it. The key bar shows Open and Save only when offered. */
#ifndef TUI_VIEW_RESULT_H
#define TUI_VIEW_RESULT_H

#include <json-c/json.h>

#include "tui/view.h"
#include "widgets/detail.h"

struct view_result_opts {
    /* Strings handed to open() one at a time, in order (taken; NULL: none). */
    json_object *open_items;
    void (*open)(struct app *a, const char *item);
    /* What result-save writes (taken; NULL: nothing to save), and what it
     * is, for the question and the status line ("12 unprocessed ids"). */
    char *save_text;
    const char *save_what;
};

/* Pushes a view of `d` (taken) over the whole pane area; `o` (may be NULL)
 * is copied, what it holds taken. NULL when out of memory (all freed). */
struct view *view_result_open(struct app *a, struct detail *d, struct view_result_opts *o);

#endif
