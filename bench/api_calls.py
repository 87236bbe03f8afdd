"""Figures for the api/ call path (never pass/fail): calls per second through
one client against the emulator, connections used, and the client-side cost
of validation + request building + answer parsing measured as the gap to a
raw keep-alive Python client doing the same requests. Run by `make bench`
(BUILD in the environment); needs BUILD/ops-call."""
import json
import os
import subprocess
import sys
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BUILD = os.path.join(TOP, os.environ.get("BUILD", "build"))
sys.path.insert(0, os.path.join(TOP, "tests", "emulator"))
import harness  # noqa: E402

CALLS = 300


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def main():
    ops_call = os.path.join(BUILD, "ops-call")
    if not os.access(ops_call, os.X_OK):
        print("api_calls: %s not built, skipped" % ops_call)
        return 0
    with harness.Emulator("--seed", "demo", "--identities", "3000") as emu:
        pid = emu.pool_id("big-pool")
        script = "CALL ListIdentityPools {\"MaxResults\": 10}\n" * CALLS
        runs = []
        for _ in range(3):
            emu.reset_log()
            t = time.perf_counter()
            p = subprocess.run([ops_call, emu.url], input=script, capture_output=True, text=True,
                               env=emu.env(), timeout=300)
            runs.append(time.perf_counter() - t)
            ok = sum(1 for x in p.stdout.splitlines() if json.loads(x)["ok"])
        conns = len({r["connection_id"] for r in emu.requests()})
        print("api_calls_ok=%d of %d" % (ok, CALLS))
        print("api_call_ms_median=%.3f" % (median(runs) * 1000 / CALLS))
        print("api_call_connections=%d" % conns)

        emu.reset_log()
        conn = emu.connection()
        t = time.perf_counter()
        for _ in range(CALLS):
            emu.call("ListIdentityPools", {"MaxResults": 10}, conn=conn)
        raw = time.perf_counter() - t
        conn.close()
        print("python_raw_call_ms=%.3f (same emulator, keep-alive, for scale)" % (raw * 1000 / CALLS))

        emu.reset_log()
        t = time.perf_counter()
        p = subprocess.run([ops_call, emu.url], input="PAGE ListIdentities {\"IdentityPoolId\": "
                           "\"%s\", \"MaxResults\": 60}\n" % pid, capture_output=True, text=True,
                           env=emu.env(), timeout=300)
        el = time.perf_counter() - t
        out = json.loads(p.stdout.splitlines()[0])
        log = emu.requests()
        print("paginate_identities=%d pages=%d connections=%d seconds=%.3f" % (
            out["output"]["items"], out["output"]["pages"],
            len({r["connection_id"] for r in log}), el))
    return 0


if __name__ == "__main__":
    sys.exit(main())
