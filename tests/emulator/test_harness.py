"""harness.py, the module other suites use to run the emulator."""
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


class Harness(unittest.TestCase):
    def test_life_cycle_env_and_helpers(self):
        with harness.Emulator("--seed", "demo", "--identities", "3") as emu:
            self.assertIsNone(emu.proc.poll())
            env = emu.env()
            self.assertEqual(env["AWS_ACCESS_KEY_ID"], harness.FULL_KEY[0])
            self.assertEqual(env["AWS_ENDPOINT_URL_COGNITO_IDENTITY"], emu.url)
            self.assertFalse(os.path.exists(env["AWS_CONFIG_FILE"]))
            self.assertFalse(os.path.exists(env["AWS_SHARED_CREDENTIALS_FILE"]))
            self.assertNotIn("AWS_PROFILE", env)
            self.assertEqual(emu.env(read_only=True)["AWS_SECRET_ACCESS_KEY"], harness.READ_KEY[1])
            pid = emu.pool_id("big-pool")
            self.assertEqual(emu.ok("DescribeIdentityPool", {"IdentityPoolId": pid})["IdentityPoolId"], pid)
            with self.assertRaises(harness.EmulatorError):
                emu.pool_id("no such pool")
            with self.assertRaises(harness.EmulatorError):
                emu.ok("DescribeIdentityPool", {"IdentityPoolId": "us-east-1:0000"})
            self.assertEqual(emu.set_faults("throttle*1")["faults"][0]["kind"], "throttle")
            self.assertEqual(len(emu.faults()), 1)
            emu.set_faults("")
            self.assertEqual(emu.faults(), [])
            self.assertGreater(len(emu.requests()), 0)
            emu.reset_log()
            self.assertEqual(emu.requests(), [])
        self.assertEqual(emu.proc.returncode, 0)

    def test_start_twice_is_refused_instead_of_orphaning_the_first(self):
        with harness.Emulator() as emu:
            first = emu.proc
            with self.assertRaises(harness.EmulatorError):
                emu.start()
            self.assertIs(emu.proc, first)
        self.assertIsNotNone(first.poll())

    def test_start_failure_is_reported(self):
        with self.assertRaises(harness.EmulatorError) as cm:
            harness.Emulator("--port", "99999")
        self.assertIn("failed to start", str(cm.exception))


def alive(pid):
    """Whether PID is a live process (a zombie waiting for its reaper counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pid, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False


CHILD = """
import os, sys, time
sys.path.insert(0, %r)
import harness
emu = harness.Emulator()
print(emu.proc.pid, flush=True)
if sys.argv[1] == "hang":
    time.sleep(600)
"""


class NothingLeftRunning(unittest.TestCase):
    """Issue 16: `make check` left emulators running. However the process that starts one ends,
    the emulator ends with it."""

    def run_child(self, mode):
        p = subprocess.Popen([harness.PYTHON, "-c", CHILD % harness.HERE, mode], stdout=subprocess.PIPE, text=True)
        try:
            pid = int(p.stdout.readline())
            self.assertTrue(alive(pid))
            if mode == "hang":
                p.kill()  # as a suite's timeout would, with no chance to clean up
            p.wait(timeout=60)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            p.stdout.close()
        return pid

    def test_the_emulator_dies_with_a_killed_starter(self):
        pid = self.run_child("hang")
        self.assertTrue(wait_gone(pid), f"emulator {pid} outlived the process that started it")

    def test_the_emulator_stops_when_its_starter_forgets_to(self):
        pid = self.run_child("exit")
        self.assertTrue(wait_gone(pid), f"emulator {pid} outlived the process that started it")

    def test_a_failing_set_up_class_still_stops_its_emulator(self):
        started = []

        class Failing(unittest.TestCase):
            @classmethod
            def setUpClass(cls):
                cls.emu = harness.Emulator()
                cls.addClassCleanup(cls.emu.stop)
                started.append(cls.emu.proc)
                raise RuntimeError("set-up failed after the emulator started")

            def test_nothing(self):
                pass

        result = unittest.TestResult()
        unittest.defaultTestLoader.loadTestsFromTestCase(Failing).run(result)
        self.assertEqual(len(result.errors), 1)
        self.assertIsNotNone(started[0].poll(), "the emulator is still running")


if __name__ == "__main__":
    unittest.main()
