/* widgets/form.c — forms (see form.h). */
#include "widgets/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/edit.h"
#include "widgets/text.h"

enum kind { F_TEXT, F_SECRET, F_BOOL, F_CHOICE, F_LIST, F_MAP, F_RECORDS };

struct field {
    enum kind kind;
    char *key, *label, *hint, *error;
    unsigned flags;
    form_validator validate;
    void *vctx;
    struct line_edit edit; /* text, secret */
    bool b;
    char **choices;
    size_t nchoices, choice;
    /* list: items[i]; map: items[2i] key, items[2i+1] value */
    struct line_edit *items;
    size_t nitems, max_items;
    struct form **records;
    form_record_maker make;
    form_record_summary summary;
};

struct form {
    struct widget base;
    char *title, *error;
    struct field *f;
    size_t nf;
    size_t focus; /* unit index */
    int scroll;   /* first field line shown */
    struct form *child, *child_backup;
    size_t child_field, child_index;
    /* form_modified(): the values as they were when the first key came (so
     * the owner's setters before that are not edits), and whether any key
     * changed a value (the answer when the copy could not be made). */
    struct form *baseline;
    bool baseline_taken, key_changed;
};

static const struct widget_class form_class;

/* ---- building ---- */

struct form *form_new(const char *title)
{
    struct form *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    widget_init(&f->base, &form_class);
    if (!(f->title = strdup(title ? title : ""))) {
        free(f);
        return NULL;
    }
    return f;
}

struct widget *form_widget(struct form *f)
{
    return &f->base;
}

static void field_free(struct field *fl)
{
    free(fl->key);
    free(fl->label);
    free(fl->hint);
    free(fl->error);
    if (fl->edit.buf)
        edit_free(&fl->edit);
    for (size_t i = 0; i < fl->nchoices; i++)
        free(fl->choices[i]);
    free(fl->choices);
    size_t nedit = fl->kind == F_MAP ? fl->nitems * 2 : fl->kind == F_LIST ? fl->nitems : 0;
    for (size_t i = 0; i < nedit; i++)
        edit_free(&fl->items[i]);
    free(fl->items);
    if (fl->kind == F_RECORDS)
        for (size_t i = 0; i < fl->nitems; i++)
            form_delete(fl->records[i]);
    free(fl->records);
}

static void form_del(struct widget *w)
{
    struct form *f = (struct form *)w;
    for (size_t i = 0; i < f->nf; i++)
        field_free(&f->f[i]);
    free(f->f);
    free(f->title);
    free(f->error);
    form_delete(f->child_backup);
    form_delete(f->baseline);
    free(f);
}

void form_delete(struct form *f)
{
    if (f)
        form_del(&f->base);
}

int form_field_index(const struct form *f, const char *key)
{
    for (size_t i = 0; key && i < f->nf; i++)
        if (strcmp(f->f[i].key, key) == 0)
            return (int)i;
    return -1;
}

static struct field *field_of(const struct form *f, const char *key, int kind)
{
    int i = form_field_index(f, key);
    if (i < 0 || (kind >= 0 && (int)f->f[i].kind != kind))
        return NULL;
    return &f->f[i];
}

static struct field *add_field(struct form *f, enum kind kind, const char *key, const char *label,
                               unsigned flags)
{
    if (!key || form_field_index(f, key) >= 0)
        return NULL;
    struct field *n = realloc(f->f, (f->nf + 1) * sizeof *n);
    if (!n)
        return NULL;
    f->f = n;
    struct field *fl = &f->f[f->nf];
    memset(fl, 0, sizeof *fl);
    fl->kind = kind;
    fl->flags = flags;
    fl->key = strdup(key);
    fl->label = strdup(label ? label : key);
    if (!fl->key || !fl->label) {
        free(fl->key);
        free(fl->label);
        return NULL;
    }
    f->nf++;
    return fl;
}

static int add_textlike(struct form *f, enum kind kind, const char *key, const char *label,
                        const char *value, unsigned flags, form_validator v, void *vctx)
{
    struct field *fl = add_field(f, kind, key, label, flags);
    if (!fl)
        return -1;
    fl->validate = v;
    fl->vctx = vctx;
    if (edit_init(&fl->edit, value) < 0) {
        f->nf--;
        field_free(fl);
        return -1;
    }
    fl->edit.secret = kind == F_SECRET;
    return (int)f->nf - 1;
}

int form_add_text(struct form *f, const char *key, const char *label, const char *value,
                  unsigned flags, form_validator validate, void *vctx)
{
    return add_textlike(f, F_TEXT, key, label, value, flags, validate, vctx);
}

int form_add_secret(struct form *f, const char *key, const char *label, const char *value,
                    unsigned flags, form_validator validate, void *vctx)
{
    return add_textlike(f, F_SECRET, key, label, value, flags, validate, vctx);
}

int form_add_bool(struct form *f, const char *key, const char *label, bool value)
{
    struct field *fl = add_field(f, F_BOOL, key, label, 0);
    if (!fl)
        return -1;
    fl->b = value;
    return (int)f->nf - 1;
}

int form_add_choice(struct form *f, const char *key, const char *label, const char *const *choices,
                    size_t nchoices, size_t selected)
{
    if (nchoices == 0)
        return -1;
    struct field *fl = add_field(f, F_CHOICE, key, label, 0);
    if (!fl)
        return -1;
    fl->choices = calloc(nchoices, sizeof *fl->choices);
    for (size_t i = 0; fl->choices && i < nchoices; i++) {
        if (!(fl->choices[i] = strdup(choices[i] ? choices[i] : ""))) {
            fl->nchoices = i;
            f->nf--;
            field_free(fl);
            return -1;
        }
        fl->nchoices = i + 1;
    }
    if (!fl->choices) {
        f->nf--;
        field_free(fl);
        return -1;
    }
    fl->choice = selected < nchoices ? selected : 0;
    return (int)f->nf - 1;
}

int form_add_list(struct form *f, const char *key, const char *label, unsigned flags,
                  size_t max_items, form_validator validate, void *vctx)
{
    struct field *fl = add_field(f, F_LIST, key, label, flags);
    if (!fl)
        return -1;
    fl->max_items = max_items;
    fl->validate = validate;
    fl->vctx = vctx;
    return (int)f->nf - 1;
}

int form_add_map(struct form *f, const char *key, const char *label, unsigned flags,
                 size_t max_items, form_validator validate_key, void *vctx)
{
    struct field *fl = add_field(f, F_MAP, key, label, flags);
    if (!fl)
        return -1;
    fl->max_items = max_items;
    fl->validate = validate_key;
    fl->vctx = vctx;
    return (int)f->nf - 1;
}

int form_add_records(struct form *f, const char *key, const char *label, unsigned flags,
                     size_t max_items, form_record_maker make, form_record_summary summary,
                     void *ctx)
{
    if (!make)
        return -1;
    struct field *fl = add_field(f, F_RECORDS, key, label, flags);
    if (!fl)
        return -1;
    fl->max_items = max_items;
    fl->make = make;
    fl->summary = summary;
    fl->vctx = ctx;
    return (int)f->nf - 1;
}

void form_set_hint(struct form *f, const char *key, const char *hint)
{
    struct field *fl = field_of(f, key, -1);
    if (fl) {
        free(fl->hint);
        fl->hint = hint ? strdup(hint) : NULL;
    }
}

/* ---- values ---- */

int form_set_text(struct form *f, const char *key, const char *value)
{
    struct field *fl = field_of(f, key, -1);
    if (!fl || (fl->kind != F_TEXT && fl->kind != F_SECRET))
        return -1;
    return edit_set(&fl->edit, value ? value : "");
}

int form_set_bool(struct form *f, const char *key, bool value)
{
    struct field *fl = field_of(f, key, F_BOOL);
    if (!fl)
        return -1;
    fl->b = value;
    return 0;
}

int form_set_choice(struct form *f, const char *key, size_t index)
{
    struct field *fl = field_of(f, key, F_CHOICE);
    if (!fl || index >= fl->nchoices)
        return -1;
    fl->choice = index;
    return 0;
}

static bool full(const struct field *fl)
{
    return fl->max_items && fl->nitems >= fl->max_items;
}

/* Inserts nedit empty editors for a new list item / map entry at position
 * `at` (item index). */
static int items_insert(struct field *fl, size_t at, const char *const *texts)
{
    size_t per = fl->kind == F_MAP ? 2 : 1;
    if (full(fl))
        return -1;
    struct line_edit *n = realloc(fl->items, (fl->nitems + 1) * per * sizeof *n);
    if (!n)
        return -1;
    fl->items = n;
    struct line_edit tmp[2];
    for (size_t k = 0; k < per; k++)
        if (edit_init(&tmp[k], texts[k]) < 0) {
            for (size_t j = 0; j < k; j++)
                edit_free(&tmp[j]);
            return -1;
        }
    memmove(&fl->items[(at + 1) * per], &fl->items[at * per], (fl->nitems - at) * per * sizeof *n);
    memcpy(&fl->items[at * per], tmp, per * sizeof *n);
    fl->nitems++;
    return 0;
}

int form_list_append(struct form *f, const char *key, const char *value)
{
    struct field *fl = field_of(f, key, F_LIST);
    const char *t[1] = {value ? value : ""};
    return fl ? items_insert(fl, fl->nitems, t) : -1;
}

int form_map_append(struct form *f, const char *key, const char *k, const char *v)
{
    struct field *fl = field_of(f, key, F_MAP);
    const char *t[2] = {k ? k : "", v ? v : ""};
    return fl ? items_insert(fl, fl->nitems, t) : -1;
}

static struct form *records_insert(struct field *fl, struct form *rec)
{
    if (!rec || full(fl)) {
        form_delete(rec);
        return NULL;
    }
    struct form **n = realloc(fl->records, (fl->nitems + 1) * sizeof *n);
    if (!n) {
        form_delete(rec);
        return NULL;
    }
    fl->records = n;
    fl->records[fl->nitems++] = rec;
    return rec;
}

struct form *form_records_append(struct form *f, const char *key)
{
    struct field *fl = field_of(f, key, F_RECORDS);
    return fl ? records_insert(fl, fl->make(fl->vctx)) : NULL;
}

const char *form_text(const struct form *f, const char *key)
{
    struct field *fl = field_of(f, key, -1);
    if (!fl)
        return NULL;
    if (fl->kind == F_TEXT || fl->kind == F_SECRET)
        return fl->edit.buf;
    if (fl->kind == F_CHOICE)
        return fl->choices[fl->choice];
    if (fl->kind == F_BOOL)
        return fl->b ? "yes" : "no";
    return NULL;
}

bool form_bool(const struct form *f, const char *key)
{
    struct field *fl = field_of(f, key, F_BOOL);
    return fl && fl->b;
}

size_t form_choice(const struct form *f, const char *key)
{
    struct field *fl = field_of(f, key, F_CHOICE);
    return fl ? fl->choice : 0;
}

size_t form_count(const struct form *f, const char *key)
{
    struct field *fl = field_of(f, key, -1);
    return fl && (fl->kind == F_LIST || fl->kind == F_MAP || fl->kind == F_RECORDS) ? fl->nitems
                                                                                    : 0;
}

const char *form_list_item(const struct form *f, const char *key, size_t i)
{
    struct field *fl = field_of(f, key, F_LIST);
    return fl && i < fl->nitems ? fl->items[i].buf : NULL;
}

const char *form_map_key(const struct form *f, const char *key, size_t i)
{
    struct field *fl = field_of(f, key, F_MAP);
    return fl && i < fl->nitems ? fl->items[2 * i].buf : NULL;
}

const char *form_map_value(const struct form *f, const char *key, size_t i)
{
    struct field *fl = field_of(f, key, F_MAP);
    return fl && i < fl->nitems ? fl->items[2 * i + 1].buf : NULL;
}

struct form *form_record(const struct form *f, const char *key, size_t i)
{
    struct field *fl = field_of(f, key, F_RECORDS);
    return fl && i < fl->nitems ? fl->records[i] : NULL;
}

static void set_msg(char **slot, const char *m)
{
    free(*slot);
    *slot = m ? strdup(m) : NULL;
}

void form_set_error(struct form *f, const char *key, const char *message)
{
    if (!key) {
        set_msg(&f->error, message);
        return;
    }
    struct field *fl = field_of(f, key, -1);
    if (fl)
        set_msg(&fl->error, message);
}

const char *form_error(const struct form *f, const char *key)
{
    if (!key)
        return f->error;
    struct field *fl = field_of(f, key, -1);
    return fl ? fl->error : NULL;
}

/* ---- a copy, to restore a record whose sub-form is cancelled ---- */

static struct form *form_clone(const struct form *src)
{
    struct form *f = form_new(src->title);
    if (!f)
        return NULL;
    for (size_t i = 0; i < src->nf; i++) {
        const struct field *s = &src->f[i];
        int rc = -1;
        switch (s->kind) {
        case F_TEXT:
        case F_SECRET:
            rc = add_textlike(f, s->kind, s->key, s->label, s->edit.buf, s->flags, s->validate,
                              s->vctx);
            break;
        case F_BOOL:
            rc = form_add_bool(f, s->key, s->label, s->b);
            break;
        case F_CHOICE:
            rc = form_add_choice(f, s->key, s->label, (const char *const *)s->choices, s->nchoices,
                                 s->choice);
            break;
        case F_LIST:
        case F_MAP:
            rc = s->kind == F_LIST ? form_add_list(f, s->key, s->label, s->flags, s->max_items,
                                                   s->validate, s->vctx)
                                   : form_add_map(f, s->key, s->label, s->flags, s->max_items,
                                                  s->validate, s->vctx);
            for (size_t k = 0; rc >= 0 && k < s->nitems; k++) {
                const char *t[2] = {s->items[k * (s->kind == F_MAP ? 2 : 1)].buf,
                                    s->kind == F_MAP ? s->items[2 * k + 1].buf : ""};
                if (items_insert(&f->f[rc], k, t) < 0)
                    rc = -1;
            }
            break;
        case F_RECORDS:
            rc = form_add_records(f, s->key, s->label, s->flags, s->max_items, s->make, s->summary,
                                  s->vctx);
            for (size_t k = 0; rc >= 0 && k < s->nitems; k++)
                if (!records_insert(&f->f[rc], form_clone(s->records[k])))
                    rc = -1;
            break;
        }
        if (rc < 0) {
            form_delete(f);
            return NULL;
        }
        if (s->hint)
            form_set_hint(f, s->key, s->hint);
        if (s->error)
            form_set_error(f, s->key, s->error);
    }
    return f;
}

/* ---- units: what the focus moves over ---- */

struct unit {
    int field; /* -1: a button */
    size_t sub;
    enum { U_VALUE, U_ITEM, U_KEY, U_MAPVALUE, U_RECORD, U_ADD, U_OK, U_CANCEL } what;
};

static bool editable(const struct field *fl)
{
    return !(fl->flags & FORM_READONLY);
}

static size_t field_units(const struct field *fl)
{
    switch (fl->kind) {
    case F_LIST:
    case F_RECORDS:
        return fl->nitems + (editable(fl) ? 1 : 0);
    case F_MAP:
        return fl->nitems * 2 + (editable(fl) ? 1 : 0);
    default:
        return 1;
    }
}

static size_t unit_count(const struct form *f)
{
    size_t n = 2;
    for (size_t i = 0; i < f->nf; i++)
        n += field_units(&f->f[i]);
    return n;
}

static struct unit unit_at(const struct form *f, size_t u)
{
    for (size_t i = 0; i < f->nf; i++) {
        const struct field *fl = &f->f[i];
        size_t n = field_units(fl);
        if (u < n) {
            struct unit r = {(int)i, u, U_VALUE};
            if (fl->kind == F_LIST)
                r.what = u < fl->nitems ? U_ITEM : U_ADD;
            else if (fl->kind == F_RECORDS)
                r.what = u < fl->nitems ? U_RECORD : U_ADD;
            else if (fl->kind == F_MAP) {
                r.what = u >= fl->nitems * 2 ? U_ADD : u % 2 ? U_MAPVALUE : U_KEY;
                r.sub = u / 2;
            }
            return r;
        }
        u -= n;
    }
    return (struct unit){-1, 0, u == 0 ? U_OK : U_CANCEL};
}

static size_t first_unit_of(const struct form *f, size_t field)
{
    size_t u = 0;
    for (size_t i = 0; i < field && i < f->nf; i++)
        u += field_units(&f->f[i]);
    return u;
}

static struct line_edit *unit_edit(struct form *f, struct unit u)
{
    if (u.field < 0)
        return NULL;
    struct field *fl = &f->f[u.field];
    switch (u.what) {
    case U_VALUE:
        return fl->kind == F_TEXT || fl->kind == F_SECRET ? &fl->edit : NULL;
    case U_ITEM:
        return &fl->items[u.sub];
    case U_KEY:
        return &fl->items[2 * u.sub];
    case U_MAPVALUE:
        return &fl->items[2 * u.sub + 1];
    default:
        return NULL;
    }
}

/* ---- validation ---- */

static void check_field(struct field *fl)
{
    char msg[256] = "";
    const char *bad = NULL;
    switch (fl->kind) {
    case F_TEXT:
    case F_SECRET:
        if ((fl->flags & FORM_REQUIRED) && !fl->edit.buf[0])
            bad = "Required.";
        else if (fl->validate && (fl->edit.buf[0] || (fl->flags & FORM_REQUIRED)))
            bad = fl->validate(fl->vctx, fl->edit.buf);
        break;
    case F_LIST:
    case F_MAP:
    case F_RECORDS:
        if ((fl->flags & FORM_REQUIRED) && fl->nitems == 0) {
            bad = "Add at least one.";
            break;
        }
        for (size_t i = 0; i < fl->nitems && !bad; i++) {
            const char *m = NULL;
            if (fl->kind == F_RECORDS) {
                if (form_validate(fl->records[i]) > 0)
                    m = "incomplete: open it to see why";
            } else {
                const char *v = fl->items[fl->kind == F_MAP ? 2 * i : i].buf;
                if (fl->kind == F_MAP && !v[0])
                    m = "the key is empty";
                else if (fl->validate)
                    m = fl->validate(fl->vctx, v);
            }
            if (m) {
                snprintf(msg, sizeof msg, "Item %zu: %s", i + 1, m);
                bad = msg;
            }
        }
        break;
    default:
        break;
    }
    set_msg(&fl->error, bad);
}

int form_validate(struct form *f)
{
    int bad = 0;
    for (size_t i = 0; i < f->nf; i++) {
        check_field(&f->f[i]);
        if (f->f[i].error)
            bad++;
    }
    return bad;
}

/* ---- focus ---- */

const char *form_focus_key(const struct form *f)
{
    struct unit u = unit_at(f, f->focus);
    return u.field >= 0 ? f->f[u.field].key : NULL;
}

struct form *form_open_record(const struct form *f)
{
    return f->child;
}

static int focus_to(struct form *f, size_t unit)
{
    size_t n = unit_count(f);
    if (unit >= n)
        unit = n - 1;
    struct unit from = unit_at(f, f->focus), to = unit_at(f, unit);
    /* leaving a field checks it, so a mistake shows at once */
    if (from.field >= 0 && from.field != to.field && from.field < (int)f->nf)
        check_field(&f->f[from.field]);
    f->focus = unit;
    struct line_edit *e = unit_edit(f, to);
    if (e)
        e->cur = e->len;
    return WR_HANDLED | WR_REDRAW;
}

int form_focus(struct form *f, const char *key)
{
    int i = form_field_index(f, key);
    if (i < 0)
        return -1;
    focus_to(f, first_unit_of(f, (size_t)i));
    return 0;
}

/* ---- layout ---- */

enum line_kind { L_VALUE, L_ERROR, L_HINT };

struct line {
    enum line_kind kind;
    int field;
    size_t unit; /* first unit on the line (map lines hold two) */
    size_t sub;
    int what;
};

/* Lines of the fields area, in order. Returns the count; fills at most max. */
static size_t layout(const struct form *f, struct line *out, size_t max)
{
    size_t n = 0, u = 0;
#define PUT(k, fi, un, sb, wh)                                                                     \
    do {                                                                                           \
        if (n < max)                                                                               \
            out[n] = (struct line){k, fi, un, sb, wh};                                             \
        n++;                                                                                       \
    } while (0)
    for (size_t i = 0; i < f->nf; i++) {
        const struct field *fl = &f->f[i];
        size_t nu = field_units(fl);
        if (fl->kind == F_MAP) {
            for (size_t k = 0; k < fl->nitems; k++)
                PUT(L_VALUE, (int)i, u + 2 * k, k, U_KEY);
            if (editable(fl))
                PUT(L_VALUE, (int)i, u + 2 * fl->nitems, 0, U_ADD);
            if (nu == 0)
                PUT(L_VALUE, (int)i, (size_t)-1, 0, U_ADD);
        } else if (fl->kind == F_LIST || fl->kind == F_RECORDS) {
            for (size_t k = 0; k < nu; k++) {
                struct unit un = unit_at(f, u + k);
                PUT(L_VALUE, (int)i, u + k, k, (int)un.what);
            }
            if (nu == 0)
                PUT(L_VALUE, (int)i, (size_t)-1, 0, U_ADD);
        } else {
            PUT(L_VALUE, (int)i, u, 0, U_VALUE);
        }
        if (fl->error)
            PUT(L_ERROR, (int)i, (size_t)-1, 0, 0);
        if (fl->hint)
            PUT(L_HINT, (int)i, (size_t)-1, 0, 0);
        u += nu;
    }
#undef PUT
    return n;
}

static char *summary_of(const struct field *fl, const struct form *rec, char *buf, size_t cap)
{
    if (fl->summary) {
        const char *s = fl->summary(fl->vctx, rec, buf, cap);
        if (s != buf)
            snprintf(buf, cap, "%s", s ? s : "");
        return buf;
    }
    const char *a = rec->nf > 0 ? form_text(rec, rec->f[0].key) : NULL;
    const char *b = rec->nf > 1 ? form_text(rec, rec->f[1].key) : NULL;
    snprintf(buf, cap, "%s%s%s", a ? a : "", b ? "  " : "", b ? b : "");
    return buf;
}

static void draw_line(struct form *f, WINDOW *win, const struct line *l, int y, int x, int lw,
                      int vw, bool first_of_field)
{
    struct widget *w = &f->base;
    const struct field *fl = &f->f[l->field];
    bool focused = l->unit == f->focus;
    if (first_of_field && l->kind == L_VALUE) {
        bool req = fl->flags & FORM_REQUIRED;
        int n = draw_text(win, y, x, lw - (req ? 2 : 0), fl->label, TEXT_NUL, ROLE_LABEL,
                          TEXT_ELLIPSIS);
        if (req)
            draw_text(win, y, x + n + 1, 1, "*", TEXT_NUL, ROLE_REQUIRED, 0);
    }
    int vx = x + lw + 1;
    if (vw <= 0)
        return;
    if (l->kind == L_ERROR) {
        draw_text(win, y, vx, vw, fl->error, TEXT_NUL, ROLE_ERROR, TEXT_ELLIPSIS);
        return;
    }
    if (l->kind == L_HINT) {
        draw_text(win, y, vx, vw, fl->hint, TEXT_NUL, ROLE_DIM, TEXT_ELLIPSIS);
        return;
    }
    attr_t in = theme_attr(focused ? ROLE_INPUT_FOCUS : ROLE_INPUT);
    struct line_edit *e = NULL;
    int ex = vx, ew = vw;
    switch (l->what) {
    case U_VALUE:
        if (fl->kind == F_BOOL) {
            draw_text_attr(win, y, vx, vw, fl->b ? "[x]" : "[ ]", TEXT_NUL, in, 0);
        } else if (fl->kind == F_CHOICE) {
            int n = draw_text_attr(win, y, vx, vw, "< ", TEXT_NUL, in, 0);
            n += draw_text_attr(win, y, vx + n, vw - n - 2, fl->choices[fl->choice], TEXT_NUL, in,
                                TEXT_ELLIPSIS);
            draw_text_attr(win, y, vx + n, vw - n, " >", TEXT_NUL, in, 0);
        } else {
            e = (struct line_edit *)&fl->edit;
        }
        break;
    case U_ITEM:
        e = &fl->items[l->sub];
        break;
    case U_KEY: {
        int kw = (vw - 3) / 2;
        bool kf = f->focus == l->unit, vf = f->focus == l->unit + 1;
        int c1 = edit_draw(&fl->items[2 * l->sub], win, y, vx, kw,
                           theme_attr(kf ? ROLE_INPUT_FOCUS : ROLE_INPUT));
        draw_text(win, y, vx + kw, 3, " = ", TEXT_NUL, ROLE_NORMAL, 0);
        int c2 = edit_draw(&fl->items[2 * l->sub + 1], win, y, vx + kw + 3, vw - kw - 3,
                           theme_attr(vf ? ROLE_INPUT_FOCUS : ROLE_INPUT));
        if (kf || vf) {
            w->cursor_on = true;
            w->cursor_y = y;
            w->cursor_x = kf ? c1 : c2;
        }
        return;
    }
    case U_RECORD: {
        char buf[512];
        enum theme_role r = focused ? ROLE_INPUT_FOCUS : ROLE_NORMAL;
        draw_fill(win, y, vx, vw, r);
        int n = draw_text(win, y, vx, 2, theme_glyph(GLYPH_POINTER), TEXT_NUL, r, 0) + 1;
        draw_text(win, y, vx + n, vw - n, summary_of(fl, fl->records[l->sub], buf, sizeof buf),
                  TEXT_NUL, r, TEXT_ELLIPSIS);
        return;
    }
    case U_ADD:
        if (l->unit == (size_t)-1) {
            draw_text(win, y, vx, vw, "(none)", TEXT_NUL, ROLE_DIM, 0);
            return;
        }
        draw_text(win, y, vx, vw, full(fl) ? "[+ add] (full)" : "[+ add]", TEXT_NUL,
                  focused ? ROLE_BUTTON_FOCUS : ROLE_BUTTON, 0);
        return;
    default:
        return;
    }
    if (e) {
        if (!editable(fl))
            in = theme_attr(focused ? ROLE_INPUT_FOCUS : ROLE_DIM);
        int cx = edit_draw(e, win, y, ex, ew, in);
        if (focused && editable(fl)) {
            w->cursor_on = true;
            w->cursor_y = y;
            w->cursor_x = cx;
        }
    }
}

static void form_draw(struct widget *w, WINDOW *win)
{
    struct form *f = (struct form *)w;
    if (f->child) {
        widget_place(&f->child->base, w->y, w->x, w->h, w->w);
        widget_draw(&f->child->base, win);
        w->cursor_on = f->child->base.cursor_on;
        w->cursor_y = f->child->base.cursor_y;
        w->cursor_x = f->child->base.cursor_x;
        return;
    }
    bool framed = w->h >= 3 && w->w >= 6;
    int y0 = w->y, x0 = w->x, h = w->h, iw = w->w;
    if (framed) {
        draw_box(win, w->y, w->x, w->h, w->w, f->title, ROLE_NORMAL);
        y0++, h -= 2, x0 += 2, iw -= 4;
    } else {
        for (int i = 0; i < h; i++)
            draw_fill(win, y0 + i, x0, iw, ROLE_NORMAL);
    }
    if (h <= 0 || iw <= 0)
        return;
    /* bottom: buttons, then the form's message above them, then a gap */
    int bottom = 1;
    int err_rows = f->error && h >= 3 ? 1 : 0;
    int gap = h >= 6 ? 1 : 0;
    int area = h - bottom - err_rows - gap;
    if (area < 0)
        area = 0;

    size_t nl = layout(f, NULL, 0);
    struct line *lines = calloc(nl ? nl : 1, sizeof *lines);
    if (!lines)
        return;
    layout(f, lines, nl);
    /* label column */
    int lw = 0;
    for (size_t i = 0; i < f->nf; i++) {
        int t = text_width(f->f[i].label, TEXT_NUL) + ((f->f[i].flags & FORM_REQUIRED) ? 2 : 0);
        if (t > lw)
            lw = t;
    }
    if (lw > iw / 3)
        lw = iw / 3;
    int vw = iw - lw - 1;
    /* keep the focused line (and the lines under it of the same field's
     * error) in view */
    int fline = -1;
    for (size_t i = 0; i < nl; i++)
        if (lines[i].kind == L_VALUE && lines[i].unit != (size_t)-1 &&
            (lines[i].unit == f->focus ||
             (lines[i].what == U_KEY && lines[i].unit + 1 == f->focus)))
            fline = (int)i;
    if (fline >= 0 && area > 0) {
        int last = fline;
        while ((size_t)last + 1 < nl && lines[last + 1].kind != L_VALUE && last + 1 - fline < area)
            last++;
        if (fline < f->scroll)
            f->scroll = fline;
        if (last >= f->scroll + area)
            f->scroll = last - area + 1;
    }
    if (f->scroll > (int)nl - area)
        f->scroll = (int)nl - area;
    if (f->scroll < 0)
        f->scroll = 0;
    for (int i = 0; i < area && f->scroll + i < (int)nl; i++) {
        const struct line *l = &lines[f->scroll + i];
        bool first = f->scroll + i == 0 || lines[f->scroll + i - 1].field != l->field;
        draw_line(f, win, l, y0 + i, x0, lw, vw, first || i == 0);
    }
    /* scroll hints */
    if (f->scroll > 0 && framed)
        draw_glyph(win, w->y, w->x + w->w - 3, GLYPH_SORT_UP, theme_attr(ROLE_BORDER));
    if (f->scroll + area < (int)nl && framed)
        draw_glyph(win, w->y + w->h - 1, w->x + w->w - 3, GLYPH_SORT_DOWN, theme_attr(ROLE_BORDER));
    free(lines);
    if (err_rows)
        draw_text(win, y0 + h - 2, x0, iw, f->error, TEXT_NUL, ROLE_ERROR, TEXT_ELLIPSIS);
    struct unit cur = unit_at(f, f->focus);
    int by = y0 + h - 1, bx = x0, n;
    n = draw_text(win, by, bx, iw, "[ OK ]", TEXT_NUL,
                  cur.field < 0 && cur.what == U_OK ? ROLE_BUTTON_FOCUS : ROLE_BUTTON, 0);
    if (n + 2 < iw)
        draw_text(win, by, bx + n + 2, iw - n - 2, "[ Cancel ]", TEXT_NUL,
                  cur.field < 0 && cur.what == U_CANCEL ? ROLE_BUTTON_FOCUS : ROLE_BUTTON, 0);
}

/* ---- keys ---- */

static int submit(struct form *f)
{
    set_msg(&f->error, NULL);
    if (form_validate(f) == 0)
        return WR_HANDLED | WR_SUBMIT | WR_REDRAW;
    for (size_t i = 0; i < f->nf; i++)
        if (f->f[i].error) {
            f->focus = first_unit_of(f, i);
            break;
        }
    return WR_HANDLED | WR_INVALID | WR_REDRAW;
}

static int open_record(struct form *f, size_t field, size_t index, bool is_new)
{
    struct field *fl = &f->f[field];
    f->child_backup = is_new ? NULL : form_clone(fl->records[index]);
    if (!is_new && !f->child_backup)
        return WR_HANDLED; /* out of memory: don't open what can't be cancelled */
    f->child = fl->records[index];
    f->child_field = field;
    f->child_index = index;
    f->child->focus = 0;
    return WR_HANDLED | WR_REDRAW;
}

static int child_key(struct form *f, int key)
{
    int r = widget_handle(&f->child->base, key);
    struct field *fl = &f->f[f->child_field];
    if (r & WR_SUBMIT) {
        form_delete(f->child_backup);
        f->child_backup = NULL;
        f->child = NULL;
        check_field(fl);
        return WR_HANDLED | WR_REDRAW | WR_CHANGED;
    }
    if (r & WR_CANCEL) {
        size_t i = f->child_index;
        if (f->child_backup) {
            form_delete(fl->records[i]);
            fl->records[i] = f->child_backup;
        } else { /* a new record: drop it */
            form_delete(fl->records[i]);
            memmove(&fl->records[i], &fl->records[i + 1],
                    (fl->nitems - i - 1) * sizeof *fl->records);
            fl->nitems--;
            if (f->focus >= unit_count(f))
                f->focus = unit_count(f) - 1;
        }
        f->child_backup = NULL;
        f->child = NULL;
        return WR_HANDLED | WR_REDRAW;
    }
    return (r & (WR_REDRAW | WR_CHANGED)) | WR_HANDLED;
}

static int add_item(struct form *f, struct unit u)
{
    struct field *fl = &f->f[u.field];
    if (full(fl)) {
        char m[64];
        snprintf(m, sizeof m, "At most %zu.", fl->max_items);
        set_msg(&fl->error, m);
        return WR_HANDLED | WR_REDRAW;
    }
    size_t base = first_unit_of(f, (size_t)u.field);
    if (fl->kind == F_RECORDS) {
        if (!records_insert(fl, fl->make(fl->vctx)))
            return WR_HANDLED;
        f->focus = base + fl->nitems - 1;
        return open_record(f, (size_t)u.field, fl->nitems - 1, true) | WR_CHANGED;
    }
    const char *t[2] = {"", ""};
    if (items_insert(fl, fl->nitems, t) < 0)
        return WR_HANDLED;
    f->focus = base + (fl->kind == F_MAP ? 2 * (fl->nitems - 1) : fl->nitems - 1);
    return WR_HANDLED | WR_REDRAW | WR_CHANGED;
}

static int delete_item(struct form *f, struct unit u)
{
    struct field *fl = &f->f[u.field];
    if (!editable(fl) ||
        (u.what != U_ITEM && u.what != U_KEY && u.what != U_MAPVALUE && u.what != U_RECORD))
        return WR_HANDLED;
    size_t i = u.sub;
    if (fl->kind == F_RECORDS) {
        form_delete(fl->records[i]);
        memmove(&fl->records[i], &fl->records[i + 1], (fl->nitems - i - 1) * sizeof *fl->records);
    } else {
        size_t per = fl->kind == F_MAP ? 2 : 1;
        for (size_t k = 0; k < per; k++)
            edit_free(&fl->items[i * per + k]);
        memmove(&fl->items[i * per], &fl->items[(i + 1) * per],
                (fl->nitems - i - 1) * per * sizeof *fl->items);
    }
    fl->nitems--;
    size_t base = first_unit_of(f, (size_t)u.field);
    size_t per = fl->kind == F_MAP ? 2 : 1;
    f->focus = base + (i < fl->nitems ? i : fl->nitems) * per;
    return WR_HANDLED | WR_REDRAW | WR_CHANGED;
}

static int move_item(struct form *f, struct unit u, int dir)
{
    struct field *fl = &f->f[u.field];
    if (!editable(fl) ||
        (u.what != U_ITEM && u.what != U_RECORD && u.what != U_KEY && u.what != U_MAPVALUE))
        return WR_HANDLED;
    size_t i = u.sub;
    if ((dir < 0 && i == 0) || (dir > 0 && i + 1 >= fl->nitems))
        return WR_HANDLED;
    size_t j = dir < 0 ? i - 1 : i + 1;
    if (fl->kind == F_RECORDS) {
        struct form *t = fl->records[i];
        fl->records[i] = fl->records[j];
        fl->records[j] = t;
    } else {
        size_t per = fl->kind == F_MAP ? 2 : 1;
        for (size_t k = 0; k < per; k++) {
            struct line_edit t = fl->items[i * per + k];
            fl->items[i * per + k] = fl->items[j * per + k];
            fl->items[j * per + k] = t;
        }
    }
    size_t per = fl->kind == F_MAP ? 2 : 1;
    f->focus = f->focus - i * per + j * per;
    return WR_HANDLED | WR_REDRAW | WR_CHANGED;
}

static int form_handle_key(struct form *f, int key);

static int form_handle(struct widget *w, int key)
{
    struct form *f = (struct form *)w;
    if (!f->baseline_taken) {
        f->baseline = form_clone(f); /* NULL when out of memory: key_changed answers */
        f->baseline_taken = true;
    }
    int r = form_handle_key(f, key);
    if (r & WR_CHANGED)
        f->key_changed = true;
    return r;
}

/* Whether two forms of the same shape hold the same values (records
 * compared value by value, recursively). */
static bool same_values(const struct form *a, const struct form *b)
{
    if (a->nf != b->nf)
        return false;
    for (size_t i = 0; i < a->nf; i++) {
        const struct field *x = &a->f[i], *y = &b->f[i];
        if (x->kind != y->kind || x->nitems != y->nitems)
            return false;
        switch (x->kind) {
        case F_TEXT:
        case F_SECRET:
            if (strcmp(x->edit.buf, y->edit.buf) != 0)
                return false;
            break;
        case F_BOOL:
            if (x->b != y->b)
                return false;
            break;
        case F_CHOICE:
            if (x->choice != y->choice)
                return false;
            break;
        case F_LIST:
        case F_MAP:
            for (size_t k = 0; k < x->nitems * (x->kind == F_MAP ? 2 : 1); k++)
                if (strcmp(x->items[k].buf, y->items[k].buf) != 0)
                    return false;
            break;
        case F_RECORDS:
            for (size_t k = 0; k < x->nitems; k++)
                if (!same_values(x->records[k], y->records[k]))
                    return false;
            break;
        }
    }
    return true;
}

bool form_modified(const struct form *f)
{
    if (!f->baseline_taken)
        return false; /* no key yet: nothing was edited */
    if (!f->baseline)
        return f->key_changed;
    return !same_values(f, f->baseline);
}

static int form_handle_key(struct form *f, int key)
{
    if (f->child)
        return child_key(f, key);
    size_t n = unit_count(f);
    if (f->focus >= n)
        f->focus = n - 1;
    struct unit u = unit_at(f, f->focus);
    struct field *fl = u.field >= 0 ? &f->f[u.field] : NULL;
    switch (key) {
    case WKEY_ESC:
        return WR_HANDLED | WR_CANCEL;
    case WKEY_FN(KEY_F(10)):
    case WKEY_CTRL('s'):
        return submit(f);
    case '\t':
    case WKEY_FN(KEY_DOWN):
        return focus_to(f, (f->focus + 1) % n);
    case WKEY_FN(KEY_BTAB):
    case WKEY_FN(KEY_UP):
        return focus_to(f, (f->focus + n - 1) % n);
    case WKEY_CTRL('d'):
        return fl ? delete_item(f, u) : WR_HANDLED;
    case WKEY_FN(KEY_SR):
        return fl ? move_item(f, u, -1) : WR_HANDLED;
    case WKEY_FN(KEY_SF):
        return fl ? move_item(f, u, 1) : WR_HANDLED;
    default:
        break;
    }
    if (!fl) { /* buttons */
        if (key == WKEY_FN(KEY_LEFT) || key == WKEY_FN(KEY_RIGHT))
            return focus_to(f, u.what == U_OK ? n - 1 : n - 2);
        if (key == '\n' || key == ' ')
            return u.what == U_OK ? submit(f) : WR_HANDLED | WR_CANCEL;
        return WR_HANDLED;
    }
    if (u.what == U_ADD) {
        if (key == '\n' || key == ' ')
            return add_item(f, u);
        return WR_HANDLED;
    }
    if (u.what == U_RECORD) {
        if (key == '\n' || key == ' ')
            return open_record(f, (size_t)u.field, u.sub, false);
        if (key == WKEY_FN(KEY_DC))
            return delete_item(f, u);
        return WR_HANDLED;
    }
    if (fl->kind == F_BOOL) {
        if ((key == '\n' || key == ' ') && editable(fl)) {
            fl->b = !fl->b;
            return WR_HANDLED | WR_REDRAW | WR_CHANGED;
        }
        return WR_HANDLED;
    }
    if (fl->kind == F_CHOICE) {
        int d = key == ' ' || key == '\n' || key == WKEY_FN(KEY_RIGHT) ? 1
                : key == WKEY_FN(KEY_LEFT)                             ? -1
                                                                       : 0;
        if (d && editable(fl)) {
            fl->choice =
                (fl->choice + fl->nchoices + (size_t)(d > 0 ? 1 : fl->nchoices - 1)) % fl->nchoices;
            return WR_HANDLED | WR_REDRAW | WR_CHANGED;
        }
        return WR_HANDLED;
    }
    /* a text unit */
    if (key == '\n')
        return focus_to(f, (f->focus + 1) % n);
    struct line_edit *e = unit_edit(f, u);
    if (!e || !editable(fl))
        return WR_HANDLED;
    int r = edit_handle(e, key);
    if (r & WR_CHANGED && fl->error) {
        /* typing clears a stale message; the check runs again on leaving */
        set_msg(&fl->error, NULL);
    }
    return r ? r : WR_HANDLED;
}

static const struct widget_class form_class = {
    .name = "form",
    .draw = form_draw,
    .handle = form_handle,
    .del = form_del,
};
