"""The verbs ask for an assumed role's MFA code at the controlling terminal
(/dev/tty), with echo off, while stdin and stdout stay free for JSON."""
import fcntl
import os
import select
import shutil
import subprocess
import sys
import tempfile
import termios
import time
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "tests", "emulator"))
import harness  # noqa: E402

BIN = os.environ.get("COGNITO_TUI_BIN", os.path.join(TOP, "build", "cognito-tui"))
KEY_ID, SECRET = harness.FULL_KEY
GOOD_CODE = "123456"  # the code the emulator's STS accepts (tests/emulator/README.md)


@unittest.skipUnless(os.access(BIN, os.X_OK), f"no binary at {BIN}")
class MfaPrompt(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator()  # started: a second start() orphaned an emulator (issue 16)
        cls.addClassCleanup(cls.emu.stop)
        cls.home = tempfile.mkdtemp(prefix="cognito-mfa-")
        os.makedirs(os.path.join(cls.home, ".aws"))
        with open(os.path.join(cls.home, ".aws", "config"), "w") as f:
            f.write(f"""[profile base]
aws_access_key_id = {KEY_ID}
aws_secret_access_key = {SECRET}
[profile mfa]
role_arn = arn:aws:iam::123456789012:role/MfaAdmin
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/alice
""")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()
        shutil.rmtree(cls.home, ignore_errors=True)

    def run_on_tty(self, answer):
        """Runs `call ListIdentityPools` with a pseudo-terminal as its
        controlling terminal and pipes for stdin/stdout; answers the prompt.
        Returns (exit code, stdout, stderr, what the terminal showed)."""
        # Assumed-role credentials are cached (~/.aws/cli/cache, as the AWS
        # CLI does): start each run without, so the code is really asked.
        shutil.rmtree(os.path.join(self.home, ".aws", "cli"), ignore_errors=True)
        master, slave = os.openpty()

        def take_terminal():
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

        env = {"PATH": "/usr/bin:/bin", "HOME": self.home, "AWS_REGION": "us-east-1",
               "AWS_ENDPOINT_URL": self.emu.url, "AWS_ENDPOINT_URL_STS": self.emu.url,
               "XDG_STATE_HOME": os.path.join(self.home, "state")}
        p = subprocess.Popen([BIN, "--profile", "mfa", "call", "ListIdentityPools",
                              '{"MaxResults": 1}'], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                             preexec_fn=take_terminal, pass_fds=(slave,))
        os.close(slave)
        shown, deadline, answered = b"", time.monotonic() + 30, False
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                shown += chunk
            if not answered and b"MFA code for" in shown:
                os.write(master, answer.encode() + b"\n")
                answered = True
            if p.poll() is not None:
                break
        out, err = p.communicate(timeout=30)
        os.close(master)
        return p.returncode, out.decode(), err.decode(), shown.decode("utf-8", "replace")

    def test_right_code_is_asked_without_echo_and_accepted(self):
        rc, out, err, shown = self.run_on_tty(GOOD_CODE)
        self.assertEqual(rc, 0, err)
        prompt = "MFA code for arn:aws:iam::123456789012:mfa/alice: "
        self.assertIn(prompt, shown)
        self.assertNotIn(GOOD_CODE, shown.split(prompt, 1)[1], "the code was echoed")
        self.assertIn("IdentityPools", out)

    def test_wrong_code_fails_with_one_line(self):
        rc, out, err, shown = self.run_on_tty("000000")
        self.assertEqual(rc, 5, err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertNotIn("000000", err + out)

    def test_no_terminal_fails_clearly(self):
        env = {"PATH": "/usr/bin:/bin", "HOME": self.home, "AWS_REGION": "us-east-1",
               "AWS_ENDPOINT_URL": self.emu.url, "AWS_ENDPOINT_URL_STS": self.emu.url}
        p = subprocess.run([BIN, "--profile", "mfa", "call", "ListIdentityPools",
                            '{"MaxResults": 1}'], capture_output=True, env=env,
                           stdin=subprocess.DEVNULL, start_new_session=True, timeout=60)
        self.assertEqual(p.returncode, 5, p.stderr)
        self.assertIn("MFA", p.stderr.decode())
