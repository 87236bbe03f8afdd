"""Drive the real cognito-tui binary in a tmux pane, for the e2e tests.

    import tmux_driver
    with tmux_driver.Console(emu) as con:          # emu: harness.Emulator
        con.wait_for("big-pool")
        con.keys("Enter")
        con.type("some text")
        text = con.screen()
    # leaving the block quits the console (Q), checks it exited 0 and that
    # AddressSanitizer wrote no report (leaks included).

Each Console has its own tmux server (-L unique socket), its own HOME,
XDG_STATE_HOME (the journal) and XDG_CONFIG_HOME, and passes the emulator's
endpoint (Cognito and STS) and keys through the environment. Waiting is by polling the screen
with a deadline, never fixed sleeps. Standard library only.

TERM: the pane is tmux's terminal, so the default is tmux-256color (the key
sequences tmux sends match its terminfo). Another TERM (vt100) is honoured;
keep to keys that terminal has (letters, Enter, Escape, arrows).
"""
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "emulator"))
import harness  # noqa: E402

BIN = os.environ.get("COGNITO_TUI_BIN") or os.path.join(TOP, "build", "cognito-tui")
_counter = itertools.count()


class ConsoleError(AssertionError):
    pass


class Console:
    def __init__(self, emu=None, args=(), read_only_key=False, env=None, width=100, height=30,
                 term="tmux-256color", lang="C.UTF-8", config_text=None, start=True):
        self.tmp = tempfile.mkdtemp(prefix="tui-e2e-")
        self.socket = f"cognito-tui-e2e-{os.getpid()}-{next(_counter)}"
        self.width, self.height = width, height
        self.exit_file = os.path.join(self.tmp, "exit")
        self.asan_prefix = os.path.join(self.tmp, "asan")
        home = os.path.join(self.tmp, "home")
        os.makedirs(home)
        base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TMUX"))}
        e = emu.env(read_only=read_only_key, base=base) if emu else dict(base)
        if emu:
            # STS too (the account id for tag ARNs, assumed roles): the
            # console must never reach the real one from a test.
            e["AWS_ENDPOINT_URL_STS"] = emu.url
        # A path that does not exist: no config file at all.
        e["AWS_CONFIG_FILE"] = os.path.join(self.tmp, "no-aws-config")
        e["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(self.tmp, "no-aws-credentials")
        e["AWS_EC2_METADATA_DISABLED"] = "true"
        e.update({
            "HOME": home,
            "XDG_STATE_HOME": os.path.join(self.tmp, "state"),
            "XDG_CONFIG_HOME": os.path.join(self.tmp, "config"),
            "TERM": term,
            # The tmux socket lives in our folder and goes with it.
            "TMUX_TMPDIR": self.tmp,
            "LANG": lang,
            "LC_ALL": lang,
            "ASAN_OPTIONS": f"log_path={self.asan_prefix}:detect_leaks=1:abort_on_error=0",
            "UBSAN_OPTIONS": f"log_path={self.asan_prefix}:print_stacktrace=1:halt_on_error=1",
        })
        e.pop("COGNITO_TUI_READ_ONLY", None)
        if env:
            for k, v in env.items():
                if v is None:
                    e.pop(k, None)
                else:
                    e[k] = v
        self.env = e
        if config_text is not None:
            os.makedirs(os.path.join(self.tmp, "config", "cognito-tui"))
            with open(os.path.join(self.tmp, "config", "cognito-tui", "config"), "w") as f:
                f.write(config_text)
        self.args = list(args)
        self.closed = False
        if start:
            self.start()

    # -- life cycle ---------------------------------------------------------
    def tmux(self, *args, check=True):
        r = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], env=self.env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=20)
        if check and r.returncode != 0:
            raise ConsoleError(f"tmux {' '.join(args)}: {r.stderr.strip()}")
        return r.stdout

    def start(self):
        cmd = " ".join(_quote(a) for a in [BIN, *self.args])
        # tmux sets TERM in the pane to its default-terminal: say ours explicitly.
        term = _quote(self.env.get("TERM", "tmux-256color"))
        shell = f"TERM={term} {cmd}; echo $? > {_quote(self.exit_file)}; sleep 600"
        self.tmux("new-session", "-d", "-x", str(self.width), "-y", str(self.height), shell)
        return self

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None and not self.closed:
                self.quit()
                self.assert_clean()
        finally:
            self.kill()

    def kill(self):
        self.tmux("kill-server", check=False)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def quit(self, key="Q", timeout=10):
        """Quits with `key` and returns the exit status."""
        self.keys(key)
        status = self.wait_exit(timeout)
        self.closed = True
        return status

    def wait_exit(self, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(self.exit_file):
                with open(self.exit_file) as f:
                    text = f.read().strip()
                if text:
                    return int(text)
            time.sleep(0.05)
        raise ConsoleError(f"the console did not exit within {timeout}s; screen:\n{self.screen()}")

    def asan_reports(self):
        out = []
        for name in os.listdir(self.tmp):
            if name.startswith("asan"):
                with open(os.path.join(self.tmp, name), errors="replace") as f:
                    out.append(f.read())
        return out

    def assert_clean(self, status=0):
        with open(self.exit_file) as f:
            got = int(f.read().strip())
        reports = self.asan_reports()
        if reports:
            raise ConsoleError("sanitizer report:\n" + "\n".join(reports)[:4000])
        if got != status:
            raise ConsoleError(f"exit status {got}, expected {status}")

    # -- input ----------------------------------------------------------------
    def keys(self, *keys):
        """tmux key names: "Enter", "Escape", "Tab", "BTab", "Up", "PageDown", "C-f", "q"."""
        for k in keys:
            self.tmux("send-keys", k)

    def type(self, text):
        self.tmux("send-keys", "-l", text)

    def resize(self, width, height):
        self.tmux("resize-window", "-x", str(width), "-y", str(height))
        self.width, self.height = width, height

    # -- output ---------------------------------------------------------------
    def screen(self, escapes=False):
        args = ["capture-pane", "-p"] + (["-e"] if escapes else [])
        return self.tmux(*args)

    def wait_for(self, pattern, timeout=10, regex=False, gone=False):
        """Waits until the screen shows `pattern` (or no longer shows it, with
        gone=True). Returns the screen."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            found = re.search(pattern, text) if regex else pattern in text
            if bool(found) != gone:
                return text
            if os.path.exists(self.exit_file) and os.path.getsize(self.exit_file):
                break
            time.sleep(0.05)
        what = "gone" if gone else "shown"
        raise ConsoleError(f"not {what} within {timeout}s: {pattern!r}; screen:\n{text}\n"
                           f"{''.join(self.asan_reports())[:3000]}")

    def journal(self):
        """The journal lines (parsed JSON), [] when none."""
        import json
        path = os.path.join(self.tmp, "state", "cognito-tui", "journal.jsonl")
        if not os.path.exists(path):
            return []
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]

    def journal_mode(self):
        path = os.path.join(self.tmp, "state", "cognito-tui", "journal.jsonl")
        return os.stat(path).st_mode & 0o777


def _quote(s):
    return "'" + str(s).replace("'", "'\\''") + "'"


def operations(emu, since=0):
    """Operation names of the emulator's request log, oldest first."""
    return [r["operation"] for r in emu.requests()[since:]]


def wait_until(fn, timeout=10, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.05)
    raise ConsoleError(f"{what} not met within {timeout}s")
