/* tui/actions.c — the action table and lookups by name (tui/actions.h). */
#include "tui/actions.h"

#include <stdio.h>
#include <string.h>

const struct action_info action_table[ACT_COUNT] = {
#define ACTION_INFO(id, name, keys, scope, bar, flags, label, help)                                \
    [ACT_##id] = {name, keys, scope, bar, flags, label, help},
    ACTIONS(ACTION_INFO)
#undef ACTION_INFO
};

enum action action_by_name(const char *name)
{
    for (int a = 1; a < ACT_COUNT; a++)
        if (name && strcmp(action_table[a].name, name) == 0)
            return (enum action)a;
    return ACT_NONE;
}

static const enum action pane_actions[PANE_COUNT] = {
#define PANE_ACTION(x, id, name, label, key) [PANE_##id] = ACT_PANE_##id,
    PANES(PANE_ACTION, _)
#undef PANE_ACTION
};

int action_pane(enum action act)
{
    for (int p = 0; p < PANE_COUNT; p++)
        if (pane_actions[p] == act)
            return p;
    return -1;
}

static const char *const pane_labels[PANE_COUNT] = {
#define PANE_LABEL(x, id, name, label, key) [PANE_##id] = label,
    PANES(PANE_LABEL, _)
#undef PANE_LABEL
};

/* Appends word to buf (comma separated). */
static void add_word(char *buf, size_t size, size_t *used, const char *word)
{
    int n = snprintf(buf + *used, size - *used, "%s%s", *used ? ", " : "", word);
    if (n > 0 && (size_t)n < size - *used)
        *used += (size_t)n;
}

char *action_scope_words(unsigned scope, char *buf, size_t size)
{
    static const struct {
        unsigned scope;
        const char *word;
    } views[] = {{SCOPE_DETAIL, "detail views"}, {SCOPE_DIFF, "diffs"}, {SCOPE_HELP, "help"},
                 {SCOPE_RESULT, "result views"}, {SCOPE_FORM, "forms"}, {SCOPE_DIALOG, "dialogs"}};
    size_t used = 0;
    if (size)
        buf[0] = '\0';
    if ((scope & SCOPE_ALL) == SCOPE_ALL) {
        snprintf(buf, size, "everywhere");
        return buf;
    }
    if ((scope & SCOPE_PANES) == SCOPE_PANES)
        add_word(buf, size, &used, "panes");
    else if ((scope & SCOPE_PANES) == SCOPE_SUBPANES)
        add_word(buf, size, &used, "panes but Pools");
    else
        for (int p = 0; p < PANE_COUNT; p++)
            if (scope & (1u << p))
                add_word(buf, size, &used, pane_labels[p]);
    unsigned rest = scope & SCOPE_VIEWS;
    if ((rest & SCOPE_READ) == SCOPE_READ) {
        add_word(buf, size, &used, "views");
        rest &= ~SCOPE_READ;
    }
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
        if (rest & views[i].scope)
            add_word(buf, size, &used, views[i].word);
    return buf;
}
