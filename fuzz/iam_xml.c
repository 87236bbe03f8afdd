/* fuzz/iam_xml.c — libFuzzer harness for the XML reader (api/xml.c) and the
 * IAM answer readers (api/iam.c): whatever IAM (or something pretending to
 * be it) sends, the result is a tree and typed values or a described error,
 * never a crash, a hang or a leak.
 *
 * Input: the bytes of one answer body. It is parsed, then every reader of
 * api/iam.h is run on it, and the marker rule is followed once.
 * Build and run: make fuzz (FUZZ_SECONDS=N). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/iam.h"
#include "api/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void described(const struct api_error *err)
{
    if (err->kind == API_ERR_NONE || !memchr(err->message, '\0', sizeof err->message) ||
        !err->message[0])
        abort(); /* a failure must say what went wrong */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct api_error err;
    struct xml_node *doc;

    api_error_clear(&err);
    doc = api_xml_parse((const char *)data, size, &err);
    if (!doc) {
        described(&err);
        return 0;
    }

    struct api_iam_role role;
    if (api_iam_read_role(doc, &role, &err) == 0) {
        if (!role.arn || !role.name || !role.trust_policy)
            abort();
        api_iam_role_clear(&role);
    } else {
        described(&err);
    }

    char **names = NULL;
    size_t n = 0;
    if (api_iam_read_policy_names(doc, &names, &n, &err) != 0)
        described(&err);
    api_iam_strings_free(names, n);

    struct api_iam_attached_policy *att = NULL;
    n = 0;
    if (api_iam_read_attached(doc, &att, &n, &err) != 0)
        described(&err);
    api_iam_attached_free(att, n);

    static const char *const actions[] = {"GetRolePolicy", "GetPolicyVersion"};
    for (size_t i = 0; i < 2; i++) {
        char *text = NULL;
        if (api_iam_read_document(doc, actions[i], &text, &err) == 0)
            free(text);
        else
            described(&err);
    }
    char *version = NULL;
    if (api_iam_read_default_version(doc, &version, &err) == 0)
        free(version);

    struct api_iam_oidc_provider oidc;
    if (api_iam_read_oidc_provider(doc, &oidc, &err) == 0)
        api_iam_oidc_provider_clear(&oidc);

    char *marker = NULL;
    if (api_iam_next_marker(doc, "ListRolePolicies", &marker) == 1 && !marker)
        abort();
    free(marker);
    api_xml_free(doc);
    return 0;
}
