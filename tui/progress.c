/* tui/progress.c — the progress line (contract in progress.h). */
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

static void format_duration(double s, char *buf, size_t size)
{
    long t = (long)(s + 0.5);
    if (t < 60)
        snprintf(buf, size, "%lds", t);
    else if (t < 3600)
        snprintf(buf, size, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, size, "%ldh%02ldm", t / 3600, (t % 3600) / 60);
}

char *progress_job_format(const struct progress_job *f, char *buf, size_t size)
{
    size_t len = 0;
    int n;

#define ADD(...)                                                                                   \
    do {                                                                                           \
        if (len < size && (n = snprintf(buf + len, size - len, __VA_ARGS__)) > 0)                  \
            len += (size_t)n;                                                                      \
    } while (0)

    if (size)
        buf[0] = '\0';
    ADD("%s", f->phase);
    if (f->total > 0) {
        unsigned long long done =
            f->done > (unsigned long long)f->total ? (unsigned long long)f->total : f->done;
        int filled = (int)(done * 20 / (unsigned long long)f->total);
        ADD(" [");
        for (int i = 0; i < 20; i++)
            ADD("%c", i < filled ? '#' : '.');
        ADD("] %llu/%lld %s", f->done, f->total, f->unit);
    } else {
        ADD(" %llu %s", f->done, f->unit);
    }
    if (f->rate > 0 && f->quota > 0)
        ADD("  %.1f/s of %.4g/s", f->rate, f->quota);
    else if (f->rate > 0)
        ADD("  %.1f/s", f->rate);
    double pace = f->quota > 0 ? f->quota : f->rate;
    if (f->total > 0 && pace > 0 && (unsigned long long)f->total >= f->done) {
        char eta[32];
        format_duration(((unsigned long long)f->total - f->done) / pace, eta, sizeof eta);
        ADD("  ETA %s", eta);
    }
    if (f->extra && *f->extra)
        ADD("  %s", f->extra);
#undef ADD
    return buf;
}

void progress_job_update(struct progress *p, const struct progress_job *f)
{
    char line[512];

    if (!p->out)
        return;
    progress_job_format(f, line, sizeof line);
    fprintf(p->out, "\r%s\033[K", line);
    fflush(p->out);
    p->shown = true;
}
