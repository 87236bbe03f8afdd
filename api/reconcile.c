/* api/reconcile.c — the reads that settle an unknown outcome
 * (api/reconcile.h). */
#include "api/reconcile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/lost_update.h"
#include "api/operations.h"
#include "api/pagination.h"

/* One member of the read's input: `to` gets the write's member `from`
 * ("Name[0]": its list's first element; "#N": the integer N). */
struct copy {
    const char *to, *from;
};

/* Rules are tried in order; the first whose members the input has applies. */
static const struct rule {
    const char *operation;
    const char *read; /* NULL: the write's re-read (api/lost_update.h) */
    struct copy copies[3];
    const char *look_for;
} rules[] = {
    {"CreateIdentityPool",
     "ListIdentityPools",
     {{"MaxResults", "#60"}},
     "a pool named as the one sent that was not there before (every page)"},
    {"DeleteIdentityPool",
     "DescribeIdentityPool",
     {{"IdentityPoolId", "IdentityPoolId"}},
     "ResourceNotFoundException means it was deleted"},
    {"DeleteIdentities",
     "DescribeIdentity",
     {{"IdentityId", "IdentityIdsToDelete[0]"}},
     "for each id sent, ResourceNotFoundException means it was deleted"},
    {"UpdateIdentityPool", NULL, {{NULL, NULL}}, "the pool as it is now against what was sent"},
    {"SetIdentityPoolRoles",
     NULL,
     {{NULL, NULL}},
     "the roles and role mappings as they are now against what was sent"},
    {"SetPrincipalTagAttributeMap",
     NULL,
     {{NULL, NULL}},
     "the map as it is now against what was sent"},
    {"TagResource",
     "ListTagsForResource",
     {{"ResourceArn", "ResourceArn"}},
     "the tags sent, with the values sent"},
    {"UntagResource",
     "ListTagsForResource",
     {{"ResourceArn", "ResourceArn"}},
     "the keys sent are gone"},
    {"MergeDeveloperIdentities",
     "LookupDeveloperIdentity",
     {{"IdentityPoolId", "IdentityPoolId"}, {"DeveloperUserIdentifier", "SourceUserIdentifier"}},
     "the source user now belongs to the destination's identity"},
    {"UnlinkDeveloperIdentity",
     "LookupDeveloperIdentity",
     {{"IdentityPoolId", "IdentityPoolId"}, {"DeveloperUserIdentifier", "DeveloperUserIdentifier"}},
     "ResourceNotFoundException means it was unlinked"},
    {"UnlinkIdentity",
     "DescribeIdentity",
     {{"IdentityId", "IdentityId"}},
     "the providers removed are no longer in Logins"},
    {"GetOpenIdTokenForDeveloperIdentity",
     "DescribeIdentity",
     {{"IdentityId", "IdentityId"}},
     "the developer login is linked to the identity"},
    {"GetOpenIdTokenForDeveloperIdentity",
     "ListIdentities",
     {{"IdentityPoolId", "IdentityPoolId"}, {"MaxResults", "#60"}},
     "an identity that was not there before (every page)"},
    {"GetId",
     "ListIdentities",
     {{"IdentityPoolId", "IdentityPoolId"}, {"MaxResults", "#60"}},
     "an identity that was not there before (every page)"},
};

/* The value of `from` in input (see struct copy), new; NULL when absent. */
static json_object *value_of(json_object *input, const char *from)
{
    char name[64];
    json_object *v = NULL;
    const char *bracket = strchr(from, '[');

    if (from[0] == '#')
        return json_object_new_int(atoi(from + 1));
    snprintf(name, sizeof name, "%.*s", bracket ? (int)(bracket - from) : (int)strlen(from), from);
    if (!json_object_is_type(input, json_type_object) ||
        !json_object_object_get_ex(input, name, &v))
        return NULL;
    if (bracket) {
        if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) == 0)
            return NULL;
        v = json_object_array_get_idx(v, 0);
    }
    if (!v || json_object_is_type(v, json_type_null))
        return NULL;
    return json_object_get(v);
}

static int apply_rule(const struct rule *r, json_object *input, json_object **read_input)
{
    json_object *in = json_object_new_object();

    if (!in)
        return -1;
    for (size_t i = 0; i < sizeof r->copies / sizeof *r->copies && r->copies[i].to; i++) {
        json_object *v = value_of(input, r->copies[i].from);
        if (!v) {
            json_object_put(in);
            return -1;
        }
        json_object_object_add(in, r->copies[i].to, v);
    }
    *read_input = in;
    return 0;
}

int api_reconcile_check(const char *operation, json_object *input, const char **read_op,
                        json_object **read_input, const char **look_for, struct api_error *err)
{
    bool known = false;

    *read_op = NULL;
    *read_input = NULL;
    for (size_t i = 0; operation && i < sizeof rules / sizeof *rules; i++) {
        const struct rule *r = &rules[i];
        if (strcmp(r->operation, operation) != 0)
            continue;
        known = true;
        if (!r->read) {
            if (api_lost_update_read(operation, input, read_op, read_input, err) != 0)
                return -1;
        } else if (apply_rule(r, input, read_input) == 0) {
            *read_op = r->read;
        } else {
            continue;
        }
        if (look_for)
            *look_for = r->look_for;
        return 0;
    }
    if (known)
        return api_error_set(err, API_ERR_INVALID_INPUT,
                             "the input of %.100s lacks what the check needs", operation);
    return api_error_set(err, API_ERR_INVALID_INPUT,
                         "%.100s is not a change: there is nothing to reconcile",
                         operation ? operation : "(none)");
}

enum api_presence api_reconcile_presence(const struct api_error *read_err)
{
    if (!read_err || read_err->kind == API_ERR_NONE)
        return API_PRESENT;
    if (read_err->kind == API_ERR_AWS && strcmp(read_err->code, "ResourceNotFoundException") == 0)
        return API_GONE;
    return API_PRESENCE_UNKNOWN;
}

static bool listed(json_object *list, const char *id)
{
    if (!json_object_is_type(list, json_type_array))
        return false;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        const char *s = json_object_get_string(json_object_array_get_idx(list, i));
        if (s && strcmp(s, id) == 0)
            return true;
    }
    return false;
}

static const char *string_member(json_object *o, const char *name)
{
    json_object *v;
    if (!json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

int api_reconcile_pools_named(json_object *page, const char *name, json_object *before,
                              json_object *found)
{
    json_object *pools;
    int n = 0;

    if (!json_object_is_type(page, json_type_object) ||
        !json_object_object_get_ex(page, "IdentityPools", &pools) ||
        !json_object_is_type(pools, json_type_array))
        return 0;
    for (size_t i = 0; i < json_object_array_length(pools); i++) {
        json_object *p = json_object_array_get_idx(pools, i);
        const char *id = string_member(p, "IdentityPoolId");
        const char *pname = string_member(p, "IdentityPoolName");
        if (!id || !pname || !name || strcmp(pname, name) != 0 || listed(before, id))
            continue;
        json_object *o = json_object_new_object();
        if (!o || json_object_array_add(found, o) != 0) {
            json_object_put(o);
            return -1;
        }
        json_object_object_add(o, "IdentityPoolId", json_object_new_string(id));
        json_object_object_add(o, "IdentityPoolName", json_object_new_string(pname));
        n++;
    }
    return n;
}

struct named {
    const char *name;
    json_object *before, *found;
};

static int collect_named(void *ctx, json_object *page, struct api_error *err)
{
    struct named *n = ctx;
    if (api_reconcile_pools_named(page, n->name, n->before, n->found) < 0)
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    return 0;
}

int api_reconcile_created_pools(struct api_client *c, const char *name, json_object *before,
                                json_object **found, struct api_error *err)
{
    struct named n = {name, before, json_object_new_array()};
    json_object *in = json_object_new_object();

    *found = NULL;
    if (!n.found || !in) {
        json_object_put(n.found);
        json_object_put(in);
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    }
    json_object_object_add(in, "MaxResults", json_object_new_int(60));
    int rc = api_paginate(c, "ListIdentityPools", in, collect_named, &n, err);
    json_object_put(in);
    if (rc != 0) {
        json_object_put(n.found);
        return -1;
    }
    *found = n.found;
    return 0;
}

int api_reconcile_remaining_identities(struct api_client *c, json_object *ids,
                                       json_object **remaining, json_object **undecided,
                                       struct api_error *err)
{
    json_object *still = json_object_new_array(), *unsure = json_object_new_array();

    *remaining = NULL;
    if (undecided)
        *undecided = NULL;
    if (!still || !unsure)
        goto oom;
    for (size_t i = 0;
         json_object_is_type(ids, json_type_array) && i < json_object_array_length(ids); i++) {
        const char *id = json_object_get_string(json_object_array_get_idx(ids, i));
        json_object *in = json_object_new_object(), *out = NULL;
        struct api_error e;
        if (!in)
            goto oom;
        json_object_object_add(in, "IdentityId", json_object_new_string(id ? id : ""));
        api_call(c, "DescribeIdentity", in, &out, &e);
        json_object_put(in);
        json_object_put(out);
        enum api_presence p = api_reconcile_presence(&e);
        if (p != API_GONE && json_object_array_add(p == API_PRESENT ? still : unsure,
                                                   json_object_new_string(id ? id : "")) != 0)
            goto oom;
    }
    *remaining = still;
    if (undecided)
        *undecided = unsure;
    else
        json_object_put(unsure);
    return 0;
oom:
    json_object_put(still);
    json_object_put(unsure);
    return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
}

int api_reconcile_reread(struct api_client *c, const char *operation, json_object *sent,
                         json_object **current, json_object **differences, struct api_error *err)
{
    const char *read_op;
    json_object *in = NULL, *out = NULL;

    *current = NULL;
    *differences = NULL;
    if (api_lost_update_read(operation, sent, &read_op, &in, err) != 0)
        return -1;
    int rc = api_call(c, read_op, in, &out, err);
    json_object_put(in);
    if (rc != 0)
        return -1;
    json_object *diff = api_lost_update_compare(operation, NULL, sent, out, NULL);
    if (!diff) {
        json_object_put(out);
        return api_error_set(err, API_ERR_INVALID_INPUT, "out of memory");
    }
    *current = out;
    *differences = diff;
    return 0;
}
