/* tui/paging.h — the one rule for following a listing's NextToken. */
#ifndef TUI_PAGING_H
#define TUI_PAGING_H

#include <stdbool.h>

#include <json-c/json.h>

/* Takes the NextToken of the answer `out` (borrowed). When it is present,
 * non-empty and differs from *token, *token becomes a copy of it and the
 * result is true: ask for the next page with it. Otherwise the listing is
 * complete (a repeated token would loop forever): *token is freed and set to
 * NULL, and the result is false. Out of memory also ends the listing. */
bool paging_advance(char **token, json_object *out);

#endif
