"""e2e: the account id for the Tags pane's ARN. Found without asking the
admin (STS GetCallerIdentity, once per profile; AWS_ACCOUNT_ID first); when
it cannot be found the pane says why, reads the tags another way, and the
tag form asks for it.
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmux_driver import Console, harness  # noqa: E402


def logged(emu, op):
    return [r for r in emu.requests() if r["operation"] == op]


class Account(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "60")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.reset()

    def tags_of(self, con, name):
        """Selects pool `name` and shows its Tags pane."""
        con.keys("1")
        con.wait_for("Pool id")
        con.keys("/", "C-u")
        con.type(name)
        con.keys("Enter", "Home")
        con.wait_for(name)
        con.keys("Enter")
        con.wait_for(f"Pool {name}")
        con.keys("4")
        return con.wait_for(f"Tags of pool {name}")

    def arn(self, name, account=harness.ACCOUNT):
        return f"arn:aws:cognito-identity:{harness.REGION}:{account}:identitypool/" \
               f"{self.emu.pool_id(name)}"

    def test_found_through_sts_once(self):
        emu = self.emu
        with Console(emu) as con:
            self.tags_of(con, "partner-portal")
            s = con.wait_for("data-class")
            self.assertNotIn("Account id unknown", s)
            lists = logged(emu, "ListTagsForResource")
            self.assertEqual([r["input"] for r in lists], [{"ResourceArn": self.arn("partner-portal")}])
            calls = logged(emu, "GetCallerIdentity")
            self.assertEqual(len(calls), 1)
            self.assertEqual(calls[0]["access_key_id"], harness.FULL_KEY[0])
            # Another pool: the account is remembered, not asked again.
            self.tags_of(con, "big-pool")
            con.wait_for("Reading tags", gone=True)
            self.assertEqual(logged(emu, "ListTagsForResource")[-1]["input"],
                             {"ResourceArn": self.arn("big-pool")})
            self.assertEqual(len(logged(emu, "GetCallerIdentity")), 1)
            # The tag form does not ask for it.
            con.keys("a")
            s = con.wait_for("Add or change a tag")
            self.assertNotIn("Account id", s)
            con.keys("Escape")

    def test_environment_wins_without_sts(self):
        emu = self.emu
        with Console(emu, env={"AWS_ACCOUNT_ID": harness.ACCOUNT,
                               "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9"}) as con:
            self.tags_of(con, "partner-portal")
            con.wait_for("data-class")
            self.assertEqual(logged(emu, "GetCallerIdentity"), [])
            self.assertEqual(logged(emu, "ListTagsForResource")[0]["input"],
                             {"ResourceArn": self.arn("partner-portal")})

    def test_unreachable_sts_falls_back_and_asks(self):
        emu = self.emu
        # Nothing listens on port 9: the lookup fails at once.
        with Console(emu, env={"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9"}) as con:
            self.tags_of(con, "partner-portal")
            s = con.wait_for("Account id unknown")
            self.assertIn("GetCallerIdentity", s)
            self.assertIn("AWS_ACCOUNT_ID", s)
            s = con.wait_for("data-class")  # read from DescribeIdentityPool instead
            self.assertEqual(logged(emu, "ListTagsForResource"), [])
            con.keys("a")
            con.wait_for("Account id (for the pool")
            con.type("env")
            con.keys("Tab")
            con.type("prod")
            con.keys("Tab")
            # Guessed from the pool's OpenID Connect provider ARN: shown, and
            # typed over here.
            self.assertIn(harness.ACCOUNT, con.screen())
            con.keys("C-u")
            con.type(harness.ACCOUNT)
            con.keys("F10")
            con.wait_for("Tag: done")
            self.assertEqual(logged(emu, "TagResource")[0]["input"],
                             {"ResourceArn": self.arn("partner-portal"), "Tags": {"env": "prod"}})


if __name__ == "__main__":
    unittest.main()
