"""bench/sign_botocore.py — botocore's time per SigV4 signature, beside ours.

Signs the same ListIdentities request as bench/sign.c (POST /, AWS JSON 1.1
headers, the same body and temporary credentials) with botocore's
SigV4Auth (Debian python3-botocore) in a loop: several rounds, the median of
the round means. Then runs BUILD/bench-sign, when built, for our figure.
A figure, never a pass/fail. Run with /usr/bin/python3.
"""
import os
import statistics
import subprocess
import time

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ROUNDS = 7
ITERATIONS = 2000

BODY = (b'{"IdentityPoolId":"us-east-1:4f1b8e0c-2d3a-4b5c-9e8f-0a1b2c3d4e5f","MaxResults":60,'
        b'"HideDisabled":false,"NextToken":"AAIAAQLKbGV4YW1wbGUtbmV4dC10b2tlbi1mb3ItdGhlLWJlbmNo'
        b'bWFyaw=="}')
TOKEN = "IQoJb3JpZ2luX2Vj" + "EXAMPLE" * 40 + "=="


def one_round(auth):
    start = time.perf_counter_ns()
    for _ in range(ITERATIONS):
        req = AWSRequest(method="POST", url="https://cognito-identity.us-east-1.amazonaws.com/",
                         data=BODY)
        req.headers["Content-Type"] = "application/x-amz-json-1.1"
        req.headers["X-Amz-Target"] = "AWSCognitoIdentityService.ListIdentities"
        req.headers["Content-Length"] = str(len(BODY))
        auth.add_auth(req)
    return (time.perf_counter_ns() - start) / ITERATIONS


def main():
    creds = Credentials("ASIAEXAMPLEEXAMPLE00", "bench/secret/EXAMPLEKEYEXAMPLEKEYEXAMPLE", TOKEN)
    auth = botocore.auth.SigV4Auth(creds, "cognito-identity", "us-east-1")
    one_round(auth)  # warm up
    rounds = [one_round(auth) for _ in range(ROUNDS)]
    botocore_ns = statistics.median(rounds)
    print("botocore %s SigV4Auth, %d rounds of %d signatures (median of round means)"
          % (botocore.__version__, ROUNDS, ITERATIONS))
    print("  botocore:       %8.0f ns/request" % botocore_ns)
    ours = os.path.join(os.environ.get("BUILD", "build"), "bench-sign")
    if os.access(ours, os.X_OK):
        out = subprocess.run([ours], capture_output=True, text=True, check=False).stdout
        last = out.strip().splitlines()[-1] if out.strip() else ""
        if last.startswith("sign_ns_per_request="):
            ns = float(last.split("=", 1)[1])
            print("  ours (cache on): %7.0f ns/request  (%.0fx faster)" % (ns, botocore_ns / ns))
    print("botocore_sign_ns_per_request=%.0f" % botocore_ns)


if __name__ == "__main__":
    main()
