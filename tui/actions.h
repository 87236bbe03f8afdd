/* tui/actions.h — the one list of the console's actions (tig's request.h).
 *
 * Each ACTION(id, name, keys, scope, flags, label, help) line gives:
 *   id     the enum constant ACT_<id>
 *   name   the word used in the config file (`bind KEY name`) and in `:name`
 *   keys   the default keys, space separated, in the key-name syntax of
 *          tui/keymap.h ("Up", "^F", "PgDn", "Enter", "q", ...)
 *   scope  where the action applies: SCOPE_ALL or an OR of SCOPE_* panes
 *   flags  ACTF_MUTATES: sends a mutating call (never offered in read-only
 *          mode); ACTF_BAR: shown in the key bar of its scope
 *   label  the short word of the key bar ("" when not in the bar)
 *   help   one line for the help overlay, --help and the man page
 *
 * The key bar, the help overlay, console_print_keys() (--help) and the config
 * file parser all read this list, so they never drift apart.
 */
#ifndef TUI_ACTIONS_H
#define TUI_ACTIONS_H

/* Where an action applies. Panes first, then the detail views. */
enum action_scope {
    SCOPE_POOLS = 1 << 0,
    SCOPE_IDENTITIES = 1 << 1,
    SCOPE_ROLES = 1 << 2,
    SCOPE_TAGS = 1 << 3,
    SCOPE_DETAIL = 1 << 4, /* pool or identity detail, lookups, test view */
};
#define SCOPE_PANES (SCOPE_POOLS | SCOPE_IDENTITIES | SCOPE_ROLES | SCOPE_TAGS)
#define SCOPE_ALL   (SCOPE_PANES | SCOPE_DETAIL)

enum action_flags {
    ACTF_MUTATES = 1 << 0,
    ACTF_BAR = 1 << 1,
};

/* clang-format off */
#define ACTIONS(ACTION) \
    ACTION(HELP,              "help",              "? F1",        SCOPE_ALL,        ACTF_BAR,                "Help",          "Show the keys of this pane") \
    ACTION(QUIT,              "quit",              "Q",           SCOPE_ALL,        0,                       "",              "Quit the console") \
    ACTION(BACK,              "back",              "q",           SCOPE_ALL,        ACTF_BAR,                "Back",          "Close the view; quit from the panes") \
    ACTION(CANCEL,            "cancel",            "Esc",         SCOPE_ALL,        0,                       "",              "Cancel the request in flight, else close the view") \
    ACTION(UP,                "up",                "Up k",        SCOPE_ALL,        0,                       "",              "Move up") \
    ACTION(DOWN,              "down",              "Down j",      SCOPE_ALL,        0,                       "",              "Move down") \
    ACTION(PAGE_UP,           "page-up",           "PgUp ^B",     SCOPE_ALL,        0,                       "",              "Move one page up") \
    ACTION(PAGE_DOWN,         "page-down",         "PgDn ^F",     SCOPE_ALL,        0,                       "",              "Move one page down") \
    ACTION(FIRST,             "first",             "Home g",      SCOPE_ALL,        0,                       "",              "Go to the first row") \
    ACTION(LAST,              "last",              "End G",       SCOPE_ALL,        0,                       "",              "Go to the last row") \
    ACTION(OPEN,              "open",              "Enter",       SCOPE_PANES,      ACTF_BAR,                "Open",          "Open the selected row") \
    ACTION(NEXT_PANE,         "next-pane",         "Tab",         SCOPE_PANES,      0,                       "",              "Next pane") \
    ACTION(PREV_PANE,         "prev-pane",         "BackTab",     SCOPE_PANES,      0,                       "",              "Previous pane") \
    ACTION(PANE_POOLS,        "pane-pools",        "1",           SCOPE_PANES,      0,                       "",              "Pools pane") \
    ACTION(PANE_IDENTITIES,   "pane-identities",   "2",           SCOPE_PANES,      0,                       "",              "Identities pane (of the selected pool)") \
    ACTION(PANE_ROLES,        "pane-roles",        "3",           SCOPE_PANES,      0,                       "",              "Roles pane (roles and role mappings)") \
    ACTION(PANE_TAGS,         "pane-tags",         "4",           SCOPE_PANES,      0,                       "",              "Tags pane") \
    ACTION(FILTER,            "filter",            "/",           SCOPE_PANES,      ACTF_BAR,                "Filter",        "Filter the rows (empty clears)") \
    ACTION(COMMAND,           "command",           ":",           SCOPE_ALL,        0,                       "",              "Command (:profile NAME, :region NAME, :quit, an action name)") \
    ACTION(REFRESH,           "refresh",           "r ^R",        SCOPE_ALL,        ACTF_BAR,                "Refresh",       "Reload from the service") \
    ACTION(POOL_DETAIL,       "pool-detail",       "i",           SCOPE_POOLS,      ACTF_BAR,                "Info",          "Show the pool's settings") \
    ACTION(POOL_CREATE,       "pool-create",       "c",           SCOPE_POOLS,      ACTF_BAR | ACTF_MUTATES, "Create",        "Create a pool") \
    ACTION(POOL_UPDATE,       "pool-update",       "e",           SCOPE_POOLS,      ACTF_BAR | ACTF_MUTATES, "Edit",          "Edit the pool (shows the changes before sending)") \
    ACTION(POOL_DELETE,       "pool-delete",       "D",           SCOPE_POOLS,      ACTF_BAR | ACTF_MUTATES, "Delete",        "Delete the pool (type its name)") \
    ACTION(PRINCIPAL_TAGS,    "principal-tags",    "p",           SCOPE_POOLS,      0,                       "",              "Principal tag attribute map of a provider") \
    ACTION(TEST_IDENTITY,     "test-identity",     "t",           SCOPE_POOLS,      ACTF_MUTATES,            "",              "Test an identity: GetId, GetOpenIdToken, GetCredentialsForIdentity") \
    ACTION(MARK,              "mark",              "Space",       SCOPE_IDENTITIES, ACTF_BAR,                "Mark",          "Mark or unmark the identity") \
    ACTION(MARK_ALL,          "mark-all",          "A",           SCOPE_IDENTITIES, 0,                       "",              "Mark every loaded identity (shown by the filter)") \
    ACTION(CLEAR_MARKS,       "clear-marks",       "C",           SCOPE_IDENTITIES, 0,                       "",              "Clear the marks") \
    ACTION(LOAD_ALL,          "load-all",          "L",           SCOPE_IDENTITIES, ACTF_BAR,                "Load all",      "Load every page (Esc stops)") \
    ACTION(HIDE_DISABLED,     "hide-disabled",     "H",           SCOPE_IDENTITIES, ACTF_BAR,                "Hide disabled", "Hide or show disabled identities") \
    ACTION(IDENTITIES_DELETE, "identities-delete", "D",           SCOPE_IDENTITIES, ACTF_BAR | ACTF_MUTATES, "Delete",        "Delete the marked identities (or the selected one)") \
    ACTION(LOOKUP_DEVELOPER,  "lookup-developer",  "l",           SCOPE_IDENTITIES, 0,                       "",              "Look up a developer identity") \
    ACTION(MERGE_DEVELOPER,   "merge-developer",   "m",           SCOPE_IDENTITIES, ACTF_MUTATES,            "",              "Merge two developer identities") \
    ACTION(UNLINK_DEVELOPER,  "unlink-developer",  "u",           SCOPE_IDENTITIES, ACTF_MUTATES,            "",              "Unlink a developer user from the identity") \
    ACTION(UNLINK_IDENTITY,   "unlink-identity",   "x",           SCOPE_IDENTITIES, ACTF_MUTATES,            "",              "Unlink logins from the identity") \
    ACTION(ROLES_EDIT,        "roles-edit",        "e",           SCOPE_ROLES,      ACTF_BAR | ACTF_MUTATES, "Edit",          "Edit roles and role-mapping rules") \
    ACTION(RULES_TEST,        "rules-test",        "T",           SCOPE_ROLES,      ACTF_BAR,                "Test rules",    "Which rule and role would claims get") \
    ACTION(TAG_ADD,           "tag-add",           "a",           SCOPE_TAGS,       ACTF_BAR | ACTF_MUTATES, "Add",           "Add or change a tag") \
    ACTION(TAG_REMOVE,        "tag-remove",        "D",           SCOPE_TAGS,       ACTF_BAR | ACTF_MUTATES, "Remove",        "Remove the selected tag") \
    ACTION(REVEAL,            "reveal",            "s",           SCOPE_DETAIL,     0,                       "Reveal",        "Show or mask secrets in the test view")
/* clang-format on */

enum action {
    ACT_NONE = 0,
#define ACTION_ENUM(id, name, keys, scope, flags, label, help) ACT_##id,
    ACTIONS(ACTION_ENUM)
#undef ACTION_ENUM
        ACT_COUNT
};

struct action_info {
    const char *name;
    const char *keys; /* defaults */
    unsigned scope;
    unsigned flags;
    const char *label;
    const char *help;
};

/* Indexed by enum action; [ACT_NONE] is all zero. */
extern const struct action_info action_table[ACT_COUNT];

/* ACT_NONE when no action has that name. */
enum action action_by_name(const char *name);

#endif
