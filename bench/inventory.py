"""`cognito-tui inventory` at the service's quota (figures, never pass/fail).

The emulator's big-pool with 12,000 and then 120,000 identities, `--quotas
aws:4` (ListIdentities 20 requests a second). A first inventory lists every
page, 60 identities each, so the least time the service allows is
    bound = pages / 20   (10 s and 100 s)
and the claim to measure is that the listing reaches it, and that memory
does not grow with the pool: every page goes to SQLite and is dropped. The
figures are medians of RUNS runs, min-max beside them (a fresh inventory each time): wall time
against the bound, the share of requests throttled, and the peak resident
set of the process (GNU time's %M, KiB; bench/rows.py says why).

cognito-tui is told the quota with --rate-share 400 (4× the published one,
as `aws:4` makes it).

Usage: BUILD=build /usr/bin/python3 bench/inventory.py   (make bench does this)
Prints rows for bench/run.py (bench/rows.py).
"""
import json
import os
import shutil
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "emulator"))
import harness  # noqa: E402

sys.path.insert(0, os.path.join(TOP, "bench"))
import rows  # noqa: E402

BIN = os.path.join(TOP, os.environ.get("BUILD", "build"), "cognito-tui")
SIZES = tuple(int(x) for x in os.environ.get("BENCH_INVENTORY_SIZES", "12000,120000").split(","))
SCALE = 4
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
LIST_RATE = 5 * SCALE


def main():
    if not os.access(BIN, os.X_OK):
        raise SystemExit(f"{BIN} is missing: build it first (make bench)")
    try:
        emu = harness.Emulator("--seed", "demo", "--identities", str(SIZES[0]), "--quotas",
                               f"aws:{SCALE}")
    except harness.EmulatorError as e:
        rows.note(f"Inventory: skipped, the emulator has no --quotas ({str(e)[:120]}).")
        return
    results = {}
    with emu:
        env = emu.env()
        env["AWS_CONFIG_FILE"] = "/nonexistent/cognito-tui-bench/config"
        env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/cognito-tui-bench/credentials"
        for n in SIZES:
            emu.control("POST", "/_emulator/seed", {"seed": "demo", "identities": n})
            emu.control("POST", "/_emulator/quotas", {"mode": "aws", "scale": SCALE})
            pool = emu.pool_id("big-pool")
            walls, rss, shares, pages = [], [], [], 0
            for _ in range(RUNS):
                wall, out, _ = run_measured(emu, env, pool)
                if out["identities"] != n:
                    raise SystemExit(f"inventory counted {out['identities']} of {n}")
                log = [e for e in emu.requests() if e["operation"] == "ListIdentities"]
                pages = sum(1 for e in log if e["status"] == 200)
                shares.append(sum(1 for e in log if e["error_code"] == "TooManyRequestsException") / len(log))
                walls.append(wall[0])
                rss.append(wall[1])
            results[n] = (pages, walls, rss, shares)
    for n in SIZES:
        pages, walls, rss, shares = results[n]
        bound = pages / LIST_RATE
        rows.emit(f"Inventory of {n:,} identities, `--quotas aws:{SCALE}`: wall", "s", walls,
                  f"quota bound ({pages} pages / {LIST_RATE}/s)", [bound], kind="bound")
        rows.emit(f"Inventory of {n:,}: share of requests throttled", "share", shares)
    if len(SIZES) > 1:
        small, big = SIZES[0], SIZES[-1]
        rows.emit(f"Inventory of {big:,}: peak RSS", "KiB", results[big][2], f"the same job, {small:,} identities",
                  results[small][2])

def run_measured(emu, env, pool):
    """(wall, peak RSS KiB), inventory output."""
    state = tempfile.mkdtemp(prefix="bench-inventory-")
    try:
        emu.reset_log()
        c = rows.measure([BIN, "inventory", "--pool", pool, "--rate-share", str(100 * SCALE), "--format", "json"],
                         env=dict(env, XDG_STATE_HOME=state))
    finally:
        shutil.rmtree(state, ignore_errors=True)
    if c.code != 0:
        raise SystemExit(f"inventory failed: exit {c.code}")
    return (c.wall, c.rss_kib), json.loads(c.out), None

if __name__ == "__main__":
    main()
