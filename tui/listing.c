/* tui/listing.c — a list loaded page by page (tui/listing.h). */
#include "tui/listing.h"

#include <stdlib.h>
#include <string.h>

#include "tui/json_get.h"

void listing_init(struct listing *l, const char *op, const char *items, json_object *input,
                  const struct listing_ops *ops, void *owner)
{
    memset(l, 0, sizeof *l);
    l->op = op;
    l->items = items;
    l->input = input;
    l->ops = ops;
    l->owner = owner;
}

static void answered(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    struct listing *l = ctx;
    l->req = NULL;
    if (!out) {
        l->ops->page(l->owner, a, err);
        return;
    }
    l->pages++;
    json_object *list = jarr(out, l->items);
    size_t n = list ? json_object_array_length(list) : 0;
    for (size_t i = 0; i < n; i++)
        if (l->ops->item(l->owner, json_object_array_get_idx(list, i)) != 0) {
            struct api_error oom;
            api_error_set(&oom, API_ERR_TRANSPORT, "out of memory after %u pages", l->pages);
            json_object_put(out);
            l->ops->page(l->owner, a, &oom);
            return;
        }
    enum api_page_step step = api_page_advance(&l->walk, out);
    json_object_put(out);
    if (step != API_PAGE_NEXT)
        l->complete = true;
    struct api_error stop;
    api_error_clear(&stop);
    if (api_page_error(step, &l->walk, l->op, &stop) < 0) {
        l->ops->page(l->owner, a, &stop); /* an endless walk: stopped, said */
        return;
    }
    l->ops->page(l->owner, a, NULL);
}

int listing_next(struct listing *l, struct app *a, const char *label, struct api_error *err)
{
    api_error_clear(err);
    if (l->complete || l->req || !l->input)
        return 0;
    json_object *in = NULL;
    if (json_object_deep_copy(l->input, &in, NULL) != 0)
        return api_error_set(err, API_ERR_TRANSPORT, "out of memory");
    if (l->walk.token)
        json_object_object_add(in, "NextToken", json_object_new_string(l->walk.token));
    l->started = true;
    l->label = label;
    l->req =
        app_call(a, l->op, in, answered, l, l->background ? 0 : APP_CALL_FOREGROUND, label, err);
    return l->req ? 0 : -1;
}

void listing_stop(struct listing *l, struct app *a)
{
    if (l->req)
        app_cancel(a, l->req);
}

void listing_clear(struct listing *l, struct app *a)
{
    bool background = l->background;
    listing_stop(l, a);
    json_object_put(l->input);
    api_page_walk_free(&l->walk);
    memset(l, 0, sizeof *l);
    l->background = background;
}

bool listing_loading(const struct listing *l)
{
    return l->req != NULL;
}
