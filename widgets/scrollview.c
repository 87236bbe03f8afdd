/* widgets/scrollview.c — shared by detail.c and diff.c (scrollview.h). */
#include "widgets/scrollview.h"

#include <json.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/text.h"

int sv_add(struct scrollview *sv, int indent, const char *key, const char *value,
           enum theme_role key_role, enum theme_role role, char mark)
{
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 32;
        struct sv_line *l = realloc(sv->l, cap * sizeof *l);
        if (!l)
            return -1;
        sv->l = l;
        sv->cap = cap;
    }
    size_t kl = key ? strlen(key) : 0, vl = value ? strlen(value) : 0;
    char *t = malloc(kl + vl + 1);
    if (!t)
        return -1;
    memcpy(t, key ? key : "", kl);
    memcpy(t + kl, value ? value : "", vl);
    t[kl + vl] = '\0';
    sv->l[sv->n++] = (struct sv_line){t, kl, indent, key_role, role, mark};
    if (mark)
        sv->marks = true;
    return 0;
}

void sv_clear(struct scrollview *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->l[i].text);
    free(sv->l);
    memset(sv, 0, sizeof *sv);
}

static void clamp(struct scrollview *sv, int h)
{
    size_t page = h > 0 ? (size_t)h : 1;
    if (sv->n <= page)
        sv->top = 0;
    else if (sv->top > sv->n - page)
        sv->top = sv->n - page;
    if (sv->left < 0)
        sv->left = 0;
}

/* Skips `cols` columns of s (whole characters); returns the byte offset. */
static size_t skip_cols(const char *s, size_t len, int cols)
{
    size_t pos = 0;
    struct text_glyph g;
    while (cols > 0) {
        size_t p = pos;
        if (!text_next(s, len, &p, &g))
            break;
        cols -= g.width;
        pos = p;
    }
    return pos;
}

void sv_draw(struct scrollview *sv, WINDOW *win, int y, int x, int h, int w)
{
    clamp(sv, h);
    for (int i = 0; i < h; i++) {
        draw_fill(win, y + i, x, w, ROLE_NORMAL);
        size_t li = sv->top + (size_t)i;
        if (li >= sv->n)
            continue;
        const struct sv_line *l = &sv->l[li];
        int cx = x, right = x + w;
        if (sv->marks) {
            char m[2] = {l->mark ? l->mark : ' ', 0};
            draw_fill(win, y + i, x, w, l->role);
            cx += draw_text(win, y + i, cx, 2, m, TEXT_NUL, l->role, 0) + 1;
        }
        /* the indent and the text scroll left together */
        int ind = l->indent - sv->left;
        int skip = ind < 0 ? -ind : 0;
        if (ind > 0)
            cx += ind;
        if (cx >= right)
            continue;
        size_t len = strlen(l->text);
        size_t off = skip_cols(l->text, len, skip);
        if (off < l->keylen) {
            cx += draw_text(win, y + i, cx, right - cx, l->text + off, l->keylen - off, l->key_role,
                            TEXT_ELLIPSIS);
            off = l->keylen;
        }
        if (cx < right)
            draw_text(win, y + i, cx, right - cx, l->text + off, len - off, l->role, TEXT_ELLIPSIS);
    }
}

int sv_handle(struct scrollview *sv, int key, int h)
{
    size_t page = h > 1 ? (size_t)h - 1 : 1;
    size_t top = sv->top;
    int left = sv->left;
    switch (key) {
    case WKEY_FN(KEY_UP):
    case 'k':
        sv->top = sv->top ? sv->top - 1 : 0;
        break;
    case WKEY_FN(KEY_DOWN):
    case 'j':
        sv->top++;
        break;
    case WKEY_FN(KEY_PPAGE):
    case WKEY_CTRL('b'):
        sv->top = sv->top > page ? sv->top - page : 0;
        break;
    case WKEY_FN(KEY_NPAGE):
    case WKEY_CTRL('f'):
    case ' ':
        sv->top += page;
        break;
    case WKEY_FN(KEY_HOME):
    case 'g':
        sv->top = 0;
        sv->left = 0;
        break;
    case WKEY_FN(KEY_END):
    case 'G':
        sv->top = sv->n;
        break;
    case WKEY_FN(KEY_LEFT):
    case 'h':
        sv->left = sv->left > 8 ? sv->left - 8 : 0;
        break;
    case WKEY_FN(KEY_RIGHT):
    case 'l':
        sv->left += 8;
        break;
    default:
        return WR_IGNORED;
    }
    clamp(sv, h);
    return sv->top != top || sv->left != left ? WR_HANDLED | WR_MOVED | WR_REDRAW : WR_HANDLED;
}

static enum theme_role scalar_role(struct json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_string:
        return ROLE_JSON_STRING;
    case json_type_int:
    case json_type_double:
    case json_type_boolean:
        return ROLE_JSON_NUMBER;
    default:
        return ROLE_DIM;
    }
}

static const char *scalar_text(struct json_object *v)
{
    if (!v)
        return "null";
    return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
                                                  JSON_C_TO_STRING_NOSLASHESCAPE);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* key: the quoted key with ": " (or NULL), comma: whether a ',' follows. */
static int add_value(struct scrollview *sv, int indent, const char *key, struct json_object *v,
                     bool comma, bool sorted, int depth)
{
    const char *c = comma ? "," : "";
    enum json_type t = v ? json_object_get_type(v) : json_type_null;
    char *buf;
    if (depth > 64)
        return sv_add(sv, indent, key, "\u2026", ROLE_JSON_KEY, ROLE_DIM, 0);
    if (t == json_type_object || t == json_type_array) {
        bool obj = t == json_type_object;
        size_t n = obj ? (size_t)json_object_object_length(v) : json_object_array_length(v);
        if (n == 0)
            return sv_add(sv, indent, key, obj ? (comma ? "{}," : "{}") : (comma ? "[]," : "[]"),
                          ROLE_JSON_KEY, ROLE_NORMAL, 0);
        if (sv_add(sv, indent, key, obj ? "{" : "[", ROLE_JSON_KEY, ROLE_NORMAL, 0) < 0)
            return -1;
        if (obj) {
            const char **keys = malloc(n * sizeof *keys);
            if (!keys)
                return -1;
            size_t k = 0;
            json_object_object_foreach(v, jk, jv)
            {
                (void)jv;
                if (k < n)
                    keys[k++] = jk;
            }
            if (sorted)
                qsort(keys, k, sizeof *keys, cmp_str);
            for (size_t i = 0; i < k; i++) {
                struct json_object *kv = json_object_object_get(v, keys[i]);
                struct json_object *ks = json_object_new_string(keys[i]);
                const char *q = ks ? scalar_text(ks) : "\"?\"";
                buf = malloc(strlen(q) + 3);
                if (buf) {
                    strcpy(buf, q);
                    strcat(buf, ": ");
                }
                json_object_put(ks);
                int rc = buf ? add_value(sv, indent + 2, buf, kv, i + 1 < k, sorted, depth + 1) : -1;
                free(buf);
                if (rc < 0) {
                    free(keys);
                    return -1;
                }
            }
            free(keys);
        } else {
            for (size_t i = 0; i < n; i++)
                if (add_value(sv, indent + 2, NULL, json_object_array_get_idx(v, i), i + 1 < n,
                              sorted, depth + 1) < 0)
                    return -1;
        }
        return sv_add(sv, indent, NULL, obj ? (comma ? "}," : "}") : (comma ? "]," : "]"),
                      ROLE_JSON_KEY, ROLE_NORMAL, 0);
    }
    const char *s = scalar_text(v);
    buf = malloc(strlen(s) + 2);
    if (!buf)
        return -1;
    strcpy(buf, s);
    strcat(buf, c);
    int rc = sv_add(sv, indent, key, buf, ROLE_JSON_KEY, scalar_role(v), 0);
    free(buf);
    return rc;
}

int sv_add_json(struct scrollview *sv, int indent, struct json_object *value, bool sorted)
{
    return add_value(sv, indent, NULL, value, false, sorted, 0);
}
