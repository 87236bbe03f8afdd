/* tui/progress.c — the export's progress line (contract in progress.h). */
#include "tui/progress.h"

#include <unistd.h>

void progress_begin(struct progress *p, FILE *out, const char *label)
{
    p->out = out && isatty(fileno(out)) ? out : NULL;
    p->label = label;
    p->shown = false;
}

void progress_update(struct progress *p, unsigned long pages, unsigned long rows)
{
    if (!p->out)
        return;
    /* \r then erase to the end of the line: the new text may be shorter. */
    fprintf(p->out, "\r%s: page %lu, %lu row%s\033[K", p->label, pages, rows, rows == 1 ? "" : "s");
    fflush(p->out);
    p->shown = true;
}

void progress_end(struct progress *p)
{
    if (p->out && p->shown) {
        fputc('\n', p->out);
        fflush(p->out);
    }
    p->shown = false;
}
