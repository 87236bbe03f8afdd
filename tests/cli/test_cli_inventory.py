"""`cognito-tui inventory` against the emulator: the counts, the SQLite file
a user can query, incremental refresh, the disabled pass, resuming an
interrupted listing, and the rate limiter's pacing."""
import json
import os
import shutil
import signal
import stat
import subprocess
import time
import unittest

from clitools import BIN, EmulatorCase, one_error_line

N = 900


class TestInventory(EmulatorCase):
    IDENTITIES = N

    def setUp(self):
        super().setUp()
        self.emu.control("POST", "/_emulator/seed", {"seed": "demo", "identities": N})
        self.pool = self.emu.pool_id("big-pool")
        self.emu.reset_log()
        shutil.rmtree(os.path.join(self.cli.state, "cognito-tui"), ignore_errors=True)

    def identities(self):
        for p in self.emu.control("GET", "/_emulator/state")["pools"]:
            if p["IdentityPoolId"] == self.pool:
                return p["identities"]
        raise AssertionError("big-pool is gone")

    def database(self):
        return os.path.join(self.cli.state, "cognito-tui", "inventory",
                            self.pool.replace(":", "_") + ".sqlite")

    def lists(self):
        return [e for e in self.emu.requests() if e["operation"] == "ListIdentities"]

    def inventory(self, *extra):
        r = self.cli.run("inventory", "--pool", self.pool, "--format", "json", *extra)
        self.assertEqual(r.rc, 0, r)
        self.assertNotIn("AddressSanitizer", r.err)
        return r.json()

    def test_counts_file_and_schema(self):
        idents = self.identities()
        out = self.inventory()
        self.assertEqual(out["identities"], N)
        self.assertEqual(out["unauthenticated"], sum(1 for x in idents.values() if not x["logins"]))
        providers = {}
        for x in idents.values():
            for p in x["logins"]:
                providers[p] = providers.get(p, 0) + 1
        self.assertEqual(out["providers"], providers)
        now = time.time()
        for days in (7, 30, 90, 365):
            want = sum(1 for x in idents.values() if x["modified"] < now - days * 86400)
            self.assertAlmostEqual(out["idle"][str(days)], want, delta=0)
        self.assertIsNone(out["disabled"])
        self.assertTrue(out["complete"])
        self.assertEqual(out["database"], self.database())
        self.assertEqual(len(self.lists()), 15)  # 900 / 60

        # The file: 0600 in a 0700 folder, queryable with sqlite3 as the README says.
        self.assertEqual(stat.S_IMODE(os.stat(self.database()).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(self.database())).st_mode), 0o700)
        q = subprocess.run(["sqlite3", self.database(),
                            "SELECT count(*) FROM identities WHERE logins = 0;"
                            "SELECT count(DISTINCT identity_id) FROM logins WHERE provider = "
                            "'graph.facebook.com';"
                            "SELECT count(*) FROM identities WHERE created < strftime('%s', "
                            "'2024-01-01T03:00:00');"],
                           capture_output=True, text=True, check=True)
        guests, fb, early = (int(x) for x in q.stdout.split())
        self.assertEqual(guests, out["unauthenticated"])
        self.assertEqual(fb, providers["graph.facebook.com"])
        self.assertEqual(early, sum(1 for x in idents.values() if x["created"] < 1704067200 + 3 * 3600))

        # Without --refresh the stored counts are printed: nothing is listed.
        self.emu.reset_log()
        again = self.inventory()
        self.assertEqual(self.lists(), [])
        self.assertEqual(again["identities"], N)
        r = self.cli.run("inventory", "--pool", self.pool)
        self.assertIn("unauthenticated", r.out)
        self.assertIn("graph.facebook.com", r.out)

    def test_refresh_is_incremental_and_disabled_pass(self):
        self.inventory()
        gone = sorted(self.identities())[:100]
        self.emu.ok("DeleteIdentities", {"IdentityIdsToDelete": gone[:60]})
        self.emu.ok("DeleteIdentities", {"IdentityIdsToDelete": gone[60:]})
        self.emu.reset_log()
        out = self.inventory("--refresh", "--disabled")
        self.assertEqual(out["identities"], N - 100)
        idents = self.identities()
        self.assertEqual(out["disabled"], sum(1 for x in idents.values() if x["disabled"]))
        hidden = [e for e in self.lists() if e["input"].get("HideDisabled")]
        self.assertGreater(len(hidden), 0)
        self.assertEqual(len(self.lists()) - len(hidden), 14)  # 800 left
        q = subprocess.run(["sqlite3", self.database(),
                            "SELECT identity_id FROM identities WHERE disabled = 1"],
                           capture_output=True, text=True, check=True)
        self.assertEqual(set(q.stdout.split()), {i for i, x in idents.items() if x["disabled"]})

    def test_interrupted_listing_resumes_from_its_checkpoint(self):
        self.emu.set_faults("delay:150@1/ListIdentities")
        p = subprocess.Popen([BIN, "inventory", "--pool", self.pool], env=self.cli.env(),
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        end = time.monotonic() + 60
        while len(self.lists()) < 6 and time.monotonic() < end:
            time.sleep(0.02)
        p.kill()
        p.communicate(timeout=30)
        first = len(self.lists())
        self.assertLess(first, 15)
        self.emu.set_faults("")
        self.emu.reset_log()
        out = self.inventory()
        self.assertEqual(out["identities"], N)
        self.assertTrue(out["complete"])
        resumed = self.lists()
        self.assertIn("NextToken", resumed[0]["input"])  # not from the first page
        self.assertLess(len(resumed), 15)

    def test_ctrl_c_keeps_what_was_listed(self):
        self.emu.set_faults("delay:150@1/ListIdentities")
        p = subprocess.Popen([BIN, "inventory", "--pool", self.pool], env=self.cli.env(),
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        end = time.monotonic() + 60
        while len(self.lists()) < 3 and time.monotonic() < end:
            time.sleep(0.02)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("run the same command again to continue", err)
        self.assertIn("never completely", out)

    def test_paced_at_the_published_rate(self):
        # 15 pages at 5 a second (the bucket starts with one token): at least
        # 14 intervals of 0.2 s between the first and the last request. A
        # lower bound only (the first request's latency aside): a loaded
        # machine makes it longer, never shorter.
        self.inventory()
        times = [e["time"] for e in self.lists()]
        self.assertEqual(len(times), 15)
        self.assertGreaterEqual(times[-1] - times[0], 14 * 0.2 - 0.8)

    def test_errors(self):
        r = self.cli.run("inventory")
        one_error_line(self, r, 2, "needs --pool")
        r = self.cli.run("inventory", "--pool", self.pool, "--format", "csv")
        one_error_line(self, r, 2, "table or json")
        r = self.cli.run("inventory", "--pool", "../etc:passwd")
        one_error_line(self, r, 2, "IdentityPoolId")
        r = self.cli.run("inventory", "--pool", "us-east-1:00000000-0000-0000-0000-000000000000")
        one_error_line(self, r, 1, "ResourceNotFoundException")


if __name__ == "__main__":
    unittest.main()
