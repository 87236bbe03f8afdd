/* widgets/status.c — the status line (see status.h). */
#include "widgets/status.h"

#include <stdlib.h>
#include <string.h>

#include "widgets/text.h"

struct status {
    struct widget base;
    bool busy;
    unsigned frame;
    char *progress, *message, *right;
    enum theme_role message_role;
};

static const struct widget_class status_class;

struct status *status_new(void)
{
    struct status *s = calloc(1, sizeof *s);
    if (s) {
        widget_init(&s->base, &status_class);
        s->message_role = ROLE_STATUS;
    }
    return s;
}

struct widget *status_widget(struct status *s)
{
    return &s->base;
}

static void status_del(struct widget *w)
{
    struct status *s = (struct status *)w;
    free(s->progress);
    free(s->message);
    free(s->right);
    free(s);
}

void status_delete(struct status *s)
{
    if (s)
        status_del(&s->base);
}

static void replace(char **slot, const char *text)
{
    free(*slot);
    *slot = text && text[0] ? strdup(text) : NULL;
}

void status_set_busy(struct status *s, bool busy)
{
    /* Owners set this on every frame: only a change restarts the spinner. */
    if (busy != s->busy)
        s->frame = 0;
    s->busy = busy;
}

bool status_busy(const struct status *s)
{
    return s->busy;
}

int status_tick(struct status *s)
{
    if (!s->busy)
        return 0;
    s->frame++;
    return WR_REDRAW;
}

void status_set_progress(struct status *s, const char *text)
{
    replace(&s->progress, text);
}

void status_set_message(struct status *s, enum theme_role role, const char *text)
{
    replace(&s->message, text);
    s->message_role = role;
}

void status_clear_error(struct status *s)
{
    if (s->message_role == ROLE_ERROR || s->message_role == ROLE_WARNING ||
        s->message_role == ROLE_DANGER)
        status_clear_message(s);
}

void status_clear_message(struct status *s)
{
    replace(&s->message, NULL);
    s->message_role = ROLE_STATUS;
}

void status_set_right(struct status *s, const char *text)
{
    replace(&s->right, text);
}

static void status_draw(struct widget *w, WINDOW *win)
{
    struct status *s = (struct status *)w;
    static const char *const uni[] = {"\u280b", "\u2819", "\u2839", "\u2838", "\u283c",
                                      "\u2834", "\u2826", "\u2827", "\u2807", "\u280f"};
    static const char *const ascii[] = {"|", "/", "-", "\\"};
    draw_fill(win, w->y, w->x, w->w, ROLE_STATUS);
    int x = w->x, right = w->x + w->w;
    /* right text first: it is short and says where we are */
    if (s->right) {
        int rw = text_width(s->right, TEXT_NUL);
        if (rw > w->w / 2)
            rw = w->w / 2;
        draw_text(win, w->y, right - rw, rw, s->right, TEXT_NUL, ROLE_STATUS, TEXT_ELLIPSIS);
        right -= rw + 1;
    }
    if (s->busy && x + 2 <= right) {
        const char *f = text_utf8() ? uni[s->frame % 10] : ascii[s->frame % 4];
        draw_text(win, w->y, x, 1, f, TEXT_NUL, ROLE_STATUS, 0);
        x += 2;
    }
    const char *dot = theme_glyph(GLYPH_DOT);
    if (s->progress && x < right) {
        /* With a message too, progress takes at most half the room and the
         * two are kept apart by " · ", so they never read as one. */
        int room = right - x;
        if (s->message && room > 8)
            room = (room - 3) / 2;
        int pw = text_width(s->progress, TEXT_NUL);
        x += draw_text(win, w->y, x, pw < room ? pw : room, s->progress, TEXT_NUL, ROLE_STATUS,
                       TEXT_ELLIPSIS);
        if (s->message && x + 3 < right) {
            draw_text(win, w->y, x + 1, 1, dot, TEXT_NUL, ROLE_STATUS, 0);
            x += 3;
        } else {
            x = right;
        }
    }
    if (s->message && x < right)
        draw_text(win, w->y, x, right - x, s->message, TEXT_NUL, s->message_role, TEXT_ELLIPSIS);
}

static int status_handle(struct widget *w, int key)
{
    return WR_IGNORED;
}

static const struct widget_class status_class = {
    .name = "status",
    .draw = status_draw,
    .handle = status_handle,
    .del = status_del,
};
