/* widgets/prompt.c — one-line prompt with history and completion. */
#include "widgets/prompt.h"

#include <stdlib.h>
#include <string.h>

#include "widgets/edit.h"
#include "widgets/text.h"

struct prompt_history {
    char **lines; /* oldest first */
    size_t n, max;
};

struct prompt_history *prompt_history_new(size_t max)
{
    struct prompt_history *h = calloc(1, sizeof *h);
    if (h)
        h->max = max ? max : 100;
    return h;
}

void prompt_history_free(struct prompt_history *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        free(h->lines[i]);
    free(h->lines);
    free(h);
}

int prompt_history_add(struct prompt_history *h, const char *line)
{
    if (!line[0] || (h->n && strcmp(h->lines[h->n - 1], line) == 0))
        return 0;
    char *c = strdup(line);
    if (!c)
        return -1;
    if (h->n == h->max) {
        free(h->lines[0]);
        memmove(h->lines, h->lines + 1, (h->n - 1) * sizeof *h->lines);
        h->n--;
    } else {
        char **l = realloc(h->lines, (h->n + 1) * sizeof *l);
        if (!l) {
            free(c);
            return -1;
        }
        h->lines = l;
    }
    h->lines[h->n++] = c;
    return 0;
}

size_t prompt_history_count(const struct prompt_history *h)
{
    return h ? h->n : 0;
}

const char *prompt_history_get(const struct prompt_history *h, size_t i)
{
    return h && i < h->n ? h->lines[h->n - 1 - i] : NULL;
}

struct prompt_completions {
    char **c;
    size_t n;
};

int prompt_complete_add(struct prompt_completions *out, const char *candidate)
{
    char **c = realloc(out->c, (out->n + 1) * sizeof *c);
    if (!c)
        return -1;
    out->c = c;
    if (!(c[out->n] = strdup(candidate)))
        return -1;
    out->n++;
    return 0;
}

static void completions_clear(struct prompt_completions *pc)
{
    for (size_t i = 0; i < pc->n; i++)
        free(pc->c[i]);
    free(pc->c);
    pc->c = NULL;
    pc->n = 0;
}

struct prompt {
    struct widget base;
    char *leader;
    struct line_edit edit;
    struct prompt_history *history;
    size_t hist_pos; /* 0: the line being typed; i: history entry i-1 */
    char *typed;     /* the line being typed, kept while walking the history */
    prompt_completer complete;
    void *cctx;
    struct prompt_completions shown;
};

static const struct widget_class prompt_class;

struct prompt *prompt_new(const char *leader, const char *initial, struct prompt_history *history,
                          prompt_completer complete, void *cctx)
{
    struct prompt *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    widget_init(&p->base, &prompt_class);
    p->leader = strdup(leader ? leader : "");
    p->history = history;
    p->complete = complete;
    p->cctx = cctx;
    if (!p->leader || edit_init(&p->edit, initial) < 0) {
        free(p->leader);
        edit_free(&p->edit);
        free(p);
        return NULL;
    }
    return p;
}

struct widget *prompt_widget(struct prompt *p)
{
    return &p->base;
}

static void prompt_del(struct widget *w)
{
    struct prompt *p = (struct prompt *)w;
    free(p->leader);
    free(p->typed);
    edit_free(&p->edit);
    completions_clear(&p->shown);
    free(p);
}

void prompt_delete(struct prompt *p)
{
    if (p)
        prompt_del(&p->base);
}

const char *prompt_text(const struct prompt *p)
{
    return p->edit.buf;
}
int prompt_set_text(struct prompt *p, const char *text)
{
    return edit_set(&p->edit, text);
}
size_t prompt_candidate_count(const struct prompt *p)
{
    return p->shown.n;
}

static int history_step(struct prompt *p, int dir)
{
    size_t n = prompt_history_count(p->history);
    size_t to = p->hist_pos;
    if (dir > 0 && to < n)
        to++;
    else if (dir < 0 && to > 0)
        to--;
    if (to == p->hist_pos)
        return WR_HANDLED;
    if (p->hist_pos == 0) {
        free(p->typed);
        p->typed = strdup(p->edit.buf);
    }
    p->hist_pos = to;
    edit_set(&p->edit,
             to == 0 ? (p->typed ? p->typed : "") : prompt_history_get(p->history, to - 1));
    return WR_HANDLED | WR_REDRAW | WR_CHANGED;
}

static int do_complete(struct prompt *p)
{
    if (!p->complete)
        return WR_HANDLED;
    size_t ws = p->edit.cur;
    while (ws > 0 && p->edit.buf[ws - 1] != ' ')
        ws--;
    char *line = strndup(p->edit.buf, p->edit.cur);
    if (!line)
        return WR_HANDLED;
    struct prompt_completions pc = {NULL, 0};
    p->complete(p->cctx, line, line + ws, &pc);
    free(line);
    size_t wl = p->edit.cur - ws;
    int r = WR_HANDLED | WR_REDRAW;
    if (pc.n == 0) {
        completions_clear(&pc);
        return r;
    }
    /* common prefix of the candidates */
    size_t common = strlen(pc.c[0]);
    for (size_t i = 1; i < pc.n; i++) {
        size_t k = 0;
        while (k < common && pc.c[i][k] == pc.c[0][k])
            k++;
        common = k;
    }
    /* don't cut inside a UTF-8 sequence */
    while (common > 0 && (pc.c[0][common] & 0xc0) == 0x80)
        common--;
    if (common > wl || pc.n == 1) {
        /* replace the word [ws, cur) by the prefix */
        size_t tail = p->edit.len - p->edit.cur;
        char *rest = strdup(p->edit.buf + p->edit.cur);
        if (rest) {
            p->edit.buf[ws] = '\0';
            p->edit.len = p->edit.cur = ws;
            edit_insert(&p->edit, pc.c[0], common);
            if (pc.n == 1 && tail == 0)
                edit_insert(&p->edit, " ", 1);
            size_t cur = p->edit.cur;
            edit_insert(&p->edit, rest, strlen(rest));
            p->edit.cur = cur;
            free(rest);
            r |= WR_CHANGED;
        }
    }
    if (pc.n > 1) {
        completions_clear(&p->shown);
        p->shown = pc;
    } else {
        completions_clear(&pc);
    }
    return r;
}

static int prompt_handle(struct widget *w, int key)
{
    struct prompt *p = (struct prompt *)w;
    bool had_list = p->shown.n > 0;
    completions_clear(&p->shown);
    switch (key) {
    case WKEY_ESC:
        return WR_HANDLED | WR_CANCEL;
    case '\n':
        if (p->history && p->edit.buf[0])
            prompt_history_add(p->history, p->edit.buf);
        return WR_HANDLED | WR_SUBMIT;
    case WKEY_FN(KEY_UP):
        return history_step(p, 1);
    case WKEY_FN(KEY_DOWN):
        return history_step(p, -1);
    case '\t':
        return do_complete(p);
    default:
        break;
    }
    int r = edit_handle(&p->edit, key);
    if (r & WR_CHANGED)
        p->hist_pos = 0;
    if (!r)
        r = WR_HANDLED; /* a prompt is modal */
    return had_list ? r | WR_REDRAW : r;
}

static void prompt_draw(struct widget *w, WINDOW *win)
{
    struct prompt *p = (struct prompt *)w;
    draw_fill(win, w->y, w->x, w->w, ROLE_INPUT);
    int lw = draw_text(win, w->y, w->x, w->w, p->leader, TEXT_NUL, ROLE_INPUT, 0);
    int room = w->w - lw;
    if (room <= 0)
        return;
    int tw = text_width(p->edit.buf, p->edit.len);
    int ew = p->shown.n && tw + 1 < room / 2 ? tw + 1 : room;
    int cx = edit_draw(&p->edit, win, w->y, w->x + lw, ew, theme_attr(ROLE_INPUT));
    w->cursor_on = true;
    w->cursor_y = w->y;
    w->cursor_x = cx;
    int x = w->x + lw + ew + 1, right = w->x + w->w;
    for (size_t i = 0; i < p->shown.n && x < right; i++)
        x += draw_text(win, w->y, x, right - x, p->shown.c[i], TEXT_NUL, ROLE_DIM, TEXT_ELLIPSIS) +
             1;
}

static const struct widget_class prompt_class = {
    .name = "prompt",
    .draw = prompt_draw,
    .handle = prompt_handle,
    .del = prompt_del,
};
