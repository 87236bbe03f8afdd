/* tui/cmd_export.c — the `export` verb (contract in cmd_export.h).
 *
 * Columns (CSV header; the JSON rows use the same names, leaving out the
 * empty ones):
 *   pools       IdentityPoolId, IdentityPoolName
 *   identities  IdentityId, Logins (provider names joined with ';'),
 *               CreationDate, LastModifiedDate (ISO 8601 UTC)
 *   roles       IdentityPoolId, Kind, Key, RoleARN, MappingType,
 *               AmbiguousRoleResolution, Claim, MatchType, Value — one row a
 *               role (Kind "role", Key authenticated/unauthenticated), one a
 *               role mapping (Kind "mapping", Key the provider) and one a
 *               rule of a mapping (Kind "rule", in the mapping's order)
 *   tags        IdentityPoolId, Key, Value
 *
 * The tags ARN, arn:PARTITION:cognito-identity:REGION:ACCOUNT:identitypool/ID,
 * needs the account id, which no identity-pool answer carries. So:
 * --account ID when given; else api_account_id() (AWS_ACCOUNT_ID, the
 * profile's aws_account_id, STS GetCallerIdentity); a malformed setting
 * there is a configuration error, not something to guess around. Only when
 * STS cannot answer: the account of the first IAM ARN among
 * the pool's roles, rule roles, OIDC and SAML provider ARNs — the pool's own
 * account whenever its roles live beside it, as they normally do. It is
 * found once and reused: every pool ListIdentityPools shows belongs to the
 * caller's account. A wrong guess cannot mislabel data: the service answers
 * ResourceNotFound/AccessDenied for an ARN that is not the pool's, and that
 * error is reported.
 */
#include "tui/cmd_export.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/account.h"
#include "api/arn.h"
#include "api/pagination.h"
#include "tui/atomic_file.h"
#include "tui/cmd_call.h"
#include "tui/csv.h"
#include "tui/progress.h"

#define PAGE_SIZE 60

static const char *const pool_columns[] = {"IdentityPoolId", "IdentityPoolName"};
static const char *const identity_columns[] = {"IdentityId", "Logins", "CreationDate",
                                               "LastModifiedDate"};
static const char *const role_columns[] = {
    "IdentityPoolId",          "Kind",  "Key",       "RoleARN", "MappingType",
    "AmbiguousRoleResolution", "Claim", "MatchType", "Value"};
static const char *const tag_columns[] = {"IdentityPoolId", "Key", "Value"};

struct exporter {
    struct api_client *client;
    const struct api_config *config;
    FILE *out;
    bool terminal; /* out is a terminal: escape what it would obey */
    enum export_format format;
    const char *const *columns;
    size_t ncols;
    unsigned long rows, pages;
    struct progress progress;
    struct api_error err; /* kind != NONE once an api call failed */
    bool write_failed;
    bool begun; /* the JSON "[" or the CSV header row is out */
    const char *account_opt;
    char account[64]; /* found account, "" until known */
};

typedef int (*item_fn)(struct exporter *x, json_object *item);

void export_iso8601(double epoch, char *buf, size_t size)
{
    double whole = floor(epoch);
    long ms = lround((epoch - whole) * 1000.0);
    time_t t;
    struct tm tm;
    char base[32];

    if (ms >= 1000) {
        whole += 1;
        ms -= 1000;
    }
    t = (time_t)whole;
    if (!isfinite(epoch) || !gmtime_r(&t, &tm)) {
        snprintf(buf, size, "%.3f", epoch);
        return;
    }
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    if (ms)
        snprintf(buf, size, "%s.%03ldZ", base, ms);
    else
        snprintf(buf, size, "%sZ", base);
}

static const char *get_string(json_object *obj, const char *key)
{
    json_object *v;

    if (obj && json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return NULL;
}

static json_object *get_typed(json_object *obj, const char *key, enum json_type type)
{
    json_object *v;

    if (obj && json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, type))
        return v;
    return NULL;
}

/* ---- the row sink ---- */

static int emit(struct exporter *x, const char *text)
{
    if (x->write_failed)
        return -1;
    if (json_text_write(x->out, text, x->terminal) < 0) {
        x->write_failed = true;
        return -1;
    }
    return 0;
}

/* The opening ("[" or the CSV header) goes out with the first row, or at the
 * end of an export without rows: an export whose first call fails writes
 * nothing at all on its output. */
static int sink_begin(struct exporter *x)
{
    if (x->begun)
        return 0;
    x->begun = true;
    if (x->format == EXPORT_FORMAT_JSON)
        return emit(x, "[");
    if (csv_write_record(x->out, x->columns, x->ncols, false) < 0) {
        x->write_failed = true;
        return -1;
    }
    return 0;
}

/* A cell as text: strings as they are, arrays joined with ';', numbers and
 * booleans as JSON writes them, anything else as JSON. Caller frees. */
static char *cell_text(json_object *v)
{
    if (!v)
        return strdup("");
    if (json_object_is_type(v, json_type_string))
        return strdup(json_object_get_string(v));
    if (json_object_is_type(v, json_type_array)) {
        size_t n = json_object_array_length(v), len = 1;
        char *s;
        for (size_t i = 0; i < n; i++)
            len += strlen(json_object_get_string(json_object_array_get_idx(v, i))) + 1;
        s = malloc(len);
        if (!s)
            return NULL;
        s[0] = '\0';
        for (size_t i = 0; i < n; i++) {
            if (i)
                strcat(s, ";");
            strcat(s, json_object_get_string(json_object_array_get_idx(v, i)));
        }
        return s;
    }
    return strdup(
        json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* Writes one row (and drops the caller's reference to it). */
static int sink_row(struct exporter *x, json_object *row)
{
    int rc = 0;

    if (!row) {
        x->write_failed = true;
        return -1;
    }
    if (sink_begin(x) < 0) {
        json_object_put(row);
        return -1;
    }
    if (x->format == EXPORT_FORMAT_JSON) {
        rc = emit(x, x->rows ? ",\n" : "\n");
        if (rc == 0)
            rc = emit(x, json_object_to_json_string_ext(row, JSON_C_TO_STRING_PLAIN |
                                                                 JSON_C_TO_STRING_NOSLASHESCAPE));
    } else {
        char *cells[16] = {0};
        for (size_t i = 0; i < x->ncols && i < 16; i++) {
            json_object *v = NULL;
            json_object_object_get_ex(row, x->columns[i], &v);
            cells[i] = cell_text(v);
            if (!cells[i])
                rc = -1;
        }
        if (rc == 0 &&
            csv_write_record(x->out, (const char *const *)cells, x->ncols, x->terminal) < 0)
            rc = -1;
        for (size_t i = 0; i < x->ncols && i < 16; i++)
            free(cells[i]);
        if (rc < 0)
            x->write_failed = true;
    }
    json_object_put(row);
    if (rc == 0)
        x->rows++;
    return rc;
}

static int sink_end(struct exporter *x)
{
    if (sink_begin(x) < 0)
        return -1;
    if (x->format == EXPORT_FORMAT_JSON && emit(x, "\n]\n") < 0)
        return -1;
    if (fflush(x->out) != 0 || ferror(x->out)) {
        x->write_failed = true;
        return -1;
    }
    return 0;
}

static void add_string(json_object *row, const char *key, const char *value)
{
    if (value)
        json_object_object_add(row, key, json_object_new_string(value));
}

/* ---- calls ---- */

/* api_call with the failure kept in x->err. Returns the output or NULL. */
static json_object *call(struct exporter *x, const char *op, json_object *input)
{
    json_object *output = NULL;
    struct api_error e;

    api_error_clear(&e);
    if (api_call(x->client, op, input, &output, &e) < 0) {
        x->err = e;
        return NULL;
    }
    return output;
}

/* Walks every page of a paginated operation; `input` is borrowed and gets
 * MaxResults and NextToken. Each element of the page's `list` member goes
 * to fn before the next page is asked for; the page is then freed, so only
 * one page is ever held. */
static int walk_pages(struct exporter *x, const char *op, json_object *input, const char *list,
                      item_fn fn)
{
    struct api_page_walk walk = API_PAGE_WALK_INIT;
    int rc = 0;

    json_object_object_add(input, "MaxResults", json_object_new_int(PAGE_SIZE));
    for (;;) {
        json_object *page = call(x, op, input), *items;
        enum api_page_step step;

        if (!page) {
            rc = -1;
            break;
        }
        x->pages++;
        items = get_typed(page, list, json_type_array);
        for (size_t i = 0; items && i < json_object_array_length(items) && rc == 0; i++)
            rc = fn(x, json_object_array_get_idx(items, i));
        progress_update(&x->progress, x->pages, x->rows);
        step = rc < 0 ? API_PAGE_DONE : api_page_advance(&walk, page);
        json_object_put(page);
        if (api_page_error(step, &walk, op, &x->err) < 0)
            rc = -1;
        if (step != API_PAGE_NEXT)
            break;
        json_object_object_add(input, "NextToken", json_object_new_string(walk.token));
    }
    api_page_walk_free(&walk);
    return rc;
}

static json_object *pool_input(const char *pool_id)
{
    json_object *in = json_object_new_object();

    json_object_object_add(in, "IdentityPoolId", json_object_new_string(pool_id));
    return in;
}

/* ---- pools ---- */

static int pool_row(struct exporter *x, json_object *item)
{
    json_object *row = json_object_new_object();

    add_string(row, "IdentityPoolId", get_string(item, "IdentityPoolId"));
    add_string(row, "IdentityPoolName", get_string(item, "IdentityPoolName"));
    return sink_row(x, row);
}

/* ---- identities ---- */

static void add_date(json_object *row, const char *key, json_object *item)
{
    json_object *v;
    char buf[40];

    if (!json_object_object_get_ex(item, key, &v) || !v)
        return;
    if (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)) {
        export_iso8601(json_object_get_double(v), buf, sizeof buf);
        add_string(row, key, buf);
    } else if (json_object_is_type(v, json_type_string)) {
        add_string(row, key, json_object_get_string(v));
    }
}

static int identity_row(struct exporter *x, json_object *item)
{
    json_object *row = json_object_new_object(), *logins;

    add_string(row, "IdentityId", get_string(item, "IdentityId"));
    logins = get_typed(item, "Logins", json_type_array);
    json_object_object_add(row, "Logins",
                           logins ? json_object_get(logins) : json_object_new_array());
    add_date(row, "CreationDate", item);
    add_date(row, "LastModifiedDate", item);
    return sink_row(x, row);
}

/* ---- roles ---- */

static json_object *role_row(const char *pool, const char *kind, const char *key)
{
    json_object *row = json_object_new_object();

    add_string(row, "IdentityPoolId", pool);
    add_string(row, "Kind", kind);
    add_string(row, "Key", key);
    return row;
}

static int roles_of_pool(struct exporter *x, const char *pool)
{
    json_object *in = pool_input(pool), *out = call(x, "GetIdentityPoolRoles", in), *roles, *maps;
    int rc = 0;

    json_object_put(in);
    if (!out)
        return -1;
    roles = get_typed(out, "Roles", json_type_object);
    maps = get_typed(out, "RoleMappings", json_type_object);
    if (roles) {
        json_object_object_foreach(roles, type, arn)
        {
            json_object *row = role_row(pool, "role", type);
            add_string(row, "RoleARN", json_object_get_string(arn));
            if (rc == 0)
                rc = sink_row(x, row);
            else
                json_object_put(row);
        }
    }
    if (maps) {
        json_object_object_foreach(maps, provider, mapping)
        {
            json_object *row = role_row(pool, "mapping", provider), *rules;
            add_string(row, "MappingType", get_string(mapping, "Type"));
            add_string(row, "AmbiguousRoleResolution",
                       get_string(mapping, "AmbiguousRoleResolution"));
            if (rc == 0)
                rc = sink_row(x, row);
            else
                json_object_put(row);
            rules = get_typed(get_typed(mapping, "RulesConfiguration", json_type_object), "Rules",
                              json_type_array);
            for (size_t i = 0; rules && rc == 0 && i < json_object_array_length(rules); i++) {
                json_object *rule = json_object_array_get_idx(rules, i);
                row = role_row(pool, "rule", provider);
                add_string(row, "RoleARN", get_string(rule, "RoleARN"));
                add_string(row, "Claim", get_string(rule, "Claim"));
                add_string(row, "MatchType", get_string(rule, "MatchType"));
                add_string(row, "Value", get_string(rule, "Value"));
                rc = sink_row(x, row);
            }
        }
    }
    json_object_put(out);
    return rc;
}

static int roles_item(struct exporter *x, json_object *item)
{
    const char *pool = get_string(item, "IdentityPoolId");

    return pool ? roles_of_pool(x, pool) : 0;
}

/* ---- tags ---- */

/* Takes the account from an IAM ARN (arn:PART:iam::ACCOUNT:...). */
static bool account_from_arn(struct exporter *x, const char *arn)
{
    return api_account_from_arn(arn, x->account, sizeof x->account, NULL, 0);
}

static bool account_from_list(struct exporter *x, json_object *list)
{
    for (size_t i = 0; list && i < json_object_array_length(list); i++)
        if (account_from_arn(x, json_object_get_string(json_object_array_get_idx(list, i))))
            return true;
    return false;
}

static bool account_from_roles(struct exporter *x, json_object *roles_out)
{
    json_object *roles = get_typed(roles_out, "Roles", json_type_object);
    json_object *maps = get_typed(roles_out, "RoleMappings", json_type_object);

    if (roles) {
        json_object_object_foreach(roles, type, arn)
        {
            (void)type;
            if (account_from_arn(x, json_object_get_string(arn)))
                return true;
        }
    }
    if (maps) {
        json_object_object_foreach(maps, provider, mapping)
        {
            json_object *rules =
                get_typed(get_typed(mapping, "RulesConfiguration", json_type_object), "Rules",
                          json_type_array);
            (void)provider;
            for (size_t i = 0; rules && i < json_object_array_length(rules); i++)
                if (account_from_arn(x, get_string(json_object_array_get_idx(rules, i), "RoleARN")))
                    return true;
        }
    }
    return false;
}

/* Makes sure x->account is known (see the comment at the top). */
static int find_account(struct exporter *x, const char *pool)
{
    json_object *in, *out;
    bool found;
    struct api_error lookup;
    char id[API_ACCOUNT_ID_LEN + 1];

    if (x->account[0])
        return 0;
    if (x->account_opt) {
        snprintf(x->account, sizeof x->account, "%s", x->account_opt);
        return 0;
    }
    api_error_clear(&lookup);
    if (api_account_id(x->config, id, sizeof id, &lookup) == 0) {
        snprintf(x->account, sizeof x->account, "%s", id);
        return 0;
    }
    if (lookup.kind == API_ERR_CREDENTIALS) {
        x->err = lookup;
        return -1;
    }
    in = pool_input(pool);
    out = call(x, "GetIdentityPoolRoles", in);
    found = out && account_from_roles(x, out);
    json_object_put(out);
    if (!found && x->err.kind == API_ERR_NONE) {
        out = call(x, "DescribeIdentityPool", in);
        found =
            out &&
            (account_from_list(x, get_typed(out, "OpenIdConnectProviderARNs", json_type_array)) ||
             account_from_list(x, get_typed(out, "SamlProviderARNs", json_type_array)));
        json_object_put(out);
    }
    json_object_put(in);
    if (found)
        return 0;
    if (x->err.kind == API_ERR_NONE)
        api_error_set(&x->err, API_ERR_INVALID_INPUT,
                      "the tags ARN needs the account id, STS could not give it (%.300s) and "
                      "pool %s names no IAM ARN to take it from: give --account ID",
                      lookup.message, pool);
    return -1;
}

static int tags_of_pool(struct exporter *x, const char *pool)
{
    json_object *in, *out, *tags;
    char arn[512];
    int rc = 0;

    if (find_account(x, pool) < 0)
        return -1;
    if (api_pool_arn(x->config->region, x->account, pool, arn, sizeof arn) < 0)
        return api_error_set(&x->err, API_ERR_INVALID_INPUT, "pool %s: no ARN can be made for it",
                             pool);
    in = json_object_new_object();
    json_object_object_add(in, "ResourceArn", json_object_new_string(arn));
    out = call(x, "ListTagsForResource", in);
    json_object_put(in);
    if (!out)
        return -1;
    tags = get_typed(out, "Tags", json_type_object);
    if (tags) {
        json_object_object_foreach(tags, key, value)
        {
            json_object *row = json_object_new_object();
            add_string(row, "IdentityPoolId", pool);
            add_string(row, "Key", key);
            add_string(row, "Value", json_object_get_string(value));
            if (rc == 0)
                rc = sink_row(x, row);
            else
                json_object_put(row);
        }
    }
    json_object_put(out);
    return rc;
}

static int tags_item(struct exporter *x, json_object *item)
{
    const char *pool = get_string(item, "IdentityPoolId");

    return pool ? tags_of_pool(x, pool) : 0;
}

/* ---- pool-backup ---- */

/* Adds to `list` the principal tag map of one provider, when one is set. */
static int backup_principal_tags(struct exporter *x, const char *pool, const char *provider,
                                 json_object *list)
{
    json_object *in = pool_input(pool), *out, *tags, *use_defaults;
    int rc = 0;

    json_object_object_add(in, "IdentityProviderName", json_object_new_string(provider));
    out = call(x, "GetPrincipalTagAttributeMap", in);
    if (!out) {
        /* No map for this provider is not a failure of the backup. */
        if (x->err.kind == API_ERR_AWS && strcmp(x->err.code, "ResourceNotFoundException") == 0) {
            api_error_clear(&x->err);
            json_object_put(in);
            return 0;
        }
        json_object_put(in);
        return -1;
    }
    tags = get_typed(out, "PrincipalTags", json_type_object);
    use_defaults = get_typed(out, "UseDefaults", json_type_boolean);
    if ((tags && json_object_object_length(tags) > 0) ||
        (use_defaults && json_object_get_boolean(use_defaults))) {
        json_object_object_add(
            in, "UseDefaults",
            json_object_new_boolean(use_defaults && json_object_get_boolean(use_defaults)));
        if (tags)
            json_object_object_add(in, "PrincipalTags", json_object_get(tags));
        json_object_array_add(list, json_object_get(in));
    }
    json_object_put(out);
    json_object_put(in);
    return rc;
}

static int backup_providers(struct exporter *x, const char *pool, json_object *describe,
                            json_object *list)
{
    json_object *logins = get_typed(describe, "SupportedLoginProviders", json_type_object);
    json_object *cognito = get_typed(describe, "CognitoIdentityProviders", json_type_array);
    const char *arn_lists[] = {"OpenIdConnectProviderARNs", "SamlProviderARNs"};

    if (logins) {
        json_object_object_foreach(logins, provider, app)
        {
            (void)app;
            if (backup_principal_tags(x, pool, provider, list) < 0)
                return -1;
        }
    }
    for (size_t i = 0; cognito && i < json_object_array_length(cognito); i++) {
        const char *name = get_string(json_object_array_get_idx(cognito, i), "ProviderName");
        if (name && backup_principal_tags(x, pool, name, list) < 0)
            return -1;
    }
    for (size_t k = 0; k < 2; k++) {
        json_object *arns = get_typed(describe, arn_lists[k], json_type_array);
        for (size_t i = 0; arns && i < json_object_array_length(arns); i++) {
            const char *arn = json_object_get_string(json_object_array_get_idx(arns, i));
            if (arn && backup_principal_tags(x, pool, arn, list) < 0)
                return -1;
        }
    }
    return 0;
}

static int pool_backup(struct exporter *x, const char *pool)
{
    json_object *in = pool_input(pool), *describe = NULL, *roles = NULL, *doc = NULL;
    json_object *create, *set_roles, *tag_maps, *v;
    int rc = -1;

    describe = call(x, "DescribeIdentityPool", in);
    if (!describe)
        goto out;
    roles = call(x, "GetIdentityPoolRoles", in);
    if (!roles)
        goto out;

    doc = json_object_new_object();
    json_object_object_add(doc, "SourceIdentityPoolId", json_object_new_string(pool));
    json_object_object_add(doc, "Region", json_object_new_string(x->config->region));

    /* CreateIdentityPool's input is DescribeIdentityPool's output less the id;
     * the pool's tags travel in it as IdentityPoolTags. */
    create = NULL;
    if (json_object_deep_copy(describe, &create, NULL) != 0 || !create)
        goto out;
    json_object_object_del(create, "IdentityPoolId");
    json_object_object_add(doc, "CreateIdentityPool", create);

    set_roles = pool_input(pool);
    v = get_typed(roles, "Roles", json_type_object);
    json_object_object_add(set_roles, "Roles", v ? json_object_get(v) : json_object_new_object());
    v = get_typed(roles, "RoleMappings", json_type_object);
    if (v && json_object_object_length(v) > 0)
        json_object_object_add(set_roles, "RoleMappings", json_object_get(v));
    json_object_object_add(doc, "SetIdentityPoolRoles", set_roles);

    tag_maps = json_object_new_array();
    json_object_object_add(doc, "SetPrincipalTagAttributeMap", tag_maps);
    if (backup_providers(x, pool, describe, tag_maps) < 0)
        goto out;

    if (emit(x, json_object_to_json_string_ext(doc, CLI_JSON_PRETTY)) == 0 && emit(x, "\n") == 0 &&
        fflush(x->out) == 0)
        rc = 0;
    else
        x->write_failed = true;
    x->rows = 1;
out:
    json_object_put(doc);
    json_object_put(roles);
    json_object_put(describe);
    json_object_put(in);
    return rc;
}

/* ---- the verb ---- */

static int run_export(struct exporter *x, const struct export_options *opt)
{
    json_object *in;
    int rc;

    switch (opt->kind) {
    case EXPORT_POOL_BACKUP:
        return pool_backup(x, opt->pool);
    case EXPORT_POOLS:
        x->columns = pool_columns;
        x->ncols = sizeof pool_columns / sizeof pool_columns[0];
        break;
    case EXPORT_IDENTITIES:
        x->columns = identity_columns;
        x->ncols = sizeof identity_columns / sizeof identity_columns[0];
        break;
    case EXPORT_ROLES:
        x->columns = role_columns;
        x->ncols = sizeof role_columns / sizeof role_columns[0];
        break;
    case EXPORT_TAGS:
        x->columns = tag_columns;
        x->ncols = sizeof tag_columns / sizeof tag_columns[0];
        break;
    }
    switch (opt->kind) {
    case EXPORT_POOLS:
        in = json_object_new_object();
        rc = walk_pages(x, "ListIdentityPools", in, "IdentityPools", pool_row);
        json_object_put(in);
        break;
    case EXPORT_IDENTITIES:
        in = pool_input(opt->pool);
        rc = walk_pages(x, "ListIdentities", in, "Identities", identity_row);
        json_object_put(in);
        break;
    case EXPORT_ROLES:
    case EXPORT_TAGS:
        if (opt->pool) {
            rc = opt->kind == EXPORT_ROLES ? roles_of_pool(x, opt->pool)
                                           : tags_of_pool(x, opt->pool);
            x->pages = 1;
            progress_update(&x->progress, x->pages, x->rows);
        } else {
            in = json_object_new_object();
            rc = walk_pages(x, "ListIdentityPools", in, "IdentityPools",
                            opt->kind == EXPORT_ROLES ? roles_item : tags_item);
            json_object_put(in);
        }
        break;
    default:
        rc = -1;
        break;
    }
    if (rc == 0)
        rc = sink_end(x);
    return rc;
}

static bool valid_account(const char *s)
{
    size_t n = strlen(s);

    if (n != 12)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

int cmd_export_run(const struct command_line *cl, FILE *out, FILE *err)
{
    const struct export_options *opt = &cl->export_;
    struct cli_session s;
    struct exporter x;
    struct atomic_file *af = NULL;
    struct api_error e;
    char why[1024] = "";
    int rc;

    if (opt->account && !valid_account(opt->account))
        return cli_report(err, 2, "Usage", "--account must be a 12-digit AWS account id");

    api_error_clear(&e);
    if (cli_session_open(&s, &cl->global, &e) < 0)
        return cli_report_error(err, &e);

    memset(&x, 0, sizeof x);
    x.client = s.client;
    x.config = &s.config;
    x.format = opt->format;
    x.account_opt = opt->account;
    if (opt->output && strcmp(opt->output, "-") != 0) {
        af = atomic_file_open(opt->output, why, sizeof why);
        if (!af) {
            cli_session_close(&s);
            return cli_report(err, 2, "Output", why);
        }
        x.out = atomic_file_stream(af);
    } else {
        x.out = out;
        x.terminal = isatty(fileno(out));
    }
    /* Rows going to the terminal are progress enough; a progress line
     * rewritten in place between them would garble both. */
    progress_begin(&x.progress, x.terminal ? NULL : err, export_kind_name(opt->kind));

    rc = run_export(&x, opt);
    progress_end(&x.progress);

    if (rc == 0 && af) {
        if (atomic_file_commit(af, why, sizeof why) < 0) {
            x.write_failed = true;
            rc = -1;
        }
        af = NULL;
    }
    if (af)
        atomic_file_abort(af); /* the old file stays as it was */
    if (rc == 0) {
        /* done */
    } else if (x.err.kind != API_ERR_NONE) {
        rc = cli_report_error(err, &x.err);
    } else if (x.write_failed) {
        if (!why[0])
            snprintf(why, sizeof why, "cannot write to %.900s",
                     af || (opt->output && strcmp(opt->output, "-") != 0) ? opt->output : "stdout");
        rc = cli_report(err, 1, "Output", why);
    } else {
        rc = cli_report(err, 1, "Output", "export failed");
    }
    cli_session_close(&s);
    return rc;
}
