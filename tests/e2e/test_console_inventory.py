"""e2e: the Identities pane's inventory and Prune... (issue 13, the console).

R builds the pool's inventory in the background (ListIdentities only, through
the console's rate limiter); its counts head the pane. v pages the inventory
with the same table; F filters it by provider (SQLite, not the loaded rows),
A marks every match, s steps the order. Prune... opens with the view's
criteria, lists the pool from the service, asks for the count to be typed,
deletes exactly the matching identities, and shows the result. Read-only
mode neither offers nor runs it.
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmux_driver import Console, harness, wait_until  # noqa: E402

IDENTITIES = 300
PROVIDER = "login.demo.app"  # one identity in ten of big-pool (the demo seed)


def body(screen):
    return screen.splitlines()[2:-2]


class InventoryAndPrune(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", str(IDENTITIES))

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.reset()
        self.pool = self.emu.pool_id("big-pool")

    def identities(self):
        for p in self.emu.control("GET", "/_emulator/state")["pools"]:
            if p["IdentityPoolId"] == self.pool:
                return p["identities"]
        raise AssertionError("big-pool is gone")

    def ops(self):
        return [r["operation"] for r in self.emu.requests()]

    def open_identities(self, con):
        con.wait_for("big-pool")
        # big-pool is the first pool: the Identities pane follows it.
        con.keys("2")
        con.wait_for("Pool big-pool")

    def test_inventory_view_filter_and_prune(self):
        with Console(self.emu, width=100, height=30) as con:
            self.open_identities(con)
            con.keys("v")  # no inventory yet: says how to make one
            con.wait_for("No inventory of this pool yet")
            self.emu.reset_log()
            con.keys("R")
            s = con.wait_for("Inventory refreshed", timeout=30)
            self.assertIn(f"Inventory: {IDENTITIES} identities", s)
            self.assertIn("120 unauthenticated", s)
            self.assertEqual(set(self.ops()), {"ListIdentities"})

            con.keys("v")
            con.wait_for("inventory by id ascending")
            con.wait_for(f"of {IDENTITIES}")  # the view's rows: every identity, no "more"
            con.keys("s")
            con.wait_for("inventory by created ascending")
            # F: the criteria form; the provider field, then submit (^S).
            con.keys("F")
            con.wait_for("Inventory view: which identities")
            con.keys("Tab", "Tab")  # id text, logins choice -> provider
            con.type(PROVIDER)
            con.keys("C-s")
            s = con.wait_for("30 identities match.")
            self.assertIn("of 30", s)
            rows = [l for l in body(s) if l.startswith("  us-east-1:")]
            self.assertTrue(rows)
            self.assertTrue(all(PROVIDER in r for r in rows), rows)
            con.keys("A")
            con.wait_for("30 identities marked (every match")
            con.keys("C")

            # Prune... with the view's criteria: the count is typed first.
            self.emu.reset_log()
            con.keys("P")
            s = con.wait_for("Prune identities of pool big-pool")
            self.assertIn(PROVIDER, s)
            con.keys("C-s")
            s = con.wait_for("will be deleted", timeout=30)
            self.assertIn("30 identities", s)
            self.assertNotIn("DeleteIdentities", self.ops())
            con.type("29")  # a near miss is not accepted
            con.keys("Enter")
            s = con.screen()
            self.assertIn("will be deleted", s)
            con.keys("BSpace", "BSpace")
            con.type("30")
            con.keys("Enter")
            s = con.wait_for("Prune of pool big-pool", timeout=30)
            wait_until(lambda: "Deleted" in con.screen(), what="the result view")
            s = con.screen()
            self.assertRegex(s, r"Deleted:\s+30")
            self.assertRegex(s, r"Outcome:\s+complete")
            left = self.identities()
            self.assertEqual(len(left), IDENTITIES - 30)
            self.assertFalse([i for i, x in left.items() if PROVIDER in x["logins"]])
            deletes = [r for r in self.emu.requests() if r["operation"] == "DeleteIdentities"]
            self.assertEqual(sum(len(r["input"]["IdentityIdsToDelete"]) for r in deletes), 30)
            con.keys("q")
            con.wait_for("Prune of pool big-pool", gone=True)
            # The journal has every batch with its outcome.
            batches = [j for j in con.journal() if j.get("operation") == "DeleteIdentities"]
            self.assertTrue(batches)
            # R again: the inventory follows the service.
            con.keys("R")
            s = con.wait_for("Inventory refreshed", timeout=30)
            self.assertIn(f"Inventory: {IDENTITIES - 30} identities", s)
            con.keys("v")  # back to the live listing
            con.wait_for("all identities")

    def test_prune_result_lists_every_unprocessed_id(self):
        with Console(self.emu, width=100, height=30) as con:
            self.open_identities(con)
            con.keys("P")
            con.wait_for("Prune identities of pool big-pool")
            con.keys("Space")  # Unauthenticated
            con.keys("C-s")
            s = con.wait_for("will be deleted", timeout=30)
            self.assertIn("120 identities", s)
            # Another admin deletes three of them while the count is asked:
            # the service reports those back as unprocessed.
            guests = sorted(i for i, x in self.identities().items() if not x["logins"])
            gone = guests[:3]
            self.emu.ok("DeleteIdentities", {"IdentityIdsToDelete": gone})
            con.type("120")
            con.keys("Enter")
            con.wait_for("Prune of pool big-pool", timeout=30)
            wait_until(lambda: "Outcome:" in con.screen(), what="the result view")
            s = con.screen()
            self.assertRegex(s, r"Deleted:\s+117")
            self.assertRegex(s, r"Unprocessed:\s+3")
            for i in gone:
                self.assertRegex(s, i + r"\s+AccessDenied")
            left = self.identities()
            self.assertEqual(len(left), IDENTITIES - 120)
            self.assertFalse([i for i, x in left.items() if not x["logins"]])

    def test_esc_stops_prune_resumably_and_quit_asks(self):
        with Console(self.emu, width=100, height=30) as con:
            self.open_identities(con)
            # A slow listing: the job is still listing when Esc comes.
            self.emu.set_faults("delay:800@1/ListIdentities")
            con.keys("P")
            con.wait_for("Prune identities of pool big-pool")
            con.keys("Space")  # Unauthenticated
            con.keys("C-s")
            con.wait_for("Prune: listing")
            con.keys("Escape")
            con.wait_for("Stop the prune?")
            con.keys("Tab", "Enter")  # the focus starts on Cancel
            s = con.wait_for("Prune of pool big-pool", timeout=30)
            wait_until(lambda: "Outcome:" in con.screen(), what="the result view")
            self.assertIn("stopped", con.screen())
            self.assertNotIn("DeleteIdentities", self.ops())
            self.assertEqual(len(self.identities()), IDENTITIES)
            con.keys("q")
            con.wait_for("Prune of pool big-pool", gone=True)
            # The same criteria again: the job goes on from its checkpoint.
            self.emu.set_faults("")
            self.emu.reset_log()
            con.keys("P")
            con.wait_for("Prune identities of pool big-pool")
            con.keys("Space", "C-s")
            s = con.wait_for("will be deleted", timeout=30)
            self.assertIn("120 identities", s)
            # The job's listing went on from its checkpoint (the pane's own
            # HideDisabled walk may be logged too: not the job's).
            first = [r for r in self.emu.requests() if r["operation"] == "ListIdentities"
                     and not r["input"].get("HideDisabled")]
            self.assertTrue(first and "NextToken" in first[0]["input"], first[:1])
            con.type("120")
            con.keys("Enter")
            con.wait_for("Prune: 120 deleted", timeout=30)
            left = self.identities()
            self.assertEqual(len(left), IDENTITIES - 120)
            self.assertFalse([i for i, x in left.items() if not x["logins"]])
            con.keys("q")
            # Quitting while a job runs asks first; a second Q leaves.
            self.emu.set_faults("delay:800@1/ListIdentities")
            con.keys("P")
            con.wait_for("Prune identities of pool big-pool")
            con.keys("Tab", "Tab", "Tab")  # provider, idle -> created before
            con.type("2030-01-01")
            con.keys("C-s")
            con.wait_for("Prune: listing")
            con.keys("Q")
            con.wait_for("A background job is running")
            self.assertEqual(con.quit("C-x"), 0)  # a second quit key leaves at once
            con.assert_clean()
            self.emu.set_faults("")

    def test_read_only_neither_offers_nor_runs_prune(self):
        with Console(self.emu, args=["--read-only"], width=100, height=30) as con:
            self.open_identities(con)
            s = con.screen()
            self.assertNotIn("Prune", s.splitlines()[-1])
            self.emu.reset_log()
            con.keys("P")
            con.wait_for("Read-only mode: prune is not offered")
            self.assertNotIn("Prune identities", con.screen())
            self.assertNotIn("DeleteIdentities", self.ops())


if __name__ == "__main__":
    unittest.main()
