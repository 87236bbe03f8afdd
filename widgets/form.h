/* widgets/form.h — forms: text (with validators), secret, boolean, choice,
 * list of strings, key/value map, list of records opened as sub-forms.
 *
 * Building: form_new, then form_add_* in display order (each returns the
 * field index, or -1 when out of memory or the key is taken), then the
 * setters to fill values. Every string is copied. The form draws a frame
 * with its title inside its placed rectangle and scrolls when taller.
 *
 * Focus moves over "units": a text/secret/bool/choice field, each list item,
 * each map key and value, each record, each "[+ add]" line, then the OK and
 * Cancel buttons. Keys:
 *   Tab, Down           next unit          Shift-Tab, Up   previous unit
 *   Enter               text: next unit; bool: toggle; OK: submit;
 *                       Cancel: cancel; "[+ add]": add an item (records:
 *                       open the new record); a record: open it
 *   Space               bool: toggle; choice: next choice
 *   Left, Right         choice: previous/next; text: move by character
 *   Home, End, ^A, ^E   text: line start/end
 *   Backspace, Del      text: delete the character before/under the cursor
 *   ^U                  text: clear
 *   ^D                  delete the focused list item, map entry or record
 *   Shift-Up/Down       move the focused list item or record up/down
 *   F10, ^S             submit from anywhere
 *   Esc                 cancel (in a sub-form: close it, discarding its edits)
 * Text editing works by character (a base with its combining marks) and
 * display width; a secret field is never drawn: it shows `********` once it
 * holds anything, and the cursor stays at its end.
 *
 * Submit: every required field must be non-empty (a collection: at least one
 * item) and every validator must accept its value. If any fails, the form
 * returns WR_INVALID | WR_REDRAW, shows each message under its field, moves
 * the focus to the first failure and changes no value. Otherwise WR_SUBMIT;
 * the owner reads the values and closes the form (or keeps it and calls
 * form_set_error with the service's error: it is shown above the buttons and
 * everything typed stays).
 *
 * Records: make_record (a data-supply callback) returns a new, empty
 * sub-form for one record; the form owns every record form. Enter opens a
 * record in place; its own OK (validated the same way) keeps the edits and
 * returns to the parent, Esc restores the record as it was (a new record is
 * dropped). A record is listed by its summary: the values of its first two
 * fields, or summary() when given.
 */
#ifndef WIDGETS_FORM_H
#define WIDGETS_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "widgets/widget.h"

#define FORM_REQUIRED 1u /* marked with '*', must not be empty */
#define FORM_READONLY 2u /* shown, focusable, not editable */

struct form;

/* NULL when value is fine, else a message (the form copies it at once).
 * Called on submit, and when the focus leaves the field. */
typedef const char *(*form_validator)(void *ctx, const char *value);
typedef struct form *(*form_record_maker)(void *ctx);
typedef const char *(*form_record_summary)(void *ctx, const struct form *record, char *buf,
                                           size_t cap);

struct form *form_new(const char *title);
struct widget *form_widget(struct form *f);
void form_delete(struct form *f);

int form_add_text(struct form *f, const char *key, const char *label, const char *value,
                  unsigned flags, form_validator validate, void *vctx);
int form_add_secret(struct form *f, const char *key, const char *label, const char *value,
                    unsigned flags, form_validator validate, void *vctx);
int form_add_bool(struct form *f, const char *key, const char *label, bool value);
/* choices are copied; selected is an index into them. */
int form_add_choice(struct form *f, const char *key, const char *label, const char *const *choices,
                    size_t nchoices, size_t selected);
/* max_items 0: no limit. validate applies to each item (map: to each key). */
int form_add_list(struct form *f, const char *key, const char *label, unsigned flags,
                  size_t max_items, form_validator validate, void *vctx);
int form_add_map(struct form *f, const char *key, const char *label, unsigned flags,
                 size_t max_items, form_validator validate_key, void *vctx);
int form_add_records(struct form *f, const char *key, const char *label, unsigned flags,
                     size_t max_items, form_record_maker make, form_record_summary summary,
                     void *ctx);

/* A help line shown dimmed under the field (e.g. "1-128 characters"). */
void form_set_hint(struct form *f, const char *key, const char *hint);

/* Setters. Return 0, or -1 (unknown key / wrong kind / out of memory / full). */
int form_set_text(struct form *f, const char *key, const char *value); /* text, secret */
int form_set_bool(struct form *f, const char *key, bool value);
int form_set_choice(struct form *f, const char *key, size_t index);
int form_list_append(struct form *f, const char *key, const char *value);
int form_map_append(struct form *f, const char *key, const char *k, const char *v);
/* A new record (from make_record) appended; fill it with its setters.
 * NULL on failure. The parent owns it. */
struct form *form_records_append(struct form *f, const char *key);

/* Getters. NULL / false / 0 for an unknown key or the wrong kind. */
int form_field_index(const struct form *f, const char *key);
const char *form_text(const struct form *f, const char *key); /* choice: the choice */
bool form_bool(const struct form *f, const char *key);
size_t form_choice(const struct form *f, const char *key);
size_t form_count(const struct form *f, const char *key); /* list/map/records */
const char *form_list_item(const struct form *f, const char *key, size_t i);
const char *form_map_key(const struct form *f, const char *key, size_t i);
const char *form_map_value(const struct form *f, const char *key, size_t i);
struct form *form_record(const struct form *f, const char *key, size_t i);

/* Shows message under the field (key) or above the buttons (key NULL);
 * message NULL clears. Nothing else changes. */
void form_set_error(struct form *f, const char *key, const char *message);
const char *form_error(const struct form *f, const char *key);

/* Whether the user changed any value with keys: the values now differ from
 * what they were when the form got its first key (setters called before
 * that are the owner filling it in, not edits). Typing a character and
 * erasing it again, or opening a record and leaving it with Esc, is no
 * change. Lets the owner ask before discarding work. */
bool form_modified(const struct form *f);

/* The operations behind the keys above, for an owner with its own key map.
 * Each acts on the open record when one is open, and returns what the key
 * would (WR_* flags): form_submit as F10, form_delete_item as ^D,
 * form_move_item as Shift-Up (dir < 0) or Shift-Down (dir > 0). */
int form_submit(struct form *f);
int form_delete_item(struct form *f);
int form_move_item(struct form *f, int dir);
/* With `owner` true the form leaves F10, ^S, ^D and Shift-Up/Down to its
 * owner (widget_handle ignores them), so a key map that rebinds them is the
 * only one that counts. Records opened later follow the parent. */
void form_set_owner_keys(struct form *f, bool owner);

/* Runs every check as submit does; returns the number of failing fields. */
int form_validate(struct form *f);

/* The focused field's key (NULL on the buttons); the open sub-form or NULL. */
const char *form_focus_key(const struct form *f);
struct form *form_open_record(const struct form *f);
/* Moves the focus to the field (its first unit). 0 or -1. */
int form_focus(struct form *f, const char *key);

#endif
