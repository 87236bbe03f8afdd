"""`cognito-tui prune` at the service's quotas (figures, never pass/fail).

12,000 identities in the emulator's big-pool with `--quotas aws:4` (every
published rate × 4: ListIdentities 20 requests a second, DeleteIdentities
40), about a fifth of them matching (guests created before the middle of
the pool's creation dates: 2,400). The job lists 200 pages, then deletes 40
batches, so the least time the service allows is
    bound = 200 / 20 + 40 / 40 = 11 s
(the listing ends before the first delete: the phases add up). Beside it,
the same job as a plain boto3 script with the SDK's `adaptive` retry mode
(bench/peers/prune_boto3.py, Debian python3-boto3). Each runs RUNS times,
alternating, on a freshly seeded pool; the figures are medians (min–max
printed beside them). The share throttled is the emulator's count of
TooManyRequestsException answers over every request the job sent.

cognito-tui is told the quota with --rate-share 400 (the account's quota is
4× the published one, as `aws:4` makes it).

Targets of the issue: within 1.15× of the bound, under 2 % of requests
throttled, ahead of boto3 adaptive. Missed targets are reported as they are.

Usage: BUILD=build /usr/bin/python3 bench/prune.py   (make bench does this)
Prints rows for bench/run.py (bench/rows.py).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "emulator"))
import harness  # noqa: E402

sys.path.insert(0, os.path.join(TOP, "bench"))
import rows  # noqa: E402

BIN = os.path.join(TOP, os.environ.get("BUILD", "build"), "cognito-tui")
PEER = os.path.join(TOP, "bench", "peers", "prune_boto3.py")
N = int(os.environ.get("BENCH_PRUNE_IDENTITIES", "12000"))
SCALE = 4
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
BASE = 1704067200.0  # the demo seed's first creation time (tests/emulator/seed.py)
LIST_RATE, DELETE_RATE = 5 * SCALE, 10 * SCALE


def cutoff_for_half():
    # Identity i is created at BASE + 60 + 17.25 i: the first half of the pool.
    return BASE + 60 + 17.25 * (N // 2)


def iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def seed(emu):
    emu.control("POST", "/_emulator/seed", {"seed": "demo", "identities": N})
    emu.control("POST", "/_emulator/quotas", {"mode": "aws", "scale": SCALE})
    pool = emu.pool_id("big-pool")
    emu.reset_log()
    return pool


def log_figures(emu):
    log = [e for e in emu.requests() if e["operation"] in ("ListIdentities", "DeleteIdentities",
                                                            "DescribeIdentity")]
    throttled = sum(1 for e in log if e["error_code"] == "TooManyRequestsException")
    lists = sum(1 for e in log if e["operation"] == "ListIdentities" and e["status"] == 200)
    deletes = sum(1 for e in log if e["operation"] == "DeleteIdentities" and e["status"] == 200)
    return len(log), throttled, lists, deletes


def run_ours(emu, env, cutoff):
    pool = seed(emu)
    state = tempfile.mkdtemp(prefix="bench-prune-")
    try:
        e = dict(env, XDG_STATE_HOME=state)
        start = time.monotonic()
        p = subprocess.run([BIN, "prune", "--pool", pool, "--unauthenticated", "--created-before",
                            iso(cutoff), "--yes", "--rate-share", str(100 * SCALE), "--format", "json"],
                           env=e, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        wall = time.monotonic() - start
    finally:
        shutil.rmtree(state, ignore_errors=True)
    if p.returncode != 0:
        raise SystemExit(f"cognito-tui prune failed ({p.returncode}): {p.stderr[-500:]}")
    out = json.loads(p.stdout)
    return wall, out, log_figures(emu)


def run_boto3(emu, env, cutoff):
    pool = seed(emu)
    start = time.monotonic()
    p = subprocess.run(["/usr/bin/python3", PEER, pool, str(cutoff)], env=env, capture_output=True,
                       text=True, stdin=subprocess.DEVNULL)
    wall = time.monotonic() - start
    if p.returncode != 0:
        raise SystemExit(f"boto3 prune failed ({p.returncode}): {p.stderr[-800:]}")
    return wall, json.loads(p.stdout), log_figures(emu)



def main():
    if not os.access(BIN, os.X_OK):
        raise SystemExit(f"{BIN} is missing: build it first (make bench)")
    try:
        import boto3  # noqa: F401
        have_boto3 = True
    except ImportError:
        have_boto3 = False
    cutoff = cutoff_for_half()
    try:
        emu = harness.Emulator("--seed", "demo", "--identities", str(N), "--quotas", f"aws:{SCALE}")
    except harness.EmulatorError as e:
        rows.note(f"Prune: skipped, the emulator has no --quotas ({str(e)[:120]}).")
        return
    ours, peers = [], []
    with emu:
        env = emu.env()
        env["AWS_CONFIG_FILE"] = "/nonexistent/cognito-tui-bench/config"
        env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/cognito-tui-bench/credentials"
        for _ in range(RUNS):
            ours.append(run_ours(emu, env, cutoff))
            if have_boto3:
                peers.append(run_boto3(emu, env, cutoff))
    matched = ours[0][1]["matched"]
    pages = ours[0][2][2]
    batches = ours[0][2][3]
    bound = pages / LIST_RATE + batches / DELETE_RATE
    walls = [w for w, _, _ in ours]
    shares = [f[1] / f[0] for _, _, f in ours]
    print(f"identities={N} matched={matched} list_pages={pages} delete_batches={batches}", file=sys.stderr)
    print(f"quotas: ListIdentities {LIST_RATE}/s, DeleteIdentities {DELETE_RATE}/s (aws:{SCALE})", file=sys.stderr)
    job = f"Prune {N:,} identities ({matched:,} match), `--quotas aws:{SCALE}`"
    rows.emit(f"{job}: wall", "s", walls, f"quota bound ({pages} pages / {LIST_RATE}/s + {batches} batches / "
              f"{DELETE_RATE}/s)", [bound], kind="bound", max_ratio=1.15, source="issue 13")
    if peers:
        pwalls = [w for w, _, _ in peers]
        pshares = [f[1] / f[0] for _, _, f in peers]
        rows.emit(f"{job}: wall", "s", walls, "boto3 script, `adaptive` retries", pwalls, max_ratio=1.0,
                  source="issue 13: ahead of boto3 adaptive")
        rows.emit("Prune: share of requests throttled", "share", shares, "boto3 script, `adaptive` retries",
                  pshares)
        if any(p[1]["deleted"] != matched for p in peers):
            rows.note("Prune: the boto3 script deleted a different count than cognito-tui matched: " +
                      ",".join(str(p[1]["deleted"]) for p in peers) + f" (cognito-tui: {matched}).")
    else:
        rows.note("Prune: python3-boto3 is missing, no boto3 comparison.")
    rows.emit("Prune: share of requests throttled", "share", shares, "target", [0.02], kind="target",
              source="issue 13")

if __name__ == "__main__":
    main()
