"""bench/sign_botocore.py — botocore's time per SigV4 signature, beside ours.

Signs the same ListIdentities request as bench/sign.c (POST /, AWS JSON 1.1
headers, the same body and temporary credentials) with botocore's
SigV4Auth (Debian python3-botocore) in a loop: several rounds, the median of
the round means.
Our side is BUILD/bench-sign, one round a process, taken turn about with
botocore's rounds so both see the same load; each figure is a round's mean.
A figure, never a pass/fail. Run with /usr/bin/python3; prints a row for
bench/run.py (bench/rows.py).
"""
import os
import subprocess
import sys
import time

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rows  # noqa: E402

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


def ours_round(path):
    """One round of BUILD/bench-sign (its own process; the key cache on)."""
    out = subprocess.run([path, "1"], capture_output=True, text=True, check=True).stdout
    return [float(x.split("=", 1)[1]) for x in out.splitlines() if x.startswith("sign_ns_round=")][0]


def main():
    creds = Credentials("ASIAEXAMPLEEXAMPLE00", "bench/secret/EXAMPLEKEYEXAMPLEKEYEXAMPLE", TOKEN)
    auth = botocore.auth.SigV4Auth(creds, "cognito-identity", "us-east-1")
    ours = os.path.join(os.environ.get("BUILD", "build"), "bench-sign")
    if not os.access(ours, os.X_OK):
        raise SystemExit(f"{ours} is missing: build it first (make bench)")
    one_round(auth)  # warm up
    theirs, mine = rows.alternate(ROUNDS, lambda: one_round(auth), lambda: ours_round(ours))
    print("botocore %s SigV4Auth, %d rounds of %d signatures: %s ns/request (round means)"
          % (botocore.__version__, ROUNDS, ITERATIONS, [round(x) for x in theirs]), file=sys.stderr)
    rows.emit("SigV4 signing of a ListIdentities request: time a signature", "ns", mine,
              "botocore `SigV4Auth`", theirs)


if __name__ == "__main__":
    main()
