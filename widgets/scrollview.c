/* widgets/scrollview.c — shared by detail.c and diff.c (scrollview.h). */
#include "widgets/scrollview.h"

#include <stdio.h>
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
    sv->l[sv->n++] = (struct sv_line){t, kl, indent, key_role, role, mark, 0};
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
            int kx = cx;
            cx += draw_text(win, y + i, cx, right - cx, l->text + off, l->keylen - off, l->key_role,
                            TEXT_ELLIPSIS);
            off = l->keylen;
            if (skip == 0 && l->keycols > cx - kx)
                cx = kx + l->keycols;
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

static enum theme_role kind_role(enum tree_kind k)
{
    switch (k) {
    case TREE_STRING:
        return ROLE_JSON_STRING;
    case TREE_NUMBER:
    case TREE_BOOL:
        return ROLE_JSON_NUMBER;
    default:
        return ROLE_DIM;
    }
}

/* A member name as a JSON string with ": " after it (malloc'd). */
static char *quote_key(const char *k)
{
    size_t n = strlen(k);
    char *q = malloc(n * 6 + 5), *o = q;
    if (!q)
        return NULL;
    *o++ = '"';
    for (const unsigned char *p = (const unsigned char *)k; *p; p++) {
        if (*p == '"' || *p == '\\') {
            *o++ = '\\';
            *o++ = (char)*p;
        } else if (*p < 0x20) {
            o += sprintf(o, "\\u%04x", *p);
        } else {
            *o++ = (char)*p;
        }
    }
    memcpy(o, "\": ", 4);
    return q;
}

struct member {
    const char *key;
    const void *node;
};

struct members {
    struct member *m;
    size_t n, cap;
    bool failed;
};

static void collect(void *ctx, const char *key, const void *child)
{
    struct members *ms = ctx;
    if (ms->n == ms->cap) {
        size_t cap = ms->cap ? ms->cap * 2 : 16;
        struct member *m = realloc(ms->m, cap * sizeof *m);
        if (!m) {
            ms->failed = true;
            return;
        }
        ms->m = m;
        ms->cap = cap;
    }
    ms->m[ms->n++] = (struct member){key, child};
}

static int cmp_member(const void *a, const void *b)
{
    return strcmp(((const struct member *)a)->key, ((const struct member *)b)->key);
}

/* key: the quoted key with ": " (or NULL); comma: whether a ',' follows. */
static int add_node(struct scrollview *sv, int indent, const char *key, const void *node,
                    const struct tree_ops *ops, bool comma, bool sorted, int depth)
{
    enum tree_kind k = node ? ops->kind(node) : TREE_NULL;
    if (depth > 64)
        return sv_add(sv, indent, key, "...", ROLE_JSON_KEY, ROLE_DIM, 0);
    if (k == TREE_OBJECT || k == TREE_ARRAY) {
        bool obj = k == TREE_OBJECT;
        struct members ms = {NULL, 0, 0, false};
        ops->each(node, collect, &ms);
        if (ms.failed) {
            free(ms.m);
            return -1;
        }
        int rc;
        if (ms.n == 0) {
            rc = sv_add(sv, indent, key, obj ? (comma ? "{}," : "{}") : (comma ? "[]," : "[]"),
                        ROLE_JSON_KEY, ROLE_NORMAL, 0);
            free(ms.m);
            return rc;
        }
        if (obj && sorted)
            qsort(ms.m, ms.n, sizeof *ms.m, cmp_member);
        rc = sv_add(sv, indent, key, obj ? "{" : "[", ROLE_JSON_KEY, ROLE_NORMAL, 0);
        for (size_t i = 0; rc == 0 && i < ms.n; i++) {
            char *q = obj ? quote_key(ms.m[i].key ? ms.m[i].key : "") : NULL;
            if (obj && !q)
                rc = -1;
            else
                rc =
                    add_node(sv, indent + 2, q, ms.m[i].node, ops, i + 1 < ms.n, sorted, depth + 1);
            free(q);
        }
        free(ms.m);
        if (rc < 0)
            return rc;
        return sv_add(sv, indent, NULL, obj ? (comma ? "}," : "}") : (comma ? "]," : "]"),
                      ROLE_JSON_KEY, ROLE_NORMAL, 0);
    }
    const char *s = node ? ops->scalar(node) : "null";
    if (!s)
        s = "null";
    char *buf = malloc(strlen(s) + 2);
    if (!buf)
        return -1;
    strcpy(buf, s);
    if (comma)
        strcat(buf, ",");
    int rc = sv_add(sv, indent, key, buf, ROLE_JSON_KEY, kind_role(k), 0);
    free(buf);
    return rc;
}

int sv_add_tree(struct scrollview *sv, int indent, const void *root, const struct tree_ops *ops,
                bool sorted)
{
    return add_node(sv, indent, NULL, root, ops, false, sorted, 0);
}
