"""e2e: what a new user hit (issue 12), each as the user meets it.

Leaving: q and Esc go back to Pools, Q and ^X quit, quitting with marks or a
form with edits asks first. The other panes follow the pool under the Pools
pane's cursor from the start, and the header says which, and the filter. ^S
reaches the console (XON/XOFF off) and submits a form; on TERM=vt100 the key
bar offers ^S, not the F10 that terminal lacks. The key bar offers only what
does something in its pane and keeps the pane's own actions at 80 columns.
Lists: sort by column and invert, H keeps the filter and the loaded extent,
a failed refresh keeps the rows, the cursor stays where it was after a
delete, End loads to the end. Tags: changing a value asks first. Lookups
close without "Discard?". The pool detail shows roles, mappings and
principal tags. Under NO_COLOR the READ-ONLY badge is drawn unlike the header.
"""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmux_driver import Console, harness, wait_until  # noqa: E402


def logged(emu, op, since=0):
    return [r for r in emu.requests()[since:] if r["operation"] == op]


def body(screen):
    """The pane's rows: the screen without header, tabs, status and key bar."""
    return screen.splitlines()[2:-2]


def header(screen):
    return screen.splitlines()[0]


def bar(screen):
    return screen.rstrip("\n").splitlines()[-1]


class Defects(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "300")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.reset()

    def test_back_quit_and_asking_first(self):
        with Console(self.emu) as con:
            con.wait_for("big-pool")
            for pane, shows in (("2", "all identities"), ("3", "Role mappings"), ("4", "Tags of pool")):
                con.keys(pane)
                con.wait_for(shows)
                con.keys("q")  # back to Pools, not out
                s = con.wait_for("Pool id")
                self.assertNotIn(shows, s)
                con.keys(pane)
                con.wait_for(shows)
                con.keys("Escape")
                con.wait_for("Pool id")
            # Marks: Q asks; Cancel keeps the console.
            con.keys("2")
            con.wait_for("of 60+")
            con.keys("Space", "Space")
            con.wait_for("marked 2")
            con.keys("Q")
            s = con.wait_for("Quit the console anyway?")
            self.assertIn("Rows are marked", s)
            con.keys("Enter")  # starts on Cancel
            con.wait_for("Quit the console anyway?", gone=True)
            con.keys("C")
            # A form with edits: ^X asks too; then Quit leaves with status 0.
            con.keys("1", "c")
            con.wait_for("Create identity pool")
            con.type("half typed")
            con.keys("C-x")
            con.wait_for("A form holds edits")
            con.keys("Tab", "Enter")
            self.assertEqual(con.wait_exit(), 0)
            con.closed = True
            con.assert_clean()
        self.assertEqual(logged(self.emu, "CreateIdentityPool"), [])

    def test_panes_follow_the_highlighted_pool(self):
        with Console(self.emu) as con:
            s = con.wait_for("big-pool")
            self.assertIn("pool big-pool", header(s))
            # A fresh start: no Enter needed.
            con.keys("2")
            s = con.wait_for("Pool big-pool")
            self.assertNotIn("Select a pool first", s)
            # Moving the cursor in Pools moves what the other panes show.
            con.keys("1", "Down")
            s = con.wait_for("pool mobile-app")
            con.keys("3")
            s = con.wait_for("MobileBeta")
            self.assertIn("Roles of pool mobile-app", s)
            con.keys("1", "Down")
            con.wait_for("pool partner-portal")
            con.keys("4")
            s = con.wait_for("data-class")
            self.assertIn("Tags of pool partner-portal", s)
            # The header shows the filter of the pane in front.
            con.keys("1", "/")
            con.type("mobile")
            con.keys("Enter")
            s = con.wait_for("matching")
            self.assertIn('filter "mobile"', header(s))
            self.assertIn("pool mobile-app", header(s))

    def test_ctrl_s_submits_and_vt100_shows_it(self):
        with Console(self.emu) as con:
            con.wait_for("big-pool")
            con.keys("c")
            s = con.wait_for("Create identity pool")
            self.assertRegex(bar(s), r"\^S ?Submit")  # a key every terminal has
            con.type("by ctrl s")
            con.keys("C-s")  # XON/XOFF would have frozen the output instead
            con.wait_for("Create pool: done")
            self.assertEqual([r["input"]["IdentityPoolName"]
                              for r in logged(self.emu, "CreateIdentityPool")], ["by ctrl s"])
        with Console(self.emu, term="vt100", lang="C", width=80, height=24) as con:
            s = con.wait_for("big-pool")
            self.assertIn("^X", bar(s))  # a quit key this terminal has, shown
            con.keys("c")
            con.wait_for("Create identity pool")
            s = con.wait_for(r"\^S ?Submit", regex=True)  # the bar, once drawn whole
            self.assertNotIn("F10", bar(s))
            con.keys("Escape")
            con.wait_for("Create identity pool", gone=True)
            self.assertEqual(con.quit("C-x"), 0)
            con.assert_clean()

    def test_key_bar_offers_what_works_here(self):
        with Console(self.emu, width=80, height=24) as con:
            con.wait_for("big-pool")
            con.keys("2")
            s = con.wait_for("of 60+")
            self.assertRegex(bar(s), r"D ?Delete")  # the pane's own actions fit at 80 columns
            self.assertRegex(bar(s), r"Space ?Mark")
            con.keys("3")
            s = con.wait_for("Role mappings")
            self.assertNotIn("Open", bar(s))  # Enter does nothing in Roles
            self.assertNotIn("Filter", bar(s))  # nor does / (no rows to filter)
            con.keys("/")
            s = con.wait_for("Nothing to filter here")

    def test_sort_and_invert(self):
        with Console(self.emu) as con:
            s = con.wait_for("partner-portal")
            names = [l.split()[0] for l in body(s)[1:7]]
            self.assertEqual(names[:3], ["big-pool", "mobile-app", "partner-portal"])
            con.keys("s")  # by name
            s = con.wait_for("Name", timeout=5)
            wait_until(lambda: [l.split()[0] for l in body(con.screen())[1:4]] ==
                       ["big-pool", "empty-pool", "escape-tests"], what="sorted by name")
            con.keys("I")
            wait_until(lambda: body(con.screen())[1].split()[0] == "partner-portal",
                       what="sorted by name, descending")
            # Identities sort by their created date (the third column).
            con.keys("2")
            con.wait_for("of 60+")
            con.keys("s", "s", "s")
            wait_until(lambda: re.search(r"Created \(UTC\)\s*[▲▼^v]", con.screen()),
                       what="the sort mark on Created")

    def test_search_next_and_previous(self):
        with Console(self.emu) as con:
            con.wait_for("big-pool")
            con.keys("2")
            con.wait_for("of 60+")
            con.keys("n")
            con.wait_for("Nothing to look for")
            # Filter, then clear it: n and N then jump between the rows that
            # hold the text, the others shown around them.
            con.keys("/")
            con.type("login.demo")
            con.keys("Enter")
            con.wait_for("matching")
            con.keys("/", "C-u", "Enter")
            con.wait_for("matching", gone=True)
            for _ in range(2):
                con.keys("n")
                con.keys("Enter")
                s = con.wait_for("Last modified")
                self.assertIn("login.demo.app", s.split("Linked logins")[1])
                con.keys("q")
                con.wait_for("Last modified", gone=True)
            con.keys("N")
            con.keys("Enter")
            s = con.wait_for("Last modified")
            self.assertIn("login.demo.app", s.split("Linked logins")[1])
            con.keys("q")

    def test_lists_keep_what_they_have(self):
        emu = self.emu
        with Console(emu) as con:
            con.wait_for("partner-portal")
            # A failed refresh keeps the rows on screen and says so.
            emu.set_faults("error:AccessDeniedException@1/ListIdentityPools")
            con.keys("r")
            s = con.wait_for("Refresh failed")
            self.assertIn("partner-portal", s)
            self.assertIn("AccessDeniedException", s)
            self.assertIn("AccessDeniedException", s.splitlines()[-2])  # the status line too
            emu.set_faults("")
            con.keys("r")
            con.wait_for("Refresh failed", gone=True)
            # The error is stale once the reload worked: the status line drops it.
            s = con.wait_for("Refreshing pools", gone=True)
            self.assertNotIn("AccessDeniedException", s.splitlines()[-2])
            # H keeps the filter and as many pages as were loaded.
            con.keys("2")
            con.wait_for("of 60+")
            con.keys("PageDown", "PageDown", "PageDown")
            con.wait_for("of 120+")
            con.keys("/")
            con.type("login.demo")
            con.keys("Enter")
            con.wait_for("matching")
            before = len(logged(emu, "ListIdentities"))
            con.keys("H")
            s = con.wait_for("disabled identities hidden")
            wait_until(lambda: len(logged(emu, "ListIdentities")) >= before + 2,
                       what="the same two pages, hidden disabled")
            s = con.wait_for("matching")
            self.assertIn('filter "login.demo"', header(s))
            hidden = [r for r in logged(emu, "ListIdentities")[before:]]
            self.assertTrue(all(r["input"].get("HideDisabled") is True for r in hidden))
            self.assertGreaterEqual(len(hidden), 2)
            # End goes to the end, loading every page on the way.
            con.keys("/", "C-u", "Enter")
            con.keys("End")
            s = con.wait_for("identities loaded", timeout=20)
            self.assertNotIn("+", s.splitlines()[-2])

    def test_marked_count_shown_at_80_columns(self):
        """The pane's title gives way to the count of marks: at 80 columns the
        pool id used to push "marked N" off the screen."""
        with Console(self.emu, width=80, height=24) as con:
            con.wait_for("big-pool")
            con.keys("2")
            con.wait_for("of 60+")
            con.keys("Space", "Space", "Space")
            s = con.wait_for("marked 3")
            title = s.splitlines()[2]
            self.assertTrue(title.rstrip().endswith("marked 3"), title)
            self.assertIn("Pool big-pool", title)
            con.keys("Q")
            con.wait_for("Quit")
            con.keys("Tab", "Enter")
            con.wait_exit()
            con.closed = True

    def test_disabled_identities_marked(self):
        emu = self.emu
        pool = emu.pool_id("big-pool")
        every = emu.ok("ListIdentities", {"IdentityPoolId": pool, "MaxResults": 60})["Identities"]
        enabled = emu.ok("ListIdentities", {"IdentityPoolId": pool, "MaxResults": 60,
                                            "HideDisabled": True})["Identities"]
        on = {i["IdentityId"] for i in enabled}
        off = [i["IdentityId"] for i in every if i["IdentityId"] not in on]
        self.assertTrue(off)  # the demo seed disables some
        with Console(emu) as con:
            con.wait_for("big-pool")
            con.keys("2")
            s = con.wait_for("(disabled)")
            rows = [l for l in body(s) if re.match(r"^..us-east-1:", l)]
            marked = [l[2:].split()[0] for l in rows if "(disabled)" in l]
            shown = {l[2:].split()[0] for l in rows}
            self.assertEqual(marked, [i for i in off if i in shown])
            # The mark is text, so the filter finds them.
            con.keys("/")
            con.type("(disabled)")
            con.keys("Enter")
            con.wait_for('filter "(disabled)"')
            s = con.wait_for("matching")
            rows = [l for l in body(s) if re.match(r"^..us-east-1:", l)]
            self.assertTrue(rows)
            self.assertTrue(all("(disabled)" in l for l in rows), rows)

    def test_developer_provider_prefilled_before_the_pool_was_read(self):
        emu = self.emu
        with Console(emu) as con:
            con.wait_for("mobile-app")
            emu.set_faults("delay:1500@1/DescribeIdentityPool")
            con.keys("Down", "2")
            con.wait_for("Pool mobile-app")
            con.keys("m")  # before the pool's description came in the background
            s = con.wait_for("Merge developer identities", timeout=10)
            s = con.wait_for("login.mobile.app", timeout=10)
            emu.set_faults("")
            self.assertNotIn("Required.", s)
            con.keys("Escape")

    def test_cursor_stays_after_delete(self):
        emu = self.emu
        with Console(emu) as con:
            con.wait_for("partner-portal")
            con.keys("/")
            con.type("partner-portal")
            con.keys("Enter", "Home", "Enter")
            con.wait_for("of 12")
            listed = emu.ok("ListIdentities", {"IdentityPoolId": emu.pool_id("partner-portal"),
                                               "MaxResults": 12})["Identities"]
            con.keys("Down", "Down", "Down", "D")  # the fourth
            con.wait_for("Delete 1 identity")
            con.keys("Tab", "Enter")
            con.wait_for("of 11", timeout=15)
            con.keys("Enter")  # the row under the cursor now: the fifth of before
            s = con.wait_for("Last modified")
            self.assertIn(listed[4]["IdentityId"], s)
            con.keys("q")

    def test_tag_overwrite_asks_and_lookup_closes(self):
        emu = self.emu
        with Console(emu) as con:
            con.wait_for("big-pool")
            con.keys("4")
            con.wait_for("cost-center")
            con.keys("a")
            con.wait_for("Add or change a tag")
            con.type("env")
            con.keys("Tab")
            con.type("prod")
            con.keys("F10")
            s = con.wait_for('The tag "env" is "demo" now')
            self.assertIn("There is no undo", s)
            self.assertEqual(logged(emu, "TagResource"), [])
            con.keys("Tab", "Enter")
            con.wait_for("Tag: done")
            self.assertEqual(logged(emu, "TagResource")[0]["input"]["Tags"], {"env": "prod"})
            # A lookup is a question: Esc closes it, whatever was typed.
            con.keys("2")
            con.wait_for("of 60+")
            con.keys("l")
            con.wait_for("Look up a developer identity")
            con.keys("Tab")
            con.type("someone")
            con.keys("Escape")
            s = con.wait_for("Look up a developer identity", gone=True)
            self.assertNotIn("Discard the form?", s)

    def test_pool_detail_shows_roles_mappings_principal_tags(self):
        with Console(self.emu, height=60) as con:
            con.wait_for("big-pool")
            con.keys("i")
            s = con.wait_for("Principal tags")
            s = con.wait_for("custom:dept")
            self.assertIn("Cognito_bigpoolAuth_Role", s)
            self.assertIn('email StartsWith "admin"', s)
            con.keys("q")

    def test_no_color_badge_stands_out(self):
        with Console(self.emu, args=["--read-only"], env={"NO_COLOR": "1"}) as con:
            con.wait_for("big-pool")
            raw = con.screen(escapes=True).splitlines()[0]
            # The look changes where the badge starts (an SGR right before
            # it); drawn like the header, the last SGR would be far back.
            at = raw.index("READ-ONLY")
            last = raw.rfind("\x1b[", 0, at)
            self.assertGreaterEqual(last, 0)
            between = raw[raw.index("m", last) + 1:at]
            self.assertEqual(between.strip(), "", repr(raw))


if __name__ == "__main__":
    unittest.main()
