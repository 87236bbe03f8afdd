/* api/doctor_memo.h — a credential doctor source (api/doctor.h) that never
 * waits: its readers answer from what was fetched already, and on a miss
 * note what they need and fail. An event loop runs the doctor over it:
 *
 *   api_doctor_memo_run(m, ...)      the doctor, offline steps, at a fixed `now`
 *   while it says misses:
 *       discard that report;
 *       for each api_doctor_memo_next_need(m): start the read, asynchronously;
 *       as each ends: api_doctor_memo_put_*(m, need, answer or error);
 *       when api_doctor_memo_pending(m) is 0: run again.
 *
 * Each read is fetched once; its answer (or the error it got) is kept and
 * handed to every later run exactly as the blocking source
 * (api/doctor_source.h) would have handed it, so a run without misses gives
 * the report a blocking run at the same `now` gives. A run with misses is
 * never shown: what a reader answered on a miss (-1, API_ERR_CANCELLED
 * "not read yet") only shapes that discarded run. Runs converge: each round
 * answers at least one new read, and the reads are finitely many.
 *
 * The memo holds no secret: pool descriptions, role maps, tag maps, key
 * sets (public keys), IAM roles and OIDC providers. The login (its token)
 * is the caller's, borrowed for each run.
 * Ownership: everything put in the memo is the memo's until
 * api_doctor_memo_free(); needs stay valid as long. No I/O here.
 */
#ifndef API_DOCTOR_MEMO_H
#define API_DOCTOR_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "api/doctor.h"
#include "api/error.h"
#include "api/xml.h"

/* What a doctor reads, one per reader of struct api_doctor_source. */
enum api_doctor_read {
    API_DOCTOR_READ_POOL,  /* DescribeIdentityPool of pool_id */
    API_DOCTOR_READ_ROLES, /* GetIdentityPoolRoles of pool_id */
    API_DOCTOR_READ_TAGS,  /* GetPrincipalTagAttributeMap of pool_id, name = the provider */
    API_DOCTOR_READ_KEYS,  /* the key set of the user pool provider `name` */
    API_DOCTOR_READ_OIDC,  /* IAM GetOpenIDConnectProvider, name = its ARN */
    API_DOCTOR_READ_ROLE,  /* IAM GetRole, name = the role name */
};

/* One read a run missed. */
struct api_doctor_need {
    enum api_doctor_read what;
    const char *pool_id; /* POOL, ROLES, TAGS; "" otherwise */
    const char *name;    /* TAGS, KEYS, OIDC, ROLE; "" otherwise */
};

struct api_doctor_memo;

/* NULL when out of memory. */
struct api_doctor_memo *api_doctor_memo_new(void);
/* Frees every answer and need. NULL is fine. */
void api_doctor_memo_free(struct api_doctor_memo *m);

/* api_doctor_run() over the memo. Returns as api_doctor_run() does, and in
 * *misses how many reads it lacked: 0 means *out is the real report (or -1
 * the real error); otherwise -1 or 0 mean nothing, and the needs are
 * waiting in api_doctor_memo_next_need(). *out is cleared (empty) unless
 * it is a real report: clear it with api_doctor_report_clear() then. */
int api_doctor_memo_run(struct api_doctor_memo *m, const char *pool_id,
                        const struct api_doctor_login *login, time_t now,
                        struct api_doctor_report *out, size_t *misses, struct api_error *err);

/* The next read missed and not asked for yet (now marked asked), or NULL.
 * The pointer stays valid until api_doctor_memo_free(). */
const struct api_doctor_need *api_doctor_memo_next_need(struct api_doctor_memo *m);

/* Reads asked for and not answered yet. */
size_t api_doctor_memo_pending(const struct api_doctor_memo *m);

/* The end of a read asked for (`need` from api_doctor_memo_next_need):
 * the answer (taken; NULL on failure) or the error it got (err, kind other
 * than API_ERR_NONE, when the answer is NULL). A need answered already is
 * left as it is (the new answer freed). Which setter fits:
 *   POOL, ROLES, TAGS: put_json with the operation's output;
 *   OIDC, ROLE: put_xml with the IAM answer's document root (api/query.h);
 *   KEYS: put_keys with the key set document (JSON text, copied). */
void api_doctor_memo_put_json(struct api_doctor_memo *m, const struct api_doctor_need *need,
                              json_object *answer, const struct api_error *err);
void api_doctor_memo_put_xml(struct api_doctor_memo *m, const struct api_doctor_need *need,
                             struct xml_node *doc, const struct api_error *err);
void api_doctor_memo_put_keys(struct api_doctor_memo *m, const struct api_doctor_need *need,
                              const char *text, size_t len, const struct api_error *err);

#endif
