"""e2e (issue 11): changes reported as they really ended.

- A create whose answer is lost (drop) is sent once; the console lists the
  pools named like it made since the request, offers to open them, and
  closes the form only then; Esc after sending the same.
- An update whose answer is lost on every attempt: the pool now beside what
  was sent; the form closes when they are the same.
- Lost updates: someone changes the pool while the edit form is open; the
  submit sends nothing, shows the three-way picture, and asks again.
- Batch deletes: above 100 the count is typed; the result view scrolls
  through every unprocessed id with its error code and saves them; a batch
  whose answer is lost is checked id by id.
"""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmux_driver import Console, harness, wait_until  # noqa: E402


def flat(screen):
    return " ".join(re.sub(r"[│┌┐└┘─|+]", " ", screen).split())


def logged(emu, op):
    return [r for r in emu.requests() if r["operation"] == op]


class Outcomes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "150")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.reset()

    def pools_named(self, name):
        out = self.emu.ok("ListIdentityPools", {"MaxResults": 60})
        return [p for p in out["IdentityPools"] if p["IdentityPoolName"] == name]

    def select_pool(self, con, name):
        con.keys("1")
        con.wait_for(name)
        con.keys("/", "C-u")
        con.type(name)
        con.keys("Enter", "Home")
        con.wait_for("matching")

    def test_create_answer_lost_is_checked_and_offered(self):
        emu = self.emu
        with Console(emu, width=80, height=24) as con:
            con.wait_for("big-pool")
            emu.set_faults("drop/CreateIdentityPool")
            con.keys("c")
            con.wait_for("Create identity pool")
            con.type("lost answer")
            con.keys("F10")
            s = flat(con.wait_for("Create pool: applied", timeout=20))
            self.assertIn("Applied", s)
            [pool] = self.pools_named("lost answer")
            self.assertIn(pool["IdentityPoolId"], s)
            self.assertIn("Create pool: applied", s)
            self.assertRegex(s, r"Enter ?Open")
            # Sent once: not repeated after its answer was lost.
            self.assertEqual(len(logged(emu, "CreateIdentityPool")), 1)
            # Enter opens the pool found.
            con.keys("Enter")
            con.wait_for("Pool lost answer")
            con.keys("q")
            con.wait_for("Outcome of the change")
            con.keys("q")
            con.wait_for("Outcome of the change", gone=True)
            # The form closed: the change is known applied.
            con.wait_for("Create identity pool", gone=True)
            journal = con.journal()
            self.assertEqual([(j["operation"], j["outcome"]) for j in journal],
                             [("CreateIdentityPool", "unknown")])

    def test_esc_after_sending_is_checked(self):
        emu = self.emu
        with Console(emu, width=120) as con:
            con.wait_for("big-pool")
            # The emulator creates the pool, then holds the answer back.
            emu.set_faults("delay:15000/CreateIdentityPool")
            con.keys("c")
            con.wait_for("Create identity pool")
            con.type("esc pool")
            con.keys("F10")
            wait_until(lambda: self.pools_named("esc pool"), timeout=20, what="the pool on the service")
            con.keys("Escape")
            s = flat(con.wait_for("Create pool: applied", timeout=20))
            self.assertNotIn("Cancelled.", s)
            self.assertIn("Applied", s)
            journal = con.journal()
            self.assertEqual([(j["operation"], j["outcome"]) for j in journal],
                             [("CreateIdentityPool", "unknown")])
            self.assertEqual(journal[0]["error"], "Cancelled")
            self.assertEqual(len(self.pools_named("esc pool")), 1)
            emu.set_faults("")
            con.keys("q")
            con.wait_for("Outcome of the change", gone=True)
            con.wait_for("Create identity pool", gone=True)

    def test_second_submit_while_in_flight_is_refused(self):
        emu = self.emu
        with Console(emu, width=80, height=24) as con:
            con.wait_for("big-pool")
            emu.set_faults("delay:4000/CreateIdentityPool")
            con.keys("c")
            con.wait_for("Create identity pool")
            con.type("twice")
            con.keys("F10")
            wait_until(lambda: self.pools_named("twice"), timeout=20, what="the pool on the service")
            con.keys("F10")
            s = flat(con.wait_for("Sent already"))
            self.assertIn("not sent again", s)
            con.wait_for("Create pool: done", timeout=20)
            emu.set_faults("")
            self.assertEqual(len(logged(emu, "CreateIdentityPool")), 1)
            self.assertEqual(len(self.pools_named("twice")), 1)

    def test_delete_pool_and_tag_answers_lost(self):
        emu = self.emu
        with Console(emu, width=80, height=24) as con:
            self.select_pool(con, "mobile-app")
            con.keys("4")
            con.wait_for("env")
            emu.set_faults("drop/TagResource")
            con.keys("a")
            con.wait_for("Add or change a tag")
            con.type("team")
            con.keys("Tab")
            con.type("blue")
            con.keys("F10")
            s = flat(con.wait_for("Tag: applied", timeout=20))
            self.assertIn("Every tag sent is there with its value", s)
            self.assertIn("Tag: applied", s)
            con.keys("q")
            con.wait_for("Outcome of the change", gone=True)
            con.wait_for("Add or change a tag", gone=True)
            con.keys("1", "/", "C-u", "Enter")  # the filter off
            self.select_pool(con, "empty-pool")
            emu.set_faults("drop/DeleteIdentityPool")
            con.keys("D")
            con.wait_for("Type the pool's name")
            con.type("empty-pool")
            con.keys("Enter")
            s = flat(con.wait_for("Deleted pool empty-pool", timeout=20))
            self.assertIn("The pool is gone", s)
            self.assertIn("Deleted pool empty-pool", s)
            self.assertEqual(self.pools_named("empty-pool"), [])
            self.assertEqual([(j["operation"], j["outcome"]) for j in con.journal()],
                             [("TagResource", "unknown"), ("DeleteIdentityPool", "unknown")])

    def test_roles_changed_meanwhile(self):
        emu = self.emu
        role = "arn:aws:iam::123456789012:role/"
        with Console(emu, width=80, height=24) as con:
            self.select_pool(con, "mobile-app")
            con.keys("Enter", "3")
            con.wait_for("MobileAuth")
            con.keys("e")
            con.wait_for("Roles and role mappings")
            pid = self.pools_named("mobile-app")[0]["IdentityPoolId"]
            now = emu.ok("GetIdentityPoolRoles", {"IdentityPoolId": pid})
            now.pop("ResponseMetadata", None)
            now["Roles"]["unauthenticated"] = role + "OtherGuest"
            emu.ok("SetIdentityPoolRoles", now)
            before = len(logged(emu, "SetIdentityPoolRoles"))
            con.keys("C-u")
            con.type(role + "MineAuth")
            con.keys("F10")
            con.wait_for("Roles and mappings to send")
            con.keys("Enter")
            s = flat(con.wait_for("it changed since the form was read", timeout=20))
            self.assertIn("Roles[unauthenticated]", s)
            self.assertIn("OtherGuest", s)
            self.assertIn("Roles[authenticated]", s)
            self.assertEqual(len(logged(emu, "SetIdentityPoolRoles")), before)
            con.keys("q")
            con.wait_for("nothing sent")
            con.keys("F10")
            s = flat(con.wait_for("Roles and mappings to send"))
            con.keys("End")
            s += flat(con.wait_for("MineAuth"))
            self.assertIn("OtherGuest", s)  # what sending would undo is in the diff now
            con.keys("Enter")
            con.wait_for("Set roles: done", timeout=20)
            self.assertEqual(len(logged(emu, "SetIdentityPoolRoles")), before + 1)

    def test_principal_tags_changed_meanwhile(self):
        emu = self.emu
        with Console(emu, width=100, height=30) as con:
            self.select_pool(con, "big-pool")
            con.keys("p")
            con.wait_for("Principal tag attribute map")
            con.keys("F10")
            con.wait_for("custom:dept")
            pid = self.pools_named("big-pool")[0]["IdentityPoolId"]
            prov = emu.ok("DescribeIdentityPool",
                          {"IdentityPoolId": pid})["CognitoIdentityProviders"][0]["ProviderName"]
            now = emu.ok("GetPrincipalTagAttributeMap",
                         {"IdentityPoolId": pid, "IdentityProviderName": prov})
            tags = dict(now.get("PrincipalTags") or {})
            tags["theirs"] = "custom:theirs"
            emu.ok("SetPrincipalTagAttributeMap",
                   {"IdentityPoolId": pid, "IdentityProviderName": prov,
                    "UseDefaults": now.get("UseDefaults", False), "PrincipalTags": tags})
            before = len(logged(emu, "SetPrincipalTagAttributeMap"))
            for _ in range(5):
                con.keys("Tab")  # use-defaults, two tags (key, value): to [+ add]
            con.keys("Enter")
            con.type("team")
            con.keys("Tab")
            con.type("custom:team")
            con.keys("F10")
            con.wait_for("Principal tags to send")
            con.keys("Enter")
            s = flat(con.wait_for("it changed since the form was read", timeout=20))
            self.assertIn("PrincipalTags[theirs]", s)
            self.assertIn("PrincipalTags[team]", s)
            self.assertEqual(len(logged(emu, "SetPrincipalTagAttributeMap")), before)
            con.keys("q")
            con.wait_for("nothing sent")
            con.keys("F10")
            s = flat(con.wait_for("Principal tags to send"))
            self.assertIn("custom:theirs", s)  # sending now would remove theirs: shown
            con.keys("q")
            con.wait_for("Principal tags to send", gone=True)
            con.keys("Escape")
            con.wait_for("Discard the form?")
            con.keys("Tab", "Enter")
            con.wait_for("Discard the form?", gone=True)

    def test_update_answer_lost_every_time(self):
        emu = self.emu
        with Console(emu, width=80, height=24) as con:
            self.select_pool(con, "mobile-app")
            emu.set_faults("drop@1/UpdateIdentityPool")
            con.keys("e")
            con.wait_for("Edit pool mobile-app")
            con.keys("C-u")
            con.type("mobile-app renamed")
            con.keys("F10")
            con.wait_for("Changes to send")
            con.keys("Enter")
            s = flat(con.wait_for("Update pool: applied", timeout=40))
            emu.set_faults("")
            self.assertIn("It is now exactly what was sent", s)
            self.assertIn("Update pool: applied", s)
            con.keys("q")
            con.wait_for("Outcome of the change", gone=True)
            con.wait_for("Edit pool", gone=True)
            journal = con.journal()
            self.assertEqual([(j["operation"], j["outcome"]) for j in journal],
                             [("UpdateIdentityPool", "unknown")])

    def test_lost_update_shows_three_way_and_asks_again(self):
        emu = self.emu
        with Console(emu, width=80, height=24) as con:
            self.select_pool(con, "mobile-app")
            con.keys("e")
            con.wait_for("Edit pool mobile-app")
            # Another admin changes the pool while the form is open.
            pid = self.pools_named("mobile-app")[0]["IdentityPoolId"]
            theirs = emu.ok("DescribeIdentityPool", {"IdentityPoolId": pid})
            theirs.pop("ResponseMetadata", None)
            theirs["AllowClassicFlow"] = not theirs.get("AllowClassicFlow", False)
            emu.ok("UpdateIdentityPool", theirs)
            sent_before = len(logged(emu, "UpdateIdentityPool"))
            con.keys("C-u")
            con.type("mobile-app mine")
            con.keys("F10")
            con.wait_for("Changes to send")
            con.keys("Enter")
            s = flat(con.wait_for("it changed since the form was read", timeout=20))
            self.assertIn("Nothing was sent", s)
            self.assertIn("AllowClassicFlow", s)
            self.assertIn("IdentityPoolName", s)
            self.assertEqual(len(logged(emu, "UpdateIdentityPool")), sent_before)
            con.keys("q")
            con.wait_for("nothing sent")
            # Asked again: the diff is now against the pool as it is.
            con.keys("F10")
            s = flat(con.wait_for("Changes to send"))
            self.assertIn("AllowClassicFlow", s)
            con.keys("Enter")
            con.wait_for("Update pool: done", timeout=20)
            self.assertEqual(len(logged(emu, "UpdateIdentityPool")), sent_before + 1)
            self.assertEqual([(j["operation"], j["outcome"]) for j in con.journal()],
                             [("UpdateIdentityPool", "ok")])

    def test_batch_delete_typed_count_and_result_view(self):
        emu = self.emu
        with Console(emu, width=80, height=24) as con:
            self.select_pool(con, "big-pool")
            con.keys("Enter")
            con.wait_for("of 60+")
            con.keys("L")
            con.wait_for(r"identities (are )?loaded", regex=True, timeout=20)
            con.keys("A")
            con.wait_for("150 identities marked")
            # Someone else deletes 75 of them meanwhile: the service then
            # reports those as unprocessed.
            pid = self.pools_named("big-pool")[0]["IdentityPoolId"]
            ids = [i["IdentityId"] for i in emu.ok(
                "ListIdentities", {"IdentityPoolId": pid, "MaxResults": 60})["Identities"]]
            ids += [i["IdentityId"] for i in emu.ok(
                "ListIdentities", {"IdentityPoolId": pid, "MaxResults": 60,
                                   "NextToken": emu.ok("ListIdentities", {
                                       "IdentityPoolId": pid, "MaxResults": 60})["NextToken"]})["Identities"]]
            gone = ids[:75]
            emu.ok("DeleteIdentities", {"IdentityIdsToDelete": gone[:60]})
            emu.ok("DeleteIdentities", {"IdentityIdsToDelete": gone[60:]})
            con.keys("D")
            s = flat(con.wait_for("Delete 150 identities"))
            self.assertIn("Type how many identities to delete", s)
            con.type("15")
            con.keys("Enter")  # OK stays disabled until the whole count is typed
            con.wait_for("Type how many")
            self.assertEqual(logged(emu, "DeleteIdentities")[2:], [])
            con.type("0")
            con.keys("Enter")
            s = flat(con.wait_for("75 not processed", timeout=30))
            self.assertIn("Deleted 75 of 150 identities in 3 batches", s)
            self.assertIn("75 not processed", s)
            # Every unprocessed id is there: scroll to the end.
            con.keys("End")
            self.assertIn("AccessDenied", con.screen())
            seen = set()
            con.keys("Home")
            for _ in range(12):
                seen.update(i for i in gone if i in con.screen())
                con.keys("PgDn")
            seen.update(i for i in gone if i in con.screen())
            self.assertEqual(seen, set(gone))
            # Saved to a file: id, tab, error code.
            out = os.path.join(con.tmp, "unprocessed.txt")
            con.keys("w")
            con.wait_for("Save to a file")
            con.type(out)
            con.keys("Enter")
            con.wait_for("Saved the 75 ids not deleted")
            with open(out) as f:
                lines = [l.rstrip("\n").split("\t") for l in f]
            self.assertEqual(sorted(l[0] for l in lines), sorted(gone))
            self.assertEqual({l[1] for l in lines}, {"AccessDenied"})
            journal = con.journal()
            self.assertEqual(len(journal), 3)
            self.assertIn("partial", [j["outcome"] for j in journal])
            self.assertLessEqual({j["outcome"] for j in journal}, {"partial", "failed", "ok"})
            self.assertEqual(sum(len((j.get("result") or {}).get("UnprocessedIdentityIds", []))
                                 for j in journal), 75)
            con.keys("q")

    def test_batch_answer_lost_is_checked_id_by_id(self):
        emu = self.emu
        with Console(emu, width=80, height=24) as con:
            self.select_pool(con, "big-pool")
            con.keys("Enter")
            con.wait_for("of 60+")
            con.keys("Space", "Space", "Space")
            wait_until(lambda: con.screen().count("●") == 3, timeout=10, what="three marks")
            emu.set_faults("drop@1/DeleteIdentities")
            con.keys("D")
            con.wait_for("Delete 3 identities")
            con.keys("Tab", "Enter")
            s = flat(con.wait_for("Deleted 3 of 3 identities", timeout=40))
            emu.set_faults("")
            self.assertEqual(len(logged(emu, "DescribeIdentity")), 3)
            journal = con.journal()
            self.assertEqual([j["outcome"] for j in journal], ["unknown"])


if __name__ == "__main__":
    unittest.main()
