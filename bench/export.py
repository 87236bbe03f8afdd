"""`cognito-tui export identities` of 3,000 and 30,000 identities beside what a
user would run instead (figures, never pass/fail):

  - the AWS CLI loop passing --next-token by hand, one `aws` process a page
    (bench/peers/export_awscli.sh; 3,000 only: it takes about a second a page)
  - a boto3 loop with one client (bench/peers/export_boto3.py)

against the emulator (no quotas: the client's own cost is measured). Each
size runs the sides turn about (RUNS rounds; the CLI in the first
CLI_RUNS of them) and reports, medians with min-max: wall time, client CPU
(user + system of the process and everything it ran), peak resident set
(GNU time's %M: the largest single process, for the CLI loop one `aws`), and TCP
connections the emulator saw for one export (1 = one kept-alive connection
for every page). The claim of the export: memory does not grow with the
pool, as the 3,000 and 30,000 peak RSS rows show side by side.

Usage: BUILD=build /usr/bin/python3 bench/export.py   (make bench runs it)
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
CLI = os.path.join(TOP, "bench", "peers", "export_awscli.sh")
BOTO3 = os.path.join(TOP, "bench", "peers", "export_boto3.py")
SIZES = tuple(int(x) for x in os.environ.get("BENCH_EXPORT_SIZES", "3000,30000").split(","))
CLI_SIZE = SIZES[0]
RUNS = rows.runs(5)
CLI_RUNS = min(RUNS, 3)


def side(emu, argv, env, n, count):
    def run():
        emu.reset_log()
        c = rows.measure(argv, env=env)
        got = count(c.out)
        if c.code != 0 or got != n:
            raise SystemExit(f"{os.path.basename(argv[0])} export failed: exit {c.code}, {got} rows of {n}")
        c.out = None  # this script stays small: what it holds is not the child's
        c.conns = len({e["connection_id"] for e in emu.requests() if e["operation"] == "ListIdentities"})
        return c
    return run


def json_lines(out):
    return out.count(b"\n")


def json_array(out):
    return len(json.loads(out))


def have_boto3():
    try:
        import boto3  # noqa: F401
        return True
    except ImportError:
        return False


def main():
    if not os.access(BIN, os.X_OK):
        raise SystemExit(f"{BIN} is missing: build it first (make bench)")
    boto3_ok = have_boto3()
    cli_ok = os.access("/usr/bin/aws", os.X_OK) and os.access("/usr/bin/jq", os.X_OK)
    if not boto3_ok:
        rows.note("Export: python3-boto3 is missing, no boto3 comparison.")
    if not cli_ok:
        rows.note("Export: /usr/bin/aws or /usr/bin/jq is missing, no AWS CLI comparison.")
    results = {}
    with harness.Emulator("--seed", "demo", "--identities", str(SIZES[0])) as emu:
        env = emu.env()
        for n in SIZES:
            emu.control("POST", "/_emulator/seed", {"seed": "demo", "identities": n})
            pool = emu.pool_id("big-pool")
            ours = side(emu, [BIN, "export", "identities", "--pool", pool, "--format", "json"], env, n, json_array)
            boto = side(emu, ["/usr/bin/python3", BOTO3, pool], env, n, json_lines)
            cli = side(emu, [CLI, emu.url, pool], env, n, json_lines)
            got = {"ours": [], "boto3": [], "cli": []}
            for r in range(RUNS):
                got["ours"].append(ours())
                if boto3_ok:
                    got["boto3"].append(boto())
                if cli_ok and n == CLI_SIZE and r < CLI_RUNS:
                    got["cli"].append(cli())
            results[n] = got
            print(f"export {n}: " + ", ".join(f"{k} walls {[round(c.wall, 2) for c in v]}"
                                               for k, v in got.items() if v), file=sys.stderr)
    peers = (("cli", "AWS CLI `--next-token` loop"), ("boto3", "boto3 loop, one client"))
    measures = (("wall", "s", lambda c: c.wall), ("client CPU", "s", lambda c: c.cpu),
                ("peak RSS", "KiB", lambda c: c.rss_kib), ("connections", "count", lambda c: c.conns))
    for n in SIZES:
        got = results[n]
        for label, unit, get in measures:
            figure = f"Export {n:,} identities: {label}"
            compared = False
            for key, name in peers:
                if got[key]:
                    rows.emit(figure, unit, [get(c) for c in got["ours"]], name, [get(c) for c in got[key]])
                    compared = True
            if not compared:
                rows.emit(figure, unit, [get(c) for c in got["ours"]])
    if results[CLI_SIZE]["cli"]:
        rows.note(f"Export: the AWS CLI has no paginator for list-identities, so its loop starts one `aws` "
                  f"process a page ({CLI_SIZE // 60} for {CLI_SIZE:,} identities, plus two `jq`); its wall and "
                  "CPU are mostly that start-up, its peak RSS one `aws` process, and each page opens its own "
                  "connection.")
    if len(SIZES) > 1:
        small, big = results[SIZES[0]]["ours"], results[SIZES[-1]]["ours"]
        rows.emit(f"Export: peak RSS at {SIZES[-1]:,} over {SIZES[0]:,} identities (flat = 1)", "count",
                  [b.rss_kib / s.rss_kib for s, b in zip(small, big)])


if __name__ == "__main__":
    main()
