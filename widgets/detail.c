/* widgets/detail.c — the detail view (see detail.h). */
#include "widgets/detail.h"

#include <json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/scrollview.h"
#include "widgets/text.h"

struct detail {
    struct widget base;
    char *title;
    struct scrollview sv;
    int key_w; /* widest key, for aligned values */
};

static const struct widget_class detail_class;

struct detail *detail_new(const char *title)
{
    struct detail *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    widget_init(&d->base, &detail_class);
    if (title && !(d->title = strdup(title))) {
        free(d);
        return NULL;
    }
    return d;
}

struct widget *detail_widget(struct detail *d) { return &d->base; }

static void detail_del(struct widget *w)
{
    struct detail *d = (struct detail *)w;
    sv_clear(&d->sv);
    free(d->title);
    free(d);
}

void detail_delete(struct detail *d)
{
    if (d)
        detail_del(&d->base);
}

void detail_clear(struct detail *d)
{
    sv_clear(&d->sv);
    d->key_w = 0;
}

int detail_add_section(struct detail *d, const char *title)
{
    if (d->sv.n && sv_add(&d->sv, 0, NULL, "", ROLE_NORMAL, ROLE_NORMAL, 0) < 0)
        return -1;
    return sv_add(&d->sv, 0, NULL, title, ROLE_TITLE, ROLE_TITLE, 0);
}

int detail_add_kv(struct detail *d, int indent, const char *key, const char *value)
{
    /* keys padded to a common width as they come: good enough for the small
     * groups a detail view shows, and the text stays plain for copy-out */
    size_t kl = strlen(key ? key : "");
    char *k = malloc(kl + 3);
    if (!k)
        return -1;
    snprintf(k, kl + 3, "%s: ", key ? key : "");
    int rc = sv_add(&d->sv, indent * 2, k, value ? value : "", ROLE_LABEL, ROLE_NORMAL, 0);
    free(k);
    return rc;
}

int detail_add_line(struct detail *d, int indent, const char *text, enum theme_role role)
{
    return sv_add(&d->sv, indent * 2, NULL, text, role, role, 0);
}

int detail_add_json(struct detail *d, int indent, struct json_object *value)
{
    return sv_add_json(&d->sv, indent * 2, value, false);
}

int detail_add_json_text(struct detail *d, int indent, const char *json, char *err, size_t errlen)
{
    struct json_tokener *tok = json_tokener_new_ex(64);
    if (!tok) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t len = strlen(json);
    struct json_object *v = json_tokener_parse_ex(tok, json, (int)(len > 0x7fffffff ? 0x7fffffff : len));
    enum json_tokener_error e = json_tokener_get_error(tok);
    if (!v && e == json_tokener_success)
        e = json_tokener_error_parse_eof;
    int rc = -1;
    if (e != json_tokener_success || (size_t)json_tokener_get_parse_end(tok) != len) {
        if (e == json_tokener_continue)
            snprintf(err, errlen, "JSON: unexpected end of text");
        else if (e == json_tokener_success)
            snprintf(err, errlen, "JSON: text after the value at offset %zu",
                     json_tokener_get_parse_end(tok));
        else
            snprintf(err, errlen, "JSON: %s at offset %zu", json_tokener_error_desc(e),
                     json_tokener_get_parse_end(tok));
    } else {
        rc = detail_add_json(d, indent, v);
    }
    json_object_put(v);
    json_tokener_free(tok);
    return rc;
}

size_t detail_line_count(const struct detail *d) { return d->sv.n; }
size_t detail_top(const struct detail *d) { return d->sv.top; }

const char *detail_line_text(const struct detail *d, size_t i)
{
    return i < d->sv.n ? d->sv.l[i].text : NULL;
}

static void detail_draw(struct widget *w, WINDOW *win)
{
    struct detail *d = (struct detail *)w;
    if (d->title && w->h >= 3 && w->w >= 4) {
        draw_box(win, w->y, w->x, w->h, w->w, d->title, ROLE_NORMAL);
        sv_draw(&d->sv, win, w->y + 1, w->x + 1, w->h - 2, w->w - 2);
    } else {
        sv_draw(&d->sv, win, w->y, w->x, w->h, w->w);
    }
}

static int detail_handle(struct widget *w, int key)
{
    struct detail *d = (struct detail *)w;
    return sv_handle(&d->sv, key, d->title && w->h >= 3 ? w->h - 2 : w->h);
}

static const struct widget_class detail_class = {
    .name = "detail",
    .draw = detail_draw,
    .handle = detail_handle,
    .del = detail_del,
};
