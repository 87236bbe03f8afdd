"""e2e: the Audit pane (5) on the emulator's demo seed, whose roles carry
planted flaws (tests/emulator/README.md): the findings of the console's
Region with their severity; Enter shows the evidence with the offending
statement and the fix (the corrected trust policy and the aws iam line);
f (Fix...) on a Cognito-side finding shows the one change as a diff and
Enter sends it through the ordinary path, after which the audit runs again
without that finding; read-only mode shows the findings and offers no fix.
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tmux_driver  # noqa: E402
from tmux_driver import Console, harness  # noqa: E402


class AuditPane(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "5")
        cls.addClassCleanup(cls.emu.stop)

    def setUp(self):
        self.emu.reset()

    def open_audit(self, con):
        con.wait_for("big-pool")
        con.keys("5")
        return con.wait_for(r"Audit of \d+ pools in us-east-1: \d+ high", regex=True, timeout=30)

    def filter(self, con, text):
        con.keys("/", "C-u")  # the prompt starts with the filter in use
        con.type(text)
        con.keys("Enter")

    def test_findings_evidence_and_iam_fix_text(self):
        with Console(self.emu, width=160, height=45) as con:
            s = self.open_audit(con)
            for check in ("CIP-001", "CIP-002", "CIP-003", "CIP-010", "CIP-011"):
                self.assertIn(check, s)
            self.assertIn("high", s)
            self.assertIn("Fix...", s.splitlines()[-1])  # the key bar offers it here
            # mobile-app's MobileAuth trusts without an aud condition (CIP-003)
            self.filter(con, "MobileAuth")
            s = con.wait_for("matching")
            self.assertIn("CIP-003", s)
            con.keys("Enter")
            s = con.wait_for("The offending statement")
            self.assertIn("cognito-identity.amazonaws.com", s)
            self.assertIn("sts:AssumeRoleWithWebIdentity", s)
            con.keys("G")  # the end: the fix
            s = con.wait_for("update-assume-role-policy")
            self.assertIn("MobileAuth", s)
            self.assertIn("cognito-identity.amazonaws.com:aud", s)
            self.assertNotIn("f: Fix...", s)  # an IAM-side fix is not sent from here
            con.keys("q")
            con.wait_for("CIP-003")
            # mobile-app's guest role allows dynamodb:* and s3:PutObject on * (CIP-005):
            # each offending statement of each policy, highlighted
            self.filter(con, "CIP-005")
            con.wait_for("matching")
            con.keys("Enter")
            s = con.wait_for("The offending statement of")
            self.assertIn("dynamodb:*", s)
            con.keys("q")
            # only reads went out: the audit changes nothing
            ops = {r["operation"] for r in self.emu.requests()}
            self.assertTrue({"ListIdentityPools", "DescribeIdentityPool", "GetRole"} <= ops, ops)
            self.assertFalse(ops & {"UpdateIdentityPool", "SetIdentityPoolRoles", "UpdateAssumeRolePolicy"})

    def test_fix_classic_flow_goes_through_the_diff(self):
        pool = self.emu.pool_id("mobile-app")
        with Console(self.emu, width=160, height=45) as con:
            self.open_audit(con)
            self.filter(con, "CIP-002")
            s = con.wait_for("matching")
            rows = [l for l in s.splitlines() if " CIP-002 " in l]
            # classic flow on (escape-tests) or never set (the others)
            self.assertEqual(len(rows), 5, s)
            at = [i for i, l in enumerate(rows) if "mobile-app" in l][0]
            con.keys("Home")
            for _ in range(at):
                con.keys("Down")
            con.keys("f")
            s = con.wait_for("Changes to send")
            self.assertIn("AllowClassicFlow", s)
            self.assertEqual([r for r in self.emu.requests() if r["operation"] == "UpdateIdentityPool"], [])
            con.keys("Enter")
            tmux_driver.wait_until(lambda: [r for r in self.emu.requests()
                                            if r["operation"] == "UpdateIdentityPool"],
                                   timeout=15, what="the fix sent")
            sent = [r for r in self.emu.requests() if r["operation"] == "UpdateIdentityPool"]
            self.assertEqual(len(sent), 1)
            self.assertEqual(sent[0]["input"]["IdentityPoolId"], pool)
            self.assertIs(sent[0]["input"]["AllowClassicFlow"], False)
            tmux_driver.wait_until(lambda: con.journal(), what="the journal line")
            self.assertEqual([j["operation"] for j in con.journal()], ["UpdateIdentityPool"])
            # everything else of the pool was sent as it was read
            desc = self.emu.ok("DescribeIdentityPool", {"IdentityPoolId": pool})
            self.assertIs(desc["AllowClassicFlow"], False)
            self.assertEqual(desc["IdentityPoolName"], "mobile-app")
            # the audit ran again: mobile-app's CIP-002 is gone
            con.wait_for("Audit: ", timeout=30)
            s = con.wait_for("escape-tests")
            rows = [l for l in s.splitlines() if " CIP-002 " in l]
            self.assertEqual(len(rows), 4, s)
            self.assertNotIn("mobile-app", "\n".join(rows))

    def test_fix_ambiguous_role_resolution_and_guest_access(self):
        emu = self.emu
        pool = emu.ok("CreateIdentityPool", {
            "IdentityPoolName": "ambiguous", "AllowUnauthenticatedIdentities": True, "AllowClassicFlow": False,
            "SupportedLoginProviders": {"graph.facebook.com": "123"}})["IdentityPoolId"]
        emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pool, "Roles": {
            "authenticated": "arn:aws:iam::%s:role/MobileAuth" % harness.ACCOUNT},
            "RoleMappings": {"graph.facebook.com": {"Type": "Token",
                                                   "AmbiguousRoleResolution": "AuthenticatedRole"}}})
        with Console(self.emu, width=160, height=45) as con:
            self.open_audit(con)
            for check, op in (("CIP-006", "SetIdentityPoolRoles"), ("CIP-001", "UpdateIdentityPool")):
                self.filter(con, check)
                s = con.wait_for("matching")
                rows = [l for l in s.splitlines() if " %s " % check in l]
                at = [i for i, l in enumerate(rows) if "ambiguous" in l][0]
                con.keys("Home")  # the cursor stays on its row across a filter
                for _ in range(at):
                    con.keys("Down")
                con.keys("f")
                s = con.wait_for("Changes to send")
                con.keys("Enter")
                tmux_driver.wait_until(lambda: [r for r in emu.requests() if r["operation"] == op],
                                       timeout=15, what=op)
                con.wait_for("Audit: ", timeout=30)
            roles = emu.ok("GetIdentityPoolRoles", {"IdentityPoolId": pool})
            self.assertEqual(roles["RoleMappings"]["graph.facebook.com"]["AmbiguousRoleResolution"], "Deny")
            self.assertEqual(roles["RoleMappings"]["graph.facebook.com"]["Type"], "Token")
            self.assertIn("authenticated", roles["Roles"])
            desc = emu.ok("DescribeIdentityPool", {"IdentityPoolId": pool})
            self.assertIs(desc["AllowUnauthenticatedIdentities"], False)
            self.assertEqual(desc["SupportedLoginProviders"], {"graph.facebook.com": "123"})
            self.assertEqual([j["operation"] for j in con.journal()], ["SetIdentityPoolRoles", "UpdateIdentityPool"])

    def test_esc_stops_the_audit_with_what_it_has(self):
        self.addCleanup(self.emu.set_faults, "")
        with Console(self.emu, width=160, height=45) as con:
            con.wait_for("big-pool")
            self.emu.set_faults("delay:4000@1/GetIdentityPoolRoles")
            con.keys("5")
            con.wait_for("Auditing (Esc stops)")
            con.keys("Escape")
            s = con.wait_for(r"Audit of \d+ pools in us-east-1", regex=True, timeout=15)
            self.assertIn("CIP-000", s)  # the pools not judged: "not audited", never dropped
            con.keys("Enter")
            con.wait_for("cancelled")
            con.keys("q")

    def test_read_only_shows_findings_offers_no_fix(self):
        with Console(self.emu, args=["--read-only"], read_only_key=True, width=160, height=45) as con:
            s = self.open_audit(con)
            self.assertIn("READ-ONLY", s.splitlines()[0])
            self.assertIn("CIP-001", s)
            self.assertNotIn("Fix...", s.splitlines()[-1])
            self.filter(con, "CIP-001")
            con.wait_for("matching")
            con.keys("f")
            con.keys("Enter")
            s = con.wait_for("Read-only mode: the fix is shown, not offered")
            con.keys("f")
            con.keys("q")
            con.wait_for("CIP-001")
            ops = {r["operation"] for r in self.emu.requests()}
            self.assertFalse(ops & {"UpdateIdentityPool", "SetIdentityPoolRoles"}, ops)
            self.assertNotIn("Changes to send", con.screen())


if __name__ == "__main__":
    unittest.main()
