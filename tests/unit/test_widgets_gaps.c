/* What the console asked of the widgets, rendered headless in C.UTF-8 on
 * xterm-256color: the question dialog (never "There is no undo.", starts on
 * Cancel), the input dialog (Enter submits once something is typed; a secret
 * one never draws what was typed) and form_modified() (edits, not setters;
 * an edit undone is no change). */
#include <stdio.h>
#include <string.h>

#include "tests/unit/check.h"
#include "tests/unit/headless.h"
#include "widgets/dialog.h"
#include "widgets/form.h"

static void type_text(struct widget *w, const char *s)
{
    for (; *s; s++)
        widget_handle(w, (unsigned char)*s);
}

/* Whether any row of the screen holds needle. */
static bool screen_has(const char *needle)
{
    return headless_find(needle) >= 0;
}

static void draw_fresh(struct widget *w)
{
    werase(stdscr);
    widget_place(w, 0, 0, 24, 80);
    widget_draw(w, stdscr);
}

static void test_question_has_no_undo_line(void)
{
    struct dialog *d = dialog_question("Discard the form?",
                                       "Close the form and lose what was "
                                       "typed in it?",
                                       "Discard");
    CHECK(d != NULL);
    if (!d)
        return;
    struct widget *w = dialog_widget(d);
    draw_fresh(w);
    CHECK(screen_has("Discard the form?"));
    CHECK(screen_has("[ Discard ]"));
    CHECK(!screen_has("There is no undo."));
    CHECK(!dialog_focus_ok(d));
    /* Enter on the first focus cancels; Right then Enter chooses OK. */
    CHECK(widget_handle(w, '\n') & WR_CANCEL);
    widget_handle(w, WKEY_FN(KEY_RIGHT));
    CHECK(dialog_focus_ok(d));
    CHECK(widget_handle(w, '\n') & WR_SUBMIT);
    CHECK(widget_handle(w, WKEY_ESC) & WR_CANCEL);
    dialog_delete(d);

    /* The destructive confirm still says it. */
    d = dialog_confirm("Delete", "Deletes x.", "Delete");
    CHECK(d != NULL);
    if (!d)
        return;
    draw_fresh(dialog_widget(d));
    CHECK(screen_has("There is no undo."));
    dialog_delete(d);
}

static void test_secret_input_never_drawn(void)
{
    struct dialog *d =
        dialog_input("MFA code", "Code for arn:aws:iam::1:mfa/x", "OK", "Code:", true);
    CHECK(d != NULL);
    if (!d)
        return;
    struct widget *w = dialog_widget(d);
    draw_fresh(w);
    CHECK(screen_has("Code for arn:aws:iam::1:mfa/x"));
    CHECK(screen_has("Code:"));
    CHECK(!screen_has("There is no undo."));
    CHECK(!dialog_ok_enabled(d));
    /* Nothing typed: Enter does not submit. */
    CHECK(!(widget_handle(w, '\n') & WR_SUBMIT));
    type_text(w, "975310");
    CHECK(dialog_ok_enabled(d));
    CHECK_STR_EQ(dialog_typed(d), "975310");
    draw_fresh(w);
    CHECK(!screen_has("975310"));
    CHECK(!screen_has("9753"));
    CHECK(screen_has("********"));
    CHECK(w->cursor_on);
    /* The cursor sits right after the mask, on the mask's row. */
    {
        char row[512];
        int y = headless_find("********");
        CHECK(y == w->cursor_y);
        CHECK(w->cursor_x == headless_col(y, "********") + 8);
        CHECK(strstr(headless_row_trim(y, row, sizeof row), "********") != NULL);
    }
    /* Nor do the bytes sent to the terminal hold the code. */
    headless_flush();
    {
        size_t len = 0;
        char *bytes = headless_output(&len);
        CHECK(bytes != NULL);
        CHECK(len > 0);
        CHECK(bytes && !memmem(bytes, len, "975310", 6));
        free(bytes);
    }
    /* Backspace works blind; ^U clears. */
    widget_handle(w, WKEY_FN(KEY_BACKSPACE));
    CHECK_STR_EQ(dialog_typed(d), "97531");
    widget_handle(w, WKEY_CTRL('u'));
    CHECK_STR_EQ(dialog_typed(d), "");
    CHECK(!dialog_ok_enabled(d));
    type_text(w, "42");
    CHECK(widget_handle(w, '\n') & WR_SUBMIT);
    /* Esc cancels, wherever the focus is. */
    CHECK(widget_handle(w, WKEY_ESC) & WR_CANCEL);
    dialog_delete(d);
}

static void test_plain_input_drawn_and_tab_focus(void)
{
    headless_resize(24, 80);
    struct dialog *d = dialog_input("Name", "Give it a name.", "Save", NULL, false);
    CHECK(d != NULL);
    if (!d)
        return;
    struct widget *w = dialog_widget(d);
    type_text(w, "hello");
    draw_fresh(w);
    CHECK(screen_has("hello"));
    CHECK(screen_has("[ Save ]"));
    /* Tab goes Cancel, then OK; q typed in the line is text, not cancel. */
    widget_handle(w, '\t');
    CHECK(!dialog_focus_ok(d));
    widget_handle(w, '\t');
    CHECK(dialog_focus_ok(d));
    CHECK(widget_handle(w, '\n') & WR_SUBMIT);
    widget_handle(w, '\t'); /* back to the line */
    CHECK(!(widget_handle(w, 'q') & WR_CANCEL));
    CHECK_STR_EQ(dialog_typed(d), "helloq");
    dialog_delete(d);
}

/* ---- form_modified ---- */

static struct form *make_rule(void *ctx)
{
    (void)ctx;
    struct form *r = form_new("Rule");
    if (r)
        form_add_text(r, "claim", "Claim", "", 0, NULL, NULL);
    return r;
}

static void test_form_modified_text_and_bool(void)
{
    struct form *f = form_new("Pool");
    CHECK(f != NULL);
    if (!f)
        return;
    form_add_text(f, "name", "Name", "", 0, NULL, NULL);
    form_add_bool(f, "flag", "Flag", false);
    /* The owner fills it in: not an edit. */
    form_set_text(f, "name", "x");
    form_set_bool(f, "flag", true);
    CHECK(!form_modified(f));
    struct widget *w = form_widget(f);
    CHECK(form_focus_key(f) && !strcmp(form_focus_key(f), "name"));
    CHECK(widget_handle(w, 'y') & WR_CHANGED);
    CHECK(form_modified(f));
    CHECK_STR_EQ(form_text(f, "name"), "xy");
    widget_handle(w, WKEY_FN(KEY_BACKSPACE));
    CHECK(!form_modified(f)); /* back as it was */
    widget_handle(w, '\t');
    CHECK_STR_EQ(form_focus_key(f), "flag");
    widget_handle(w, ' ');
    CHECK(form_modified(f));
    widget_handle(w, ' ');
    CHECK(!form_modified(f));
    /* Moving around changes nothing. */
    widget_handle(w, '\t');
    widget_handle(w, WKEY_FN(KEY_BTAB));
    CHECK(!form_modified(f));
    form_delete(f);
}

static void test_form_modified_list_and_records(void)
{
    struct form *f = form_new("Lists");
    CHECK(f != NULL);
    if (!f)
        return;
    form_add_list(f, "items", "Items", 0, 0, NULL, NULL);
    form_add_records(f, "rules", "Rules", 0, 0, make_rule, NULL, NULL);
    struct form *r = form_records_append(f, "rules");
    CHECK(r != NULL);
    if (r)
        form_set_text(r, "claim", "sub");
    CHECK(!form_modified(f));
    struct widget *w = form_widget(f);
    /* Units: items' [+ add], the rule, rules' [+ add], OK, Cancel. */
    widget_handle(w, '\n'); /* adds an empty item, focused */
    CHECK_INT_EQ(form_count(f, "items"), 1);
    CHECK(form_modified(f));
    widget_handle(w, WKEY_CTRL('d')); /* and deletes it */
    CHECK_INT_EQ(form_count(f, "items"), 0);
    CHECK(!form_modified(f));
    /* A record edited, then left with Esc: restored, no change. */
    widget_handle(w, '\t');
    widget_handle(w, '\n');
    CHECK(form_open_record(f) != NULL);
    widget_handle(w, 'z');
    CHECK(form_modified(f)); /* the open record holds the edit */
    widget_handle(w, WKEY_ESC);
    CHECK(form_open_record(f) == NULL);
    CHECK_STR_EQ(form_text(form_record(f, "rules", 0), "claim"), "sub");
    CHECK(!form_modified(f));
    /* Edited and kept with its OK: a change. */
    widget_handle(w, '\n');
    widget_handle(w, 'z');
    widget_handle(w, WKEY_FN(KEY_F(10)));
    CHECK(form_open_record(f) == NULL);
    CHECK_STR_EQ(form_text(form_record(f, "rules", 0), "claim"), "subz");
    CHECK(form_modified(f));
    form_delete(f);
}

int main(void)
{
    if (headless_open("C.UTF-8", "xterm-256color", 24, 80) < 0) {
        printf("not ok - setup: no locale C.UTF-8 or no terminfo for xterm-256color\n");
        return 1;
    }
    RUN(test_question_has_no_undo_line);
    RUN(test_secret_input_never_drawn);
    RUN(test_plain_input_drawn_and_tab_focus);
    RUN(test_form_modified_text_and_bool);
    RUN(test_form_modified_list_and_records);
    headless_close();
    return check_finish();
}
