/* api/iam.c — see iam.h. Answer shapes follow IAM's service model
 * (2010-05-08): lists are <member> elements, booleans "true"/"false". */
#include "api/iam.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/arn.h"
#include "api/endpoint.h"
#include "api/ini.h"

static const struct api_query_action iam_actions[] = {
    {"GetRole", true, false},
    {"ListRolePolicies", true, false},
    {"GetRolePolicy", true, false},
    {"ListAttachedRolePolicies", true, false},
    {"GetPolicy", true, false},
    {"GetPolicyVersion", true, false},
    {"GetOpenIDConnectProvider", true, false},
};

const struct api_query_service api_iam_service = {"IAM", "iam", API_IAM_VERSION, iam_actions,
                                                  sizeof iam_actions / sizeof iam_actions[0]};

struct api_query_client *api_iam_client_new(const struct api_config *cfg, const char *region,
                                            struct api_error *err)
{
    struct aws_files files;
    struct api_query_options o = {0};
    struct api_query_client *qc;
    char *endpoint = NULL;
    const struct api_partition *part;

    if (!region)
        region = cfg->region;
    part = api_partition_of_region(region);
    if (aws_files_load(&files, err) != 0)
        return NULL;
    int rc =
        api_endpoint_resolve(&api_endpoint_iam, &files, cfg->profile, NULL, region, &endpoint, err);
    aws_files_free(&files);
    if (rc != 0)
        return NULL;
    o.service = &api_iam_service;
    o.endpoint_url = endpoint;
    o.region = part->global_region;
    o.ca_bundle = cfg->ca_bundle;
    o.read_only = cfg->read_only;
    o.max_attempts = cfg->max_attempts;
    o.credentials = cfg->credentials;
    o.adaptive = cfg->retry_mode == API_RETRY_MODE_ADAPTIVE;
    qc = api_query_client_new(&o, err);
    free(endpoint);
    return qc;
}

/* ---- clearing ---- */

static void wipe_free(char *s)
{
    if (s) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

void api_iam_role_clear(struct api_iam_role *r)
{
    free(r->arn);
    free(r->name);
    free(r->path);
    free(r->role_id);
    wipe_free(r->trust_policy);
    memset(r, 0, sizeof *r);
}

void api_iam_strings_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void api_iam_attached_free(struct api_iam_attached_policy *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].name);
        free(v[i].arn);
    }
    free(v);
}

void api_iam_oidc_provider_clear(struct api_iam_oidc_provider *p)
{
    free(p->url);
    api_iam_strings_free(p->client_ids, p->n_client_ids);
    api_iam_strings_free(p->thumbprints, p->n_thumbprints);
    memset(p, 0, sizeof *p);
}

/* ---- decoding ---- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *api_iam_url_decode(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1), *o = out;

    if (!out)
        return NULL;
    for (const char *p = s; *p; p++) {
        if (*p != '%') {
            *o++ = *p;
            continue;
        }
        int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            free(out);
            return NULL;
        }
        *o++ = (char)(hi * 16 + lo);
        p += 2;
    }
    *o = '\0';
    return out;
}

static int missing(struct api_error *err, const char *action, const char *what)
{
    return api_error_set(err, API_ERR_HTTP, "IAM %s: the answer has no %s", action, what);
}

static char *dup_text(const struct xml_node *n, const char *path)
{
    const char *t = api_xml_text(n, path);
    return t ? strdup(t) : NULL;
}

static int decode_into(const char *encoded, const char *action, char **out, struct api_error *err)
{
    *out = api_iam_url_decode(encoded);
    if (!*out)
        return api_error_set(err, API_ERR_HTTP,
                             "IAM %s: the policy document is not URL-encoded as IAM sends it",
                             action);
    return 0;
}

/* ---- readers ---- */

int api_iam_read_role(const struct xml_node *doc, struct api_iam_role *out, struct api_error *err)
{
    const struct xml_node *role = api_xml_path(api_query_result(doc, "GetRole"), "Role");
    const char *trust = api_xml_text(role, "AssumeRolePolicyDocument");

    memset(out, 0, sizeof *out);
    if (!role)
        return missing(err, "GetRole", "Role element");
    if (!api_xml_text(role, "Arn") || !api_xml_text(role, "RoleName"))
        return missing(err, "GetRole", "role Arn or RoleName");
    if (!trust)
        return missing(err, "GetRole", "AssumeRolePolicyDocument");
    out->arn = dup_text(role, "Arn");
    out->name = dup_text(role, "RoleName");
    out->path = dup_text(role, "Path");
    out->role_id = dup_text(role, "RoleId");
    if (!out->arn || !out->name) {
        api_iam_role_clear(out);
        return api_error_set(err, API_ERR_HTTP, "out of memory");
    }
    if (decode_into(trust, "GetRole", &out->trust_policy, err) != 0) {
        api_iam_role_clear(out);
        return -1;
    }
    return 0;
}

/* Appends the texts of the <member> elements of `list` (may be absent: an
 * empty list) to *v. */
static int append_members(const struct xml_node *list, char ***v, size_t *n)
{
    for (const struct xml_node *m = list ? list->first_child : NULL; m; m = m->next) {
        if (strcmp(m->name, "member") != 0)
            continue;
        char **grown = realloc(*v, (*n + 1) * sizeof **v);
        if (!grown)
            return -1;
        *v = grown;
        if (!(grown[*n] = strdup(m->text)))
            return -1;
        (*n)++;
    }
    return 0;
}

int api_iam_read_policy_names(const struct xml_node *doc, char ***names, size_t *n,
                              struct api_error *err)
{
    const struct xml_node *r = api_query_result(doc, "ListRolePolicies");

    if (!r)
        return missing(err, "ListRolePolicies", "ListRolePoliciesResult");
    if (append_members(api_xml_child(r, "PolicyNames"), names, n) != 0)
        return api_error_set(err, API_ERR_HTTP, "out of memory");
    return 0;
}

int api_iam_read_attached(const struct xml_node *doc, struct api_iam_attached_policy **v, size_t *n,
                          struct api_error *err)
{
    const struct xml_node *r = api_query_result(doc, "ListAttachedRolePolicies");
    const struct xml_node *list = api_xml_child(r, "AttachedPolicies");

    if (!r)
        return missing(err, "ListAttachedRolePolicies", "ListAttachedRolePoliciesResult");
    for (const struct xml_node *m = list ? list->first_child : NULL; m; m = m->next) {
        const char *arn = api_xml_text(m, "PolicyArn");
        if (strcmp(m->name, "member") != 0)
            continue;
        if (!arn)
            return missing(err, "ListAttachedRolePolicies", "PolicyArn in an attached policy");
        struct api_iam_attached_policy *grown = realloc(*v, (*n + 1) * sizeof **v);
        if (!grown)
            return api_error_set(err, API_ERR_HTTP, "out of memory");
        *v = grown;
        grown[*n].arn = strdup(arn);
        grown[*n].name = dup_text(m, "PolicyName");
        (*n)++;
        if (!grown[*n - 1].arn)
            return api_error_set(err, API_ERR_HTTP, "out of memory");
    }
    return 0;
}

int api_iam_read_document(const struct xml_node *doc, const char *action, char **out,
                          struct api_error *err)
{
    const struct xml_node *r = api_query_result(doc, action);
    const char *encoded = NULL;

    *out = NULL;
    if (action && strcmp(action, "GetRolePolicy") == 0)
        encoded = api_xml_text(r, "PolicyDocument");
    else if (action && strcmp(action, "GetPolicyVersion") == 0)
        encoded = api_xml_text(r, "PolicyVersion/Document");
    if (!encoded)
        return missing(err, action ? action : "?", "policy document");
    return decode_into(encoded, action, out, err);
}

int api_iam_read_default_version(const struct xml_node *doc, char **out, struct api_error *err)
{
    const char *v = api_xml_text(api_query_result(doc, "GetPolicy"), "Policy/DefaultVersionId");

    *out = NULL;
    if (!v || !v[0])
        return missing(err, "GetPolicy", "DefaultVersionId");
    *out = strdup(v);
    return *out ? 0 : api_error_set(err, API_ERR_HTTP, "out of memory");
}

int api_iam_read_oidc_provider(const struct xml_node *doc, struct api_iam_oidc_provider *out,
                               struct api_error *err)
{
    const struct xml_node *r = api_query_result(doc, "GetOpenIDConnectProvider");

    memset(out, 0, sizeof *out);
    if (!r)
        return missing(err, "GetOpenIDConnectProvider", "GetOpenIDConnectProviderResult");
    out->url = dup_text(r, "Url");
    if (append_members(api_xml_child(r, "ClientIDList"), &out->client_ids, &out->n_client_ids) !=
            0 ||
        append_members(api_xml_child(r, "ThumbprintList"), &out->thumbprints,
                       &out->n_thumbprints) != 0) {
        api_iam_oidc_provider_clear(out);
        return api_error_set(err, API_ERR_HTTP, "out of memory");
    }
    return 0;
}

int api_iam_next_marker(const struct xml_node *doc, const char *action, char **marker)
{
    const struct xml_node *r = api_query_result(doc, action);
    const char *next = api_xml_text(r, "Marker");

    if (!api_xml_true(r, "IsTruncated") || !next || !next[0] ||
        (*marker && strcmp(*marker, next) == 0)) {
        free(*marker);
        *marker = NULL;
        return 0;
    }
    char *copy = strdup(next);
    free(*marker);
    *marker = copy;
    return copy ? 1 : -1;
}

/* ---- blocking reads ---- */

int api_iam_get_role(struct api_query_client *qc, const char *role_name, struct api_iam_role *out,
                     struct api_error *err)
{
    struct api_query_param p[] = {{"RoleName", role_name}};
    struct xml_node *doc;
    struct api_error keep;

    memset(out, 0, sizeof *out);
    if (api_query_call(qc, "GetRole", p, 1, &doc, err) != 0)
        return -1;
    keep = *err;
    int rc = api_iam_read_role(doc, out, err);
    api_xml_free(doc);
    if (rc == 0)
        *err = keep;
    return rc;
}

/* Follows Marker through every page of a listing of `role_name`; `read`
 * collects each page. */
typedef int (*page_reader)(const struct xml_node *doc, void *ctx, struct api_error *err);

static int list_all(struct api_query_client *qc, const char *action, const char *role_name,
                    page_reader read, void *ctx, struct api_error *err)
{
    char *marker = NULL;
    int more = 1, rc = 0;

    while (more == 1 && rc == 0) {
        struct api_query_param p[] = {{"RoleName", role_name}, {"Marker", marker}};
        struct xml_node *doc;
        if (api_query_call(qc, action, p, 2, &doc, err) != 0) {
            rc = -1;
            break;
        }
        struct api_error keep = *err;
        rc = read(doc, ctx, err);
        if (rc == 0) {
            more = api_iam_next_marker(doc, action, &marker);
            if (more < 0)
                rc = api_error_set(err, API_ERR_HTTP, "out of memory");
            else
                *err = keep;
        }
        api_xml_free(doc);
    }
    free(marker);
    return rc;
}

struct names_ctx {
    char ***names;
    size_t *n;
};

static int read_names_page(const struct xml_node *doc, void *ctx, struct api_error *err)
{
    struct names_ctx *c = ctx;
    return api_iam_read_policy_names(doc, c->names, c->n, err);
}

int api_iam_list_role_policies(struct api_query_client *qc, const char *role_name, char ***names,
                               size_t *n, struct api_error *err)
{
    struct names_ctx c = {names, n};

    *names = NULL;
    *n = 0;
    if (list_all(qc, "ListRolePolicies", role_name, read_names_page, &c, err) != 0) {
        api_iam_strings_free(*names, *n);
        *names = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

struct attached_ctx {
    struct api_iam_attached_policy **v;
    size_t *n;
};

static int read_attached_page(const struct xml_node *doc, void *ctx, struct api_error *err)
{
    struct attached_ctx *c = ctx;
    return api_iam_read_attached(doc, c->v, c->n, err);
}

int api_iam_list_attached_role_policies(struct api_query_client *qc, const char *role_name,
                                        struct api_iam_attached_policy **v, size_t *n,
                                        struct api_error *err)
{
    struct attached_ctx c = {v, n};

    *v = NULL;
    *n = 0;
    if (list_all(qc, "ListAttachedRolePolicies", role_name, read_attached_page, &c, err) != 0) {
        api_iam_attached_free(*v, *n);
        *v = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

/* One call whose answer gives a document (or a string) through `read`. */
static int call_and_read(struct api_query_client *qc, const char *action,
                         const struct api_query_param *p, size_t np,
                         int (*read)(const struct xml_node *, const char *, char **,
                                     struct api_error *),
                         char **out, struct api_error *err)
{
    struct xml_node *doc;

    *out = NULL;
    if (api_query_call(qc, action, p, np, &doc, err) != 0)
        return -1;
    struct api_error keep = *err;
    int rc = read(doc, action, out, err);
    api_xml_free(doc);
    if (rc == 0)
        *err = keep;
    return rc;
}

static int read_version(const struct xml_node *doc, const char *action, char **out,
                        struct api_error *err)
{
    (void)action;
    return api_iam_read_default_version(doc, out, err);
}

int api_iam_get_role_policy(struct api_query_client *qc, const char *role_name,
                            const char *policy_name, char **document, struct api_error *err)
{
    struct api_query_param p[] = {{"RoleName", role_name}, {"PolicyName", policy_name}};
    return call_and_read(qc, "GetRolePolicy", p, 2, api_iam_read_document, document, err);
}

int api_iam_get_policy_document(struct api_query_client *qc, const char *policy_arn,
                                char **document, struct api_error *err)
{
    struct api_query_param p[] = {{"PolicyArn", policy_arn}, {"VersionId", NULL}};
    char *version = NULL;

    *document = NULL;
    if (call_and_read(qc, "GetPolicy", p, 1, read_version, &version, err) != 0)
        return -1;
    p[1].value = version;
    int rc = call_and_read(qc, "GetPolicyVersion", p, 2, api_iam_read_document, document, err);
    free(version);
    return rc;
}

int api_iam_get_oidc_provider(struct api_query_client *qc, const char *provider_arn,
                              struct api_iam_oidc_provider *out, struct api_error *err)
{
    struct api_query_param p[] = {{"OpenIDConnectProviderArn", provider_arn}};
    struct xml_node *doc;

    memset(out, 0, sizeof *out);
    if (api_query_call(qc, "GetOpenIDConnectProvider", p, 1, &doc, err) != 0)
        return -1;
    struct api_error keep = *err;
    int rc = api_iam_read_oidc_provider(doc, out, err);
    api_xml_free(doc);
    if (rc == 0)
        *err = keep;
    return rc;
}
