"""make bench: the console's figures (never pass/fail; the machine is shared),
as rows for bench/run.py (bench/rows.py) beside the targets of issue 6.

  start     start to the first frame showing the pools from the emulator
            (target under 100 ms), median of 7
  keystroke a key pressed while a page load is in flight (the emulator holds
            ListIdentities 2 s) until the screen it asks for is drawn
            (target under 16 ms), median of 7
  scroll    Down held in big-pool (10,000 identities): frames drawn a
            second, each key sent when the frame before it is out, median of 5
  load all  L in a pool of 6,000 identities: wall against the quota bound
            (the console lists at ListIdentities' published 5/s, one limiter
            for every request it makes), and resident memory before and after,
            median of 3. (The million-row case is the inventory view's,
            bench/inventory_view.c; at 5/s a live L of 100,000 takes 5.5 min.)

The console runs on a pseudo-terminal (100x30, xterm-256color) against the
emulator (tests/emulator). BUILD (from bench/run.sh) names the build folder.
Standard library only.
"""
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "emulator"))
import harness  # noqa: E402

sys.path.insert(0, os.path.join(TOP, "bench"))
import rows  # noqa: E402

BIN = os.path.join(TOP, os.environ.get("BUILD", "build"), "cognito-tui")
DOWN = "\x1bOB"  # the Down arrow in keypad-transmit mode (terminfo kcud1), which the console turns on


class Pty:
    def __init__(self, env, cols=100, rows=30):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen([BIN], stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True)
        os.close(slave)
        self.buf = b""

    def read_until(self, needle, timeout=30):
        """Returns the time (perf_counter) when needle first appeared."""
        needle = needle.encode()
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            r, _, _ = select.select([self.master], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                self.buf += chunk
                if needle in self.buf[-(len(chunk) + len(needle)):]:
                    return time.perf_counter()
        raise RuntimeError(f"{needle!r} not drawn within {timeout}s")

    def read_frame(self, timeout=30):
        """Waits until what was written since the last send ends a frame: ncurses
        ends each doupdate with sgr0 (ESC [ m), and writes a frame in one go."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if select.select([self.master], [], [], 0.05)[0]:
                self.buf += os.read(self.master, 65536)
                if self.buf.endswith(b"\x1b[m"):
                    return time.perf_counter()
        raise RuntimeError(f"no frame drawn within {timeout}s")

    def drain(self, quiet=0.2):
        while select.select([self.master], [], [], quiet)[0]:
            try:
                os.read(self.master, 65536)
            except OSError:
                return

    def send(self, data):
        self.buf = b""
        os.write(self.master, data.encode())
        return time.perf_counter()

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return -1

    def close(self):
        try:
            os.write(self.master, b"Q")
            self.proc.wait(timeout=5)
        except Exception:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        os.close(self.master)


def console_env(emu):
    env = emu.env()
    env.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
                "AWS_CONFIG_FILE": "/nonexistent/cognito-tui-bench",
                "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/cognito-tui-bench",
                "XDG_STATE_HOME": "/tmp/cognito-tui-bench-state",
                "XDG_CONFIG_HOME": "/nonexistent/cognito-tui-bench"})
    return env


def ms(x):
    return f"{x * 1000:.1f} ms"


def bench_start(emu):
    times = []
    for _ in range(rows.runs(7)):
        p = Pty(console_env(emu))
        try:
            t = p.read_until("partner-portal")
            times.append(t - p.t0)
        finally:
            p.close()
    rows.emit("Console: start to the first frame with pools", "ms", [t * 1e3 for t in times], "target",
              [100], kind="target", source="issue 6")


def bench_keystroke(emu):
    times = []
    try:
        for _ in range(rows.runs(7)):
            emu.set_faults("")
            p = Pty(console_env(emu))
            try:
                p.read_until("partner-portal")
                emu.set_faults("delay:2000/ListIdentities")
                p.send("\r")
                p.read_until("Loading identities")
                p.drain(0.05)
                t0 = p.send("?")
                t = p.read_until("Load every page")
                times.append(t - t0)
            finally:
                p.close()
    finally:
        emu.set_faults("")
    rows.emit("Console: keystroke to redraw during a page load", "ms", [t * 1e3 for t in times], "target",
              [16], kind="target", source="issue 6")


def bench_scroll(emu, keys=300):
    """Down arrow held in big-pool's Identities: each key is sent when the frame
    of the one before has been written (ncurses ends a frame with sgr0), so
    the rate is frames drawn a second, page loads as the rows come included."""
    rates = []
    for _ in range(rows.runs(5)):
        p = Pty(console_env(emu))
        try:
            p.read_until("partner-portal")
            p.send("\r")
            p.read_until("of 60+")
            p.drain(0.2)
            t0 = time.perf_counter()
            for _ in range(keys):
                p.send(DOWN)
                p.read_frame()
            rates.append(keys / (time.perf_counter() - t0))
        finally:
            p.close()
    rows.emit(f"Console: redraws a second scrolling big-pool ({keys} × Down, pages loading)", "/s", rates,
              better="higher")


LOAD_ALL_IDENTITIES = 6000
LIST_RATE = 5  # ListIdentities' published quota, requests a second (README "Pacing")


def bench_load_all():
    walls, before, after = [], [], []
    n = LOAD_ALL_IDENTITIES
    pages = -(-n // 60)
    with harness.Emulator("--seed", "demo", "--identities", str(n)) as emu:
        for _ in range(rows.runs(3)):
            p = Pty(console_env(emu))
            try:
                p.read_until("partner-portal")
                p.send("\r")
                p.read_until("of 60+")
                p.drain(0.2)
                before.append(p.rss_kib())
                t0 = p.send("L")
                p.read_until(f"All {n:,} identities loaded", timeout=pages / LIST_RATE * 3 + 30)
                walls.append(time.perf_counter() - t0)
                after.append(p.rss_kib())
            finally:
                p.close()
    rows.emit(f"Console: L in a pool of {n:,} identities: wall", "s", walls,
              f"quota bound ({pages - 1} more pages / {LIST_RATE}/s)", [(pages - 1) / LIST_RATE], kind="bound")
    rows.emit(f"Console: resident memory with {n:,} identities loaded", "KiB", after,
              "the same console with the first 60", before)


def main():
    if not os.access(BIN, os.X_OK):
        raise SystemExit(f"{BIN} is missing: build it first (make bench)")
    print(f"console bench: {BIN}", file=sys.stderr)
    with harness.Emulator("--seed", "demo", "--identities", "600") as emu:
        bench_start(emu)
        bench_keystroke(emu)
    with harness.Emulator("--seed", "demo", "--identities", "10000") as emu:
        bench_scroll(emu)
    bench_load_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
