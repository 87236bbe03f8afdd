/* tui/pane_pools.c — the Pools pane: every page of ListIdentityPools, the pool actions. */
#include "tui/app.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void pools_page(struct app *a);

static int add_pool(struct app *a, const char *id, const char *name)
{
    if (a->n_pools == a->cap_pools) {
        size_t cap = a->cap_pools ? a->cap_pools * 2 : 64;
        struct pool_row *n = realloc(a->pools, cap * sizeof *n);
        if (!n)
            return -1;
        a->pools = n;
        a->cap_pools = cap;
    }
    a->pools[a->n_pools].id = app_strdup(id);
    a->pools[a->n_pools].name = app_strdup(name ? name : "");
    if (!a->pools[a->n_pools].id || !a->pools[a->n_pools].name) {
        free(a->pools[a->n_pools].id);
        free(a->pools[a->n_pools].name);
        return -1;
    }
    a->n_pools++;
    return 0;
}

static void pools_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    unsigned gen = (unsigned)(uintptr_t)ctx;
    struct paged *pg = &a->pools_pg;
    if (gen != a->profile_gen) { /* an answer for settings no longer in force */
        json_object_put(out);
        return;
    }
    pg->req = NULL;
    pg->loading = false;
    if (!out) {
        if (err->kind == API_ERR_CANCELLED)
            snprintf(pg->error, sizeof pg->error, "Loading stopped (Esc); r loads again.");
        else
            app_describe_error(err, pg->error, sizeof pg->error);
        if (err->kind != API_ERR_CANCELLED)
            app_status_error(a, "Listing pools", err);
        return;
    }
    pg->pages++;
    json_object *list, *tok;
    if (json_object_object_get_ex(out, "IdentityPools", &list) &&
        json_object_is_type(list, json_type_array)) {
        size_t n = json_object_array_length(list);
        for (size_t i = 0; i < n; i++) {
            json_object *p = json_object_array_get_idx(list, i), *id, *name;
            if (!json_object_object_get_ex(p, "IdentityPoolId", &id))
                continue;
            json_object_object_get_ex(p, "IdentityPoolName", &name);
            if (add_pool(a, json_object_get_string(id), name ? json_object_get_string(name) : "") !=
                0) {
                snprintf(pg->error, sizeof pg->error, "Out of memory after %zu pools.", a->n_pools);
                json_object_put(out);
                return;
            }
        }
    }
    const char *next = NULL;
    if (json_object_object_get_ex(out, "NextToken", &tok) && json_object_is_type(tok, json_type_string))
        next = json_object_get_string(tok);
    /* Pagination stops on an absent or repeated token. */
    if (next && *next && !(pg->token && strcmp(pg->token, next) == 0)) {
        free(pg->token);
        pg->token = app_strdup(next);
        json_object_put(out);
        pools_page(a); /* the first page is on screen; the rest follow */
        return;
    }
    free(pg->token);
    pg->token = NULL;
    pg->complete = true;
    json_object_put(out);
    a->dirty = true;
}

static void pools_page(struct app *a)
{
    struct paged *pg = &a->pools_pg;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "MaxResults", json_object_new_int(60));
    if (pg->token)
        json_object_object_add(in, "NextToken", json_object_new_string(pg->token));
    struct api_error err;
    pg->started = true;
    pg->error[0] = '\0';
    pg->req = app_call(a, "ListIdentityPools", in, pools_done, (void *)(uintptr_t)a->profile_gen,
                       APP_CALL_FOREGROUND, "Loading pools", &err);
    if (!pg->req) {
        app_describe_error(&err, pg->error, sizeof pg->error);
        return;
    }
    pg->loading = true;
}

void pools_load(struct app *a)
{
    if (a->pools_pg.started && (a->pools_pg.loading || a->pools_pg.complete || !a->pools_pg.error[0]))
        return;
    pools_page(a);
}

void pools_reset(struct app *a)
{
    if (a->pools_pg.req)
        app_cancel(a, a->pools_pg.req);
    for (size_t i = 0; i < a->n_pools; i++) {
        free(a->pools[i].id);
        free(a->pools[i].name);
    }
    free(a->pools);
    a->pools = NULL;
    a->n_pools = a->cap_pools = 0;
    free(a->pools_pg.token);
    memset(&a->pools_pg, 0, sizeof a->pools_pg);
    a->dirty = true;
}
