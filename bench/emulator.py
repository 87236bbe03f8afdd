"""Emulator figures (never pass/fail): seed build time for 100,000 identities and
ListIdentities latency on big-pool over one keep-alive connection (5 rounds of
100 calls, each round's median). Rows for bench/run.py (bench/rows.py), beside
the targets of issue 4: seed < 10 s, ListIdentities < 5 ms median."""
import os
import statistics
import sys
import time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(top, "tests", "emulator"))
import harness  # noqa: E402

sys.path.insert(0, os.path.join(top, "bench"))
import rows  # noqa: E402


def seed_start(n, runs=3):
    times = []
    for _ in range(runs):
        t = time.monotonic()
        emu = harness.Emulator("--seed", "demo", "--identities", str(n), start_timeout=120)
        times.append(time.monotonic() - t)
        emu.stop()
    return times


def list_latency(emu, pool, calls=300, hide=False):
    conn = emu.connection()
    times, token = [], None
    for _ in range(calls):
        req = {"IdentityPoolId": pool, "MaxResults": 60}
        if hide:
            req["HideDisabled"] = True
        if token:
            req["NextToken"] = token
        t = time.perf_counter()
        status, _, body = emu.call("ListIdentities", req, conn=conn)
        times.append(time.perf_counter() - t)
        if status != 200:
            raise SystemExit(f"ListIdentities failed: {status} {body}")
        token = body.get("NextToken")
    conn.close()
    return statistics.median(times) * 1000, max(times) * 1000


def main():
    rows.emit("Emulator (test tool): seed 100,000 identities, start to listening", "s", seed_start(100000),
              "target", [10], kind="target", source="issue 4")
    with harness.Emulator("--seed", "demo", start_timeout=120) as emu:
        pool = emu.pool_id("big-pool")
        list_latency(emu, pool, 20)  # warm up
        meds = [list_latency(emu, pool, 100)[0] for _ in range(5)]
        rows.emit("Emulator (test tool): ListIdentities, keep-alive, signed (median call)", "ms", meds,
                  "target", [5], kind="target", source="issue 4")

if __name__ == "__main__":
    main()
