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
 *
 * The kinds are one table (kinds[] below): name, columns, which options
 * apply, and the function that writes them; the option checks and the
 * dispatch both read it.
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

#define PAGE_SIZE   60
#define MAX_COLUMNS 16

#define PLAIN_JSON (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

static const char *const pool_columns[] = {"IdentityPoolId", "IdentityPoolName"};
static const char *const identity_columns[] = {"IdentityId", "Logins", "CreationDate",
                                               "LastModifiedDate"};
static const char *const role_columns[] = {
    "IdentityPoolId",          "Kind",  "Key",       "RoleARN", "MappingType",
    "AmbiguousRoleResolution", "Claim", "MatchType", "Value"};
static const char *const tag_columns[] = {"IdentityPoolId", "Key", "Value"};

struct exporter {
    const struct export_source *src;
    FILE *out;
    bool terminal; /* out is a terminal: escape what it would obey */
    enum export_format format;
    const char *const *columns;
    size_t ncols;
    struct progress progress;
    struct export_result *res;
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

/* ---- reading answers: any JSON value where a string is expected ---- */

static json_object *member(json_object *obj, const char *key)
{
    json_object *v = NULL;

    /* json-c answers false for a non-object (and a NULL) obj. */
    return json_object_object_get_ex(obj, key, &v) ? v : NULL;
}

/* A string member, or NULL: for what is sent back to the service (ids). */
static const char *get_string(json_object *obj, const char *key)
{
    json_object *v = member(obj, key);

    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static json_object *get_typed(json_object *obj, const char *key, enum json_type type)
{
    json_object *v = member(obj, key);

    return v && json_object_is_type(v, type) ? v : NULL;
}

/* The text of a value where a string is expected: a string as it is, any
 * other value as its JSON text, NULL for none (absent or null). *len gets
 * its length: a string may hold a NUL ("a\u0000b") and the text after it
 * is kept. Valid until v is changed or freed. */
static const char *as_text(json_object *v, size_t *len)
{
    const char *s;

    *len = 0;
    if (!v)
        return NULL;
    if (json_object_is_type(v, json_type_string)) {
        *len = (size_t)json_object_get_string_len(v);
        return json_object_get_string(v);
    }
    s = json_object_to_json_string_ext(v, PLAIN_JSON);
    *len = s ? strlen(s) : 0;
    return s;
}

/* A new JSON string of v's text (as_text), or NULL when it has none. */
static json_object *text_of(json_object *v)
{
    size_t len;
    const char *s = as_text(v, &len);

    return s ? json_object_new_string_len(s, (int)len) : NULL;
}

/* ---- the row sink ---- */

static int write_failed(struct exporter *x)
{
    x->res->write_failed = true;
    return -1;
}

static int emit(struct exporter *x, const char *text)
{
    if (x->res->write_failed)
        return -1;
    if (json_text_write(x->out, text, x->terminal) < 0)
        return write_failed(x);
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
    if (csv_write_record(x->out, x->columns, x->ncols, false) < 0)
        return write_failed(x);
    return 0;
}

/* A CSV cell: a string as it is, a list joined with ';' (rows hold nothing
 * else, but any value is written as its text); *len its length (NULs
 * inside are kept). Caller frees. */
static char *cell_text(json_object *v, size_t *len)
{
    bool list = json_object_is_type(v, json_type_array);
    size_t n = list ? json_object_array_length(v) : 1, m, total = 1;
    const char *s;

    for (size_t i = 0; i < n; i++) {
        as_text(list ? json_object_array_get_idx(v, i) : v, &m);
        total += m + 1;
    }
    char *cell = malloc(total), *p = cell;
    if (!cell)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        s = as_text(list ? json_object_array_get_idx(v, i) : v, &m);
        if (i)
            *p++ = ';';
        if (m)
            memcpy(p, s, m);
        p += m;
    }
    *p = '\0';
    *len = (size_t)(p - cell);
    return cell;
}

/* Writes one row (and drops the caller's reference to it). */
static int sink_row(struct exporter *x, json_object *row)
{
    int rc = 0;

    if (!row)
        return write_failed(x); /* out of memory */
    if (sink_begin(x) < 0) {
        json_object_put(row);
        return -1;
    }
    if (x->format == EXPORT_FORMAT_JSON) {
        rc = emit(x, x->res->rows ? ",\n" : "\n");
        if (rc == 0)
            rc = emit(x, json_object_to_json_string_ext(row, PLAIN_JSON));
    } else {
        char *cells[MAX_COLUMNS] = {0};
        size_t lens[MAX_COLUMNS] = {0};
        for (size_t i = 0; i < x->ncols; i++)
            if (!(cells[i] = cell_text(member(row, x->columns[i]), &lens[i])))
                rc = -1;
        if (rc == 0 && csv_write_record_len(x->out, (const char *const *)cells, lens, x->ncols,
                                            x->terminal) < 0)
            rc = -1;
        for (size_t i = 0; i < x->ncols; i++)
            free(cells[i]);
        if (rc < 0)
            write_failed(x);
    }
    json_object_put(row);
    if (rc == 0)
        x->res->rows++;
    return rc;
}

static int sink_end(struct exporter *x)
{
    if (sink_begin(x) < 0)
        return -1;
    if (x->format == EXPORT_FORMAT_JSON && emit(x, "\n]\n") < 0)
        return -1;
    if (fflush(x->out) != 0 || ferror(x->out))
        return write_failed(x);
    return 0;
}

/* Adds `value`'s text under key, unless there is none. */
static void add_text(json_object *row, const char *key, json_object *value)
{
    json_object *s = text_of(value);

    if (s)
        json_object_object_add(row, key, s);
}

static void add_string(json_object *row, const char *key, const char *value)
{
    if (value)
        json_object_object_add(row, key, json_object_new_string(value));
}

/* A list of strings under key: each item's text (nulls left out); a single
 * value where a list is expected is a list of one. */
static void add_list(json_object *row, const char *key, json_object *value)
{
    json_object *list = json_object_new_array();
    size_t n = json_object_is_type(value, json_type_array) ? json_object_array_length(value) : 0;

    if (!list)
        return;
    if (value && !json_object_is_type(value, json_type_array))
        json_object_array_add(list, text_of(value));
    for (size_t i = 0; i < n; i++) {
        json_object *s = text_of(json_object_array_get_idx(value, i));
        if (s)
            json_object_array_add(list, s);
    }
    json_object_object_add(row, key, list);
}

/* ---- calls ---- */

/* The source's call with the failure kept in the result. Returns the output
 * or NULL. */
static json_object *call(struct exporter *x, const char *op, json_object *input)
{
    json_object *output = NULL;
    struct api_error e;

    api_error_clear(&e);
    if (x->src->call(x->src->ctx, op, input, &output, &e) < 0) {
        x->res->err = e;
        json_object_put(output);
        return NULL;
    }
    if (!output)
        output = json_object_new_object();
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
        x->res->pages++;
        items = get_typed(page, list, json_type_array);
        for (size_t i = 0; items && i < json_object_array_length(items) && rc == 0; i++) {
            json_object *item = json_object_array_get_idx(items, i);
            if (json_object_is_type(item, json_type_object)) /* a null or a scalar is no row */
                rc = fn(x, item);
        }
        progress_update(&x->progress, x->res->pages, x->res->rows);
        step = rc < 0 ? API_PAGE_DONE : api_page_advance(&walk, page);
        json_object_put(page);
        if (api_page_error(step, &walk, op, &x->res->err) < 0)
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

/* Runs fn on every pool of the account (roles and tags without --pool). */
static int each_pool(struct exporter *x, item_fn fn)
{
    json_object *in = json_object_new_object();
    int rc = walk_pages(x, "ListIdentityPools", in, "IdentityPools", fn);

    json_object_put(in);
    return rc;
}

/* ---- pools ---- */

static int pool_row(struct exporter *x, json_object *item)
{
    json_object *row = json_object_new_object();

    add_text(row, "IdentityPoolId", member(item, "IdentityPoolId"));
    add_text(row, "IdentityPoolName", member(item, "IdentityPoolName"));
    return sink_row(x, row);
}

static int run_pools(struct exporter *x, const char *pool)
{
    (void)pool;
    return each_pool(x, pool_row);
}

/* ---- identities ---- */

static void add_date(json_object *row, const char *key, json_object *item)
{
    json_object *v = member(item, key);
    char buf[40];

    if (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)) {
        export_iso8601(json_object_get_double(v), buf, sizeof buf);
        add_string(row, key, buf);
    } else {
        add_text(row, key, v);
    }
}

static int identity_row(struct exporter *x, json_object *item)
{
    json_object *row = json_object_new_object();

    add_text(row, "IdentityId", member(item, "IdentityId"));
    add_list(row, "Logins", member(item, "Logins"));
    add_date(row, "CreationDate", item);
    add_date(row, "LastModifiedDate", item);
    return sink_row(x, row);
}

static int run_identities(struct exporter *x, const char *pool)
{
    json_object *in = pool_input(pool);
    int rc = walk_pages(x, "ListIdentities", in, "Identities", identity_row);

    json_object_put(in);
    return rc;
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
            add_text(row, "RoleARN", arn);
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
            add_text(row, "MappingType", member(mapping, "Type"));
            add_text(row, "AmbiguousRoleResolution", member(mapping, "AmbiguousRoleResolution"));
            if (rc == 0)
                rc = sink_row(x, row);
            else
                json_object_put(row);
            rules = get_typed(get_typed(mapping, "RulesConfiguration", json_type_object), "Rules",
                              json_type_array);
            for (size_t i = 0; rules && rc == 0 && i < json_object_array_length(rules); i++) {
                json_object *rule = json_object_array_get_idx(rules, i);
                row = role_row(pool, "rule", provider);
                add_text(row, "RoleARN", member(rule, "RoleARN"));
                add_text(row, "Claim", member(rule, "Claim"));
                add_text(row, "MatchType", member(rule, "MatchType"));
                add_text(row, "Value", member(rule, "Value"));
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

static int run_roles(struct exporter *x, const char *pool)
{
    if (!pool)
        return each_pool(x, roles_item);
    x->res->pages = 1;
    int rc = roles_of_pool(x, pool);
    progress_update(&x->progress, x->res->pages, x->res->rows);
    return rc;
}

/* ---- tags ---- */

/* Takes the account from an IAM ARN (arn:PART:iam::ACCOUNT:...). */
static bool account_from_arn(struct exporter *x, json_object *arn)
{
    return json_object_is_type(arn, json_type_string) &&
           api_account_from_arn(json_object_get_string(arn), x->account, sizeof x->account, NULL,
                                0);
}

static bool account_from_list(struct exporter *x, json_object *list)
{
    for (size_t i = 0; list && i < json_object_array_length(list); i++)
        if (account_from_arn(x, json_object_array_get_idx(list, i)))
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
            if (account_from_arn(x, arn))
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
                if (account_from_arn(x, member(json_object_array_get_idx(rules, i), "RoleARN")))
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
    if (!x->src->config)
        api_error_set(&lookup, API_ERR_CREDENTIALS, "no configuration to ask STS with");
    else if (api_account_id(x->src->config, id, sizeof id, &lookup) == 0) {
        snprintf(x->account, sizeof x->account, "%s", id);
        return 0;
    } else if (lookup.kind == API_ERR_CREDENTIALS) {
        x->res->err = lookup;
        return -1;
    }
    in = pool_input(pool);
    out = call(x, "GetIdentityPoolRoles", in);
    found = out && account_from_roles(x, out);
    json_object_put(out);
    if (!found && x->res->err.kind == API_ERR_NONE) {
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
    if (x->res->err.kind == API_ERR_NONE)
        api_error_set(&x->res->err, API_ERR_INVALID_INPUT,
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
    if (api_pool_arn(x->src->region, x->account, pool, arn, sizeof arn) < 0)
        return api_error_set(&x->res->err, API_ERR_INVALID_INPUT,
                             "pool %s: no ARN can be made for it", pool);
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
            add_text(row, "Value", value);
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

static int run_tags(struct exporter *x, const char *pool)
{
    if (!pool)
        return each_pool(x, tags_item);
    x->res->pages = 1;
    int rc = tags_of_pool(x, pool);
    progress_update(&x->progress, x->res->pages, x->res->rows);
    return rc;
}

/* ---- pool-backup ---- */

/* Adds to `list` the principal tag map of one provider, when one is set. */
static int backup_principal_tags(struct exporter *x, const char *pool, const char *provider,
                                 json_object *list)
{
    json_object *in = pool_input(pool), *out, *tags, *use_defaults;

    json_object_object_add(in, "IdentityProviderName", json_object_new_string(provider));
    out = call(x, "GetPrincipalTagAttributeMap", in);
    if (!out) {
        /* No map for this provider is not a failure of the backup. */
        if (x->res->err.kind == API_ERR_AWS &&
            strcmp(x->res->err.code, "ResourceNotFoundException") == 0) {
            api_error_clear(&x->res->err);
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
    return 0;
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
            json_object *arn = json_object_array_get_idx(arns, i);
            if (json_object_is_type(arn, json_type_string) &&
                backup_principal_tags(x, pool, json_object_get_string(arn), list) < 0)
                return -1;
        }
    }
    return 0;
}

static int run_pool_backup(struct exporter *x, const char *pool)
{
    json_object *in = pool_input(pool), *describe = NULL, *roles = NULL, *doc = NULL;
    json_object *create, *set_roles, *tag_maps, *v;
    int rc = -1;

    describe = call(x, "DescribeIdentityPool", in);
    if (!describe)
        goto out;
    if (!json_object_is_type(describe, json_type_object)) {
        api_error_set(&x->res->err, API_ERR_HTTP,
                      "DescribeIdentityPool answered with something that is not a pool");
        goto out;
    }
    roles = call(x, "GetIdentityPoolRoles", in);
    if (!roles)
        goto out;

    doc = json_object_new_object();
    json_object_object_add(doc, "SourceIdentityPoolId", json_object_new_string(pool));
    json_object_object_add(doc, "Region", json_object_new_string(x->src->region));

    /* CreateIdentityPool's input is DescribeIdentityPool's output less the id;
     * the pool's tags travel in it as IdentityPoolTags. */
    create = NULL;
    if (json_object_deep_copy(describe, &create, NULL) != 0 || !create) {
        write_failed(x); /* out of memory */
        goto out;
    }
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

    x->res->pages = 1;
    if (emit(x, json_object_to_json_string_ext(doc, CLI_JSON_PRETTY)) == 0 && emit(x, "\n") == 0 &&
        fflush(x->out) == 0) {
        x->res->rows = 1;
        rc = 0;
    } else {
        write_failed(x);
    }
out:
    json_object_put(doc);
    json_object_put(roles);
    json_object_put(describe);
    json_object_put(in);
    return rc;
}

/* ---- the kinds ---- */

enum pool_use { POOL_NONE, POOL_REQUIRED, POOL_OPTIONAL };

struct export_kind {
    const char *name;
    enum pool_use pool;         /* --pool: refused, needed, or one pool instead of all */
    bool csv;                   /* --format csv applies */
    bool account;               /* --account applies */
    const char *const *columns; /* NULL: one JSON document, no rows */
    size_t ncols;
    int (*run)(struct exporter *x, const char *pool);
};

#define COLUMNS(list) list, sizeof list / sizeof list[0]

static const struct export_kind kinds[] = {
    {"pools", POOL_NONE, true, false, COLUMNS(pool_columns), run_pools},
    {"identities", POOL_REQUIRED, true, false, COLUMNS(identity_columns), run_identities},
    {"roles", POOL_OPTIONAL, true, false, COLUMNS(role_columns), run_roles},
    {"tags", POOL_OPTIONAL, true, true, COLUMNS(tag_columns), run_tags},
    {"pool-backup", POOL_REQUIRED, false, false, NULL, 0, run_pool_backup},
};

#define N_KINDS (sizeof kinds / sizeof kinds[0])

static const struct export_kind *find_kind(const char *name)
{
    for (size_t i = 0; name && i < N_KINDS; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    return NULL;
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

int export_check(const struct export_options *opt, char *why, size_t size)
{
    const struct export_kind *k = find_kind(opt->kind);

    if (!k) {
        size_t used = (size_t)snprintf(
            why, size, "unknown export '%.64s' (exports:", opt->kind ? opt->kind : "");
        for (size_t i = 0; i < N_KINDS && used < size; i++)
            used += (size_t)snprintf(why + used, size - used, "%s %s", i ? "," : "", kinds[i].name);
        if (used < size)
            snprintf(why + used, size - used, ")");
        return -1;
    }
    if (k->pool == POOL_NONE && opt->pool) {
        snprintf(why, size, "--pool does not apply to export %s", k->name);
        return -1;
    }
    if (k->pool == POOL_REQUIRED && !opt->pool) {
        snprintf(why, size, "export %s needs --pool ID", k->name);
        return -1;
    }
    if (!k->csv && opt->format_given && opt->format != EXPORT_FORMAT_JSON) {
        snprintf(why, size, "export %s is JSON only", k->name);
        return -1;
    }
    if (opt->account && !k->account) {
        snprintf(why, size, "--account applies to export tags only");
        return -1;
    }
    if (opt->account && !valid_account(opt->account)) {
        snprintf(why, size, "--account must be a 12-digit AWS account id");
        return -1;
    }
    return 0;
}

int export_write(const struct export_options *opt, const struct export_source *src, FILE *out,
                 bool terminal, FILE *progress, struct export_result *res)
{
    const struct export_kind *k = find_kind(opt->kind);
    struct exporter x;
    int rc;

    memset(res, 0, sizeof *res);
    if (!k)
        return api_error_set(&res->err, API_ERR_INVALID_INPUT, "unknown export");
    memset(&x, 0, sizeof x);
    x.src = src;
    x.out = out;
    x.terminal = terminal;
    x.format = k->columns ? opt->format : EXPORT_FORMAT_JSON;
    x.columns = k->columns;
    x.ncols = k->ncols < MAX_COLUMNS ? k->ncols : MAX_COLUMNS;
    x.res = res;
    x.account_opt = opt->account;
    progress_begin(&x.progress, progress, k->name);
    rc = k->run(&x, opt->pool);
    if (rc == 0 && k->columns)
        rc = sink_end(&x);
    progress_end(&x.progress);
    if (rc == 0 && (res->err.kind != API_ERR_NONE || res->write_failed))
        rc = -1;
    return rc;
}

/* ---- the verb ---- */

static int client_call(void *ctx, const char *operation, json_object *input, json_object **output,
                       struct api_error *err)
{
    return api_call(ctx, operation, input, output, err);
}

int cmd_export_run(const struct command_line *cl, FILE *out, FILE *err)
{
    const struct export_options *opt = &cl->export_;
    struct cli_session s;
    struct export_source src;
    struct export_result res;
    struct atomic_file *af = NULL;
    struct api_error e;
    char why[1024] = "";
    bool terminal = false;
    FILE *rows = out;
    int rc;

    if (export_check(opt, why, sizeof why) < 0) {
        char msg[1200];
        snprintf(msg, sizeof msg, "%s (see cognito-tui --help)", why);
        return cli_report(err, 2, "Usage", msg);
    }

    api_error_clear(&e);
    if (cli_session_open(&s, &cl->global, &e) < 0)
        return cli_report_error(err, &e);

    if (opt->output && strcmp(opt->output, "-") != 0) {
        af = atomic_file_open(opt->output, why, sizeof why);
        if (!af) {
            cli_session_close(&s);
            return cli_report(err, 2, "Output", why);
        }
        rows = atomic_file_stream(af);
        terminal = isatty(fileno(rows)) == 1; /* -o /dev/tty */
    } else {
        terminal = isatty(fileno(out)) == 1;
    }
    src.call = client_call;
    src.ctx = s.client;
    src.region = s.config.region;
    src.config = &s.config;
    /* Rows going to the terminal are progress enough; a progress line
     * rewritten in place between them would garble both. */
    rc = export_write(opt, &src, rows, terminal, terminal ? NULL : err, &res);

    if (rc == 0 && af) {
        if (atomic_file_commit(af, why, sizeof why) < 0) {
            res.write_failed = true;
            rc = -1;
        }
        af = NULL;
    }
    if (af)
        atomic_file_abort(af); /* a regular file stays as it was */
    cli_session_clock_note(err, &s);
    if (rc == 0) {
        /* done */
    } else if (res.err.kind != API_ERR_NONE) {
        rc = cli_report_error(err, &res.err);
    } else {
        if (!why[0])
            snprintf(why, sizeof why, "cannot write to %.900s",
                     opt->output && strcmp(opt->output, "-") != 0 ? opt->output : "stdout");
        rc = cli_report(err, 1, "Output", why);
    }
    cli_session_close(&s);
    return rc;
}
