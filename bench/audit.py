"""Wall time of `cognito-tui audit` over 1,000 pools and their roles
(figures, never pass/fail), against the bound set by the slowest quota the
audit touches.

The emulator holds the pools (each with its own authenticated role, every
tenth with guest access and one of 100 shared guest roles) and, on the same
port, the IAM roles. The audit runs RUNS times; the figures are medians. The
bound: for each API the audit calls, calls / quota (requests per second), and
the largest of those is the least time the real service could take.

The quotas below are GUESSES, overridable (QUOTA_<API>=RPS), and each one
used is printed beside the figure: AWS publishes no rate for any call the
audit makes. The Cognito "Quotas" page gives identity-pool rates only for
GetId, GetOpenIdToken, GetCredentialsForIdentity, ListIdentities and the
others in api/quotas.h; the "IAM and AWS STS quotas" page lists sizes and
counts, not rates, and AWS's security blog ("How to monitor and query IAM
resources at scale - Part 2") says only that IAM's token buckets differ by
API. The audit itself therefore caps nothing: its limiters are plain
adaptive (tui/audit.h).

Usage: BUILD=build /usr/bin/python3 bench/audit.py   (make bench does this)
Prints name=value lines for the log and a row for bench/run.py (bench/rows.py).
"""
import collections
import json
import os
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "emulator"))
import harness  # noqa: E402

sys.path.insert(0, os.path.join(TOP, "bench"))
import rows  # noqa: E402

BIN = os.path.join(TOP, os.environ.get("BUILD", "build"), "cognito-tui")
POOLS = int(os.environ.get("BENCH_POOLS", "1000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
ACCOUNT = harness.ACCOUNT

# Requests per second GUESSED for each API (see the docstring: none is published).
QUOTAS = {
    "ListIdentityPools": 5, "DescribeIdentityPool": 25, "GetIdentityPoolRoles": 25,
    "GetPrincipalTagAttributeMap": 25, "GetRole": 20, "ListRolePolicies": 20,
    "GetRolePolicy": 20, "ListAttachedRolePolicies": 20, "GetPolicy": 20, "GetPolicyVersion": 20,
}


def quota(api):
    return float(os.environ.get("QUOTA_" + api, QUOTAS[api]))


def trust(pool, amr):
    return {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": pool},
                      "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr}}}]}


def main():
    if not os.access(BIN, os.X_OK):
        raise SystemExit(f"{BIN} is missing: build it first (make bench)")
    with harness.Emulator("--seed", "none") as emu:
        start = time.monotonic()
        guests = set()
        for i in range(POOLS):
            guest = i % 10 == 0
            pid = emu.ok("CreateIdentityPool", {
                "IdentityPoolName": "bench_%04d" % i, "AllowUnauthenticatedIdentities": guest,
                "AllowClassicFlow": False})["IdentityPoolId"]
            roles = {"authenticated": "arn:aws:iam::%s:role/Auth%04d" % (ACCOUNT, i)}
            emu.iam("CreateRole", {"RoleName": "Auth%04d" % i,
                                   "AssumeRolePolicyDocument": json.dumps(trust(pid, "authenticated"))})
            if guest:
                g = "Guest%02d" % (i // 10 % 100)
                roles["unauthenticated"] = "arn:aws:iam::%s:role/%s" % (ACCOUNT, g)
                if g not in guests:
                    guests.add(g)
                    emu.iam("CreateRole", {"RoleName": g, "AssumeRolePolicyDocument":
                                           json.dumps(trust(pid, "unauthenticated"))})
                    emu.iam("PutRolePolicy", {"RoleName": g, "PolicyName": "read", "PolicyDocument": json.dumps(
                        {"Version": "2012-10-17", "Statement": [{
                            "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::assets/*"}]})})
            emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": roles})
        setup = time.monotonic() - start
        env = emu.env()
        env.update({"AWS_ACCOUNT_ID": ACCOUNT,
                    "AWS_CONFIG_FILE": "/nonexistent/cognito-tui-bench/config",
                    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/cognito-tui-bench/credentials"})
        walls, counts = [], None
        for _ in range(RUNS):
            emu.reset_log()
            t0 = time.monotonic()
            p = subprocess.run([BIN, "audit", "--format", "json"], env=env,
                               capture_output=True, timeout=1800)
            walls.append(time.monotonic() - t0)
            if p.returncode != 0:
                raise SystemExit("audit failed: %d %s" % (p.returncode, p.stderr[-500:]))
            doc = json.loads(p.stdout)
            if doc["pools_audited"] != POOLS:
                raise SystemExit("audited %d pools of %d" % (doc["pools_audited"], POOLS))
            counts = collections.Counter(e["operation"] for e in emu.requests()
                                         if e.get("operation"))
    bound_api = max(counts, key=lambda api: counts[api] / quota(api))
    bound = counts[bound_api] / quota(bound_api)
    wall = statistics.median(walls)
    print("audit_pools=%d" % POOLS)
    print("audit_setup_s=%.1f" % setup)
    for api in sorted(counts):
        print("audit_calls_%s=%d" % (api, counts[api]))
    print("audit_calls_total=%d" % sum(counts.values()))
    print("audit_wall_s_median=%.2f" % wall)
    print("audit_wall_s_runs=%s" % ",".join("%.2f" % w for w in walls))
    print("audit_bound_api=%s" % bound_api)
    print("audit_bound_quota_rps_guessed=%g" % quota(bound_api))
    print("audit_bound_s=%.2f" % bound)
    print("audit_wall_over_bound=%.3f" % (wall / bound if bound else 0))
    rows.emit("Audit of %s pools with their roles: wall" % format(POOLS, ","), "s", walls,
              "bound of the slowest quota (%s: %d calls / %g/s, assumed)"
              % (bound_api, counts[bound_api], quota(bound_api)), [bound], kind="bound")
    rows.note("Audit: AWS publishes no rates for these reads, so the bound uses assumed quotas (bench/audit.py "
              "QUOTAS) and the emulator does not throttle them here: a wall under the bound is the client's own "
              "speed; at those quotas AWS would not let it take less than the bound.")


if __name__ == "__main__":
    main()
