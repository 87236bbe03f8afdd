"""harness.py, the module other suites use to run the emulator."""
import os
import sys
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

    def test_start_failure_is_reported(self):
        with self.assertRaises(harness.EmulatorError) as cm:
            harness.Emulator("--port", "99999")
        self.assertIn("failed to start", str(cm.exception))


if __name__ == "__main__":
    unittest.main()
