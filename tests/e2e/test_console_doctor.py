"""e2e: the pool's "test an identity" view is the credential doctor (issue
15): a login's checklist with the failing step expanded (what was found,
the fix, the trust statement as evidence), the live check as an explicit
key that says it creates an identity and uses the enhanced flow (GetId +
GetCredentialsForIdentity, never GetOpenIdToken), a guest, and read-only
mode where the offline steps run and the live check is not offered. The
doctor never blocks the screen: while a read is slow (a delayed GetRole,
DescribeIdentityPool or GetId) the view and the status line say what it
reads, keys are answered, and Esc stops it: nothing more is sent, and a
GetId cut off is journalled with its outcome unknown, never sent again."""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmux_driver import Console, harness, wait_until  # noqa: E402

UP = "us-east-1_DoctorE2e"
PROVIDER = f"cognito-idp.us-east-1.amazonaws.com/{UP}"
CLIENT = "e2eclient"
HELP = "This detail"  # the help overlay's section for the doctor's view


class DoctorView(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator()
        cls.addClassCleanup(cls.emu.stop)
        emu = cls.emu
        cls.pid = emu.ok("CreateIdentityPool", {
            "IdentityPoolName": "doctor-e2e", "AllowUnauthenticatedIdentities": True,
            "AllowClassicFlow": False,
            "CognitoIdentityProviders": [{"ProviderName": PROVIDER, "ClientId": CLIENT}]})["IdentityPoolId"]
        other = emu.ok("CreateIdentityPool", {"IdentityPoolName": "doctor-e2e-other",
                                              "AllowUnauthenticatedIdentities": False})["IdentityPoolId"]
        # The authenticated role trusts another pool: the trust step fails, the service agrees.
        emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": cls.pid, "Roles": {
            "authenticated": emu.cognito_role("E2eOtherPool", other),
            "unauthenticated": emu.cognito_role("E2eGuest", cls.pid, amr="unauthenticated")}})

    def open_doctor(self, con):
        con.wait_for("doctor-e2e")
        con.keys("/", "C-u")
        con.type("doctor-e2e")
        con.keys("Enter", "Home", "t")
        con.wait_for("Credential doctor")

    def test_login_checklist_then_live(self):
        token = self.emu.idp_token(UP, CLIENT, "erin")
        with Console(self.emu, width=120, height=45) as con:
            self.open_doctor(con)
            con.keys("Tab", "End", "C-u")
            con.type(PROVIDER)
            con.keys("Tab")
            con.type(token)
            start = len(self.emu.requests())
            con.keys("F10")
            s = con.wait_for("[FAIL] trust")
            self.assertIn("[ok]   token", s)
            self.assertIn("[ok]   provider", s)
            self.assertIn("fail at the trust step", s)
            self.assertIn("L: ask the service live", s)
            self.assertIn("creates an identity", s)
            self.assertNotIn(token[-20:], s)
            # Scroll to the expanded step: the fix and the trust statement.
            con.keys("End")
            s = con.wait_for("Evidence:")
            self.assertIn("Fix:", s)
            self.assertIn("cognito-identity.amazonaws.com:aud", s)
            offline = [r["operation"] for r in self.emu.requests()[start:]]
            self.assertNotIn("GetId", offline)  # offline creates nothing
            con.keys("L")
            con.wait_for("agrees with the prediction")
            ops = [r["operation"] for r in self.emu.requests()[start:]]
            self.assertIn("GetId", ops)
            self.assertIn("GetCredentialsForIdentity", ops)
            self.assertNotIn("GetOpenIdToken", ops)  # the enhanced flow only
            # The journal names the identity created, never the token.
            wait_until(lambda: any(l["operation"] == "GetId" for l in con.journal()), what="GetId journaled")
            for line in con.journal():
                self.assertNotIn(token[-20:], str(line))
            # Esc goes back to the form with the token still there.
            con.keys("Escape")
            s = con.wait_for("Credential doctor: why")
            self.assertIn("********", s)
            con.keys("Escape")  # a query form closes without asking
            con.wait_for("Credential doctor", gone=True)

    def type_login(self, con, token):
        con.keys("Tab", "End", "C-u")
        con.type(PROVIDER)
        con.keys("Tab")
        con.type(token)

    def ops_after(self, start):
        return [r["operation"] for r in self.emu.requests()[start:]]

    def test_slow_trust_read_keeps_keys_and_esc_stops_it(self):
        token = self.emu.idp_token(UP, CLIENT, "erin")
        with Console(self.emu, width=120, height=45) as con:
            self.open_doctor(con)
            self.type_login(con, token)
            self.emu.set_faults("delay:4000/GetRole")
            self.addCleanup(self.emu.set_faults, "")
            con.keys("F10")
            # What it reads, in the view and on the status line, no half report.
            s = con.wait_for("Credential doctor: reading the role's trust policy")
            self.assertIn("Reading the role's trust policy", s)
            self.assertNotIn("Verdict", s)
            # Keys are answered while GetRole is in flight: help opens and closes.
            con.keys("?")
            con.wait_for(HELP)
            con.keys("q")
            s = con.wait_for(HELP, gone=True)
            self.assertIn("Reading the role's trust policy", s)
            con.keys("Escape")
            s = con.wait_for("Credential doctor: stopped")
            self.assertIn("Credential doctor: why", s)  # back to the form
            self.assertIn("********", s)                # with the token typed
            self.assertNotIn("Verdict", s)
            # Again (GetRole no longer delayed): the same checklist as ever.
            con.keys("F10")
            s = con.wait_for("[FAIL] trust")
            self.assertIn("fail at the trust step", s)

    def test_slow_key_set_closing_the_view_cancels_it(self):
        token = self.emu.idp_token(UP, CLIENT, "erin")
        with Console(self.emu, width=120, height=45) as con:
            self.open_doctor(con)
            self.type_login(con, token)
            self.emu.set_faults("delay:4000/UserPoolJwks")
            self.addCleanup(self.emu.set_faults, "")
            con.keys("F10")
            con.wait_for("Reading the user pool's key set")
            con.keys("Escape")  # nothing in the foreground: the view closes, the fetch is cancelled
            s = con.wait_for("Credential doctor: stopped")
            self.assertIn("Credential doctor: why", s)
            time.sleep(4.5)  # past the delay: the cancelled fetch's answer arrives at nobody
            s = con.screen()
            self.assertIn("Credential doctor: why", s)
            self.assertNotIn("Verdict", s)
            con.keys("F10")  # again, undelayed: the checklist as ever
            s = con.wait_for("[FAIL] trust")
            self.assertIn("[ok]   token", s)

    def test_slow_pool_read_esc_stops_before_the_rest(self):
        with Console(self.emu, width=120, height=45) as con:
            self.open_doctor(con)
            con.keys("Right")  # a guest
            self.emu.set_faults("delay:4000*1/DescribeIdentityPool")
            self.addCleanup(self.emu.set_faults, "")
            start = len(self.emu.requests())
            con.keys("F10")
            con.wait_for("Reading the pool")
            con.keys("Escape")  # the foreground read: cancelled
            s = con.wait_for("Credential doctor: stopped")
            self.assertIn("Credential doctor: why", s)
            time.sleep(5)  # past the delay: what would have come next did not
            ops = self.ops_after(start)
            self.assertNotIn("GetIdentityPoolRoles", ops)
            self.assertNotIn("GetRole", ops)
            con.keys("Escape")  # the form closes without asking
            con.wait_for("Credential doctor: why", gone=True)

    def test_live_check_waits_without_blocking_and_a_lost_get_id_is_unknown(self):
        with Console(self.emu, width=120, height=45) as con:
            self.open_doctor(con)
            con.keys("Right", "F10")  # a guest: ok offline
            con.wait_for("ok: credentials expected")
            self.emu.set_faults("delay:4000*1/GetId")
            self.addCleanup(self.emu.set_faults, "")
            start = len(self.emu.requests())
            con.keys("L")
            s = con.wait_for("Live check: waiting for")
            self.assertIn("ok: credentials expected", s)  # the offline checklist stays
            con.keys("?")
            con.wait_for(HELP)
            con.keys("q")
            con.wait_for(HELP, gone=True)
            con.keys("Escape")
            s = con.wait_for("live check stopped")
            self.assertIn("outcome unknown", s)
            self.assertIn("ok: credentials expected", s)
            wait_until(lambda: "GetId" in self.ops_after(start), timeout=15, what="GetId logged")
            time.sleep(1)
            ops = self.ops_after(start)
            self.assertEqual(ops.count("GetId"), 1)  # never sent again
            self.assertNotIn("GetCredentialsForIdentity", ops)
            wait_until(lambda: any(l["operation"] == "GetId" for l in con.journal()),
                       what="GetId journaled")
            self.assertEqual([l["outcome"] for l in con.journal() if l["operation"] == "GetId"],
                             ["unknown"])
            # Esc again: back to the form, as after any check, then out of it.
            con.keys("Escape")
            con.wait_for("Credential doctor: why")
            con.keys("Escape")
            con.wait_for("Credential doctor: why", gone=True)

    def test_guest(self):
        with Console(self.emu, width=120, height=45) as con:
            self.open_doctor(con)
            con.keys("Right")  # Check: a guest
            con.keys("F10")
            s = con.wait_for("Verdict")
            self.assertIn("[ok]   unauthenticated", s)
            self.assertIn("E2eGuest", s)
            self.assertIn("ok: credentials expected", s)

    def test_read_only_runs_offline_and_offers_no_live(self):
        with Console(self.emu, args=["--read-only"], width=120, height=45) as con:
            self.open_doctor(con)
            con.keys("Right", "F10")
            s = con.wait_for("Verdict")
            self.assertIn("not in read-only mode", s)
            start = len(self.emu.requests())
            con.keys("L")
            con.wait_for("Read-only mode", timeout=5)
            ops = [r["operation"] for r in self.emu.requests()[start:]]
            self.assertNotIn("GetId", ops)


if __name__ == "__main__":
    unittest.main()
