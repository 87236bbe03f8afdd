/* fuzz/policy.c — libFuzzer harness for the policy parser and evaluator
 * (api/policy.c): any document gives a policy or a described error, and any
 * question asked of a policy gets one of the four decisions with a reason,
 * never a crash, a hang or a leak.
 *
 * Input: "ACTION\nKEY=VALUE\nKEY=VALUE\n\nDOCUMENT" — the first line is the
 * action asked, the lines up to a blank one are request context values (the
 * first two become aud and amr when they have no '='), and the rest is the
 * policy document. Without a blank line the whole input is the document.
 * Build and run: make fuzz (FUZZ_SECONDS=N). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_CTX 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    const char *action = "sts:AssumeRoleWithWebIdentity", *doc = text;
    const char *values[MAX_CTX];
    struct api_policy_context_value ctx[MAX_CTX];
    size_t n_ctx = 0;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *blank = strstr(text, "\n\n");
    if (blank && memchr(text, '\0', size) == NULL) {
        *blank = '\0';
        doc = blank + 2;
        char *line = text, *next;
        action = line;
        if ((next = strchr(line, '\n'))) {
            *next = '\0';
            line = next + 1;
            while (line && *line && n_ctx < MAX_CTX) {
                next = strchr(line, '\n');
                if (next)
                    *next = '\0';
                char *eq = strchr(line, '=');
                static const char *const defaults[] = {"cognito-identity.amazonaws.com:aud",
                                                       "cognito-identity.amazonaws.com:amr"};
                if (eq) {
                    *eq = '\0';
                    values[n_ctx] = eq + 1;
                    ctx[n_ctx] = (struct api_policy_context_value){line, &values[n_ctx], 1};
                } else {
                    values[n_ctx] = line;
                    ctx[n_ctx] =
                        (struct api_policy_context_value){defaults[n_ctx % 2], &values[n_ctx], 1};
                }
                n_ctx++;
                line = next ? next + 1 : NULL;
            }
        }
    }

    struct api_error err;
    struct api_policy *p = api_policy_parse(doc, strlen(doc), &err);
    if (!p) {
        if (err.kind == API_ERR_NONE || !err.message[0])
            abort();
        free(text);
        return 0;
    }
    struct api_policy_request rq = {action, NULL, "Federated", "cognito-identity.amazonaws.com",
                                    ctx,    n_ctx};
    struct api_policy_result r;
    for (int pass = 0; pass < 2; pass++) {
        enum api_policy_decision d = api_policy_evaluate(p, &rq, &r);
        if (d > API_POLICY_UNKNOWN || !r.why[0] || r.statement >= (long)api_policy_count(p))
            abort();
        rq.principal_type = NULL; /* the same question as an identity policy */
        rq.resource = "arn:aws:s3:::bucket/key";
    }
    for (size_t i = 0; i < api_policy_count(p); i++) {
        const struct api_policy_statement *s = api_policy_statement(p, i);
        for (size_t k = 0; k < s->actions.n; k++)
            (void)api_policy_globs_overlap(s->actions.v[k], "s3:Put*", true);
    }
    api_policy_free(p);
    free(text);
    return 0;
}
