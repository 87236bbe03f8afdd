/* tui/identity_filter.c — prune's matching rules (identity_filter.h). */
#include "tui/identity_filter.h"

#include <stdio.h>
#include <string.h>

#include "tui/cmd_export.h"

static bool get_time(json_object *item, const char *key, double *out)
{
    json_object *v;

    if (!json_object_object_get_ex(item, key, &v))
        return false;
    if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
        return false;
    *out = json_object_get_double(v);
    return true;
}

int identity_record_from_json(json_object *item, struct identity_record *out)
{
    json_object *v;

    memset(out, 0, sizeof *out);
    if (!json_object_is_type(item, json_type_object) ||
        !json_object_object_get_ex(item, "IdentityId", &v) ||
        !json_object_is_type(v, json_type_string) || json_object_get_string_len(v) == 0)
        return -1;
    out->id = json_object_get_string(v);
    if (json_object_object_get_ex(item, "Logins", &v) && json_object_is_type(v, json_type_array)) {
        out->logins = v;
        out->n_logins = json_object_array_length(v);
    }
    out->has_created = get_time(item, "CreationDate", &out->created);
    out->has_modified = get_time(item, "LastModifiedDate", &out->modified);
    return 0;
}

const char *identity_record_login(const struct identity_record *r, size_t i)
{
    json_object *v;

    if (!r->logins || i >= r->n_logins)
        return NULL;
    v = json_object_array_get_idx(r->logins, i);
    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

bool identity_filter_any(const struct identity_filter *f)
{
    return f->unauthenticated || f->provider || f->has_modified_before || f->idle_days > 0 ||
           f->has_created_before || f->disabled;
}

bool identity_filter_matches(const struct identity_filter *f, const struct identity_record *r)
{
    if (f->unauthenticated && r->n_logins != 0)
        return false;
    if (f->provider) {
        bool found = false;
        for (size_t i = 0; i < r->n_logins && !found; i++) {
            const char *p = identity_record_login(r, i);
            found = p && strcmp(p, f->provider) == 0;
        }
        if (!found)
            return false;
    }
    if (f->has_modified_before && !(r->has_modified && r->modified < f->modified_before))
        return false;
    if (f->has_created_before && !(r->has_created && r->created < f->created_before))
        return false;
    return true;
}

static void add(char *buf, size_t size, size_t *len, const char *text)
{
    if (*len >= size)
        return;
    int n = snprintf(buf + *len, size - *len, "%s%s", *len ? ", " : "", text);
    if (n > 0)
        *len += (size_t)n;
}

char *identity_filter_describe(const struct identity_filter *f, bool resolved, char *buf,
                               size_t size)
{
    char part[512], when[40];
    size_t len = 0;

    if (size)
        buf[0] = '\0';
    if (f->unauthenticated)
        add(buf, size, &len, "unauthenticated");
    if (f->provider) {
        snprintf(part, sizeof part, "provider %.400s", f->provider);
        add(buf, size, &len, part);
    }
    if (f->has_modified_before || f->idle_days > 0) {
        if (f->idle_days > 0 && !resolved) {
            snprintf(part, sizeof part, "idle %d days", f->idle_days);
        } else {
            export_iso8601(f->modified_before, when, sizeof when);
            snprintf(part, sizeof part, "modified before %s", when);
        }
        add(buf, size, &len, part);
    }
    if (f->has_created_before) {
        export_iso8601(f->created_before, when, sizeof when);
        snprintf(part, sizeof part, "created before %s", when);
        add(buf, size, &len, part);
    }
    if (f->disabled)
        add(buf, size, &len, "disabled");
    return buf;
}
