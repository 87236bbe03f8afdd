"""Peak memory of `cognito-tui export identities` for a 3,000 and a 30,000
identity pool, side by side (figures, never pass/fail).

The claim under test: the export streams page by page, so its peak resident
set does not grow with the pool. Each size runs RUNS times against one
emulator (re-seeded between sizes); the figure is the median peak RSS of the
child process (os.wait4's ru_maxrss, KiB) and the median wall time. It also
reports how many TCP connections the emulator saw for one export (1 = the
connection was reused for every page).

Usage: BUILD=build /usr/bin/python3 bench/export.py   (make bench does this)
"""
import os
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "emulator"))
import harness  # noqa: E402

BIN = os.path.join(TOP, os.environ.get("BUILD", "build"), "cognito-tui")
SIZES = (3000, 30000)
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def one_run(env, pool, expect_rows):
    start = time.monotonic()
    p = subprocess.Popen([BIN, "export", "identities", "--pool", pool, "--format", "csv"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    lines = 0
    while True:  # count rows as they stream, holding none of them
        chunk = p.stdout.read(1 << 16)
        if not chunk:
            break
        lines += chunk.count(b"\n")
    p.stdout.close()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0 or lines != expect_rows + 1:
        raise SystemExit(f"export failed: exit {code}, {lines - 1} rows of {expect_rows}")
    return usage.ru_maxrss, wall


def main():
    if not os.access(BIN, os.X_OK):
        raise SystemExit(f"{BIN} is missing: build it first (make bench)")
    results = {}
    with harness.Emulator("--seed", "demo", "--identities", str(SIZES[0])) as emu:
        env = emu.env()
        env["AWS_CONFIG_FILE"] = "/nonexistent/cognito-tui-bench/config"
        env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/cognito-tui-bench/credentials"
        for n in SIZES:
            emu.control("POST", "/_emulator/seed", {"seed": "demo", "identities": n})
            pool = emu.pool_id("big-pool")
            emu.reset_log()
            runs = [one_run(env, pool, n) for _ in range(RUNS)]
            log = [e for e in emu.requests() if e["operation"] == "ListIdentities"]
            pages = len(log) // RUNS
            conns = len({e["connection_id"] for e in log}) / RUNS
            results[n] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), pages, conns)
    print(f"{'identities':>10} {'pages':>6} {'peak RSS KiB':>13} {'wall s':>7} {'connections':>11}")
    for n in SIZES:
        rss, wall, pages, conns = results[n]
        print(f"{n:>10} {pages:>6} {rss:>13.0f} {wall:>7.2f} {conns:>11.1f}")
    small, big = results[SIZES[0]][0], results[SIZES[1]][0]
    print(f"export_peak_rss_kib_{SIZES[0]}={small:.0f}")
    print(f"export_peak_rss_kib_{SIZES[1]}={big:.0f}")
    print(f"export_peak_rss_ratio={big / small:.3f}")


if __name__ == "__main__":
    main()
