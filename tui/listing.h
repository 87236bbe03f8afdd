/* tui/listing.h — a list the service gives page by page (ListIdentityPools,
 * ListIdentities): one page at a time through app_call, each item handed to
 * the owner, the NextToken kept by the house rule (api/pagination.h).
 *
 * Call order: listing_init (what to ask) -> listing_next (a page; again
 * after each answer, as the owner wants) ... -> listing_clear. After each
 * answer ops->page(owner, a, err) runs: err NULL when the page's items were
 * handed over (l->complete says whether it was the last), else why it
 * failed (kind API_ERR_CANCELLED after listing_stop or Esc; a NextToken the
 * walk followed before ends it as an error, api/pagination.h). The owner
 * decides what comes next; the listing never asks on its own.
 *
 * Ownership: the listing owns its input and its walk; the owner owns the
 * listing (usually inside its pane) and must listing_stop() it before
 * freeing it.
 */
#ifndef TUI_LISTING_H
#define TUI_LISTING_H

#include <stdbool.h>

#include <json-c/json.h>

#include "api/pagination.h"
#include "tui/app.h"

struct listing_ops {
    /* One item of a page (borrowed). 0, or -1 to stop (out of memory). */
    int (*item)(void *owner, json_object *item);
    void (*page)(void *owner, struct app *a, const struct api_error *err);
};

struct listing {
    const char *op;    /* "ListIdentities" */
    const char *items; /* the member holding each page's items: "Identities" */
    const char *label; /* the status line's word while a page loads */
    json_object *input;
    const struct listing_ops *ops;
    void *owner;
    struct api_page_walk walk; /* the NextToken to send; tokens followed (api/pagination.h) */
    unsigned pages;
    bool started, complete;
    bool background;     /* pages are asked in the background: Esc does not stop them */
    struct app_req *req; /* the page in flight */
};

/* Sets what to ask: `input` (taken) is sent with NextToken added per page. */
void listing_init(struct listing *l, const char *op, const char *items, json_object *input,
                  const struct listing_ops *ops, void *owner);

/* Asks for the next page, in the foreground (Esc cancels it; labelled
 * `label`) unless l->background. Nothing to do (complete, or a page in flight) is 0 too. Returns
 * -1 with err filled when the call is refused before sending. */
int listing_next(struct listing *l, struct app *a, const char *label, struct api_error *err);

/* Cancels the page in flight, if any (ops->page fires with CANCELLED). */
void listing_stop(struct listing *l, struct app *a);

/* Stops it, then frees its input and token; the listing is zeroed. */
void listing_clear(struct listing *l, struct app *a);

bool listing_loading(const struct listing *l);

#endif
