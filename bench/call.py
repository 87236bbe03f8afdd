"""One call start to finish, as a user types it (figures, never pass/fail):
process start, credentials (from the environment), the signed request, the
answer printed. `cognito-tui call DescribeIdentityPool '{...}'` beside
Debian's `/usr/bin/aws cognito-identity describe-identity-pool`, against the
emulator, turn about, RUNS times each; wall time and peak resident set
(GNU time's %M, bench/rows.py) of each process, medians with min-max.

Usage: BUILD=build /usr/bin/python3 bench/call.py   (make bench runs it)
Prints rows for bench/run.py (bench/rows.py).
"""
import json
import os
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "emulator"))
sys.path.insert(0, os.path.join(TOP, "bench"))
import harness  # noqa: E402
import rows  # noqa: E402

BIN = os.path.join(TOP, os.environ.get("BUILD", "build"), "cognito-tui")
AWS = "/usr/bin/aws"


def main():
    if not os.access(BIN, os.X_OK):
        raise SystemExit(f"{BIN} is missing: build it first (make bench)")
    if not os.access(AWS, os.X_OK):
        rows.note("One call: /usr/bin/aws is missing (Debian awscli), no comparison.")
        return
    with harness.Emulator("--seed", "demo", "--identities", "60") as emu:
        env = emu.env()
        pool = emu.pool_id("big-pool")

        def ours():
            c = rows.measure([BIN, "call", "DescribeIdentityPool", json.dumps({"IdentityPoolId": pool})], env=env)
            if c.code != 0 or json.loads(c.out)["IdentityPoolId"] != pool:
                raise SystemExit(f"cognito-tui call failed: exit {c.code}")
            return c

        def aws():
            c = rows.measure([AWS, "--endpoint-url", emu.url, "cognito-identity", "describe-identity-pool",
                              "--identity-pool-id", pool, "--output", "json"], env=env)
            if c.code != 0 or json.loads(c.out)["IdentityPoolId"] != pool:
                raise SystemExit(f"aws describe-identity-pool failed: exit {c.code}")
            return c

        ours(), aws()  # warm the page cache for both
        a, b = rows.alternate(rows.runs(7), ours, aws)
    peer = "`aws cognito-identity describe-identity-pool`"
    rows.emit("One call (DescribeIdentityPool), start to finish: wall", "ms", [c.wall * 1e3 for c in a],
              peer, [c.wall * 1e3 for c in b])
    rows.emit("One call: peak RSS", "KiB", [c.rss_kib for c in a], peer, [c.rss_kib for c in b])
    rows.emit("One call: CPU", "ms", [c.cpu * 1e3 for c in a], peer, [c.cpu * 1e3 for c in b])


if __name__ == "__main__":
    main()
