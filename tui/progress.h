/* tui/progress.h — the progress line of the export and the bulk jobs
 * (inventory, prune) on stderr.
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

/* A bulk job's figures: a bar when the total is known, the rate achieved
 * against the quota, and an ETA at the quota (or at the rate achieved when
 * no quota is known):
 *   "deleting [#####.......] 40/100 batches  9.8/s of 10/s  ETA 6s  2,400 deleted"
 *   "listing 90 pages  4.9/s of 5/s  312 matched" (total unknown) */
struct progress_job {
    const char *phase;       /* "listing", "deleting" */
    unsigned long long done; /* units done */
    long long total;         /* units in all, -1 unknown */
    const char *unit;        /* "pages", "batches" */
    double rate;             /* requests a second achieved, 0 = not measured yet */
    double quota;            /* requests a second allowed, 0 = unknown */
    const char *extra;       /* shown last, or NULL */
};

/* Formats the line (without \r) into buf; tests use it. Returns buf. */
char *progress_job_format(const struct progress_job *f, char *buf, size_t size);
void progress_job_update(struct progress *p, const struct progress_job *f);

#endif
