/* api/doctor.h — the credential doctor: why a login does (or does not) get
 * credentials from an identity pool, step by step, predicted offline and,
 * on request, checked live.
 *
 * Steps, in order (names stable: the `doctor` verb's JSON and the console use
 * them): token, provider, unauthenticated, role, trust, tags, live. The
 * offline steps walk the enhanced flow (GetId + GetCredentialsForIdentity)
 * and stop at the first that fails: the later ones are "skip", saying so.
 *  - token: the login decodes as a JWT; for a user pool it is an ID token
 *    (token_use "id", with aud), not expired, and its signature verifies
 *    against the user pool's key set (api/user_pool.h). A key set that cannot
 *    be fetched, or a provider whose keys are not fetched here (OIDC, social),
 *    leaves the signature unverified, and the detail says so.
 *  - provider: the token's provider is one of the pool's, under this name;
 *    the issuer is https://PROVIDER; the audience is a configured ClientId
 *    (user pools) or in the IAM OpenID Connect provider's audience list
 *    (OIDC, when IAM can be read).
 *  - unauthenticated: a guest needs AllowUnauthenticatedIdentities.
 *  - role: api/role_select.h, with the token's claims (a user pool's mapping
 *    key is PROVIDER:CLIENTID).
 *  - trust: the role exists (IAM GetRole) and its trust policy
 *    (api/policy.h) allows Federated cognito-identity.amazonaws.com to
 *    sts:AssumeRoleWithWebIdentity with aud = the pool, amr = the login's,
 *    and sts:TagSession when principal tags apply. The identity id (the
 *    `sub` key) is not known offline: a decision that hangs on it is said.
 *  - tags: the principal tags the provider's map (or its defaults) would set
 *    from the token, within STS's limits (50 tags, keys 128 and values 256
 *    characters).
 *  - live (api_doctor_live): GetId (GetOpenIdTokenForDeveloperIdentity for a
 *    developer user) + GetCredentialsForIdentity, and whether the service
 *    agreed with the prediction. It creates an identity: a read-only client
 *    refuses it (API_ERR_READ_ONLY from the api guard, nothing sent).
 *    api/doctor_source.h has it, with the readers over a real client.
 *
 * Secrets: the token is borrowed and never copied into the report; the
 * credentials the live step gets are wiped at once and never reported.
 * Ownership: a report owns everything in it until api_doctor_report_clear().
 */
#ifndef API_DOCTOR_H
#define API_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "api/client.h"
#include "api/config.h"
#include "api/error.h"
#include "api/iam.h"
#include "api/jwt.h"

enum api_doctor_step_id {
    API_DOCTOR_TOKEN,
    API_DOCTOR_PROVIDER,
    API_DOCTOR_UNAUTHENTICATED,
    API_DOCTOR_ROLE,
    API_DOCTOR_TRUST,
    API_DOCTOR_TAGS,
    API_DOCTOR_LIVE,
    API_DOCTOR_N_STEPS
};

/* "token", "provider", ... indexed by enum api_doctor_step_id. */
extern const char *const api_doctor_step_names[API_DOCTOR_N_STEPS];

enum api_doctor_status { API_DOCTOR_SKIP, API_DOCTOR_OK, API_DOCTOR_FAIL };

/* "skip", "ok", "fail". */
const char *api_doctor_status_name(enum api_doctor_status s);

struct api_doctor_step {
    enum api_doctor_status status;
    char detail[1200]; /* what was found, one paragraph */
    char fix[700];     /* what to change ("" when ok or skipped) */
    char *evidence;    /* lines for people (claims, the rule, the trust statement), or NULL */
};

enum api_doctor_login_kind { API_DOCTOR_GUEST, API_DOCTOR_LOGIN, API_DOCTOR_DEVELOPER };

struct api_doctor_login {
    enum api_doctor_login_kind kind;
    const char *provider;        /* LOGIN: the Logins key */
    const char *token;           /* LOGIN: the token (a secret; borrowed) */
    const char *developer_user;  /* DEVELOPER: the developer user identifier */
    const char *custom_role_arn; /* may be NULL */
};

/* Where the doctor reads from: blocking readers, each returning 0 with its
 * answer (owned by the caller) or -1 with err. api_doctor_source_open()
 * (api/doctor_source.h) makes the one over a real client; tests may supply their own. */
struct api_doctor_source {
    void *ctx;
    int (*describe_pool)(void *ctx, const char *pool_id, json_object **out, struct api_error *err);
    int (*pool_roles)(void *ctx, const char *pool_id, json_object **out, struct api_error *err);
    int (*principal_tags)(void *ctx, const char *pool_id, const char *provider, json_object **out,
                          struct api_error *err);
    /* The key set of a user pool provider. */
    struct api_jwks *(*user_pool_keys)(void *ctx, const char *provider, struct api_error *err);
    int (*oidc_provider)(void *ctx, const char *arn, struct api_iam_oidc_provider *out,
                         struct api_error *err);
    int (*role)(void *ctx, const char *role_name, struct api_iam_role *out, struct api_error *err);
};

struct api_doctor_report {
    bool ok;                     /* no step failed */
    int failed_step;             /* enum api_doctor_step_id, -1 when none */
    char *role_arn;              /* the role chosen (NULL: none) */
    json_object *principal_tags; /* {"tag": "value"} (never NULL after a run) */
    json_object *pool;           /* DescribeIdentityPool, kept for the console */
    struct api_doctor_step steps[API_DOCTOR_N_STEPS];
    bool live_run;         /* api_doctor_live() ran */
    bool live_agrees;      /* ...and the service did what was predicted */
    char live_error[1200]; /* the service's error, "" when it gave credentials */
    /* Kept between the offline run and the live step. */
    char mapping_key[600];
    bool predicted_ok;
};

/* Runs the offline steps for `login` on `pool_id` at time `now`. Returns 0
 * with *out filled, or -1 with err when the pool itself cannot be read
 * (DescribeIdentityPool, GetIdentityPoolRoles): the usual error then. Other
 * reads that fail become what their step says. */
int api_doctor_run(const struct api_doctor_source *src, const char *pool_id,
                   const struct api_doctor_login *login, time_t now, struct api_doctor_report *out,
                   struct api_error *err);

/* {"verdict", "failed_step", "role_arn", "principal_tags", "steps": [{"step",
 * "status", "detail", "fix"}]} plus "live_agrees" after a live step. New
 * object, caller puts it. */
json_object *api_doctor_report_json(const struct api_doctor_report *r);

void api_doctor_report_clear(struct api_doctor_report *r);

/* A service error message pasted by a user: the step it comes from and what
 * to check. Returns false when the message is not one the doctor knows. */
struct api_doctor_error_hint {
    const char *match; /* the part of the message recognised */
    enum api_doctor_step_id step;
    const char *check;
    bool has_also; /* the service gives the same message for a second step: */
    enum api_doctor_step_id also;
};
bool api_doctor_map_error(const char *message, const struct api_doctor_error_hint **out);

/* Whether the hint's message can come from `step` (its step, or its second one). */
bool api_doctor_hint_from(const struct api_doctor_error_hint *h, int step);

#endif
