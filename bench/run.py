"""make bench: runs every benchmark and writes bench/results.md (figures, never
pass/fail). Standard library only; run with /usr/bin/python3.

    BUILD=build /usr/bin/python3 bench/run.py [NAME...]

Each benchmark is a script (or a C program, BUILD/bench-NAME) that prints the
rows of the table as JSON lines (bench/rows.py, bench/table.py); its whole
output goes to BUILD/bench/NAME.log. This driver collects the rows into one
table, in the order below, and writes bench/results.md: the machine, the
date, the commit, the table, then the notes (missed targets, what failed,
the load the machine was under). The README's copy between its bench markers
is replaced with the same table. With NAMEs, only those run and the results
go to BUILD/bench/results-partial.md instead (neither file above changes).

Every benchmark runs in its own process group; a benchmark that outlives its
time limit, or a Ctrl-C, kills that group, and the emulators the scripts start
end with them (they stop when their parent's pipe closes), so nothing stays.
"""
import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "bench"))
import table  # noqa: E402

PY = "/usr/bin/python3"
BUILD = os.environ.get("BUILD", "build")
README_BEGIN = "<!-- bench begin: written by `make bench` from bench/results.md; do not edit -->"
README_END = "<!-- bench end -->"

# name, command (relative to the top; {build} is BUILD), time limit in seconds.
BENCHES = (
    ("sign", [PY, "bench/sign_botocore.py"], 300),
    ("call", [PY, "bench/call.py"], 300),
    ("export", [PY, "bench/export.py"], 900),
    ("prune", [PY, "bench/prune.py"], 900),
    ("inventory", [PY, "bench/inventory.py"], 1200),
    ("inventory_view", ["{build}/bench-inventory_view"], 600),
    ("audit", [PY, "bench/audit.py"], 900),
    ("console", [PY, "bench/console.py"], 600),
    ("widgets_table", ["{build}/bench-widgets_table"], 300),
    ("ini_parse", ["{build}/bench-ini_parse"], 300),
    ("api_calls", [PY, "bench/api_calls.py"], 300),
    ("emulator", [PY, "bench/emulator.py"], 300),
)


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "unknown"
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem = f"{int(line.split()[1]) / 1048576:.1f} GiB"
                    break
    except OSError:
        pass
    return {"nproc": len(os.sched_getaffinity(0)), "memory": mem, "cpu": cpu,
            "kernel": platform.release()}


def git(*args):
    p = subprocess.run(["git", "-C", TOP] + list(args), capture_output=True, text=True)
    return p.stdout.strip() if p.returncode == 0 else ""


def commit():
    head = git("rev-parse", "--short=12", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return head + (" (with uncommitted changes)" if dirty else "")


def versions():
    out = []
    p = subprocess.run(["/usr/bin/aws", "--version"], capture_output=True, text=True) \
        if os.access("/usr/bin/aws", os.X_OK) else None
    if p and p.returncode == 0:
        out.append(p.stdout.strip().split(" ")[0])
    p = subprocess.run([PY, "-c", "import boto3, botocore; print(boto3.__version__, botocore.__version__)"],
                       capture_output=True, text=True)
    if p.returncode == 0:
        b3, bc = p.stdout.split()
        out += [f"boto3 {b3}", f"botocore {bc}"]
    return out


def run_one(name, argv, limit, logdir):
    """Runs one benchmark; returns (rows, notes, seconds, failure or None)."""
    argv = [a.replace("{build}", BUILD) for a in argv]
    if not os.path.exists(os.path.join(TOP, argv[-1] if argv[0] == PY else argv[0])):
        return [], [], 0.0, f"{argv[-1] if argv[0] == PY else argv[0]} is missing"
    log_path = os.path.join(logdir, name + ".log")
    env = dict(os.environ, BUILD=BUILD, PYTHON=PY)
    start = time.monotonic()
    rows, notes, failure = [], [], None
    with open(log_path, "wb") as log:
        p = subprocess.Popen(argv, cwd=TOP, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=log, start_new_session=True)
        overdue = threading.Event()

        def stop():
            overdue.set()
            end_group(p)

        timer = threading.Timer(limit, stop)
        timer.start()
        try:
            for line in p.stdout:
                log.write(line)
                log.flush()
                parsed = parse(line)
                if parsed is None:
                    continue
                if "note" in parsed:
                    notes.append(parsed["note"])
                    continue
                try:
                    rows.append(table.check(parsed))
                except ValueError as e:
                    failure = str(e)
            p.wait()
        except BaseException:  # Ctrl-C or SIGTERM of make bench: the benchmark stops what it started
            end_group(p)
            raise
        finally:
            timer.cancel()
            kill_group(p)  # anything the benchmark left in its group
            p.stdout.close()
    if overdue.is_set():
        failure = f"stopped after its limit of {limit} s"
    seconds = time.monotonic() - start
    if failure is None and p.returncode != 0:
        failure = f"exit {p.returncode}: {last_line(log_path)}"
    return rows, notes, seconds, failure


def end_group(p, grace=15):
    """SIGTERM to the benchmark's group (its scripts unwind: they stop what they
    started), then SIGKILL to whatever is left after grace seconds."""
    try:
        os.killpg(p.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    try:
        p.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    kill_group(p)


def kill_group(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def parse(line):
    s = line.strip()
    if not s.startswith(b"{"):
        return None
    try:
        obj = json.loads(s)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) and ("figure" in obj or "note" in obj) else None


def last_line(path):
    try:
        with open(path, "rb") as f:
            lines = [x for x in f.read().decode(errors="replace").splitlines() if x.strip()]
        return lines[-1][:300] if lines else "(no output)"
    except OSError:
        return "(no log)"


def document(info, rows, notes):
    m = info["machine"]
    loads = info["load"]
    out = ["# cognito-tui benchmarks", "",
           "Written by `make bench` (bench/run.py); do not edit by hand. Figures, never pass/fail: "
           "medians of the runs with min–max in brackets; each comparison runs both sides turn about "
           "in the same run. The ratio is ours / peer (below 1: ours is smaller). Peers are the "
           "programs a user would run instead, run as a user would, against the same emulator "
           "(tests/emulator) on the same machine.", "",
           f"- Machine: {m['nproc']} CPUs (nproc), {m['memory']} memory, {m['cpu']}, Linux {m['kernel']}",
           f"- Date: {info['date']}",
           f"- Commit: {info['commit']}",
           f"- Peers: {', '.join(info['versions']) or 'none found'}",
           f"- `make bench` took {info['seconds'] / 60:.1f} min; load average (1 min) "
           f"{loads[0]:.1f} at the start, {loads[1]:.1f} at the end",
           "", table.markdown(rows), "", "## Notes", ""]
    out += [f"- {n}" for n in notes] if notes else ["- (none)"]
    return "\n".join(out) + "\n"


def quote_in_readme(path, rows, info):
    with open(path) as f:
        text = f.read()
    if README_BEGIN not in text or README_END not in text:
        return False
    head, rest = text.split(README_BEGIN, 1)
    _, tail = rest.split(README_END, 1)
    body = (f"\n\nFrom the last `make bench` ({info['date'][:10]}, commit {info['commit'].split(' ')[0]}, "
            f"{info['machine']['nproc']} CPUs, load {info['load'][0]:.1f}; the notes and the machine are in "
            f"[bench/results.md](bench/results.md)):\n\n{table.markdown(rows)}\n\n")
    with open(path, "w") as f:
        f.write(head + README_BEGIN + body + README_END + tail)
    return True


def main(argv):
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    names = argv[1:]
    known = {b[0] for b in BENCHES}
    for n in names:
        if n not in known:
            print(f"bench/run.py: no benchmark named {n!r} (known: {', '.join(sorted(known))})", file=sys.stderr)
            return 2
    logdir = os.path.join(TOP, BUILD, "bench")
    os.makedirs(logdir, exist_ok=True)
    info = {"machine": machine(), "commit": commit(), "versions": versions(),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    load_start = os.getloadavg()[0]
    start = time.monotonic()
    all_rows, notes, timings = [], [], []
    for name, cmd, limit in BENCHES:
        if names and name not in names:
            continue
        print(f"== {name}", flush=True)
        rows, bench_notes, seconds, failure = run_one(name, cmd, limit, logdir)
        for r in rows:
            print("   " + table.markdown_row(r), flush=True)
        all_rows += rows
        notes += bench_notes
        timings.append(f"{name} {seconds:.0f} s")
        if failure:
            notes.append(f"Benchmark `{name}` did not finish: {failure} (its log: {BUILD}/bench/{name}.log); "
                         "its rows are missing.")
            print(f"   failed: {failure}", flush=True)
    info["seconds"] = time.monotonic() - start
    info["load"] = (load_start, os.getloadavg()[0])
    notes = [m for m in (table.missed(r) for r in all_rows) if m] + notes
    # The load this process can see: more than half the CPUs busy with other
    # work at either end is said to have inflated the walls.
    loaded = max(info["load"]) > info["machine"]["nproc"] / 2
    notes.append(f"Load average (1 min) {info['load'][0]:.1f} at the start and {info['load'][1]:.1f} at the end "
                 f"on {info['machine']['nproc']} CPUs (the machine is shared). "
                 + ("Wall times are inflated by that load; the medians and the turn-about runs keep the "
                    "comparisons fair, not the absolute figures." if loaded else
                    "A quiet run: the walls are the programs' own, within the min–max shown."))
    notes.append("Seconds a benchmark: " + ", ".join(timings) + ".")
    doc = document(info, all_rows, notes)
    if names:
        out = os.path.join(logdir, "results-partial.md")
    else:
        out = os.path.join(TOP, "bench", "results.md")
        if not quote_in_readme(os.path.join(TOP, "README.md"), all_rows, info):
            print("bench/run.py: README.md has no bench markers; its table is not updated", file=sys.stderr)
    with open(out, "w") as f:
        f.write(doc)
    print(f"\n{table.markdown(all_rows)}\n\nwritten: {os.path.relpath(out, TOP)} "
          f"({info['seconds'] / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
