#!/usr/bin/env bash
# Every identity of a pool, the way an AWS CLI user writes it: the CLI has no
# paginator for list-identities, so a loop passes --next-token by hand, one
# `aws` process a page (Debian's /usr/bin/aws), jq pulling the rows and the
# token out. Plain on purpose: the peer bench/export.py measures.
#
# Usage: bench/peers/export_awscli.sh ENDPOINT_URL POOL_ID   (keys and Region
# from the environment). Prints one JSON object a line, one a identity.
set -euo pipefail
endpoint=$1 pool=$2
token=
while :; do
    page=$(/usr/bin/aws --endpoint-url "$endpoint" --output json cognito-identity list-identities \
        --identity-pool-id "$pool" --max-results 60 ${token:+--next-token "$token"})
    jq -c '.Identities[]' <<<"$page"
    token=$(jq -r '.NextToken // empty' <<<"$page")
    [ -n "$token" ] || break
done
