"""scripts/demo.sh: starts the emulator with the demo data and a state file, runs BIN against it
with the demo keys, stops the emulator when BIN exits, and keeps the state for the next run.
BIN here is a stand-in script that records what it was given and changes one thing."""
import json
import os
import shutil
import socket
import stat
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
DEMO = os.path.join(TOP, "scripts", "demo.sh")

FAKE = r'''#!/usr/bin/python3
import json, os, sys, urllib.request
sys.path.insert(0, os.environ["EMU_DIR"])
import sigv4
args = sys.argv[1:]
url = args[args.index("--endpoint-url") + 1]
env = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_CONFIG_FILE",
                                      "AWS_SHARED_CREDENTIALS_FILE", "AWS_PROFILE", "http_proxy", "all_proxy",
                                      "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_COGNITO_IDP",
                                      "AWS_ACCOUNT_ID")}
def call(op, body):
    data = json.dumps(body).encode()
    h = sigv4.sign("POST", url + "/", {"Content-Type": "application/x-amz-json-1.1",
                   "X-Amz-Target": "AWSCognitoIdentityService." + op}, data, env["AWS_ACCESS_KEY_ID"],
                   env["AWS_SECRET_ACCESS_KEY"], "us-east-1", "cognito-identity")
    return json.load(urllib.request.urlopen(urllib.request.Request(url + "/", data, h)))
pools = [p["IdentityPoolName"] for p in call("ListIdentityPools", {"MaxResults": 60})["IdentityPools"]]
if os.environ.get("CREATE"):
    call("CreateIdentityPool", {"IdentityPoolName": os.environ["CREATE"], "AllowUnauthenticatedIdentities": False})
quotas = json.load(urllib.request.urlopen(url + "/_emulator/quotas"))["mode"]
json.dump({"args": args, "env": env, "pools": pools, "quotas": quotas, "pid": os.getpid()},
          open(os.environ["REPORT"], "w"))
if os.environ.get("HANG"):
    import time
    time.sleep(600)
sys.exit(7)
'''


class Demo(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.bin = os.path.join(self.dir, "fake-console")
        with open(self.bin, "w") as f:
            f.write(FAKE)
        os.chmod(self.bin, stat.S_IRWXU)
        self.state = os.path.join(self.dir, "state")
        self.report = os.path.join(self.dir, "report.json")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def run_demo(self, *extra, create=None, bin_path=None, hang=False):
        env = dict(os.environ, COGNITO_TUI_DEMO_STATE=self.state, EMU_DIR=HERE, REPORT=self.report,
                   AWS_PROFILE="someone-elses", AWS_ACCESS_KEY_ID="AKIAREALUSERKEY00000",
                   # a proxy in the user's shell (port 9: nothing there) must not take the demo's traffic
                   http_proxy="http://127.0.0.1:9", all_proxy="http://127.0.0.1:9")
        if create:
            env["CREATE"] = create
        if hang:
            env["HANG"] = "1"
            return subprocess.Popen(["bash", DEMO, bin_path or self.bin] + list(extra), env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), None
        p = subprocess.run(["bash", DEMO, bin_path or self.bin] + list(extra), env=env, capture_output=True,
                           text=True, timeout=120)
        report = json.load(open(self.report)) if os.path.exists(self.report) else None
        return p, report

    def test_demo_runs_the_console_against_the_emulator_and_keeps_state(self):
        p, report = self.run_demo("--read-only", create="made in demo")
        self.assertEqual(p.returncode, 7, p.stderr)  # BIN's exit status is passed on
        args = report["args"]
        self.assertEqual(args[args.index("--region") + 1], "us-east-1")
        self.assertIn("--read-only", args)
        url = args[args.index("--endpoint-url") + 1]
        self.assertRegex(url, r"^http://127\.0\.0\.1:\d+$")
        self.assertEqual(report["env"]["AWS_ACCESS_KEY_ID"], "AKIAIOSFODNN7EXAMPLE")
        for var in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):  # never the user's own files
            self.assertFalse(os.path.exists(report["env"][var]), var)
            self.assertNotIn(os.path.expanduser("~/.aws"), report["env"][var])
        self.assertIsNone(report["env"]["AWS_PROFILE"])
        self.assertIsNone(report["env"]["http_proxy"])
        self.assertIsNone(report["env"]["all_proxy"])
        self.assertIn("big-pool", report["pools"])
        # STS, IAM and the user pools' keys are the emulator's too, and the account is known: the demo
        # never reaches AWS (issue 12). The emulator throttles as AWS does.
        for var in ("AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_COGNITO_IDP"):
            self.assertEqual(report["env"][var], url, var)
        self.assertEqual(report["env"]["AWS_ACCOUNT_ID"], "123456789012")
        self.assertEqual(report["quotas"], "aws")
        self.assertTrue(os.path.exists(os.path.join(self.state, "emulator.json")))
        # the emulator is gone once the console exits
        port = int(url.rsplit(":", 1)[1])
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        # the next run sees what the last one did
        os.unlink(self.report)
        p, report = self.run_demo()
        self.assertEqual(p.returncode, 7, p.stderr)
        self.assertIn("made in demo", report["pools"])

    def test_a_killed_demo_leaves_no_emulator(self):
        import signal
        import time

        demo, _ = self.run_demo(hang=True)
        report = None
        try:
            deadline = time.monotonic() + 120
            while report is None and time.monotonic() < deadline and demo.poll() is None:
                try:
                    with open(self.report) as f:
                        report = json.load(f)
                except (OSError, ValueError):
                    time.sleep(0.2)
            self.assertIsNotNone(report, "the demo's console never started")
            args = report["args"]
            port = int(args[args.index("--endpoint-url") + 1].rsplit(":", 1)[1])
            socket.create_connection(("127.0.0.1", port), timeout=5).close()  # the emulator is up
            demo.send_signal(signal.SIGKILL)  # no trap runs: only the lifeline can stop the emulator
            demo.wait(timeout=30)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=2).close()
                    time.sleep(0.2)
                except OSError:
                    break
            with self.assertRaises(OSError, msg="the emulator outlived the killed demo"):
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
        finally:
            if demo.poll() is None:
                demo.kill()
                demo.wait()
            if report:  # the stand-in console is ours too: stop it by its id
                try:
                    os.kill(report["pid"], signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def test_missing_console_says_so(self):
        p, report = self.run_demo(bin_path=os.path.join(self.dir, "not-built"))
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("not built yet", p.stderr)
        self.assertIsNone(report)


if __name__ == "__main__":
    unittest.main()
