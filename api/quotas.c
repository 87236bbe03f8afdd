/* api/quotas.c — the published request-rate quotas (api/quotas.h). */
#include "api/quotas.h"

#include <string.h>

const struct api_quota api_quotas[] = {
    {"ListIdentities", 5},
    {"DeleteIdentities", 10},
    {"GetId", 25},
    {"GetOpenIdToken", 200},
    {"GetCredentialsForIdentity", 200},
    {"GetOpenIdTokenForDeveloperIdentity", 50},
    {"TagResource", 5},
    {"UntagResource", 5},
    {"ListTagsForResource", 10},
};
const size_t api_n_quotas = sizeof api_quotas / sizeof api_quotas[0];

double api_quota_rate(const char *operation)
{
    if (!operation)
        return 0;
    for (size_t i = 0; i < api_n_quotas; i++)
        if (strcmp(api_quotas[i].operation, operation) == 0)
            return api_quotas[i].per_second;
    return 0;
}
