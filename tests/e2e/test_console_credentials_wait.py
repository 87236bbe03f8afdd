"""e2e: waiting for credentials never freezes the console (issue 12). A slow
credential_process (4 s): the frame is drawn at once, the status line says
what is fetched, keys work meanwhile, Esc stops the fetch and nothing is
sent; r fetches again. The Tags pane's account lookup (STS, slow here): the
pane says it is finding the account id, keys work, Esc stops it and the tags
are read without the ARN.
"""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmux_driver import Console, harness  # noqa: E402

SLOW = 4


def write_profile(tmp):
    script = os.path.join(tmp, "slow-creds.py")
    with open(script, "w") as f:
        f.write("import json, time\n"
                f"time.sleep({SLOW})\n"
                f"print(json.dumps({{'Version': 1, 'AccessKeyId': '{harness.FULL_KEY[0]}', "
                f"'SecretAccessKey': '{harness.FULL_KEY[1]}'}}))\n")
    path = os.path.join(tmp, "aws-config")
    with open(path, "w") as f:
        f.write(f"[profile slow]\nregion = {harness.REGION}\n"
                f"credential_process = /usr/bin/python3 {script}\n")
    return path


class CredentialsWait(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "5")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.reset()

    def test_slow_credential_process(self):
        con = Console(self.emu, args=["--profile", "slow"], start=False,
                      env={"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None})
        con.env["AWS_CONFIG_FILE"] = write_profile(con.tmp)
        with con.start():
            started = time.monotonic()
            s = con.wait_for("Fetching credentials (process)", timeout=SLOW - 1)
            self.assertLess(time.monotonic() - started, SLOW)  # drawn at once, not after
            self.assertIn("Pools", s)
            # Keys work meanwhile: the help opens and closes.
            con.keys("?")
            con.wait_for("Pools pane", timeout=SLOW - 1)
            con.keys("q")
            con.wait_for("Pools pane", gone=True, timeout=SLOW - 1)
            # Esc stops the fetch; nothing was sent.
            con.keys("Escape")
            s = con.wait_for("Loading stopped", timeout=SLOW - 1)
            self.assertNotIn("Fetching credentials", s)
            self.assertEqual([r for r in self.emu.requests()
                              if r["operation"] == "ListIdentityPools"], [])
            # r fetches again, and this time waits it out.
            con.keys("r")
            con.wait_for("Fetching credentials (process)")
            con.wait_for("partner-portal", timeout=SLOW + 10)

    def test_slow_account_lookup(self):
        emu = self.emu
        with Console(emu) as con:
            con.wait_for("partner-portal")
            emu.set_faults(f"delay:{SLOW * 1000}@1/GetCallerIdentity")
            con.keys("4")
            s = con.wait_for("Finding the account id", timeout=SLOW - 1)
            # Keys work meanwhile.
            con.keys("1")
            con.wait_for("Pool id", timeout=SLOW - 1)
            con.keys("4")
            con.wait_for("Finding the account id", timeout=SLOW - 1)
            con.keys("Escape")
            s = con.wait_for("finding it was stopped", timeout=SLOW - 1)
            emu.set_faults("")
            # The tags come from the pool's description meanwhile.
            con.wait_for("cost-center")
            self.assertEqual([r for r in emu.requests() if r["operation"] == "ListTagsForResource"],
                             [])


if __name__ == "__main__":
    unittest.main()
