/* widgets/form.c — forms (see form.h).
 *
 * Each kind of field is a small const class (struct field_class below):
 * what its focus units are, the lines it takes, how a line is drawn, what a
 * key does on it, how it is checked, cloned, compared and freed. The form
 * itself only walks fields and units; it never switches on the kind. */
#include "widgets/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "widgets/edit.h"
#include "widgets/text.h"

struct field;
struct field_class;

struct field {
    const struct field_class *cls;
    char *key, *label, *hint, *error;
    unsigned flags;
    form_validator validate; /* text/secret: the value; list: each item; map: each key */
    void *vctx;
    struct line_edit edit; /* text, secret */
    bool b;                /* bool */
    char **choices;        /* choice */
    size_t nchoices, choice;
    /* list: items[i]; map: items[2i] key, items[2i+1] value */
    struct line_edit *items;
    size_t nitems, max_items;
    struct form **records; /* records */
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
    bool owner_keys; /* form_set_owner_keys */
};

/* What the focus is on within a field. */
enum unit_what { U_VALUE, U_ITEM, U_KEY, U_MAPVALUE, U_RECORD, U_ADD, U_OK, U_CANCEL };

struct unit {
    int field; /* -1: a button */
    size_t sub;
    enum unit_what what;
};

enum line_kind { L_VALUE, L_ERROR, L_HINT };

struct line {
    enum line_kind kind;
    int field;
    size_t unit; /* first unit on the line (map lines hold two); (size_t)-1: none */
    size_t sub;
    enum unit_what what;
};

/* Where a line is drawn and what it looks like. */
struct place {
    WINDOW *win;
    int y, x, w; /* the value column */
    bool focused;
};

struct field_class {
    /* Focus units of the field (0 for a read-only empty collection). */
    size_t (*units)(const struct field *fl);
    /* Unit u (< units) of the field: what it is and which item. */
    struct unit (*unit)(const struct field *fl, size_t u);
    /* The value lines of the field, its first unit being `u`. Returns the
     * count; fills at most max lines of out. */
    size_t (*layout)(const struct field *fl, int field, size_t u, struct line *out, size_t max);
    /* Draws one value line; sets the form's cursor when the focus is on it. */
    void (*draw)(struct form *f, const struct field *fl, const struct line *l,
                 const struct place *p);
    /* A key on unit u of an editable field. WR_* flags; WR_HANDLED at least. */
    int (*key)(struct form *f, struct field *fl, struct unit u, int key);
    /* Why the value is refused (into msg), or NULL. Required-ness is checked
     * by the caller's class too. */
    const char *(*check)(struct field *fl, char *msg, size_t cap);
    /* Adds a copy of src to dst. The field index, or -1. */
    int (*clone)(struct form *dst, const struct field *src);
    bool (*equal)(const struct field *x, const struct field *y);
    void (*free)(struct field *fl);
};

static const struct widget_class form_class;
static const struct field_class text_class, secret_class, bool_class, choice_class, list_class,
    map_class, records_class;

static int focus_to(struct form *f, size_t unit);
static int open_record(struct form *f, size_t field, size_t index, bool is_new);
static struct form *form_clone(const struct form *src);

static void set_msg(char **slot, const char *m)
{
    free(*slot);
    *slot = m ? strdup(m) : NULL;
}

static bool editable(const struct field *fl)
{
    return !(fl->flags & FORM_READONLY);
}

static bool full(const struct field *fl)
{
    return fl->max_items && fl->nitems >= fl->max_items;
}

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
    fl->cls->free(fl);
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

static struct field *field_of(const struct form *f, const char *key, const struct field_class *cls)
{
    int i = form_field_index(f, key);
    if (i < 0 || (cls && f->f[i].cls != cls))
        return NULL;
    return &f->f[i];
}

static bool is_text(const struct field *fl)
{
    return fl->cls == &text_class || fl->cls == &secret_class;
}

static struct field *add_field(struct form *f, const struct field_class *cls, const char *key,
                               const char *label, unsigned flags)
{
    if (!key || form_field_index(f, key) >= 0)
        return NULL;
    struct field *n = realloc(f->f, (f->nf + 1) * sizeof *n);
    if (!n)
        return NULL;
    f->f = n;
    struct field *fl = &f->f[f->nf];
    memset(fl, 0, sizeof *fl);
    fl->cls = cls;
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

/* Drops the field just added (its setup failed). */
static int drop_last(struct form *f)
{
    f->nf--;
    field_free(&f->f[f->nf]);
    return -1;
}

static int add_textlike(struct form *f, const struct field_class *cls, const char *key,
                        const char *label, const char *value, unsigned flags, form_validator v,
                        void *vctx)
{
    struct field *fl = add_field(f, cls, key, label, flags);
    if (!fl)
        return -1;
    fl->validate = v;
    fl->vctx = vctx;
    if (edit_init(&fl->edit, value) < 0)
        return drop_last(f);
    fl->edit.secret = cls == &secret_class;
    return (int)f->nf - 1;
}

int form_add_text(struct form *f, const char *key, const char *label, const char *value,
                  unsigned flags, form_validator validate, void *vctx)
{
    return add_textlike(f, &text_class, key, label, value, flags, validate, vctx);
}

int form_add_secret(struct form *f, const char *key, const char *label, const char *value,
                    unsigned flags, form_validator validate, void *vctx)
{
    return add_textlike(f, &secret_class, key, label, value, flags, validate, vctx);
}

int form_add_bool(struct form *f, const char *key, const char *label, bool value)
{
    struct field *fl = add_field(f, &bool_class, key, label, 0);
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
    struct field *fl = add_field(f, &choice_class, key, label, 0);
    if (!fl)
        return -1;
    if (!(fl->choices = calloc(nchoices, sizeof *fl->choices)))
        return drop_last(f);
    for (size_t i = 0; i < nchoices; i++) {
        if (!(fl->choices[i] = strdup(choices[i] ? choices[i] : "")))
            return drop_last(f);
        fl->nchoices = i + 1;
    }
    fl->choice = selected < nchoices ? selected : 0;
    return (int)f->nf - 1;
}

static int add_collection(struct form *f, const struct field_class *cls, const char *key,
                          const char *label, unsigned flags, size_t max_items, form_validator v,
                          void *vctx)
{
    struct field *fl = add_field(f, cls, key, label, flags);
    if (!fl)
        return -1;
    fl->max_items = max_items;
    fl->validate = v;
    fl->vctx = vctx;
    return (int)f->nf - 1;
}

int form_add_list(struct form *f, const char *key, const char *label, unsigned flags,
                  size_t max_items, form_validator validate, void *vctx)
{
    return add_collection(f, &list_class, key, label, flags, max_items, validate, vctx);
}

int form_add_map(struct form *f, const char *key, const char *label, unsigned flags,
                 size_t max_items, form_validator validate_key, void *vctx)
{
    return add_collection(f, &map_class, key, label, flags, max_items, validate_key, vctx);
}

int form_add_records(struct form *f, const char *key, const char *label, unsigned flags,
                     size_t max_items, form_record_maker make, form_record_summary summary,
                     void *ctx)
{
    if (!make)
        return -1;
    int i = add_collection(f, &records_class, key, label, flags, max_items, NULL, ctx);
    if (i >= 0) {
        f->f[i].make = make;
        f->f[i].summary = summary;
    }
    return i;
}

void form_set_hint(struct form *f, const char *key, const char *hint)
{
    struct field *fl = field_of(f, key, NULL);
    if (fl)
        set_msg(&fl->hint, hint);
}

/* ---- values ---- */

int form_set_text(struct form *f, const char *key, const char *value)
{
    struct field *fl = field_of(f, key, NULL);
    if (!fl || !is_text(fl))
        return -1;
    return edit_set(&fl->edit, value ? value : "");
}

int form_set_bool(struct form *f, const char *key, bool value)
{
    struct field *fl = field_of(f, key, &bool_class);
    if (!fl)
        return -1;
    fl->b = value;
    return 0;
}

int form_set_choice(struct form *f, const char *key, size_t index)
{
    struct field *fl = field_of(f, key, &choice_class);
    if (!fl || index >= fl->nchoices)
        return -1;
    fl->choice = index;
    return 0;
}

/* Editors per list item (1) or map entry (2). */
static size_t per_item(const struct field *fl)
{
    return fl->cls == &map_class ? 2 : 1;
}

/* Inserts a list item / map entry with texts[] at item index `at`. */
static int items_insert(struct field *fl, size_t at, const char *const *texts)
{
    size_t per = per_item(fl);
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
    struct field *fl = field_of(f, key, &list_class);
    const char *t[1] = {value ? value : ""};
    return fl ? items_insert(fl, fl->nitems, t) : -1;
}

int form_map_append(struct form *f, const char *key, const char *k, const char *v)
{
    struct field *fl = field_of(f, key, &map_class);
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
    struct field *fl = field_of(f, key, &records_class);
    return fl ? records_insert(fl, fl->make(fl->vctx)) : NULL;
}

const char *form_text(const struct form *f, const char *key)
{
    struct field *fl = field_of(f, key, NULL);
    if (!fl)
        return NULL;
    if (is_text(fl))
        return fl->edit.buf;
    if (fl->cls == &choice_class)
        return fl->choices[fl->choice];
    if (fl->cls == &bool_class)
        return fl->b ? "yes" : "no";
    return NULL;
}

bool form_bool(const struct form *f, const char *key)
{
    struct field *fl = field_of(f, key, &bool_class);
    return fl && fl->b;
}

size_t form_choice(const struct form *f, const char *key)
{
    struct field *fl = field_of(f, key, &choice_class);
    return fl ? fl->choice : 0;
}

size_t form_count(const struct form *f, const char *key)
{
    struct field *fl = field_of(f, key, NULL);
    return fl && (fl->cls == &list_class || fl->cls == &map_class || fl->cls == &records_class)
               ? fl->nitems
               : 0;
}

const char *form_list_item(const struct form *f, const char *key, size_t i)
{
    struct field *fl = field_of(f, key, &list_class);
    return fl && i < fl->nitems ? fl->items[i].buf : NULL;
}

const char *form_map_key(const struct form *f, const char *key, size_t i)
{
    struct field *fl = field_of(f, key, &map_class);
    return fl && i < fl->nitems ? fl->items[2 * i].buf : NULL;
}

const char *form_map_value(const struct form *f, const char *key, size_t i)
{
    struct field *fl = field_of(f, key, &map_class);
    return fl && i < fl->nitems ? fl->items[2 * i + 1].buf : NULL;
}

struct form *form_record(const struct form *f, const char *key, size_t i)
{
    struct field *fl = field_of(f, key, &records_class);
    return fl && i < fl->nitems ? fl->records[i] : NULL;
}

void form_set_error(struct form *f, const char *key, const char *message)
{
    if (!key) {
        set_msg(&f->error, message);
        return;
    }
    struct field *fl = field_of(f, key, NULL);
    if (fl)
        set_msg(&fl->error, message);
}

const char *form_error(const struct form *f, const char *key)
{
    if (!key)
        return f->error;
    struct field *fl = field_of(f, key, NULL);
    return fl ? fl->error : NULL;
}

/* ---- units: what the focus moves over ---- */

static size_t unit_count(const struct form *f)
{
    size_t n = 2; /* OK, Cancel */
    for (size_t i = 0; i < f->nf; i++)
        n += f->f[i].cls->units(&f->f[i]);
    return n;
}

static struct unit unit_at(const struct form *f, size_t u)
{
    for (size_t i = 0; i < f->nf; i++) {
        const struct field *fl = &f->f[i];
        size_t n = fl->cls->units(fl);
        if (u < n) {
            struct unit r = fl->cls->unit(fl, u);
            r.field = (int)i;
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
        u += f->f[i].cls->units(&f->f[i]);
    return u;
}

/* The editor a unit types into, or NULL. */
static struct line_edit *unit_edit(struct form *f, struct unit u)
{
    if (u.field < 0)
        return NULL;
    struct field *fl = &f->f[u.field];
    switch (u.what) {
    case U_VALUE:
        return is_text(fl) ? &fl->edit : NULL;
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
    set_msg(&fl->error, fl->cls->check(fl, msg, sizeof msg));
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

/* Lines of the fields area, in order. Returns the count; fills at most max. */
static size_t layout(const struct form *f, struct line *out, size_t max)
{
    size_t n = 0, u = 0;
    for (size_t i = 0; i < f->nf; i++) {
        const struct field *fl = &f->f[i];
        n += fl->cls->layout(fl, (int)i, u, n < max ? out + n : NULL, n < max ? max - n : 0);
        if (fl->error) {
            if (n < max)
                out[n] = (struct line){L_ERROR, (int)i, (size_t)-1, 0, U_VALUE};
            n++;
        }
        if (fl->hint) {
            if (n < max)
                out[n] = (struct line){L_HINT, (int)i, (size_t)-1, 0, U_VALUE};
            n++;
        }
        u += fl->cls->units(fl);
    }
    return n;
}

static void put_line(struct line *out, size_t max, size_t n, struct line l)
{
    if (out && n < max)
        out[n] = l;
}

/* An editor drawn in the value column: the focused one scrolls to its
 * cursor; the others show their start, with an ellipsis when cut, so a long
 * value never looks like its own end. */
static void draw_edit(struct form *f, const struct field *fl, struct line_edit *e, WINDOW *win,
                      int y, int x, int w, bool focused)
{
    attr_t in = theme_attr(focused ? ROLE_INPUT_FOCUS : editable(fl) ? ROLE_INPUT : ROLE_DIM);
    if (focused && editable(fl)) {
        int cx = edit_draw(e, win, y, x, w, in);
        f->base.cursor_on = true;
        f->base.cursor_y = y;
        f->base.cursor_x = cx;
        return;
    }
    edit_draw_idle(e, win, y, x, w, in);
}

/* ---- text and secret ---- */

static size_t one_unit(const struct field *fl)
{
    (void)fl;
    return 1;
}

static struct unit value_unit(const struct field *fl, size_t u)
{
    (void)fl;
    (void)u;
    return (struct unit){0, 0, U_VALUE};
}

static size_t value_layout(const struct field *fl, int field, size_t u, struct line *out,
                           size_t max)
{
    (void)fl;
    put_line(out, max, 0, (struct line){L_VALUE, field, u, 0, U_VALUE});
    return 1;
}

static void text_draw(struct form *f, const struct field *fl, const struct line *l,
                      const struct place *p)
{
    (void)l;
    draw_edit(f, fl, (struct line_edit *)&fl->edit, p->win, p->y, p->x, p->w, p->focused);
}

static int edit_key(struct form *f, struct field *fl, struct line_edit *e, int key)
{
    (void)f;
    int r = edit_handle(e, key);
    if ((r & WR_CHANGED) && fl->error)
        set_msg(&fl->error, NULL); /* typing clears a stale message; leaving checks again */
    return r ? r : WR_HANDLED;
}

static int text_key(struct form *f, struct field *fl, struct unit u, int key)
{
    (void)u;
    return edit_key(f, fl, &fl->edit, key);
}

static const char *text_check(struct field *fl, char *msg, size_t cap)
{
    (void)msg;
    (void)cap;
    if ((fl->flags & FORM_REQUIRED) && !fl->edit.buf[0])
        return "Required.";
    if (fl->validate && (fl->edit.buf[0] || (fl->flags & FORM_REQUIRED)))
        return fl->validate(fl->vctx, fl->edit.buf);
    return NULL;
}

static int text_clone(struct form *dst, const struct field *s)
{
    return add_textlike(dst, s->cls, s->key, s->label, s->edit.buf, s->flags, s->validate, s->vctx);
}

static bool text_equal(const struct field *x, const struct field *y)
{
    return strcmp(x->edit.buf, y->edit.buf) == 0;
}

static void text_free(struct field *fl)
{
    if (fl->edit.buf)
        edit_free(&fl->edit);
}

static const struct field_class text_class = {
    one_unit,   value_unit, value_layout, text_draw, text_key,
    text_check, text_clone, text_equal,   text_free,
};
static const struct field_class secret_class = {
    one_unit,   value_unit, value_layout, text_draw, text_key,
    text_check, text_clone, text_equal,   text_free,
};

/* ---- bool ---- */

static void bool_draw(struct form *f, const struct field *fl, const struct line *l,
                      const struct place *p)
{
    (void)f;
    (void)l;
    attr_t in = theme_attr(p->focused ? ROLE_INPUT_FOCUS : ROLE_INPUT);
    draw_text_attr(p->win, p->y, p->x, p->w, fl->b ? "[x]" : "[ ]", TEXT_NUL, in, 0);
}

static int bool_key(struct form *f, struct field *fl, struct unit u, int key)
{
    (void)u;
    if (key == '\n' || key == ' ') {
        fl->b = !fl->b;
        return WR_HANDLED | WR_REDRAW | WR_CHANGED;
    }
    (void)f;
    return WR_HANDLED;
}

static const char *no_check(struct field *fl, char *msg, size_t cap)
{
    (void)fl;
    (void)msg;
    (void)cap;
    return NULL;
}

static int bool_clone(struct form *dst, const struct field *s)
{
    return form_add_bool(dst, s->key, s->label, s->b);
}

static bool bool_equal(const struct field *x, const struct field *y)
{
    return x->b == y->b;
}

static void nothing_to_free(struct field *fl)
{
    (void)fl;
}

static const struct field_class bool_class = {
    one_unit, value_unit, value_layout, bool_draw,       bool_key,
    no_check, bool_clone, bool_equal,   nothing_to_free,
};

/* ---- choice ---- */

static void choice_draw(struct form *f, const struct field *fl, const struct line *l,
                        const struct place *p)
{
    (void)f;
    (void)l;
    attr_t in = theme_attr(p->focused ? ROLE_INPUT_FOCUS : ROLE_INPUT);
    int n = draw_text_attr(p->win, p->y, p->x, p->w, "< ", TEXT_NUL, in, 0);
    n += draw_text_attr(p->win, p->y, p->x + n, p->w - n - 2, fl->choices[fl->choice], TEXT_NUL, in,
                        TEXT_ELLIPSIS);
    draw_text_attr(p->win, p->y, p->x + n, p->w - n, " >", TEXT_NUL, in, 0);
}

static int choice_key(struct form *f, struct field *fl, struct unit u, int key)
{
    (void)f;
    (void)u;
    int d = key == ' ' || key == '\n' || key == WKEY_FN(KEY_RIGHT) ? 1
            : key == WKEY_FN(KEY_LEFT)                             ? -1
                                                                   : 0;
    if (!d)
        return WR_HANDLED;
    fl->choice = (fl->choice + (d > 0 ? 1 : fl->nchoices - 1)) % fl->nchoices;
    return WR_HANDLED | WR_REDRAW | WR_CHANGED;
}

static int choice_clone(struct form *dst, const struct field *s)
{
    return form_add_choice(dst, s->key, s->label, (const char *const *)s->choices, s->nchoices,
                           s->choice);
}

static bool choice_equal(const struct field *x, const struct field *y)
{
    return x->choice == y->choice;
}

static void choice_free(struct field *fl)
{
    for (size_t i = 0; i < fl->nchoices; i++)
        free(fl->choices[i]);
    free(fl->choices);
}

static const struct field_class choice_class = {
    one_unit, value_unit,   value_layout, choice_draw, choice_key,
    no_check, choice_clone, choice_equal, choice_free,
};

/* ---- collections: what list, map and records share ---- */

/* The "[+ add]" line (or "(none)" for an empty read-only one). */
static void add_draw(const struct field *fl, const struct line *l, const struct place *p)
{
    if (l->unit == (size_t)-1) {
        draw_text(p->win, p->y, p->x, p->w, "(none)", TEXT_NUL, ROLE_DIM, 0);
        return;
    }
    draw_text(p->win, p->y, p->x, p->w, full(fl) ? "[+ add] (full)" : "[+ add]", TEXT_NUL,
              p->focused ? ROLE_BUTTON_FOCUS : ROLE_BUTTON, 0);
}

static int add_item(struct form *f, struct field *fl, size_t field)
{
    if (full(fl)) {
        char m[64];
        snprintf(m, sizeof m, "At most %zu.", fl->max_items);
        set_msg(&fl->error, m);
        return WR_HANDLED | WR_REDRAW;
    }
    size_t base = first_unit_of(f, field);
    if (fl->cls == &records_class) {
        if (!records_insert(fl, fl->make(fl->vctx)))
            return WR_HANDLED;
        f->focus = base + fl->nitems - 1;
        return open_record(f, field, fl->nitems - 1, true) | WR_CHANGED;
    }
    const char *t[2] = {"", ""};
    if (items_insert(fl, fl->nitems, t) < 0)
        return WR_HANDLED;
    f->focus = base + (fl->nitems - 1) * per_item(fl);
    return WR_HANDLED | WR_REDRAW | WR_CHANGED;
}

/* Item checks of a list or map: required, then the validator on each item
 * (a map: on each key, which must not be empty). */
static const char *items_check(struct field *fl, char *msg, size_t cap)
{
    if ((fl->flags & FORM_REQUIRED) && fl->nitems == 0)
        return "Add at least one.";
    for (size_t i = 0; i < fl->nitems; i++) {
        const char *v = fl->items[i * per_item(fl)].buf, *m = NULL;
        if (fl->cls == &map_class && !v[0])
            m = "the key is empty";
        else if (fl->validate)
            m = fl->validate(fl->vctx, v);
        if (m) {
            snprintf(msg, cap, "Item %zu: %s", i + 1, m);
            return msg;
        }
    }
    return NULL;
}

static bool items_equal(const struct field *x, const struct field *y)
{
    if (x->nitems != y->nitems)
        return false;
    for (size_t k = 0; k < x->nitems * per_item(x); k++)
        if (strcmp(x->items[k].buf, y->items[k].buf) != 0)
            return false;
    return true;
}

static void items_free(struct field *fl)
{
    for (size_t i = 0; i < fl->nitems * per_item(fl); i++)
        edit_free(&fl->items[i]);
    free(fl->items);
}

static int items_clone(struct form *dst, const struct field *s)
{
    int rc =
        add_collection(dst, s->cls, s->key, s->label, s->flags, s->max_items, s->validate, s->vctx);
    for (size_t k = 0; rc >= 0 && k < s->nitems; k++) {
        const char *t[2] = {s->items[k * per_item(s)].buf,
                            s->cls == &map_class ? s->items[2 * k + 1].buf : ""};
        if (items_insert(&dst->f[rc], k, t) < 0)
            rc = -1;
    }
    return rc;
}

/* ---- list ---- */

static size_t list_units(const struct field *fl)
{
    return fl->nitems + (editable(fl) ? 1 : 0);
}

static struct unit list_unit(const struct field *fl, size_t u)
{
    return (struct unit){0, u, u < fl->nitems ? U_ITEM : U_ADD};
}

static size_t list_layout(const struct field *fl, int field, size_t u, struct line *out, size_t max)
{
    size_t nu = fl->cls->units(fl);
    for (size_t k = 0; k < nu; k++)
        put_line(out, max, k, (struct line){L_VALUE, field, u + k, k, fl->cls->unit(fl, k).what});
    if (nu == 0)
        put_line(out, max, 0, (struct line){L_VALUE, field, (size_t)-1, 0, U_ADD});
    return nu ? nu : 1;
}

static void list_draw(struct form *f, const struct field *fl, const struct line *l,
                      const struct place *p)
{
    if (l->what == U_ADD)
        add_draw(fl, l, p);
    else
        draw_edit(f, fl, &fl->items[l->sub], p->win, p->y, p->x, p->w, p->focused);
}

static int list_key(struct form *f, struct field *fl, struct unit u, int key)
{
    if (u.what == U_ADD)
        return key == '\n' || key == ' ' ? add_item(f, fl, (size_t)u.field) : WR_HANDLED;
    if (key == '\n')
        return focus_to(f, f->focus + 1);
    return edit_key(f, fl, unit_edit(f, u), key);
}

static const struct field_class list_class = {
    list_units,  list_unit,   list_layout, list_draw,  list_key,
    items_check, items_clone, items_equal, items_free,
};

/* ---- map ---- */

static size_t map_units(const struct field *fl)
{
    return fl->nitems * 2 + (editable(fl) ? 1 : 0);
}

static struct unit map_unit(const struct field *fl, size_t u)
{
    if (u >= fl->nitems * 2)
        return (struct unit){0, 0, U_ADD};
    return (struct unit){0, u / 2, u % 2 ? U_MAPVALUE : U_KEY};
}

static size_t map_layout(const struct field *fl, int field, size_t u, struct line *out, size_t max)
{
    size_t n = 0;
    for (size_t k = 0; k < fl->nitems; k++, n++)
        put_line(out, max, n, (struct line){L_VALUE, field, u + 2 * k, k, U_KEY});
    if (editable(fl))
        put_line(out, max, n++, (struct line){L_VALUE, field, u + 2 * fl->nitems, 0, U_ADD});
    if (n == 0)
        put_line(out, max, n++, (struct line){L_VALUE, field, (size_t)-1, 0, U_ADD});
    return n;
}

static void map_draw(struct form *f, const struct field *fl, const struct line *l,
                     const struct place *p)
{
    if (l->what == U_ADD) {
        add_draw(fl, l, p);
        return;
    }
    int kw = (p->w - 3) / 2;
    bool kf = f->focus == l->unit, vf = f->focus == l->unit + 1;
    draw_edit(f, fl, &fl->items[2 * l->sub], p->win, p->y, p->x, kw, kf);
    draw_text(p->win, p->y, p->x + kw, 3, " = ", TEXT_NUL, ROLE_NORMAL, 0);
    draw_edit(f, fl, &fl->items[2 * l->sub + 1], p->win, p->y, p->x + kw + 3, p->w - kw - 3, vf);
}

static const struct field_class map_class = {
    map_units,   map_unit,    map_layout,  map_draw,   list_key,
    items_check, items_clone, items_equal, items_free,
};

/* ---- records ---- */

static struct unit records_unit(const struct field *fl, size_t u)
{
    return (struct unit){0, u, u < fl->nitems ? U_RECORD : U_ADD};
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

static void records_draw(struct form *f, const struct field *fl, const struct line *l,
                         const struct place *p)
{
    (void)f;
    if (l->what == U_ADD) {
        add_draw(fl, l, p);
        return;
    }
    char buf[512];
    enum theme_role r = p->focused ? ROLE_INPUT_FOCUS : ROLE_NORMAL;
    draw_fill(p->win, p->y, p->x, p->w, r);
    int n = draw_text(p->win, p->y, p->x, 2, theme_glyph(GLYPH_POINTER), TEXT_NUL, r, 0) + 1;
    draw_text(p->win, p->y, p->x + n, p->w - n,
              summary_of(fl, fl->records[l->sub], buf, sizeof buf), TEXT_NUL, r, TEXT_ELLIPSIS);
}

static int delete_item(struct form *f, struct unit u);

static int records_key(struct form *f, struct field *fl, struct unit u, int key)
{
    if (u.what == U_ADD)
        return key == '\n' || key == ' ' ? add_item(f, fl, (size_t)u.field) : WR_HANDLED;
    if (key == '\n' || key == ' ')
        return open_record(f, (size_t)u.field, u.sub, false);
    if (key == WKEY_FN(KEY_DC))
        return delete_item(f, u);
    return WR_HANDLED;
}

static const char *records_check(struct field *fl, char *msg, size_t cap)
{
    if ((fl->flags & FORM_REQUIRED) && fl->nitems == 0)
        return "Add at least one.";
    for (size_t i = 0; i < fl->nitems; i++)
        if (form_validate(fl->records[i]) > 0) {
            snprintf(msg, cap, "Item %zu: incomplete: open it to see why", i + 1);
            return msg;
        }
    return NULL;
}

static int records_clone(struct form *dst, const struct field *s)
{
    int rc = form_add_records(dst, s->key, s->label, s->flags, s->max_items, s->make, s->summary,
                              s->vctx);
    for (size_t k = 0; rc >= 0 && k < s->nitems; k++)
        if (!records_insert(&dst->f[rc], form_clone(s->records[k])))
            rc = -1;
    return rc;
}

static bool same_values(const struct form *a, const struct form *b);

static bool records_equal(const struct field *x, const struct field *y)
{
    if (x->nitems != y->nitems)
        return false;
    for (size_t k = 0; k < x->nitems; k++)
        if (!same_values(x->records[k], y->records[k]))
            return false;
    return true;
}

static void records_free(struct field *fl)
{
    for (size_t i = 0; i < fl->nitems; i++)
        form_delete(fl->records[i]);
    free(fl->records);
}

static const struct field_class records_class = {
    list_units,    records_unit,  list_layout,   records_draw, records_key,
    records_check, records_clone, records_equal, records_free,
};

/* ---- a copy, to restore a record whose sub-form is cancelled ---- */

static struct form *form_clone(const struct form *src)
{
    struct form *f = form_new(src->title);
    if (!f)
        return NULL;
    f->owner_keys = src->owner_keys;
    for (size_t i = 0; i < src->nf; i++) {
        const struct field *s = &src->f[i];
        if (s->cls->clone(f, s) < 0) {
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

/* Whether two forms of the same shape hold the same values (records
 * compared value by value, recursively). */
static bool same_values(const struct form *a, const struct form *b)
{
    if (a->nf != b->nf)
        return false;
    for (size_t i = 0; i < a->nf; i++)
        if (a->f[i].cls != b->f[i].cls || !a->f[i].cls->equal(&a->f[i], &b->f[i]))
            return false;
    return true;
}

/* ---- drawing ---- */

static void draw_line(struct form *f, WINDOW *win, const struct line *l, int y, int x, int lw,
                      int vw, bool first_of_field)
{
    const struct field *fl = &f->f[l->field];
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
    struct place p = {win, y, vx, vw, l->unit == f->focus};
    fl->cls->draw(f, fl, l, &p);
}

static void form_draw(struct widget *w, WINDOW *win)
{
    struct form *f = (struct form *)w;
    w->cursor_on = false;
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
    f->child->owner_keys = f->owner_keys;
    f->child_field = field;
    f->child_index = index;
    f->child->focus = 0;
    return WR_HANDLED | WR_REDRAW;
}

/* What the open record's answer `r` means for its parent. */
static int child_result(struct form *f, int r)
{
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

static int delete_item(struct form *f, struct unit u)
{
    struct field *fl = &f->f[u.field];
    if (!editable(fl) ||
        (u.what != U_ITEM && u.what != U_KEY && u.what != U_MAPVALUE && u.what != U_RECORD))
        return WR_HANDLED;
    size_t i = u.sub;
    if (fl->cls == &records_class) {
        form_delete(fl->records[i]);
        memmove(&fl->records[i], &fl->records[i + 1], (fl->nitems - i - 1) * sizeof *fl->records);
    } else {
        size_t per = per_item(fl);
        for (size_t k = 0; k < per; k++)
            edit_free(&fl->items[i * per + k]);
        memmove(&fl->items[i * per], &fl->items[(i + 1) * per],
                (fl->nitems - i - 1) * per * sizeof *fl->items);
    }
    fl->nitems--;
    /* A message about the items goes with the item it was about: what is
     * said now is about the items that are left. */
    if (fl->error)
        check_field(fl);
    size_t base = first_unit_of(f, (size_t)u.field);
    f->focus = base + (i < fl->nitems ? i : fl->nitems) * per_item(fl);
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
    if (fl->cls == &records_class) {
        struct form *t = fl->records[i];
        fl->records[i] = fl->records[j];
        fl->records[j] = t;
    } else {
        size_t per = per_item(fl);
        for (size_t k = 0; k < per; k++) {
            struct line_edit t = fl->items[i * per + k];
            fl->items[i * per + k] = fl->items[j * per + k];
            fl->items[j * per + k] = t;
        }
    }
    f->focus = f->focus - i * per_item(fl) + j * per_item(fl);
    return WR_HANDLED | WR_REDRAW | WR_CHANGED;
}

/* F10, ^S, ^D, Shift-Up/Down: the owner's when form_set_owner_keys. */
static bool owner_key(int key)
{
    return key == WKEY_FN(KEY_F(10)) || key == WKEY_CTRL('s') || key == WKEY_CTRL('d') ||
           key == WKEY_FN(KEY_SR) || key == WKEY_FN(KEY_SF);
}

static int form_handle_key(struct form *f, int key)
{
    if (f->child)
        return child_result(f, widget_handle(&f->child->base, key));
    if (f->owner_keys && owner_key(key))
        return WR_IGNORED;
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
    if (is_text(fl) && key == '\n')
        return focus_to(f, (f->focus + 1) % n);
    /* A read-only field takes no edit; its records still open, to be read. */
    if (!editable(fl) && fl->cls != &records_class)
        return WR_HANDLED;
    return fl->cls->key(f, fl, u, key);
}

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

bool form_modified(const struct form *f)
{
    if (!f->baseline_taken)
        return false; /* no key yet: nothing was edited */
    if (!f->baseline)
        return f->key_changed;
    return !same_values(f, f->baseline);
}

/* The owner's key map runs these: the same as the keys, with the form's
 * baseline taken first (an edit by action is an edit). */
static int by_owner(struct form *f, int (*op)(struct form *f, int arg), int arg)
{
    if (!f->baseline_taken) {
        f->baseline = form_clone(f);
        f->baseline_taken = true;
    }
    int r = op(f, arg);
    if (r & WR_CHANGED)
        f->key_changed = true;
    return r;
}

static int op_submit(struct form *f, int arg)
{
    (void)arg;
    if (f->child)
        return child_result(f, op_submit(f->child, 0));
    return submit(f);
}

static int op_delete(struct form *f, int arg)
{
    (void)arg;
    if (f->child)
        return child_result(f, op_delete(f->child, 0));
    struct unit u = unit_at(f, f->focus);
    return u.field >= 0 ? delete_item(f, u) : WR_HANDLED;
}

static int op_move(struct form *f, int dir)
{
    if (f->child)
        return child_result(f, op_move(f->child, dir));
    struct unit u = unit_at(f, f->focus);
    return u.field >= 0 ? move_item(f, u, dir < 0 ? -1 : 1) : WR_HANDLED;
}

int form_submit(struct form *f)
{
    return by_owner(f, op_submit, 0);
}

int form_delete_item(struct form *f)
{
    return by_owner(f, op_delete, 0);
}

int form_move_item(struct form *f, int dir)
{
    return by_owner(f, op_move, dir);
}

void form_set_owner_keys(struct form *f, bool owner)
{
    f->owner_keys = owner;
}

static const struct widget_class form_class = {
    .name = "form",
    .draw = form_draw,
    .handle = form_handle,
    .del = form_del,
};
