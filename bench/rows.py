"""bench/rows.py: what every benchmark script shares. Standard library only.

    emit(...)      prints one row of the table (one JSON line; bench/table.py
                   says what each field means); bench/run.py collects them
    note(text)     prints one sentence for the notes under the table
    measure(...)   runs a program as a user would and returns its wall time,
                   CPU (user + system, its reaped children included) and peak
                   resident set (through GNU time, see measure)
    alternate(...) runs two sides turn about, so both see the same load
Every other line a script prints is for the log (build/bench/NAME.log).
Importing this module makes SIGTERM unwind the script (its cleanup runs).
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

TIME = "/usr/bin/time"  # GNU time (Debian's time package)


def _terminated(signum, frame):
    # SIGTERM (bench/run.py's limit) unwinds like Ctrl-C: measure() kills what it
    # started, the with blocks stop the emulators and consoles.
    raise SystemExit(128 + signum)


signal.signal(signal.SIGTERM, _terminated)


def emit(figure, unit, ours, peer=None, peer_values=None, kind="peer", better="lower",
         max_ratio=None, source=None):
    row = {"figure": figure, "unit": unit, "ours": [float(v) for v in ours], "kind": kind,
           "better": better}
    if peer is not None:
        row["peer"] = peer
        row["peer_values"] = [float(v) for v in peer_values]
    if max_ratio is not None:
        row["max_ratio"] = max_ratio
    if source:
        row["source"] = source
    print(json.dumps(row), flush=True)


def note(text):
    print(json.dumps({"note": text}), flush=True)


class Child:
    """What one run of a program cost: wall (s), cpu (s), rss_kib, exit code, stdout bytes."""

    def __init__(self, wall, cpu, rss_kib, code, out):
        self.wall, self.cpu, self.rss_kib, self.code, self.out = wall, cpu, rss_kib, code, out


def measure(argv, env=None, stdin_data=None, timeout=1800, keep_output=True):
    """Runs argv to its end as a user would and measures it: Child(wall, cpu, rss_kib,
    code, out). stdout is kept (bytes; None unless keep_output); stderr goes to the
    log. cpu is user + system of the program and every child it reaped (a shell
    loop's commands), from os.wait4. rss_kib is the largest resident set of any of
    them, as GNU time reports it (%M): os.wait4's own ru_maxrss would count this
    script's memory too, because a forked child starts with its parent's pages
    resident and exec keeps that high-water mark. The program runs in its own
    process group, killed if it outlives timeout or this script stops, so
    nothing is left running."""
    with tempfile.NamedTemporaryFile(prefix="bench-rss-", mode="r") as rss:
        start = time.monotonic()
        p = subprocess.Popen([TIME, "-f", "%M", "-o", rss.name] + list(argv), env=env,
                             stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=sys.stderr, start_new_session=True)
        timer = threading.Timer(timeout, _kill_group, (p.pid,))
        timer.start()
        try:
            if stdin_data is not None:
                p.stdin.write(stdin_data)
                p.stdin.close()
            if keep_output:
                out = p.stdout.read()
            else:
                out = None
                while p.stdout.read(1 << 16):
                    pass
            p.stdout.close()
            _, status, usage = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
        except BaseException:
            _kill_group(p.pid)
            p.wait()
            raise
        finally:
            timer.cancel()
        wall = time.monotonic() - start
        lines = [x for x in rss.read().splitlines() if x.strip()]
    try:
        rss_kib = float(lines[-1])
    except (IndexError, ValueError):
        raise RuntimeError(f"{TIME} reported no peak RSS for {argv[0]} (exit {p.returncode})") from None
    return Child(wall, usage.ru_utime + usage.ru_stime, rss_kib, p.returncode, out)


def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def alternate(runs, *sides):
    """Calls each side in turn, runs times; returns one list of results a side."""
    results = [[] for _ in sides]
    for _ in range(runs):
        for i, side in enumerate(sides):
            results[i].append(side())
    return results


def runs(default):
    """How many runs a comparison makes: BENCH_RUNS overrides (at least 1)."""
    return max(1, int(os.environ.get("BENCH_RUNS", default)))
