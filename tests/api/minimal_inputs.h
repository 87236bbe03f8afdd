/* tests/api/minimal_inputs.h — one valid input per operation (its required
 * members only, plus MaxResults where required), in the table's order. Test
 * use only; the ids are well-formed but refer to nothing. */
#ifndef TESTS_API_MINIMAL_INPUTS_H
#define TESTS_API_MINIMAL_INPUTS_H

#define MIN_POOL     "us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
#define MIN_IDENTITY "us-east-1:11111111-2222-3333-4444-555555555555"
#define MIN_ARN      "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/" MIN_POOL

static const struct {
    const char *op, *json;
} minimal_inputs[] = {
    {"CreateIdentityPool", "{\"IdentityPoolName\":\"p\",\"AllowUnauthenticatedIdentities\":true}"},
    {"DeleteIdentities", "{\"IdentityIdsToDelete\":[\"" MIN_IDENTITY "\"]}"},
    {"DeleteIdentityPool", "{\"IdentityPoolId\":\"" MIN_POOL "\"}"},
    {"DescribeIdentity", "{\"IdentityId\":\"" MIN_IDENTITY "\"}"},
    {"DescribeIdentityPool", "{\"IdentityPoolId\":\"" MIN_POOL "\"}"},
    {"GetCredentialsForIdentity", "{\"IdentityId\":\"" MIN_IDENTITY "\"}"},
    {"GetId", "{\"IdentityPoolId\":\"" MIN_POOL "\"}"},
    {"GetIdentityPoolRoles", "{\"IdentityPoolId\":\"" MIN_POOL "\"}"},
    {"GetOpenIdToken", "{\"IdentityId\":\"" MIN_IDENTITY "\"}"},
    {"GetOpenIdTokenForDeveloperIdentity",
     "{\"IdentityPoolId\":\"" MIN_POOL "\",\"Logins\":{\"login.app\":\"u\"}}"},
    {"GetPrincipalTagAttributeMap",
     "{\"IdentityPoolId\":\"" MIN_POOL "\",\"IdentityProviderName\":\"accounts.google.com\"}"},
    {"ListIdentities", "{\"IdentityPoolId\":\"" MIN_POOL "\",\"MaxResults\":60}"},
    {"ListIdentityPools", "{\"MaxResults\":60}"},
    {"ListTagsForResource", "{\"ResourceArn\":\"" MIN_ARN "\"}"},
    {"LookupDeveloperIdentity", "{\"IdentityPoolId\":\"" MIN_POOL "\"}"},
    {"MergeDeveloperIdentities",
     "{\"SourceUserIdentifier\":\"a\",\"DestinationUserIdentifier\":\"b\","
     "\"DeveloperProviderName\":\"login.app\",\"IdentityPoolId\":\"" MIN_POOL "\"}"},
    {"SetIdentityPoolRoles", "{\"IdentityPoolId\":\"" MIN_POOL "\",\"Roles\":{}}"},
    {"SetPrincipalTagAttributeMap",
     "{\"IdentityPoolId\":\"" MIN_POOL "\",\"IdentityProviderName\":\"accounts.google.com\"}"},
    {"TagResource", "{\"ResourceArn\":\"" MIN_ARN "\",\"Tags\":{\"k\":\"\"}}"},
    {"UnlinkDeveloperIdentity",
     "{\"IdentityId\":\"" MIN_IDENTITY "\",\"IdentityPoolId\":\"" MIN_POOL "\","
     "\"DeveloperProviderName\":\"login.app\",\"DeveloperUserIdentifier\":\"u\"}"},
    {"UnlinkIdentity", "{\"IdentityId\":\"" MIN_IDENTITY "\",\"Logins\":{\"graph.facebook.com\":"
                       "\"t\"},\"LoginsToRemove\":[\"graph.facebook.com\"]}"},
    {"UntagResource", "{\"ResourceArn\":\"" MIN_ARN "\",\"TagKeys\":[\"k\"]}"},
    {"UpdateIdentityPool", "{\"IdentityPoolId\":\"" MIN_POOL "\",\"IdentityPoolName\":\"p\","
                           "\"AllowUnauthenticatedIdentities\":false}"},
};
#define N_MINIMAL_INPUTS (sizeof minimal_inputs / sizeof *minimal_inputs)

#endif
