/* tui/pane_identities.c — the Identities pane: pages of 60 as the admin
 * scrolls, L to load all (Esc stops), HideDisabled, marks, the identity
 * actions. */
#include "tui/app.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/pane_identities.h"

static void free_row(struct identity_row *r)
{
    free(r->id);
    free(r->logins);
}

static char *join_logins(json_object *logins)
{
    size_t n = logins && json_object_is_type(logins, json_type_array)
                   ? json_object_array_length(logins)
                   : 0;
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += (size_t)json_object_get_string_len(json_object_array_get_idx(logins, i)) + 2;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        const char *v = json_object_get_string(json_object_array_get_idx(logins, i));
        int w = snprintf(s + used, len - used, "%s%s", i ? ", " : "", v ? v : "");
        if (w > 0)
            used += (size_t)w;
    }
    return s;
}

static time_t member_time(json_object *o, const char *name)
{
    json_object *v;
    if (!json_object_object_get_ex(o, name, &v) || !v)
        return 0;
    return (time_t)json_object_get_double(v);
}

static int add_identity(struct app *a, json_object *desc)
{
    json_object *id, *logins = NULL;
    if (!json_object_object_get_ex(desc, "IdentityId", &id) ||
        !json_object_is_type(id, json_type_string))
        return 0;
    if (a->n_ids == a->cap_ids) {
        size_t cap = a->cap_ids ? a->cap_ids * 2 : 256;
        struct identity_row *n = realloc(a->ids, cap * sizeof *n);
        if (!n)
            return -1;
        a->ids = n;
        a->cap_ids = cap;
    }
    json_object_object_get_ex(desc, "Logins", &logins);
    struct identity_row r = {
        .id = app_strdup(json_object_get_string(id)),
        .logins = join_logins(logins),
        .created = member_time(desc, "CreationDate"),
        .modified = member_time(desc, "LastModifiedDate"),
    };
    if (!r.id || !r.logins) {
        free_row(&r);
        return -1;
    }
    a->ids[a->n_ids++] = r;
    return 0;
}

static void ids_page(struct app *a);

static void ids_done(struct app *a, void *ctx, json_object *out, const struct api_error *err)
{
    unsigned gen = (unsigned)(uintptr_t)ctx;
    struct paged *pg = &a->ids_pg;
    if (gen != a->generation) {
        json_object_put(out);
        return;
    }
    pg->req = NULL;
    pg->loading = false;
    if (!out) {
        if (err->kind == API_ERR_CANCELLED) {
            if (pg->load_all)
                app_status(a, STATUS_WARN, "Loading stopped at %zu identities (page %u).", a->n_ids,
                           pg->pages);
            pg->load_all = false;
            snprintf(pg->error, sizeof pg->error, "Loading stopped; scroll down or L to go on.");
        } else {
            pg->load_all = false;
            app_describe_error(err, pg->error, sizeof pg->error);
            app_status_error(a, "Listing identities", err);
        }
        return;
    }
    pg->pages++;
    json_object *list, *tok;
    if (json_object_object_get_ex(out, "Identities", &list) &&
        json_object_is_type(list, json_type_array)) {
        size_t n = json_object_array_length(list);
        for (size_t i = 0; i < n; i++)
            if (add_identity(a, json_object_array_get_idx(list, i)) != 0) {
                snprintf(pg->error, sizeof pg->error, "Out of memory after %zu identities.",
                         a->n_ids);
                pg->load_all = false;
                json_object_put(out);
                return;
            }
    }
    const char *next = NULL;
    if (json_object_object_get_ex(out, "NextToken", &tok) && json_object_is_type(tok, json_type_string))
        next = json_object_get_string(tok);
    if (next && *next && !(pg->token && strcmp(pg->token, next) == 0)) {
        free(pg->token);
        pg->token = app_strdup(next);
    } else {
        free(pg->token);
        pg->token = NULL;
        pg->complete = true;
    }
    json_object_put(out);
    if (pg->load_all) {
        if (pg->complete) {
            pg->load_all = false;
            app_status(a, STATUS_OK, "All %zu identities loaded (%u pages).", a->n_ids, pg->pages);
        } else {
            app_status(a, STATUS_INFO, "Loading all: page %u · %zu rows (Esc stops)", pg->pages,
                       a->n_ids);
            ids_page(a);
        }
    }
    identities_loaded(a);
}

static void ids_page(struct app *a)
{
    struct paged *pg = &a->ids_pg;
    if (!a->pool_id || pg->loading || pg->complete)
        return;
    json_object *in = json_object_new_object();
    json_object_object_add(in, "IdentityPoolId", json_object_new_string(a->pool_id));
    json_object_object_add(in, "MaxResults", json_object_new_int(60));
    if (a->hide_disabled)
        json_object_object_add(in, "HideDisabled", json_object_new_boolean(1));
    if (pg->token)
        json_object_object_add(in, "NextToken", json_object_new_string(pg->token));
    struct api_error err;
    pg->started = true;
    pg->error[0] = '\0';
    pg->req = app_call(a, "ListIdentities", in, ids_done, (void *)(uintptr_t)a->generation,
                       APP_CALL_FOREGROUND, pg->load_all ? "Loading all identities" : "Loading identities",
                       &err);
    if (!pg->req) {
        pg->load_all = false;
        app_describe_error(&err, pg->error, sizeof pg->error);
        app_status_error(a, "Listing identities", &err);
        return;
    }
    pg->loading = true;
}

void identities_more(struct app *a)
{
    if (!a->ids_pg.complete && !a->ids_pg.loading)
        ids_page(a);
}

void identities_load_all(struct app *a)
{
    if (a->ids_pg.complete) {
        app_status(a, STATUS_OK, "All %zu identities are loaded.", a->n_ids);
        return;
    }
    a->ids_pg.load_all = true;
    app_status(a, STATUS_INFO, "Loading all: page %u · %zu rows (Esc stops)", a->ids_pg.pages,
               a->n_ids);
    if (!a->ids_pg.loading)
        ids_page(a);
}

void identities_reset(struct app *a)
{
    if (a->ids_pg.req)
        app_cancel(a, a->ids_pg.req);
    for (size_t i = 0; i < a->n_ids; i++)
        free_row(&a->ids[i]);
    free(a->ids);
    a->ids = NULL;
    a->n_ids = a->cap_ids = 0;
    free(a->ids_pg.token);
    memset(&a->ids_pg, 0, sizeof a->ids_pg);
    a->dirty = true;
}

void identities_start(struct app *a)
{
    if (!a->ids_pg.started || (a->ids_pg.error[0] && a->n_ids == 0 && !a->ids_pg.loading))
        ids_page(a);
}
