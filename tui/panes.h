/* tui/panes.h — the one list of the console's panes (tig's VIEW_INFO).
 *
 * Each P(X, ID, name, label, key) line gives:
 *   ID     the pane's enum constant PANE_<ID>, its key scope SCOPE_<ID>
 *          (tui/actions.h) and its switch action ACT_PANE_<ID>
 *   name   the class: `const struct pane_ops pane_<name>_ops`, defined in
 *          tui/pane_<name>.c (the protocol is tui/pane.h); also the action
 *          name "pane-<name>" (`bind KEY pane-<name>`, `:pane-<name>`)
 *   label  the tab's label
 *   key    the default key of the switch action
 * X is passed through untouched, so another X-macro (the ACTIONS list) can
 * expand this one.
 *
 * Adding a pane is one line here plus the file tui/pane_<name>.c: the tabs,
 * the switch keys, the key scopes, help, `--help` and the man page follow
 * this list. At most 8 panes (the scopes are bits, tui/actions.h).
 */
#ifndef TUI_PANES_H
#define TUI_PANES_H

/* clang-format off */
#define PANES(P, X) \
    P(X, POOLS,      pools,      "Pools",      "1") \
    P(X, IDENTITIES, identities, "Identities", "2") \
    P(X, ROLES,      roles,      "Roles",      "3") \
    P(X, TAGS,       tags,       "Tags",       "4") \
    P(X, AUDIT,      audit,      "Audit",      "5")
/* clang-format on */

enum pane_id {
#define PANE_ENUM(x, id, name, label, key) PANE_##id,
    PANES(PANE_ENUM, _)
#undef PANE_ENUM
        PANE_COUNT
};

#endif
