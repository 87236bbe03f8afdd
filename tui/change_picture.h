/* tui/change_picture.h — the items where a whole-resource write differs,
 * as lines of a detail view: the three-way picture before sending (yours,
 * theirs, the original: issue 11, "Lost updates") and, after an unknown
 * outcome, what was sent beside what is there now. The items are
 * api_lost_update_compare()'s (api/lost_update.h). */
#ifndef TUI_CHANGE_PICTURE_H
#define TUI_CHANGE_PICTURE_H

#include <json-c/json.h>

#include "widgets/detail.h"

enum change_picture_kind {
    PICTURE_THREE_WAY,  /* original, theirs (now), yours; with who changed it */
    PICTURE_SENT_VS_NOW /* compare()'s items with original NULL: sent, now */
};

/* Adds one block an item of `items` (borrowed) to d. Values are shown as
 * compact JSON ("(none)" when absent); service text is sanitized when the
 * detail draws it. Returns 0 or -1 (out of memory). */
int change_picture_add(struct detail *d, json_object *items, enum change_picture_kind kind);

#endif
