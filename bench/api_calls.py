"""Figures for the api/ call path (never pass/fail): calls per second through
one client against the emulator, connections used, and the client-side cost
of validation + request building + answer parsing measured as the gap to a
raw keep-alive Python client doing the same requests, turn about. Run by
`make bench` (BUILD in the environment); needs BUILD/ops-call. Prints rows
for bench/run.py (bench/rows.py)."""
import json
import os
import subprocess
import sys
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BUILD = os.path.join(TOP, os.environ.get("BUILD", "build"))
sys.path.insert(0, os.path.join(TOP, "tests", "emulator"))
import harness  # noqa: E402

sys.path.insert(0, os.path.join(TOP, "bench"))
import rows  # noqa: E402

CALLS = 300


def main():
    ops_call = os.path.join(BUILD, "ops-call")
    if not os.access(ops_call, os.X_OK):
        raise SystemExit(f"{ops_call} is missing: build it first (make bench)")
    with harness.Emulator("--seed", "demo", "--identities", "3000") as emu:
        pid = emu.pool_id("big-pool")
        script = "CALL ListIdentityPools {\"MaxResults\": 10}\n" * CALLS

        def ours():
            emu.reset_log()
            t = time.perf_counter()
            p = subprocess.run([ops_call, emu.url], input=script, capture_output=True, text=True,
                               env=emu.env(), timeout=300)
            took = time.perf_counter() - t
            ok = sum(1 for x in p.stdout.splitlines() if json.loads(x)["ok"])
            if ok != CALLS:
                raise SystemExit(f"ops-call: {ok} of {CALLS} calls ok")
            return took * 1000 / CALLS, len({r["connection_id"] for r in emu.requests()})

        def raw():
            conn = emu.connection()
            t = time.perf_counter()
            for _ in range(CALLS):
                emu.call("ListIdentityPools", {"MaxResults": 10}, conn=conn)
            took = time.perf_counter() - t
            conn.close()
            return took * 1000 / CALLS

        a, b = rows.alternate(rows.runs(5), ours, raw)
        rows.emit(f"API call through one client (ListIdentityPools × {CALLS}, one process): time a call", "ms",
                  [x[0] for x in a], "Python `http.client`, keep-alive, signed (tests/emulator)", b)
        rows.emit(f"API calls: connections for {CALLS} calls", "count", [x[1] for x in a])

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
            len({r["connection_id"] for r in log}), el), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
