/* api/credentials_sts.h — STS (query protocol) for assume role and web
 * identity. Private to api/. */
#ifndef API_CREDENTIALS_STS_H
#define API_CREDENTIALS_STS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "api/credentials_sources.h"
#include "api/transport.h"

/* A growing form body; wiped when freed (it may carry an MFA code or a web
 * identity token). */
struct cred_buf {
    char *data;
    size_t len, cap;
    bool failed; /* out of memory at some append */
};

/* Appends `key=value` (value percent-encoded as RFC 3986 says, `&` between). */
int cred_form_append(struct cred_buf *b, const char *key, const char *value);
void cred_buf_free(struct cred_buf *b);

struct cred_sts_request {
    const char *endpoint;                 /* resolved STS URL */
    const char *region;                   /* signing region */
    const char *ca_bundle;                /* may be NULL */
    const char *action;                   /* "AssumeRole", for messages */
    const char *body;                     /* the form, Action and Version included */
    const struct api_credentials *signer; /* NULL: unsigned (AssumeRoleWithWebIdentity) */
    time_t now;                           /* signing time */
    const char *what;                     /* message prefix, e.g. "role arn:aws:iam::1:role/x" */
};

/* POSTs the form (signed when rq->signer is set). Returns 0 with the 200
 * answer in *resp (free it with api_http_response_free; it may hold
 * secrets: wipe what you copy), or -1 with err as cred_sts_call says and
 * nothing to free. */
int cred_sts_post(const struct cred_sts_request *rq, struct api_http_response *resp,
                  struct api_error *err);

/* POSTs and parses Credentials. Returns 0 with *out, or -1 with err: an STS
 * error gives its Code (also in err->code), Message and HTTP status. */
int cred_sts_call(const struct cred_sts_request *rq, struct api_credentials *out,
                  struct api_error *err);

/* The decoded text of the first <tag>...</tag> in [from, to), or NULL when
 * absent, nested, unterminated or holding a bad entity. Caller frees. */
char *cred_xml_text(const char *from, const char *to, const char *tag);

#endif
