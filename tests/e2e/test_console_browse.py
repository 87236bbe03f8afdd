"""e2e: the console browsing the emulator's demo data, read paths only.

Start-up and header, the Pools pane, paging through big-pool as the cursor
moves, L (load all) with progress, the filter, identity and pool details, the
help overlay, the escaped injection values of the demo seed, read-only mode
(badge, no mutating action on any key, none in the request log), terminal
too small and resize during a request, TERM=vt100 with LANG=C.
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tmux_driver  # noqa: E402
from tmux_driver import Console, harness, operations  # noqa: E402

IDENTITIES = 300  # five pages of 60


class Browse(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", str(IDENTITIES))

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.reset()

    def test_browse_page_filter_detail_help(self):
        with Console(self.emu) as con:
            s = con.wait_for("big-pool")
            # Header: profile, region, endpoint, credential source.
            head = s.splitlines()[0]
            self.assertIn("profile default", head)
            self.assertIn("region us-east-1", head)
            self.assertIn("creds env", head)
            self.assertIn(self.emu.url, head)
            self.assertNotIn("READ-ONLY", head)
            for name in ("mobile-app", "partner-portal", "empty-pool", "escape-tests"):
                self.assertIn(name, s)
            # A key sequence the terminfo does not know (here ESC [ 1 ; 9 D) is
            # dropped whole: its final 'D' must not open the pool delete.
            con.tmux("send-keys", "-H", "1b", "5b", "31", "3b", "39", "44")
            con.keys("i")
            con.wait_for("Login providers")
            self.assertNotIn("Delete identity pool", con.screen())
            con.keys("q")
            # Open big-pool: the first page of 60, more to come.
            con.keys("Enter")
            s = con.wait_for("of 60+")
            self.assertIn("Pool big-pool", s)
            log = self.emu.requests()
            # (The listing with HideDisabled behind it only learns which are disabled.)
            lists = [r for r in log if r["operation"] == "ListIdentities"
                     and not r["input"].get("HideDisabled")]
            self.assertEqual(len(lists), 1)
            self.assertEqual(lists[0]["input"]["MaxResults"], 60)
            # Moving down to the end of what is loaded asks for the next page.
            con.keys("PageDown", "PageDown", "PageDown")
            con.wait_for("of 120+")
            lists = [r for r in self.emu.requests() if r["operation"] == "ListIdentities"
                     and not r["input"].get("HideDisabled")]
            self.assertEqual(len(lists), 2)
            self.assertIn("NextToken", lists[1]["input"])
            # L loads the rest, with progress, to the exact count.
            con.keys("L")
            s = con.wait_for(f"All {IDENTITIES} identities loaded")
            self.assertIn(f"of {IDENTITIES}", s)
            # The filter narrows to the rows holding the text.
            con.keys("/")
            con.type("login.demo")
            con.keys("Enter")
            s = con.wait_for("matching", timeout=5)
            body = s.splitlines()[4:-2]
            rows = [l for l in body if "us-east-1:" in l]
            self.assertTrue(rows)
            self.assertTrue(all("login.demo.app" in r for r in rows), rows)
            # Identity detail with its linked logins.
            con.keys("Home", "Enter")
            s = con.wait_for("Last modified:")
            self.assertIn("Linked logins", s)
            self.assertIn("login.demo.app", s)
            self.assertIn("Created:", s)
            con.keys("q")
            con.wait_for("Last modified:", gone=True)
            # Help overlay from the key table, then back.
            con.keys("?")
            s = con.wait_for("Load every page")
            self.assertIn("Identities pane", s)
            con.keys("q")
            con.wait_for("Load every page", gone=True)
            # Pool detail from the Pools pane.
            con.keys("1")
            con.wait_for("Pool id")
            con.keys("i")
            s = con.wait_for("Login providers")
            self.assertIn("login.demo.app", s)
            con.keys("Escape")
            con.wait_for("Login providers", gone=True)
            # Roles and tags panes of the selected pool.
            con.keys("3")
            s = con.wait_for("Role mappings")
            self.assertIn("Authenticated", s)
            con.keys("4")
            con.wait_for("Tags of pool big-pool")

    def test_injection_values_drawn_escaped(self):
        with Console(self.emu) as con:
            con.wait_for("escape-tests")
            # A pool name with controls is drawn with them escaped.
            self.assertIn("overwrite^Mme^Ipool^J", con.screen())
            # Select escape-tests by filtering to it.
            con.keys("/")
            con.type("escape-tests")
            con.keys("Enter", "Home", "Enter")
            s = con.wait_for("Pool escape-tests")
            con.keys("L")
            s = con.wait_for(r"identities (are )?loaded", regex=True, timeout=15)
            # The seed's hostile strings: ESC shown as ^[, bidi as \u202e.
            self.assertTrue("^[" in s or "\\u202e" in s or "\\u2066" in s, s)
            raw = con.screen(escapes=True)
            # No raw control from the data reached the terminal: tmux would
            # have acted on it. The only escapes are the console's own SGR.
            self.assertNotIn("\x1b]", raw)
            self.assertNotIn("\u202e", raw)
            self.assertNotIn("\u2066", raw)
            con.keys("4")
            s = con.wait_for("Tags of pool escape-tests")
            con.wait_for("^[", timeout=5)

    def test_read_only_offers_no_mutation(self):
        with Console(self.emu, args=["--read-only"]) as con:
            s = con.wait_for("big-pool")
            self.assertIn("READ-ONLY", s.splitlines()[0])
            bar = s.splitlines()[-1]
            self.assertNotIn("Create", bar)
            self.assertNotIn("Delete", bar)
            start = len(self.emu.requests())
            # Every mutating key of the Pools pane, then of the others.
            for k in ("c", "e", "D"):
                con.keys(k)
                con.wait_for("Read-only mode", timeout=5)
                self.assertNotIn("Create identity pool", con.screen())
            con.keys("Enter")
            con.wait_for("of 60+")
            con.keys("Space", "Space")
            for k in ("D", "m", "u", "x"):
                con.keys(k)
                con.wait_for("Read-only mode", timeout=5)
            con.keys("C")  # no marks left: quitting at the end asks nothing
            con.keys("3")
            con.wait_for("Role mappings")
            con.keys("e")
            con.wait_for("Read-only mode: roles-edit", timeout=5)
            con.keys("4")
            con.wait_for("Tags of pool")
            for k in ("a", "D"):
                con.keys(k)
                con.wait_for("Read-only mode", timeout=5)
            # The command line cannot run them either, nor leave read-only.
            con.keys(":")
            con.type("pool-delete")
            con.keys("Enter")
            con.wait_for("Read-only mode: pool-delete", timeout=5)
            ops = operations(self.emu, start)
            reads = {"DescribeIdentityPool", "DescribeIdentity", "ListIdentityPools",
                     "ListIdentities", "GetIdentityPoolRoles", "ListTagsForResource",
                     "LookupDeveloperIdentity", "GetPrincipalTagAttributeMap",
                     "GetCallerIdentity"}  # STS: the account id for the Tags pane's ARN
            self.assertTrue(ops)
            self.assertEqual([o for o in ops if o not in reads], [])
            self.assertEqual(con.journal(), [])


class Trouble(unittest.TestCase):
    """Clear messages instead of a crash or a blank screen."""

    def test_no_credentials_unreachable_empty(self):
        with harness.Emulator("--seed", "none") as emu:
            # Empty account: says so and what to do.
            with Console(emu) as con:
                con.wait_for("No identity pools in us-east-1")
            # No credentials at all.
            env = {"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None}
            with Console(emu, env=env) as con:
                s = con.wait_for("credentials", timeout=10)
                self.assertIn("No usable credentials", s)
            # Nothing listening on the endpoint.
            env = {"AWS_ENDPOINT_URL_COGNITO_IDENTITY": "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS": "1"}
            with Console(emu, env=env) as con:
                s = con.wait_for("Cannot reach the endpoint", timeout=15)
                con.wait_for("Refresh")
            # https to a server that speaks plain http: a TLS failure, said so.
            with Console(emu, args=["--endpoint-url", emu.url.replace("http:", "https:")]) as con:
                # The advice's last words: the frame is whole once they show.
                s = con.wait_for("AWS_CA_BUNDLE", timeout=15)
                self.assertIn("TLS failure", s)

    def test_slow_request_cancel_resize_too_small(self):
        with harness.Emulator("--seed", "demo", "--identities", "120") as emu:
            with Console(emu) as con:
                con.wait_for("big-pool")
                emu.set_faults("delay:8000/ListIdentities")
                con.keys("Enter")
                con.wait_for("Loading identities")
                # Resize while the request is pending: redrawn to the new size.
                con.resize(80, 24)
                s = con.wait_for("Loading identities")
                self.assertEqual(len(s.rstrip("\n").split("\n")), 24)
                con.resize(40, 10)
                con.wait_for("Terminal too small")
                con.resize(100, 30)
                con.wait_for("Terminal too small", gone=True)
                # Esc cancels the request in flight at once.
                con.keys("Escape")
                con.wait_for("Cancelled", timeout=3)
                emu.set_faults("")
                con.keys("r")
                con.wait_for("of 60+")
                # Throttling is retried and then succeeds.
                emu.set_faults("throttle*2/ListIdentityPools")
                start = len(emu.requests())
                con.keys("1", "r")
                tmux_driver.wait_until(
                    lambda: [r for r in emu.requests()[start:] if r["operation"] == "ListIdentityPools"
                             and r["status"] == 200], what="a successful ListIdentityPools")
                con.wait_for("partner-portal")
                log = emu.requests()[start:]
                pools = [r for r in log if r["operation"] == "ListIdentityPools"]
                self.assertGreaterEqual(len(pools), 3)
                self.assertEqual(pools[0]["error_code"], "TooManyRequestsException")
                self.assertEqual(pools[-1]["status"], 200)

    COLOUR = r"\x1b\[[0-9;]*?(?<![0-9])(3[0-8]|4[0-8]|9[0-7])[;m]"

    def test_no_color(self):
        colour = self.COLOUR
        with harness.Emulator("--seed", "demo", "--identities", "60") as emu:
            with Console(emu) as con:
                con.wait_for("partner-portal")
                self.assertRegex(con.screen(escapes=True), colour)
            with Console(emu, env={"NO_COLOR": "1"}) as con:
                con.wait_for("partner-portal")
                raw = con.screen(escapes=True)
                self.assertNotRegex(raw, colour)
                self.assertIn("\x1b[", raw)  # attributes (reverse, bold) still mark meaning

    def test_vt100_c_locale(self):
        with harness.Emulator("--seed", "demo", "--identities", "60") as emu:
            with Console(emu, term="vt100", lang="C") as con:
                s = con.wait_for("partner-portal")
                self.assertIn("profile default", s)
                # vt100 has no colours: the theme falls back to attributes.
                self.assertNotRegex(con.screen(escapes=True), self.COLOUR)
                con.keys("i")
                s = con.wait_for("Login providers")
                # ASCII frame in the C locale.
                self.assertIn("+-", s)
                self.assertNotIn("\u2500", s)
                con.keys("q")
                # ^C leaves cleanly (status 130, as the shell says for SIGINT;
                # no sanitizer report).
                self.assertEqual(con.quit("C-c"), 130)
                con.assert_clean(130)


if __name__ == "__main__":
    unittest.main()
