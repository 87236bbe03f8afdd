/* tui/actions.h — the one list of everything a key can do in the console
 * (tig's request.h): every key of every pane and every view is an entry here.
 *
 * Each ACTION(id, name, keys, scope, bar, flags, label, help) line gives:
 *   id     the enum constant ACT_<id>
 *   name   the word of the config file (`bind KEY name`) and of `:name`
 *   keys   the default keys, space separated, in the key-name syntax of
 *          tui/keymap.h ("Up", "^F", "PgDn", "Enter", "S-Up", "q", ...)
 *   scope  where it applies: an OR of SCOPE_* (a pane or a kind of view)
 *   bar    the scopes whose key bar shows it (0: never; help lists it anyway)
 *   flags  ACTF_MUTATES: sends a mutating call (never offered read-only)
 *   label  the short word of the key bar ("" when never in a bar)
 *   help   one line for the help overlay, --help and the man page
 *
 * The key bar, the help overlay (?), `bind`, `--help` and the man page's
 * KEYS section (generated: tests/unit/test_tui_keydoc.c) all read this list,
 * so they never drift apart. The pane-switch actions come from tui/panes.h.
 *
 * Who runs an action: the view on top when there is one (tui/view.h), else
 * the pane shown (tui/pane.h); what neither takes, the frame does
 * (tui/dispatch.c: help, quit, back, panes, filter, sort, refresh, ...).
 * Each answers with RES_* flags (htop's Htop_Reaction).
 *
 * Text scopes (forms, dialogs): a printable key always types there, so
 * only non-printable keys run actions (F1 for help, ^X to quit, ...).
 */
#ifndef TUI_ACTIONS_H
#define TUI_ACTIONS_H

#include <stddef.h>

#include "tui/panes.h"

/* What handling an action or a key did; flags combine. 0: not mine. */
enum result {
    RES_HANDLED = 1 << 0, /* taken; nothing else should run it */
    RES_REDRAW = 1 << 1,  /* the screen changed */
    RES_CLOSE = 1 << 2,   /* a view: close me */
    RES_QUIT = 1 << 3,    /* leave the console (the frame asks first when work would be lost) */
};

/* Where an action applies: a pane (bits 0..7, from tui/panes.h) or a kind of view. */
enum action_scope {
#define PANE_SCOPE(x, id, name, label, key) SCOPE_##id = 1u << PANE_##id,
    PANES(PANE_SCOPE, _)
#undef PANE_SCOPE
        SCOPE_DETAIL = 1u << 8, /* pool or identity detail, lookups, the test view */
    SCOPE_DIFF = 1u << 9,       /* changes before they are sent */
    SCOPE_DIALOG = 1u << 10,    /* messages, errors, confirmations, questions */
    SCOPE_FORM = 1u << 11,
    SCOPE_HELP = 1u << 12,
    SCOPE_RESULT =
        1u << 13, /* what a change ended as: the check after an unknown outcome, a batch's result */
};
_Static_assert(PANE_COUNT <= 8, "pane scopes are bits 0..7");

#define SCOPE_PANES    ((1u << PANE_COUNT) - 1u)
#define SCOPE_SUBPANES (SCOPE_PANES & ~SCOPE_POOLS) /* every pane but the first */
#define SCOPE_READ     (SCOPE_DETAIL | SCOPE_DIFF | SCOPE_HELP | SCOPE_RESULT) /* scrolled text */
#define SCOPE_TEXT     (SCOPE_FORM | SCOPE_DIALOG) /* printable keys type */
#define SCOPE_VIEWS    (SCOPE_READ | SCOPE_TEXT)
#define SCOPE_ALL      (SCOPE_PANES | SCOPE_VIEWS)
#define SCOPE_LISTS    (SCOPE_PANES | SCOPE_READ) /* what moves with Up/Down */

enum action_flags {
    ACTF_MUTATES = 1 << 0,
};

/* The pane switches, one per line of tui/panes.h. */
#define ACTION_PANE_SWITCH(ACTION, id, name, label, key)                                           \
    ACTION(PANE_##id, "pane-" #name, key, SCOPE_PANES, 0, 0, "", "Show the " label " pane")

/* clang-format off */
#define ACTIONS(ACTION) \
    /* Everywhere */ \
    ACTION(OPEN,              "open",              "Enter",        SCOPE_PANES,      SCOPE_PANES,      0,            "Open",        "Open the row under the cursor") \
    ACTION(BACK,              "back",              "q",            SCOPE_LISTS,      SCOPE_SUBPANES | SCOPE_READ, 0, "Back",      "Back: close the view; from a pane, back to Pools; from Pools, quit") \
    ACTION(QUIT,              "quit",              "^X Q",         SCOPE_ALL,        SCOPE_POOLS,      0,            "Quit",        "Quit the console (asks first while identities are marked or a form is open)") \
    ACTION(CANCEL,            "cancel",            "Esc",          SCOPE_ALL,        SCOPE_TEXT,       0,            "Cancel",      "Stop the request in flight; else close the view, or go back to Pools") \
    ACTION(HELP,              "help",              "? F1",         SCOPE_PANES | SCOPE_READ | SCOPE_FORM, SCOPE_PANES | SCOPE_DETAIL | SCOPE_FORM, 0, "Help", "Show the keys of this pane or view; again closes it") \
    ACTION(FILTER,            "filter",            "/",            SCOPE_PANES,      SCOPE_PANES,      0,            "Filter",      "Filter the rows by their text (empty clears)") \
    ACTION(SEARCH_NEXT,       "search-next",       "n",            SCOPE_PANES,      0,                0,            "",            "Next row holding the last filter or search text") \
    ACTION(SEARCH_PREV,       "search-prev",       "N",            SCOPE_PANES,      0,                0,            "",            "Previous row holding the last filter or search text") \
    ACTION(SORT,              "sort",              "s >",          SCOPE_PANES,      0,                0,            "Sort",        "Sort by the next column (after the last: as listed)") \
    ACTION(SORT_PREV,         "sort-prev",         "<",            SCOPE_PANES,      0,                0,            "",            "Sort by the previous column") \
    ACTION(SORT_INVERT,       "sort-invert",       "I",            SCOPE_PANES,      0,                0,            "",            "Invert the sort order") \
    ACTION(REFRESH,           "refresh",           "r ^R",         SCOPE_PANES,      SCOPE_PANES,      0,            "Refresh",     "Reload from the service (the rows stay until the answer)") \
    ACTION(COMMAND,           "command",           ":",            SCOPE_LISTS,      0,                0,            "",            "Command (:profile NAME, :region NAME, :quit, an action name)") \
    ACTION(NEXT_PANE,         "next-pane",         "Tab",          SCOPE_PANES,      0,                0,            "",            "Next pane") \
    ACTION(PREV_PANE,         "prev-pane",         "BackTab",      SCOPE_PANES,      0,                0,            "",            "Previous pane") \
    PANES(ACTION_PANE_SWITCH, ACTION) \
    ACTION(UP,                "up",                "Up k",         SCOPE_LISTS,      0,                0,            "",            "Move up") \
    ACTION(DOWN,              "down",              "Down j",       SCOPE_LISTS,      0,                0,            "",            "Move down") \
    ACTION(PAGE_UP,           "page-up",           "PgUp ^B",      SCOPE_LISTS,      0,                0,            "",            "Move one page up") \
    ACTION(PAGE_DOWN,         "page-down",         "PgDn ^F",      SCOPE_LISTS,      0,                0,            "",            "Move one page down") \
    ACTION(FIRST,             "first",             "Home g",       SCOPE_LISTS,      0,                0,            "",            "Go to the first row") \
    ACTION(LAST,              "last",              "End G",        SCOPE_LISTS,      0,                0,            "",            "Go to the last row (Identities: loads every page on the way; Esc stops)") \
    ACTION(SCROLL_LEFT,       "scroll-left",       "Left h",       SCOPE_DETAIL | SCOPE_DIFF | SCOPE_RESULT, 0,       0,            "",            "Scroll left") \
    ACTION(SCROLL_RIGHT,      "scroll-right",      "Right l",      SCOPE_DETAIL | SCOPE_DIFF | SCOPE_RESULT, 0,       0,            "",            "Scroll right") \
    /* Pools */ \
    ACTION(POOL_DETAIL,       "pool-detail",       "i",            SCOPE_POOLS,      SCOPE_POOLS,      0,            "Info",        "Show the pool's settings, roles, mappings and principal tags") \
    ACTION(POOL_CREATE,       "pool-create",       "c",            SCOPE_POOLS,      SCOPE_POOLS,      ACTF_MUTATES, "Create",      "Create a pool") \
    ACTION(POOL_UPDATE,       "pool-update",       "e",            SCOPE_POOLS,      SCOPE_POOLS,      ACTF_MUTATES, "Edit",        "Edit the pool (shows the changes before sending)") \
    ACTION(POOL_DELETE,       "pool-delete",       "D",            SCOPE_POOLS,      SCOPE_POOLS,      ACTF_MUTATES, "Delete",      "Delete the pool (type its name)") \
    ACTION(PRINCIPAL_TAGS,    "principal-tags",    "p",            SCOPE_POOLS,      0,                0,            "",            "Principal tag attribute map of a provider") \
    ACTION(TEST_IDENTITY,     "test-identity",     "t",            SCOPE_POOLS,      0,                0,            "",            "Credential doctor: why a login does (or does not) get credentials") \
    /* Identities */ \
    ACTION(MARK,              "mark",              "Space",        SCOPE_IDENTITIES, SCOPE_IDENTITIES, 0,            "Mark",        "Mark or unmark the identity") \
    ACTION(IDENTITIES_DELETE, "identities-delete", "D",            SCOPE_IDENTITIES, SCOPE_IDENTITIES, ACTF_MUTATES, "Delete",      "Delete the marked identities (or the one under the cursor)") \
    ACTION(LOAD_ALL,          "load-all",          "L",            SCOPE_IDENTITIES, SCOPE_IDENTITIES, 0,            "Load all",    "Load every page (Esc stops)") \
    ACTION(HIDE_DISABLED,     "hide-disabled",     "H",            SCOPE_IDENTITIES, 0,                0,            "",            "Hide or show disabled identities (the filter and the loaded extent stay)") \
    ACTION(MARK_ALL,          "mark-all",          "A",            SCOPE_IDENTITIES, 0,                0,            "",            "Mark every loaded identity (shown by the filter)") \
    ACTION(CLEAR_MARKS,       "clear-marks",       "C",            SCOPE_IDENTITIES, 0,                0,            "",            "Clear the marks") \
    ACTION(INVENTORY,         "inventory",         "v",            SCOPE_IDENTITIES, SCOPE_IDENTITIES, 0,            "Inventory",   "Page the pool's local inventory (made by R or `cognito-tui inventory`), or back to the live listing") \
    ACTION(INVENTORY_FILTER,  "inventory-filter",  "F",            SCOPE_IDENTITIES, 0,                0,            "",            "Inventory view: filter by provider, idle days, creation date, disabled (also /)") \
    ACTION(INVENTORY_REFRESH, "inventory-refresh", "R",            SCOPE_IDENTITIES, 0,                0,            "",            "Build or refresh the pool's inventory in the background, paced by the quota (Esc stops; resumable)") \
    ACTION(PRUNE,             "prune",             "P",            SCOPE_IDENTITIES, SCOPE_IDENTITIES, ACTF_MUTATES, "Prune",       "Prune...: delete every identity matching criteria, listed now, after the count is typed (Esc stops; resumable)") \
    ACTION(LOOKUP_DEVELOPER,  "lookup-developer",  "l",            SCOPE_IDENTITIES, 0,                0,            "",            "Look up a developer identity") \
    ACTION(MERGE_DEVELOPER,   "merge-developer",   "m",            SCOPE_IDENTITIES, 0,                ACTF_MUTATES, "",            "Merge two developer identities") \
    ACTION(UNLINK_DEVELOPER,  "unlink-developer",  "u",            SCOPE_IDENTITIES, 0,                ACTF_MUTATES, "",            "Unlink a developer user from the identity") \
    ACTION(UNLINK_IDENTITY,   "unlink-identity",   "x",            SCOPE_IDENTITIES, 0,                ACTF_MUTATES, "",            "Unlink logins from the identity") \
    /* Roles */ \
    ACTION(ROLES_EDIT,        "roles-edit",        "e",            SCOPE_ROLES,      SCOPE_ROLES,      ACTF_MUTATES, "Edit",        "Edit roles and role-mapping rules (shows the changes before sending)") \
    ACTION(RULES_TEST,        "rules-test",        "T",            SCOPE_ROLES,      SCOPE_ROLES,      0,            "Test rules",  "Which rule and role would claims get") \
    /* Tags */ \
    ACTION(TAG_ADD,           "tag-add",           "a",            SCOPE_TAGS,       SCOPE_TAGS,       ACTF_MUTATES, "Add",         "Add or change a tag (asks before overwriting a value)") \
    ACTION(TAG_REMOVE,        "tag-remove",        "D",            SCOPE_TAGS,       SCOPE_TAGS,       ACTF_MUTATES, "Remove",      "Remove the tag under the cursor") \
    /* Audit */ \
    ACTION(AUDIT_FIX,         "audit-fix",         "f",            SCOPE_AUDIT | SCOPE_DETAIL, SCOPE_AUDIT, ACTF_MUTATES, "Fix...", "Fix the finding on the Cognito side: its change as a diff, Enter sends (guest access, classic flow, AmbiguousRoleResolution)") \
    /* Views */ \
    ACTION(DOCTOR_LIVE,       "doctor-live",       "L",            SCOPE_DETAIL,     0,                ACTF_MUTATES, "",            "Credential doctor: ask the service live (GetId + GetCredentialsForIdentity; creates an identity)") \
    ACTION(RESULT_OPEN,       "result-open",       "Enter o",      SCOPE_RESULT,     SCOPE_RESULT,     0,            "Open",        "Open what the result found (pools created by a change whose outcome was unknown), one after the other") \
    ACTION(RESULT_SAVE,       "result-save",       "w",            SCOPE_RESULT,     SCOPE_RESULT,     0,            "Save",        "Save the ids the result lists (with their error codes) to a file") \
    ACTION(DIFF_SEND,         "diff-send",         "Enter",        SCOPE_DIFF,       SCOPE_DIFF,       0,            "Send",        "Send the changes shown") \
    ACTION(DIALOG_SWITCH,     "dialog-switch",     "Tab Left Right", SCOPE_DIALOG, SCOPE_DIALOG, 0,        "Switch",      "Move between the buttons (error dialogs: show the detail)") \
    ACTION(DIALOG_CHOOSE,     "dialog-choose",     "Enter",        SCOPE_DIALOG,     SCOPE_DIALOG,     0,            "Choose",      "Choose the button with the focus") \
    ACTION(FORM_NEXT,         "form-next",         "Tab Down",     SCOPE_FORM,       SCOPE_FORM,       0,            "Next",        "Next field or item") \
    ACTION(FORM_PREV,         "form-prev",         "BackTab Up",   SCOPE_FORM,       0,                0,            "",            "Previous field or item") \
    ACTION(FORM_SUBMIT,       "form-submit",       "F10 ^S",       SCOPE_FORM,       SCOPE_FORM,       0,            "Submit",      "Check and send the form (or keep the open record)") \
    ACTION(FORM_DELETE_ITEM,  "form-delete-item",  "^D",           SCOPE_FORM,       SCOPE_FORM,       0,            "Delete item", "Delete the list item, map entry or record with the focus") \
    ACTION(FORM_MOVE_UP,      "form-move-up",      "S-Up",         SCOPE_FORM,       0,                0,            "",            "Move the item or record with the focus up") \
    ACTION(FORM_MOVE_DOWN,    "form-move-down",    "S-Down",       SCOPE_FORM,       0,                0,            "",            "Move the item or record with the focus down")
/* clang-format on */

enum action {
    ACT_NONE = 0,
#define ACTION_ENUM(id, name, keys, scope, bar, flags, label, help) ACT_##id,
    ACTIONS(ACTION_ENUM)
#undef ACTION_ENUM
        ACT_COUNT
};

struct action_info {
    const char *name;
    const char *keys; /* defaults */
    unsigned scope;
    unsigned bar;
    unsigned flags;
    const char *label;
    const char *help;
};

/* Indexed by enum action; [ACT_NONE] is all zero. */
extern const struct action_info action_table[ACT_COUNT];

/* ACT_NONE when no action has that name. */
enum action action_by_name(const char *name);

/* The pane a switch action shows, or -1 when `act` switches to no pane. */
int action_pane(enum action act);

/* Words for a scope mask, for --help and the man page: "everywhere",
 * "panes", "Identities", "forms", "Identities, Tags", ... Returns buf. */
char *action_scope_words(unsigned scope, char *buf, size_t size);

#endif
