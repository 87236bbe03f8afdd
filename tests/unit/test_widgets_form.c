/* tests/unit/test_widgets_form.c — forms (widgets/form.c) as a user meets
 * them, drawn headless: a long value shows its start and an ellipsis when
 * the field has no focus (a client id must not look like its own end); a
 * message about an item goes when the item goes; the owner's key map runs
 * submit, delete and move (form_set_owner_keys); each kind of field clones,
 * compares and checks through its class. */
#include <string.h>

#include "check.h"
/* headless.h is a kit of static helpers: this file uses a few. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "headless.h"
#include "widgets/form.h"

static const char *no_x(void *ctx, const char *v)
{
    (void)ctx;
    return strchr(v, 'x') ? "no x here" : NULL;
}

static void test_long_value_shows_its_start_and_an_ellipsis(void)
{
    if (headless_open("C.UTF-8", "xterm-256color", 24, 60) != 0)
        return;
    struct form *f = form_new("Client");
    const char *id = "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ-END";
    form_add_text(f, "name", "Name", "short", 0, NULL, NULL);
    form_add_text(f, "client", "Client id", id, 0, NULL, NULL);
    struct widget *w = form_widget(f);
    widget_place(w, 0, 0, 12, 40);
    widget_draw(w, stdscr); /* the focus is on "name" */
    char row[256];
    int y = headless_find("Client id");
    CHECK(y >= 0);
    headless_row(y, row, sizeof row);
    CHECK(strstr(row, "0123456789") != NULL); /* the start, not the end */
    CHECK(strstr(row, "END") == NULL);
    CHECK(strstr(row, "\xe2\x80\xa6") != NULL); /* … */
    /* With the focus the field scrolls to the cursor (its end). */
    widget_handle(w, '\t');
    widget_draw(w, stdscr);
    headless_row(y, row, sizeof row);
    CHECK(strstr(row, "END") != NULL);
    form_delete(f);
    headless_close();
}

static void test_item_message_goes_with_its_item(void)
{
    struct form *f = form_new("t");
    form_add_list(f, "hosts", "Hosts", 0, 0, no_x, NULL);
    form_list_append(f, "hosts", "good");
    form_list_append(f, "hosts", "xbad");
    CHECK_INT_EQ(form_validate(f), 1);
    CHECK_STR_EQ(form_error(f, "hosts"), "Item 2: no x here");
    form_focus(f, "hosts");
    struct widget *w = form_widget(f);
    widget_handle(w, '\t'); /* to item 2 */
    int r = widget_handle(w, WKEY_CTRL('d'));
    CHECK(r & WR_CHANGED);
    CHECK_INT_EQ(form_count(f, "hosts"), 1);
    CHECK(form_error(f, "hosts") == NULL);
    /* A message about an item that stays is kept (about what is left). */
    form_list_append(f, "hosts", "x1");
    form_list_append(f, "hosts", "x2");
    CHECK_INT_EQ(form_validate(f), 1);
    CHECK_STR_EQ(form_error(f, "hosts"), "Item 2: no x here");
    form_focus(f, "hosts"); /* item 1, "good" */
    CHECK(form_delete_item(f) & WR_CHANGED);
    CHECK_STR_EQ(form_error(f, "hosts"), "Item 1: no x here");
    form_delete(f);
}

static void test_owner_keys(void)
{
    struct form *f = form_new("t");
    form_add_text(f, "a", "A", "", FORM_REQUIRED, NULL, NULL);
    form_add_list(f, "l", "L", 0, 0, NULL, NULL);
    form_list_append(f, "l", "one");
    form_list_append(f, "l", "two");
    form_set_owner_keys(f, true);
    struct widget *w = form_widget(f);
    /* The keys are the owner's now: the form ignores them... */
    CHECK_INT_EQ(widget_handle(w, WKEY_FN(KEY_F(10))), WR_IGNORED);
    CHECK_INT_EQ(widget_handle(w, WKEY_CTRL('s')), WR_IGNORED);
    CHECK_INT_EQ(widget_handle(w, WKEY_CTRL('d')), WR_IGNORED);
    /* ...and the owner runs the same operations. */
    CHECK(form_submit(f) & WR_INVALID);
    CHECK_STR_EQ(form_focus_key(f), "a");
    widget_handle(w, 'v');
    widget_handle(w, '\t');
    widget_handle(w, '\t'); /* "two" */
    CHECK(form_move_item(f, -1) & WR_CHANGED);
    CHECK_STR_EQ(form_list_item(f, "l", 0), "two");
    CHECK(form_modified(f));
    CHECK(form_submit(f) & WR_SUBMIT);
    form_delete(f);
}

static struct form *make_rec(void *ctx)
{
    (void)ctx;
    struct form *r = form_new("R");
    form_add_text(r, "x", "X", "", FORM_REQUIRED, NULL, NULL);
    return r;
}

static void test_every_kind_clones_and_compares(void)
{
    static const char *const kinds[] = {"one", "two"};
    struct form *f = form_new("all");
    form_add_text(f, "t", "T", "text", 0, NULL, NULL);
    form_add_secret(f, "s", "S", "pw", 0, NULL, NULL);
    form_add_bool(f, "b", "B", false);
    form_add_choice(f, "c", "C", kinds, 2, 0);
    form_add_list(f, "l", "L", 0, 0, NULL, NULL);
    form_add_map(f, "m", "M", 0, 0, NULL, NULL);
    form_add_records(f, "r", "R", 0, 0, make_rec, NULL, NULL);
    form_list_append(f, "l", "i");
    form_map_append(f, "m", "k", "v");
    form_set_text(form_records_append(f, "r"), "x", "rec");
    struct widget *w = form_widget(f);
    CHECK(!form_modified(f));
    /* Each kind changed by a key and changed back is no change. */
    widget_handle(w, 'Z');
    CHECK(form_modified(f));
    widget_handle(w, WKEY_FN(KEY_BACKSPACE));
    CHECK(!form_modified(f));
    form_focus(f, "b");
    widget_handle(w, ' ');
    CHECK(form_modified(f));
    widget_handle(w, ' ');
    CHECK(!form_modified(f));
    form_focus(f, "c");
    widget_handle(w, WKEY_FN(KEY_RIGHT));
    CHECK_STR_EQ(form_text(f, "c"), "two");
    CHECK(form_modified(f));
    widget_handle(w, WKEY_FN(KEY_LEFT));
    CHECK(!form_modified(f));
    /* A record opened, edited and cancelled comes back as it was. */
    form_focus(f, "r");
    widget_handle(w, '\n');
    CHECK(form_open_record(f) != NULL);
    widget_handle(w, 'q');
    widget_handle(w, WKEY_ESC);
    CHECK(form_open_record(f) == NULL);
    CHECK_STR_EQ(form_text(form_record(f, "r", 0), "x"), "rec");
    CHECK(!form_modified(f));
    /* A required record field left empty makes the record incomplete. */
    form_set_text(form_record(f, "r", 0), "x", "");
    CHECK_INT_EQ(form_validate(f), 1);
    CHECK_STR_EQ(form_error(f, "r"), "Item 1: incomplete: open it to see why");
    form_delete(f);
}

int main(void)
{
    RUN(test_long_value_shows_its_start_and_an_ellipsis);
    RUN(test_item_message_goes_with_its_item);
    RUN(test_owner_keys);
    RUN(test_every_kind_clones_and_compares);
    return check_finish();
}
