/* api/credentials_sts.h — STS (query protocol) for assume role and web
 * identity. Private to api/. */
#ifndef API_CREDENTIALS_STS_H
#define API_CREDENTIALS_STS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "api/credentials_loop.h"
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
    struct cred_loop *loop;               /* where the call runs */
    const char *endpoint;                 /* resolved STS URL */
    const char *region;                   /* signing region */
    const char *action;                   /* "AssumeRole", for messages */
    const char *body;                     /* the form, Action and Version included */
    const struct api_credentials *signer; /* NULL: unsigned (AssumeRoleWithWebIdentity) */
    time_t now;                           /* signing time */
    const char *what;                     /* message prefix, e.g. "role arn:aws:iam::1:role/x" */
};

struct cred_sts_call;

/* rc 0: the 200 answer in *resp (borrowed: freed, and wiped, when done
 * returns; it may hold secrets: wipe what you copy). rc -1:
 * err says why; an STS error gives its Code (also in err->code), Message
 * and HTTP status. */
typedef void (*cred_sts_done_fn)(void *ctx, int rc, struct api_http_response *resp,
                                 const struct api_error *err);

/* Starts the POST (signed when rq->signer is set) on rq->loop; everything
 * in rq is copied. `done` fires once, from the loop, unless
 * cred_sts_cancel() came first. Returns NULL with err when nothing could
 * start (done never fires then). */
struct cred_sts_call *cred_sts_start(const struct cred_sts_request *rq, cred_sts_done_fn done,
                                     void *ctx, struct api_error *err);
void cred_sts_cancel(struct cred_sts_call *c);

/* Reads the Credentials of an AssumeRole* answer into *out. Returns 0, or
 * -1 with err ("<what>: the STS <action> answer has no complete Credentials
 * element"). */
int cred_sts_credentials(const struct api_http_response *resp, const char *action, const char *what,
                         struct api_credentials *out, struct api_error *err);

/* The decoded text of the first <tag>...</tag> in [from, to), or NULL when
 * absent, nested, unterminated or holding a bad entity. Caller frees. */
char *cred_xml_text(const char *from, const char *to, const char *tag);

#endif
