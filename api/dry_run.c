/* api/dry_run.c — the request `call --dry-run` prints (api/dry_run.h):
 * api_client_prepare() formatted, secrets redacted. */
#include "api/dry_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/protocol.h"

#define REDACTED "***REDACTED***"

static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t nc = *cap ? *cap : 1024;
        while (nc < *len + n + 1)
            nc *= 2;
        char *nb = realloc(*buf, nc);
        if (!nb)
            return -1;
        *buf = nb;
        *cap = nc;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    return 0;
}

static int append_line(char **buf, size_t *len, size_t *cap, const char *name, const char *value)
{
    return append(buf, len, cap, name, strlen(name)) || append(buf, len, cap, ": ", 2) ||
                   append(buf, len, cap, value, strlen(value)) || append(buf, len, cap, "\n", 1)
               ? -1
               : 0;
}

/* The Authorization value with the signature cut off. */
static void redact_authorization(const char *auth, char *out, size_t size)
{
    const char *sig = strstr(auth, "Signature=");
    if (!sig)
        snprintf(out, size, "%s", REDACTED);
    else
        snprintf(out, size, "%.*sSignature=%s", (int)(sig - auth), auth, REDACTED);
}

int api_dry_run(struct api_client *c, const char *operation, json_object *input, char **text,
                struct api_error *err)
{
    char *shown = NULL, *buf = NULL;
    size_t shown_len = 0, len = 0, cap = 0;
    struct api_prepared_request p;
    int rc = -1;

    *text = NULL;
    if (api_client_prepare(c, operation, input, &p, err) != 0)
        return -1;
    if (api_protocol_body(p.op, input, 1, &shown, &shown_len, err) != 0)
        goto out;
    bool failed = append(&buf, &len, &cap, "POST ", 5) ||
                  append(&buf, &len, &cap, p.url, strlen(p.url)) ||
                  append(&buf, &len, &cap, "\n", 1);
    for (size_t i = 0; i < p.n_headers && !failed; i++) {
        const char *name = p.headers[i].name;
        char auth[sizeof p.sig.authorization + 32];
        const char *value = p.headers[i].value;
        if (strcasecmp(name, "Authorization") == 0) {
            redact_authorization(value, auth, sizeof auth);
            value = auth;
        } else if (strcasecmp(name, "X-Amz-Security-Token") == 0) {
            value = REDACTED;
        }
        failed = append_line(&buf, &len, &cap, name, value) != 0;
    }
    failed = failed || append_line(&buf, &len, &cap, "Content-Length", p.content_length) ||
             append(&buf, &len, &cap, "\n", 1) || append(&buf, &len, &cap, shown, shown_len) ||
             append(&buf, &len, &cap, "\n", 1);
    if (failed) {
        free(buf);
        api_error_set(err, API_ERR_TRANSPORT, "out of memory");
        goto out;
    }
    *text = buf;
    rc = 0;
out:
    api_prepared_request_wipe(&p);
    free(shown);
    return rc;
}
