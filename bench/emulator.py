"""Emulator figures (never pass/fail): seed build time for 100,000 identities and
ListIdentities latency on big-pool over one keep-alive connection. Medians.
Targets from issue 4: seed < 10 s, ListIdentities < 5 ms median."""
import os
import statistics
import sys
import time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(top, "tests", "emulator"))
import harness  # noqa: E402


def seed_start(n, runs=3):
    times = []
    for _ in range(runs):
        t = time.monotonic()
        emu = harness.Emulator("--seed", "demo", "--identities", str(n), start_timeout=120)
        times.append(time.monotonic() - t)
        emu.stop()
    return statistics.median(times)


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
    print("emulator seed, 100000 identities, start to listening (median of 3): "
          f"{seed_start(100000):.2f} s  (target < 10 s)")
    print(f"emulator seed, 10000 identities (demo default): {seed_start(10000):.2f} s")
    with harness.Emulator("--seed", "demo", start_timeout=120) as emu:
        pool = emu.pool_id("big-pool")
        list_latency(emu, pool, 20)  # warm up
        med, worst = list_latency(emu, pool)
        print(f"emulator ListIdentities big-pool (10000), MaxResults 60, keep-alive, signed: median {med:.2f} ms, "
              f"max {worst:.2f} ms over 300 calls  (target < 5 ms)")
        med, worst = list_latency(emu, pool, hide=True)
        print(f"emulator ListIdentities HideDisabled: median {med:.2f} ms, max {worst:.2f} ms")
    with harness.Emulator("--seed", "demo", "--identities", "100000", start_timeout=120) as emu:
        pool = emu.pool_id("big-pool")
        med, worst = list_latency(emu, pool, 200)
        print(f"emulator ListIdentities big-pool (100000): median {med:.2f} ms, max {worst:.2f} ms")


if __name__ == "__main__":
    main()
