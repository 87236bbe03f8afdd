"""The same prune as `cognito-tui prune --unauthenticated --created-before T`,
the way a boto3 user would write it: one client with the SDK's `adaptive`
retry mode, list every page (boto3 has no paginator for ListIdentities),
keep the matches, delete them 60 at a time. Plain on purpose: this is the
peer bench/prune.py measures beside cognito-tui.

Usage: /usr/bin/python3 bench/peers/prune_boto3.py POOL_ID CUTOFF_EPOCH
(region and keys from the environment, as boto3 reads them; the endpoint
from AWS_ENDPOINT_URL_COGNITO_IDENTITY, which Debian 12's botocore 1.29 does
not read by itself).
Prints one JSON object: matched, deleted, unprocessed.
"""
import json
import os
import sys

import boto3
from botocore.config import Config


def main():
    pool, cutoff = sys.argv[1], float(sys.argv[2])
    client = boto3.client("cognito-identity",
                          endpoint_url=os.environ.get("AWS_ENDPOINT_URL_COGNITO_IDENTITY"),
                          config=Config(retries={"mode": "adaptive", "max_attempts": 10}))
    matched, token = [], None
    while True:
        kwargs = {"IdentityPoolId": pool, "MaxResults": 60}
        if token:
            kwargs["NextToken"] = token
        page = client.list_identities(**kwargs)
        for ident in page.get("Identities", []):
            created = ident.get("CreationDate")
            if not ident.get("Logins") and created is not None and created.timestamp() < cutoff:
                matched.append(ident["IdentityId"])
        token = page.get("NextToken")
        if not token:
            break
    unprocessed = 0
    for i in range(0, len(matched), 60):
        answer = client.delete_identities(IdentityIdsToDelete=matched[i:i + 60])
        unprocessed += len(answer.get("UnprocessedIdentityIds", []))
    print(json.dumps({"matched": len(matched), "deleted": len(matched) - unprocessed,
                      "unprocessed": unprocessed}))


if __name__ == "__main__":
    main()
