"""Every identity of a pool, the way a boto3 user writes it: one client, a
loop over list_identities passing NextToken (boto3 has no paginator for
ListIdentities), one JSON object a line. Plain on purpose: the peer
bench/export.py measures.

Usage: /usr/bin/python3 bench/peers/export_boto3.py POOL_ID
(region and keys from the environment, as boto3 reads them; the endpoint from
AWS_ENDPOINT_URL_COGNITO_IDENTITY, which Debian 12's botocore 1.29 does not
read by itself).
"""
import json
import os
import sys

import boto3


def main():
    pool = sys.argv[1]
    client = boto3.client("cognito-identity",
                          endpoint_url=os.environ.get("AWS_ENDPOINT_URL_COGNITO_IDENTITY"))
    token = None
    out = sys.stdout
    while True:
        kwargs = {"IdentityPoolId": pool, "MaxResults": 60}
        if token:
            kwargs["NextToken"] = token
        page = client.list_identities(**kwargs)
        for ident in page.get("Identities", []):
            out.write(json.dumps(ident, default=str) + "\n")
        token = page.get("NextToken")
        if not token:
            break


if __name__ == "__main__":
    main()
