"""e2e: the console changing things on the emulator, and what it journals.

Create a pool (a failed submit first keeps the form), update it with the
diff shown, delete it by typing its name (a near-miss keeps OK disabled);
tag and untag; roles with two rules, reordered; merge and unlink developer
identities; mark 70 identities and delete them in two batches.
"""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmux_driver import Console, harness, wait_until  # noqa: E402

ACCOUNT = harness.ACCOUNT


def flat(screen):
    """The screen's words on one line: box borders and line breaks out, so a
    sentence wrapped inside a dialog can be matched whole."""
    return " ".join(re.sub(r"[│┌┐└┘─|+]", " ", screen).split())


def logged(emu, op, since=0):
    return [r for r in emu.requests()[since:] if r["operation"] == op]


class Changes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "150")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.reset()

    def select_pool(self, con, name):
        """Puts the Pools pane's cursor on `name` through the filter."""
        con.keys("1")
        con.wait_for(name)
        con.keys("/", "C-u")
        con.type(name)
        con.keys("Enter", "Home")
        con.wait_for("matching")

    def test_create_update_delete_pool(self):
        emu = self.emu
        with Console(emu) as con:
            con.wait_for("big-pool")
            # A submit the service refuses keeps the form and what was typed.
            emu.set_faults("error:LimitExceededException/CreateIdentityPool")
            con.keys("c")
            con.wait_for("Create identity pool")
            con.type("e2e pool")
            con.keys("Tab", "Space")  # allow unauthenticated identities
            con.keys("F10")
            s = con.wait_for("LimitExceededException")
            self.assertIn("Create identity pool", s)
            self.assertIn("e2e pool", s)
            self.assertIn("[x]", s)
            # A stray Esc does not lose it either.
            con.keys("Escape")
            con.wait_for("Discard the form?")
            con.keys("Enter")  # Cancel
            con.wait_for("Discard the form?", gone=True)
            self.assertIn("e2e pool", con.screen())
            # Sent again, it goes through; the form closes, the list has it.
            emu.set_faults("")
            con.keys("F10")
            con.wait_for("Create pool: done")
            s = con.wait_for("e2e pool")
            created = logged(emu, "CreateIdentityPool")
            self.assertEqual(len(created), 2)
            self.assertEqual(created[-1]["input"]["IdentityPoolName"], "e2e pool")
            self.assertIs(created[-1]["input"]["AllowUnauthenticatedIdentities"], True)
            pool_id = emu.pool_id("e2e pool")
            journal = con.journal()
            self.assertEqual([j["operation"] for j in journal], ["CreateIdentityPool"] * 2)
            self.assertEqual(journal[0]["outcome"], "failed")
            self.assertEqual(journal[0]["error"], "LimitExceededException")
            self.assertEqual(journal[1]["outcome"], "ok")
            self.assertEqual(journal[1]["result"]["IdentityPoolId"], pool_id)
            self.assertTrue(journal[1]["request_id"])
            self.assertEqual(journal[1]["targets"]["IdentityPoolName"], "e2e pool")
            self.assertEqual(con.journal_mode(), 0o600)

            # Update: the form starts from the pool, the diff shows the change.
            self.select_pool(con, "e2e pool")
            con.keys("e")
            con.wait_for("Edit pool e2e pool")
            con.keys("C-u")
            con.type("e2e pool renamed")
            con.keys("F10")
            s = con.wait_for("Changes to send")
            self.assertRegex(s, r'\+\s+"IdentityPoolName": "e2e pool renamed"')
            self.assertRegex(s, r'-\s+"IdentityPoolName": "e2e pool"')
            self.assertEqual(logged(emu, "UpdateIdentityPool"), [])
            con.keys("Enter")
            con.wait_for("Update pool: done")
            upd = logged(emu, "UpdateIdentityPool")
            self.assertEqual(len(upd), 1)
            self.assertEqual(upd[0]["input"]["IdentityPoolId"], pool_id)
            self.assertEqual(upd[0]["input"]["IdentityPoolName"], "e2e pool renamed")
            # What was not edited is sent as it was (Update resets the rest).
            self.assertIs(upd[0]["input"]["AllowUnauthenticatedIdentities"], True)

            # Delete: the name must be typed exactly.
            self.select_pool(con, "e2e pool renamed")
            con.keys("D")
            con.wait_for("Type the pool's name")
            s = con.screen()
            self.assertIn("There is no undo", s)
            self.assertIn(pool_id, s)
            self.assertIn("It holds no identities", flat(s))
            con.type("e2e pool renamex")
            con.keys("Enter")
            con.wait_for("Type the pool's name")  # still open: OK is disabled
            self.assertEqual(logged(emu, "DeleteIdentityPool"), [])
            con.keys("BSpace")
            con.type("d")
            con.keys("Enter")
            con.wait_for("Deleted pool e2e pool renamed")
            deleted = logged(emu, "DeleteIdentityPool")
            self.assertEqual([d["input"]["IdentityPoolId"] for d in deleted], [pool_id])
            self.assertEqual(con.journal()[-1]["operation"], "DeleteIdentityPool")

    def test_delete_pool_dialog_counts_identities(self):
        """The confirmation says how many identities go with the pool: every
        page counted (150 here, three pages); Esc stops a slow count and the
        dialog says "more than N"; Esc in the dialog sends nothing."""
        emu = self.emu
        with Console(emu) as con:
            con.wait_for("big-pool")
            self.select_pool(con, "big-pool")
            con.keys("D")
            s = con.wait_for("Type the pool's name")
            self.assertIn("Its 150 identities are deleted with it", flat(s))
            self.assertEqual(len(logged(emu, "ListIdentities")), 3)
            con.keys("Escape")
            con.wait_for("Type the pool's name", gone=True)
            # A slow count: Esc stops it after the first page.
            emu.set_faults("delay:3000@1/ListIdentities")
            con.keys("D")
            con.wait_for("60 so far")
            con.keys("Escape")
            s = con.wait_for("Type the pool's name")
            emu.set_faults("")
            self.assertIn("It holds more than 60 identities (the count was stopped)", flat(s))
            con.keys("Escape")
            con.keys("/", "C-u", "Enter")  # clear the filter
            ids = emu.ok("ListIdentities", {"IdentityPoolId": emu.pool_id("mobile-app"),
                                            "MaxResults": 60})["Identities"]
            self.assertLess(len(ids), 60)  # the demo seed's mobile-app fits one page
            self.select_pool(con, "mobile-app")
            con.keys("D")
            s = con.wait_for("Type the pool's name")
            count = {0: "It holds no identities", 1: "Its 1 identity is deleted"}.get(
                len(ids), f"Its {len(ids)} identities are deleted")
            self.assertIn(count, flat(s))
            con.keys("Escape")
        self.assertEqual(logged(emu, "DeleteIdentityPool"), [])

    def test_tag_and_untag(self):
        emu = self.emu
        with Console(emu) as con:
            self.select_pool(con, "partner-portal")
            con.keys("Enter")
            con.keys("4")
            s = con.wait_for("data-class")
            self.assertIn("confidential", s)
            con.keys("a")
            con.wait_for("Add or change a tag")
            con.type("env")
            con.keys("Tab")
            con.type("prod")
            # No account id field: the console found it (STS GetCallerIdentity).
            self.assertNotIn("Account id", con.screen())
            con.keys("F10")
            con.wait_for("Tag: done")
            s = con.wait_for("prod")
            tag = logged(emu, "TagResource")
            pool_id = emu.pool_id("partner-portal")
            arn = f"arn:aws:cognito-identity:us-east-1:{ACCOUNT}:identitypool/{pool_id}"
            self.assertEqual(tag[0]["input"], {"ResourceArn": arn, "Tags": {"env": "prod"}})
            # Untag the selected tag, after a confirmation that starts on Cancel.
            con.keys("/")
            con.type("env")
            con.keys("Enter", "Home", "D")
            con.wait_for("Remove the tag")
            con.keys("Enter")  # Cancel: nothing sent
            con.wait_for("Remove the tag", gone=True)
            self.assertEqual(logged(emu, "UntagResource"), [])
            con.keys("D")
            con.wait_for("Remove the tag")
            con.keys("Tab", "Enter")
            con.wait_for("Tag env removed")
            untag = logged(emu, "UntagResource")
            self.assertEqual(untag[0]["input"], {"ResourceArn": arn, "TagKeys": ["env"]})
            self.assertEqual([j["operation"] for j in con.journal()], ["TagResource", "UntagResource"])

    def test_roles_two_rules_reordered(self):
        emu = self.emu
        role = f"arn:aws:iam::{ACCOUNT}:role/"
        # A role mapping must name a provider the pool is configured for (the service refuses others).
        emu.ok("UpdateIdentityPool", {"IdentityPoolId": emu.pool_id("empty-pool"), "IdentityPoolName": "empty-pool",
                                      "AllowUnauthenticatedIdentities": False,
                                      "SupportedLoginProviders": {"graph.facebook.com": "1234"}})
        with Console(emu) as con:
            self.select_pool(con, "empty-pool")
            con.keys("Enter", "3")
            con.wait_for("Role mappings")
            con.keys("e")
            con.wait_for("Roles and role mappings")
            con.type(role + "Auth")
            con.keys("Tab", "Tab", "Enter")  # unauthenticated left empty; [+ add] a mapping
            con.wait_for("Identity provider")
            con.type("graph.facebook.com")
            con.keys("Tab", "Tab", "Tab", "Enter")  # Type Rules, AuthenticatedRole; [+ add] a rule
            con.wait_for("Claim")
            con.type("isAdmin")
            con.keys("Tab", "Tab")
            con.type("yes")
            con.keys("Tab")
            con.type(role + "Admin")
            con.keys("F10")  # the rule's OK
            con.wait_for('isAdmin Equals "yes"')
            con.keys("Tab", "Enter")  # [+ add] the second rule
            con.wait_for("Claim")
            con.type("email")
            con.keys("Tab", "Right", "Right", "Tab")  # StartsWith
            con.type("ops")
            con.keys("Tab")
            con.type(role + "Ops")
            con.keys("F10")
            con.wait_for('email StartsWith "ops"')
            # Shift-Up on the second rule moves it first.
            con.keys("S-Up")
            con.keys("F10")  # the mapping's OK
            con.wait_for("graph.facebook.com: Rules, 2 rules")
            con.keys("F10")  # the form: shows the diff
            s = con.wait_for("Roles and mappings to send")
            self.assertEqual(logged(emu, "SetIdentityPoolRoles"), [])
            con.keys("Enter")
            con.wait_for("Set roles: done")
            sent = logged(emu, "SetIdentityPoolRoles")[0]["input"]
            self.assertEqual(sent["Roles"], {"authenticated": role + "Auth"})
            rules = sent["RoleMappings"]["graph.facebook.com"]["RulesConfiguration"]["Rules"]
            self.assertEqual([r["Claim"] for r in rules], ["email", "isAdmin"])
            self.assertEqual(rules[0]["MatchType"], "StartsWith")
            s = con.wait_for('1. email StartsWith "ops"')
            self.assertIn('2. isAdmin Equals "yes"', s)
            # The rules tester: which rule and role those claims get.
            con.keys("T")
            con.wait_for("Rules tester")
            con.keys("Tab", "Enter")
            con.type("isAdmin")
            con.keys("Tab")
            con.type("yes")
            con.keys("F10")
            s = con.wait_for("rule 2 matches")
            self.assertIn(role + "Admin", s)
            con.keys("Enter", "Escape")
            # A query: Esc closes it without asking (nothing typed there is
            # work that a change would lose).
            s = con.wait_for("Rules tester", gone=True)
            self.assertNotIn("Discard the form?", s)

    def test_merge_and_unlink_developer(self):
        emu = self.emu
        pool = emu.pool_id("mobile-app")
        ident = emu.ok("LookupDeveloperIdentity", {"IdentityPoolId": pool,
                                                   "DeveloperUserIdentifier": "dev-user-6",
                                                   "MaxResults": 10})["IdentityId"]
        with Console(emu) as con:
            self.select_pool(con, "mobile-app")
            con.keys("Enter")
            con.wait_for("Pool mobile-app")
            wait_until(lambda: logged(emu, "DescribeIdentityPool"), what="the pool's settings")
            con.keys("m")
            con.wait_for("Merge developer identities")
            con.type("dev-user-3")
            con.keys("Tab")
            con.type("dev-user-4")
            con.keys("F10")
            s = con.wait_for("There is no undo")
            self.assertIn("dev-user-3", s)
            con.keys("Tab", "Enter")
            con.wait_for("Merge: done")
            merge = logged(emu, "MergeDeveloperIdentities")[0]["input"]
            self.assertEqual(merge, {"SourceUserIdentifier": "dev-user-3",
                                     "DestinationUserIdentifier": "dev-user-4",
                                     "DeveloperProviderName": "login.mobile.app",
                                     "IdentityPoolId": pool})
            # Unlink dev-user-6 from its identity, picked in the table.
            con.keys("/")
            con.type(ident)
            con.keys("Enter", "Home", "u")
            con.wait_for("Unlink a developer identity")
            s = con.screen()
            self.assertIn(ident, s)
            # Its developer user id is looked up, not typed from memory.
            self.assertIn("dev-user-6", s)
            con.keys("F10")
            con.wait_for("There is no undo")
            con.keys("Tab", "Enter")
            con.wait_for("Unlink: done")
            unlink = logged(emu, "UnlinkDeveloperIdentity")[0]["input"]
            self.assertEqual(unlink["IdentityId"], ident)
            self.assertEqual(unlink["DeveloperUserIdentifier"], "dev-user-6")
            self.assertEqual(unlink["DeveloperProviderName"], "login.mobile.app")
            ops = [j["operation"] for j in con.journal()]
            self.assertEqual(ops, ["MergeDeveloperIdentities", "UnlinkDeveloperIdentity"])

    def test_delete_70_identities_in_two_batches(self):
        emu = self.emu
        with Console(emu) as con:
            self.select_pool(con, "big-pool")
            con.keys("Enter")
            con.wait_for("of 60+")
            # Marking down the list asks for the next page; the test waits for
            # it rather than racing it (Space typed ahead of a page marks
            # nothing, see the table widget's unit test).
            for _ in range(50):
                con.keys("Space")
            con.wait_for("marked 50")
            con.wait_for("of 120+")
            for _ in range(20):
                con.keys("Space")
            s = con.wait_for("marked 70")
            con.keys("D")
            s = con.wait_for("Delete 70 identities")
            self.assertIn("2 batches", s)
            self.assertIn("There is no undo", s)
            con.keys("Tab", "Enter")
            con.wait_for("Deleted 70 of 70 identities in 2 batches", timeout=15)
            batches = logged(emu, "DeleteIdentities")
            self.assertEqual([len(b["input"]["IdentityIdsToDelete"]) for b in batches], [60, 10])
            ids = batches[0]["input"]["IdentityIdsToDelete"] + batches[1]["input"]["IdentityIdsToDelete"]
            self.assertEqual(len(set(ids)), 70)
            journal = con.journal()
            self.assertEqual([j["operation"] for j in journal], ["DeleteIdentities"] * 2)
            self.assertEqual(len(journal[0]["targets"]["IdentityIdsToDelete"]), 60)


if __name__ == "__main__":
    unittest.main()
