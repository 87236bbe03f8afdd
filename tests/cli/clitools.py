"""Shared pieces of the command-line integration tests (tests/cli/test_*.py).

The binary under test is $COGNITO_TUI_BIN (tests/run.sh exports it); each
suite starts one emulator (tests/emulator/harness.py) and runs the binary
against it with the emulator's demo keys in the environment.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "tests", "emulator"))
import harness  # noqa: E402

BIN = os.environ.get("COGNITO_TUI_BIN", os.path.join(TOP, "build", "cognito-tui"))
ACCOUNT = harness.ACCOUNT
REGION = harness.REGION


class Result:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"Result(rc={self.rc}, out={self.out[:300]!r}, err={self.err[:500]!r})"


class Cli:
    """Runs the binary against one emulator, with a private journal folder."""

    def __init__(self, emu):
        self.emu = emu
        self.state = tempfile.mkdtemp(prefix="cognito-cli-state-")

    def cleanup(self):
        shutil.rmtree(self.state, ignore_errors=True)

    def env(self, read_only_key=False, extra=None):
        env = self.emu.env(read_only=read_only_key)
        env["XDG_STATE_HOME"] = self.state
        # No shared files at all (tests/run.sh does the same).
        env["AWS_CONFIG_FILE"] = "/nonexistent/cognito-tui-tests/config"
        env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/cognito-tui-tests/credentials"
        env.pop("COGNITO_TUI_READ_ONLY", None)
        if extra:
            env.update(extra)
        return env

    def run(self, *args, stdin=None, env=None, binary=False, timeout=60, **kw):
        p = subprocess.run([BIN] + [str(a) for a in args], input=stdin, capture_output=True,
                           env=env or self.env(**kw), timeout=timeout)
        if binary:
            return Result(p.returncode, p.stdout, p.stderr)
        return Result(p.returncode, p.stdout.decode("utf-8", "replace"),
                      p.stderr.decode("utf-8", "replace"))

    def call(self, op, payload=None, *extra, **kw):
        args = ["call", op]
        if payload is not None:
            args.append(payload if isinstance(payload, str) else json.dumps(payload))
        return self.run(*args, *extra, **kw)

    def ok(self, op, payload=None, *extra, **kw):
        r = self.call(op, payload, *extra, **kw)
        if r.rc != 0:
            raise AssertionError(f"{op} failed: {r}")
        return r.json()

    def journal(self):
        path = os.path.join(self.state, "cognito-tui", "journal.jsonl")
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]


def one_error_line(test, result, code, *needles):
    """The failure contract: exit code, one line on stderr in the house form."""
    test.assertEqual(result.rc, code, result)
    lines = result.err.strip("\n").split("\n")
    test.assertEqual(len(lines), 1, result)
    test.assertTrue(lines[0].startswith("cognito-tui: "), result)
    test.assertNotIn("AddressSanitizer", result.err)
    test.assertNotIn("runtime error", result.err)
    for n in needles:
        test.assertIn(n, lines[0], result)
    return lines[0]


def all_pages(emu, op, payload, key):
    """Every item of a paginated operation, asked of the emulator directly."""
    items, token = [], None
    while True:
        req = dict(payload, MaxResults=60)
        if token:
            req["NextToken"] = token
        out = emu.ok(op, req)
        items.extend(out.get(key, []))
        token = out.get("NextToken")
        if not token:
            return items


class EmulatorCase(unittest.TestCase):
    """One emulator (demo seed, IDENTITIES identities, plus emulator_args())
    and one Cli per test class; every test starts with no faults set and an
    empty request log."""
    IDENTITIES = 5

    @classmethod
    def emulator_args(cls):
        return ()

    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", str(cls.IDENTITIES),
                                   *cls.emulator_args())
        cls.addClassCleanup(cls.emu.stop)  # also when a subclass's setUpClass fails after this
        cls.cli = Cli(cls.emu)

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()
        cls.cli.cleanup()

    def setUp(self):
        self.emu.set_faults("")
        self.emu.reset_log()
