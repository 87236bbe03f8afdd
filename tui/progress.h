/* tui/progress.h — the export's progress line on stderr.
 *
 * Contract: shown only when stderr is a terminal (isatty), so logs and pipes
 * never get carriage returns. progress_update() rewrites one line in place
 * ("identities: page 12, 720 rows"); progress_end() leaves the last figures
 * and ends the line, so an error line printed afterwards starts clean.
 */
#ifndef TUI_PROGRESS_H
#define TUI_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

struct progress {
    FILE *out; /* NULL = disabled */
    const char *label;
    bool shown;
};

/* Enabled when `out` is a terminal (NULL: disabled). */
void progress_begin(struct progress *p, FILE *out, const char *label);
void progress_update(struct progress *p, unsigned long pages, unsigned long rows);
void progress_end(struct progress *p);

#endif
