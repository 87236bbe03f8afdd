"""State file, reset, seed endpoint, the clock endpoint and the demo data set."""
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import seed  # noqa: E402


class StateFile(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.path = os.path.join(self.dir, "sub", "state.json")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_changes_survive_a_restart(self):
        with harness.Emulator("--seed", "demo", "--identities", "30", "--state", self.path) as emu:
            self.assertFalse(os.path.exists(self.path))  # nothing changed yet
            p = emu.ok("CreateIdentityPool", {"IdentityPoolName": "kept", "AllowUnauthenticatedIdentities": True})
            self.assertTrue(os.path.exists(self.path))
            big = emu.pool_id("big-pool")
            emu.ok("TagResource", {"ResourceArn": f"arn:aws:cognito-identity:us-east-1:123456789012:identitypool/{big}",
                                   "Tags": {"added": "yes"}})
            iid = emu.ok("GetId", {"IdentityPoolId": p["IdentityPoolId"],
                                   "Logins": {}}, sign=False)["IdentityId"]
        leftovers = [f for f in os.listdir(os.path.dirname(self.path)) if f != "state.json"]
        self.assertEqual(leftovers, [], "temporary files left behind")
        with open(self.path) as f:
            self.assertIsInstance(json.load(f)["pools"], list)
        # --seed none, but the state file wins
        with harness.Emulator("--state", self.path) as emu:
            d = emu.ok("DescribeIdentityPool", {"IdentityPoolId": p["IdentityPoolId"]})
            self.assertEqual(d["IdentityPoolName"], "kept")
            self.assertEqual(emu.ok("DescribeIdentity", {"IdentityId": iid})["IdentityId"], iid)
            big = emu.pool_id("big-pool")
            self.assertEqual(emu.ok("DescribeIdentityPool", {"IdentityPoolId": big})["IdentityPoolTags"]["added"], "yes")
            listed = emu.ok("ListIdentities", {"IdentityPoolId": big, "MaxResults": 60})["Identities"]
            self.assertEqual(len(listed), 30)

    def test_saves_under_traffic_and_reseeding(self):
        """Saves from the control endpoints run while connection threads change
        the data: each must see one consistent snapshot, and the file must end
        as the data is (a save once serialized the store outside its lock and
        the /_emulator/seed request died mid-answer)."""
        import threading
        import time

        with harness.Emulator("--seed", "demo", "--identities", "3000", "--state", self.path) as emu:
            stop = time.monotonic() + 1.5
            failures = []

            def traffic():
                conn = emu.connection()
                while time.monotonic() < stop:
                    emu.call("GetId", {"IdentityPoolId": emu.pool_id("big-pool")}, sign=False, conn=conn)

            def reseed():
                while time.monotonic() < stop:
                    try:
                        status, _, body = emu.request("POST", "/_emulator/seed",
                                                      json.dumps({"seed": "demo", "identities": 3000}).encode())
                        if status != 200:
                            failures.append((status, body[:200]))
                    except Exception as e:  # noqa: BLE001 - the failure is the finding
                        failures.append(repr(e))

            threads = [threading.Thread(target=traffic) for _ in range(2)] + [threading.Thread(target=reseed)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(failures, [])
            _, _, live = emu.request("GET", "/_emulator/state")
            with open(self.path, encoding="utf-8") as f:
                self.assertEqual(json.load(f), json.loads(live))

    def test_unreadable_state_file_is_named(self):
        os.makedirs(os.path.dirname(self.path))
        with open(self.path, "w") as f:
            f.write("{broken")
        with self.assertRaises(harness.EmulatorError) as cm:
            harness.Emulator("--state", self.path)
        self.assertIn(self.path, str(cm.exception))


class Control(unittest.TestCase):
    def test_reset_and_seed(self):
        with harness.Emulator("--seed", "demo", "--identities", "5") as emu:
            big = emu.pool_id("big-pool")
            emu.ok("DeleteIdentityPool", {"IdentityPoolId": big})
            emu.clock(100)
            emu.set_faults("throttle@0.01")
            emu.reset()
            self.assertEqual(emu.requests(), [])
            self.assertEqual(emu.pool_id("big-pool"), big)  # deterministic ids
            self.assertEqual(emu.faults(), [])
            self.assertEqual(emu.control("GET", "/_emulator/clock")["offset_seconds"], 0)
            emu.control("POST", "/_emulator/seed", {"seed": "none"})
            self.assertEqual(emu.ok("ListIdentityPools", {"MaxResults": 60})["IdentityPools"], [])
            emu.control("POST", "/_emulator/seed", {"seed": "demo", "identities": 7})
            big = emu.pool_id("big-pool")
            self.assertEqual(len(emu.ok("ListIdentities", {"IdentityPoolId": big, "MaxResults": 60})["Identities"]), 7)
            s, _, data = emu.request("POST", "/_emulator/seed", json.dumps({"seed": "galaxy"}).encode())
            self.assertEqual(s, 400)
            self.assertIn("galaxy", json.loads(data)["error"])

    def test_clock_moves_the_date_header(self):
        with harness.Emulator() as emu:
            import email.utils

            base = emu.control("GET", "/_emulator/clock")["now"]
            out = emu.clock(-3600)
            self.assertAlmostEqual(out["now"], base - 3600, delta=30)
            s, h, _ = emu.call("GetId", {"IdentityPoolId": "us-east-1:00000000-0000"}, sign=False)
            self.assertAlmostEqual(email.utils.parsedate_to_datetime(h["date"]).timestamp(), base - 3600, delta=30)


def strings(value):
    """Every string (keys included) inside a JSON-like value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


class DemoData(unittest.TestCase):
    def test_deterministic_and_complete(self):
        a, b = seed.demo(identities=300), seed.demo(identities=300)
        self.assertEqual(json.dumps(a, sort_keys=True), json.dumps(b, sort_keys=True))
        pools = {p["config"]["IdentityPoolName"]: p for p in a["pools"]}
        self.assertEqual(set(pools), {"big-pool", "mobile-app", "partner-portal", "empty-pool", "escape-tests",
                                      "overwrite\rme\tpool\n"})
        big = pools["big-pool"]
        self.assertEqual(len(big["identities"]), 300)
        kinds = {m["Type"] for m in big["role_mappings"].values()}
        self.assertEqual(kinds, {"Token", "Rules"})
        idents = list(big["identities"].values())
        self.assertTrue(any(i["disabled"] for i in idents))
        self.assertTrue(any("login.demo.app" in i["logins"] for i in idents))
        self.assertTrue(any(len(i["logins"]) > 1 for i in idents))
        self.assertTrue(big["principal_tags"] and big["tags"])
        esc = pools["escape-tests"]
        text = "\n".join(strings(esc))
        for needle in ("\x1b[", "\r", "\u202e", "\u2066", "\x9b"):
            self.assertTrue(needle in text, f"no {needle!r} in escape-tests")
        self.assertTrue(any("\x1b" in v for v in esc["tags"].values()))
        self.assertTrue(any("\x1b" in u for i in esc["identities"].values()
                            for u in i["logins"].get("login.escape.app", [])))
        self.assertTrue(any("\x1b" in prov for prov in esc["config"]["SupportedLoginProviders"]))

    def test_escape_values_travel_intact_over_the_wire(self):
        with harness.Emulator("--seed", "demo", "--identities", "0") as emu:
            pid = emu.pool_id("escape-tests")
            tags = emu.ok("DescribeIdentityPool", {"IdentityPoolId": pid})["IdentityPoolTags"]
            self.assertIn("\x1b[2J\x1b[31mcleared-and-red", tags.values())
            ids = emu.ok("ListIdentities", {"IdentityPoolId": pid, "MaxResults": 60})["Identities"]
            self.assertTrue(any("evil\x1b[31m.example.com" in i["Logins"] for i in ids))


if __name__ == "__main__":
    unittest.main()
