"""e2e: a profile that assumes a role with mfa_serial. The console asks for
the code in a dialog (typed blind), a wrong code is a clear error with no
secret on screen, the right one lists the pools; Esc sends nothing.

Each scenario is its own Console, so its own HOME: assumed-role credentials
are cached in ~/.aws/cli/cache and a shared HOME would skip the question.
"""
import datetime
import glob
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmux_driver import Console, harness  # noqa: E402

ROLE = f"arn:aws:iam::{harness.ACCOUNT}:role/MfaAdmin"
SERIAL = f"arn:aws:iam::{harness.ACCOUNT}:mfa/night-admin"
# The emulator's STS accepts this code only.
GOOD_CODE = "123456"
WRONG_CODE = "654321"


def write_config(tmp):
    path = os.path.join(tmp, "aws-config")
    with open(path, "w") as f:
        f.write(f"[profile base]\nregion = {harness.REGION}\n"
                f"aws_access_key_id = {harness.FULL_KEY[0]}\n"
                f"aws_secret_access_key = {harness.FULL_KEY[1]}\n\n"
                f"[profile night]\nregion = {harness.REGION}\nrole_arn = {ROLE}\n"
                f"source_profile = base\nmfa_serial = {SERIAL}\n")
    return path


def shown(screen):
    """The screen without the serial's ARN (its account id holds 123456)."""
    return screen.replace(SERIAL, "").replace(harness.ACCOUNT, "")


# TZ=XYZ-05:30 in POSIX terms: local time is UTC+05:30.
LOCAL = datetime.timezone(datetime.timedelta(hours=5, minutes=30))


def expected_expiry(con):
    """"expires HH:MM" as the header should say it, from the assumed-role
    credentials the console cached (the AWS CLI's cache, in its HOME)."""
    files = glob.glob(os.path.join(con.tmp, "home", ".aws", "cli", "cache", "*.json"))
    assert len(files) == 1, files
    with open(files[0]) as f:
        text = json.load(f)["Credentials"]["Expiration"]
    when = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).astimezone(LOCAL)
    today = datetime.datetime.now(LOCAL).date()
    return "expires " + when.strftime("%H:%M" if when.date() == today else "%Y-%m-%d %H:%M")


def assume_calls(emu):
    return [r for r in emu.requests() if r["operation"] == "AssumeRole"]


class Mfa(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "60")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.reset()

    def console(self):
        con = Console(self.emu, args=["--profile", "night"], start=False,
                      env={"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None,
                           "AWS_ENDPOINT_URL": self.emu.url,
                           "AWS_ENDPOINT_URL_STS": self.emu.url,
                           # Local time east of UTC by a half hour: the
                           # header's expiry must be converted, not UTC.
                           "TZ": "XYZ-05:30"})
        con.env["AWS_CONFIG_FILE"] = write_config(con.tmp)
        return con.start()

    def test_wrong_code_then_right_code(self):
        emu = self.emu
        with self.console() as con:
            s = con.wait_for("MFA code")
            self.assertIn("night-admin", s)  # the serial asked for
            self.assertIn("Profile night", s)
            con.type(WRONG_CODE)
            s = con.wait_for("********")
            self.assertNotIn(WRONG_CODE, shown(s))
            con.keys("Enter")
            s = con.wait_for("MultiFactorAuthentication failed")
            self.assertNotIn(WRONG_CODE, shown(s))
            self.assertIn("MFA code", s)  # the advice says how to try again
            self.assertNotIn(harness.FULL_KEY[1], s)
            calls = assume_calls(emu)
            self.assertEqual(len(calls), 1)
            self.assertEqual(calls[0]["input"].get("SerialNumber"), SERIAL)
            self.assertNotIn("ListIdentityPools", [r["operation"] for r in emu.requests()])
            # r asks again; a resize while asking redraws the dialog.
            con.keys("r")
            con.wait_for("Code (Enter sends")
            con.resize(90, 28)
            con.wait_for("Code (Enter sends")
            con.type(GOOD_CODE)
            s = con.wait_for("********")
            self.assertNotIn(GOOD_CODE, shown(s))
            con.keys("Enter")
            s = con.wait_for("big-pool")
            self.assertNotIn(GOOD_CODE, shown(s))
            self.assertNotIn("MFA code", s)  # the dialog is gone
            calls = assume_calls(emu)
            self.assertEqual(len(calls), 2)
            self.assertEqual(calls[1]["input"].get("TokenCode"), GOOD_CODE)
            # The header: profile, the source in use and when its credentials expire.
            head = con.wait_for("expires").splitlines()[0]
            # (Not the region after it: near midnight the expiry carries a date,
            # and at 90 columns the header is rightly cut before the region.)
            self.assertIn(f"profile night · creds assume-role · {expected_expiry(con)}", head)
            # The pools were listed with the role's temporary key, not the source's.
            lists = [r for r in emu.requests() if r["operation"] == "ListIdentityPools"]
            self.assertTrue(lists)
            self.assertTrue(all(r["access_key_id"].startswith("ASIA") for r in lists))

    def test_escape_sends_nothing(self):
        emu = self.emu
        with self.console() as con:
            s = con.wait_for("MFA code")
            # Nothing fetched yet: no expiry to show.
            self.assertIn("creds assume-role · region", s.splitlines()[0])
            con.type("12")
            con.keys("Escape")
            s = con.wait_for("no MFA code was given")
            self.assertNotIn("Code (Enter sends", s)
            self.assertIn("Press r to enter the MFA code again", s)
            self.assertEqual(assume_calls(emu), [])
            self.assertNotIn("ListIdentityPools", [r["operation"] for r in emu.requests()])
            # ^C while the dialog waits: the console leaves cleanly, at once,
            # with the status the shell gives SIGINT.
            con.keys("r")
            con.wait_for("Code (Enter sends")
            con.keys("C-c")
            self.assertEqual(con.wait_exit(), 130)
            con.closed = True
            con.assert_clean(130)
            self.assertEqual(assume_calls(emu), [])


if __name__ == "__main__":
    unittest.main()
