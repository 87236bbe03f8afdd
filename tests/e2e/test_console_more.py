"""e2e: load-all with Esc, HideDisabled, UnprocessedIdentityIds reported by id,
:profile / :region switching (read-only never left), key bindings from the
config file (bad lines named), principal tag maps and developer-identity lookup.
"""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmux_driver import Console, harness, wait_until  # noqa: E402


def logged(emu, op, since=0):
    return [r for r in emu.requests()[since:] if r["operation"] == op]


def pages_shown(emu):
    """The Identities pane's own pages (not the HideDisabled listing that
    walks behind them to learn which identities are disabled)."""
    return [r for r in logged(emu, "ListIdentities") if not r["input"].get("HideDisabled")]


class More(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "600")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.reset()

    def open_pool(self, con, name):
        con.keys("1")
        con.wait_for(name)
        con.keys("/", "C-u")
        con.type(name)
        con.keys("Enter", "Home", "Enter")
        con.wait_for(f"Pool {name}")
        con.wait_for(r" of \d+", regex=True)  # its rows are in

    def test_load_all_stops_on_esc_and_hide_disabled(self):
        emu = self.emu
        with Console(emu) as con:
            self.open_pool(con, "big-pool")
            con.wait_for("of 60+")
            emu.set_faults("delay:400@1/ListIdentities")
            con.keys("L")
            con.wait_for("Loading all: page 2")
            con.keys("Escape")
            s = con.wait_for("Loading stopped at")
            emu.set_faults("")
            pages = len(pages_shown(emu))
            self.assertLess(pages, 10)  # 600 identities would be 10 pages
            # Nothing more is asked for once stopped.
            con.wait_for("Loading all", gone=True, timeout=3)
            self.assertEqual(len(pages_shown(emu)), pages)
            # HideDisabled: asked of the service, said in the title.
            con.keys("H")
            s = con.wait_for("disabled identities hidden")
            wait_until(lambda: [r for r in logged(emu, "ListIdentities")
                                if r["input"].get("HideDisabled") is True], what="HideDisabled sent")
            con.keys("L")
            con.wait_for("identities loaded", timeout=15)
            s = con.screen()
            shown = int(s.split(" of ")[-1].split()[0].replace(",", ""))
            self.assertLess(shown, 600)  # big-pool has disabled identities
            self.assertGreater(shown, 500)

    def test_load_all_first_then_the_disabled_walk(self):
        """L's pages take every ListIdentities token (the two listings share
        the 5/s quota); the HideDisabled walk resumes when the load ends and
        marks every disabled identity of the pool."""
        emu = self.emu
        pool = emu.pool_id("big-pool")
        every, enabled, token = [], [], None
        for hide, out in ((False, every), (True, enabled)):
            token = None
            while True:
                req = {"IdentityPoolId": pool, "MaxResults": 60, "HideDisabled": hide}
                if token:
                    req["NextToken"] = token
                page = emu.ok("ListIdentities", req)
                out += [i["IdentityId"] for i in page["Identities"]]
                token = page.get("NextToken")
                if not token:
                    break
        disabled = len(every) - len(enabled)
        self.assertGreater(disabled, 0)  # the demo seed disables some
        emu.reset_log()
        with Console(emu) as con:
            self.open_pool(con, "big-pool")
            con.wait_for("of 60+")
            con.keys("L")
            con.wait_for(f"All {len(every):,} identities loaded", timeout=30)
            log = logged(emu, "ListIdentities")
            own = [i for i, r in enumerate(log) if not r["input"].get("HideDisabled")]
            walk = [i for i, r in enumerate(log) if r["input"].get("HideDisabled")]
            self.assertEqual(len(own), -(-len(every) // 60))
            # No walk page between L's second page and its last, but the one
            # the walk had asked for before L (it waits its turn for a token).
            self.assertLessEqual(len([i for i in walk if own[1] < i < own[-1]]), 1, log)
            con.keys("/")
            con.type("(disabled)")
            con.keys("Enter")
            con.wait_for(f"of {disabled} matching", timeout=30)

    def test_unprocessed_identities_reported_by_id(self):
        emu = self.emu
        with Console(emu) as con:
            self.open_pool(con, "partner-portal")
            s = con.wait_for("of 12")
            con.keys("Space", "Space", "Space")
            con.wait_for("marked 3")
            ids = [r["input"] for r in logged(emu, "ListIdentities")]
            listed = emu.ok("ListIdentities", {"IdentityPoolId": emu.pool_id("partner-portal"),
                                               "MaxResults": 3})["Identities"]
            gone = listed[1]["IdentityId"]
            # Someone else deletes one of the marked identities meanwhile.
            emu.ok("DeleteIdentities", {"IdentityIdsToDelete": [gone]})
            con.keys("D")
            con.wait_for("Delete 3 identities")
            con.keys("Tab", "Enter")
            con.wait_for("Not processed by the service (1)")
            # The last text of the dialog: a capture taken while the frame was
            # still being written could miss the rest.
            s = con.wait_for("AccessDenied")
            self.assertIn("Not processed by the service (1)", s)
            self.assertIn(gone, s)
            self.assertIn("AccessDenied", s)
            self.assertIn("Deleted 2 of 3", s)
            con.keys("Enter")
            con.wait_for("Not processed", gone=True)
            del ids

    def test_profile_region_switch_and_key_config(self):
        emu = self.emu
        tmp = tempfile.mkdtemp(prefix="tui-profiles-")
        cfg = os.path.join(tmp, "config")
        creds = os.path.join(tmp, "credentials")
        with open(cfg, "w") as f:
            f.write("[default]\nregion = us-east-1\n\n[profile auditor]\nregion = us-east-1\n"
                    "cognito_tui_read_only = true\n")
        with open(creds, "w") as f:
            f.write(f"[auditor]\naws_access_key_id = {harness.READ_KEY[0]}\n"
                    f"aws_secret_access_key = {harness.READ_KEY[1]}\n")
        keys = "# keys\nbind x quit\nbind y no-such-action\n"
        env = {"AWS_CONFIG_FILE": cfg, "AWS_SHARED_CREDENTIALS_FILE": creds}
        with Console(emu, env=env, config_text=keys) as con:
            s = con.wait_for("big-pool")
            self.assertIn("config:3: unknown action 'no-such-action'", s)
            self.assertNotIn("READ-ONLY", s.splitlines()[0])
            # A region the endpoint does not serve: the header follows, the
            # pane says what went wrong.
            con.keys(":")
            con.type("region eu-west-1")
            con.keys("Enter")
            s = con.wait_for("region eu-west-1")
            con.wait_for("InvalidSignatureException", timeout=10)
            con.keys(":")
            con.type("region us-east-1")
            con.keys("Enter")
            con.wait_for("partner-portal")
            # An unknown profile changes nothing.
            con.keys(":")
            con.type("profile nosuch")
            con.keys("Enter")
            s = con.wait_for("Profile not switched")
            self.assertIn("profile default", s.splitlines()[0])
            # The auditor profile turns read-only on; switching back keeps it.
            con.keys(":")
            con.type("profile auditor")
            con.keys("Enter")
            s = con.wait_for("profile auditor")
            con.wait_for("partner-portal")
            self.assertIn("READ-ONLY", con.screen().splitlines()[0])
            con.keys(":")
            con.type("profile default")
            con.keys("Enter")
            s = con.wait_for("Now on profile default")
            self.assertIn("READ-ONLY", s.splitlines()[0])
            con.keys("c")
            con.wait_for("Read-only mode: pool-create")
            # x quits, as the config file says.
            con.keys("x")
            self.assertEqual(con.wait_exit(), 0)
            con.closed = True
            con.assert_clean()

    def test_principal_tags_lookup(self):
        # (The pool's "test an identity" view is the credential doctor now:
        # tests/e2e/test_console_doctor.py.)
        emu = self.emu
        with Console(emu) as con:
            con.wait_for("big-pool")
            con.keys("/", "C-u")
            con.type("big-pool")
            con.keys("Enter", "Home")
            # Principal tags of the user pool provider.
            con.keys("p")
            s = con.wait_for("Principal tag attribute map")
            pool = emu.ok("DescribeIdentityPool", {"IdentityPoolId": emu.pool_id("big-pool")})
            provider = pool["CognitoIdentityProviders"][0]["ProviderName"]
            # The pool's providers are offered: its user pool comes first.
            self.assertIn(provider[:30], s)
            con.keys("F10")
            s = con.wait_for("custom:dept")
            self.assertIn("department", s)
            # Editable outside read-only mode: add a tag, send.
            for _ in range(5):
                con.keys("Tab")  # use-defaults, two tags (key, value): to [+ add]
            con.keys("Enter")
            con.type("team")
            con.keys("Tab")
            con.type("custom:team")
            con.keys("F10")
            # The changes are shown before they are sent.
            s = con.wait_for("Principal tags to send")
            self.assertRegex(s, r'\+\s+"team": "custom:team"')
            self.assertEqual([r for r in emu.requests()
                              if r["operation"] == "SetPrincipalTagAttributeMap"], [])
            con.keys("Enter")
            con.wait_for("Principal tags: done")
            sent = [r for r in emu.requests() if r["operation"] == "SetPrincipalTagAttributeMap"]
            self.assertEqual(sent[0]["input"]["IdentityProviderName"], provider)
            self.assertEqual(sent[0]["input"]["PrincipalTags"],
                             {"department": "custom:dept", "username": "sub", "team": "custom:team"})
            # Developer lookup from the Identities pane.
            con.keys("Enter")
            con.wait_for("Pool big-pool")
            con.keys("l")
            con.wait_for("Look up a developer identity")
            con.keys("C-u", "Tab")
            ident = emu.ok("LookupDeveloperIdentity", {"IdentityPoolId": emu.pool_id("big-pool"),
                                                       "MaxResults": 1, "DeveloperUserIdentifier":
                                                       self.dev_user(emu)})["IdentityId"]
            con.type(self.dev_user(emu))
            con.keys("F10")
            s = con.wait_for("Developer user identifiers")
            self.assertIn(ident, s)
            con.keys("q")

    def test_unlink_identity(self):
        emu = self.emu
        st = emu.control("GET", "/_emulator/state")
        pool = [p for p in st["pools"] if p["config"].get("IdentityPoolName") == "mobile-app"][0]
        ident = [i for i, d in pool["identities"].items()
                 if d["logins"].get("www.amazon.com") == ["amzn-4"]][0]
        with Console(emu) as con:
            self.open_pool(con, "mobile-app")
            con.keys("/", "C-u")
            con.type(ident)
            con.keys("Enter", "Home", "x")
            s = con.wait_for("Unlink logins from an identity")
            self.assertIn(ident, s)
            con.keys("Tab", "Enter")  # Logins: [+ add]
            con.type("www.amazon.com")
            con.keys("Tab")
            con.type("amzn-4")
            con.keys("Tab", "Tab", "Enter")  # LoginsToRemove: [+ add]
            con.type("www.amazon.com")
            con.keys("F10")
            con.wait_for("There is no undo")
            con.keys("Tab", "Enter")
            con.wait_for("Unlink: done")
            sent = [r for r in emu.requests() if r["operation"] == "UnlinkIdentity"][0]
            self.assertEqual(sent["input"], {"IdentityId": ident,
                                             "Logins": {"www.amazon.com": "amzn-4"},
                                             "LoginsToRemove": ["www.amazon.com"]})
            self.assertEqual(sent["status"], 200)
            # The journal keeps the provider names, never the login token.
            line = con.journal()[-1]
            self.assertEqual(line["operation"], "UnlinkIdentity")
            self.assertEqual(line["targets"]["LoginsToRemove"], ["www.amazon.com"])
            self.assertNotIn("amzn-4", repr(line))

    def test_lookup_walks_every_page(self):
        emu = self.emu
        st = emu.control("GET", "/_emulator/state")
        pool = [p for p in st["pools"] if p["config"].get("IdentityPoolName") == "mobile-app"][0]
        ident = [i for i, d in pool["identities"].items()
                 if len(d["logins"].get("login.mobile.app", [])) == 75][0]
        with Console(emu) as con:
            self.open_pool(con, "mobile-app")
            con.keys("/", "C-u")
            con.type(ident)
            con.keys("Enter", "Home", "l")
            s = con.wait_for("Look up a developer identity")
            self.assertIn(ident, s)
            con.keys("F10")
            s = con.wait_for("75 (2 pages)")
            self.assertIn("device-000", s)
            pages = [r for r in emu.requests() if r["operation"] == "LookupDeveloperIdentity"]
            self.assertEqual(len(pages), 2)
            self.assertIn("NextToken", pages[1]["input"])
            con.keys("End")
            con.wait_for("device-074")
            con.keys("q")

    @staticmethod
    def dev_user(emu):
        state = emu.control("GET", "/_emulator/state")
        text = repr(state)
        i = text.index("login.demo.app': ['")
        return text[i + len("login.demo.app': ['"):].split("'")[0]


if __name__ == "__main__":
    unittest.main()
