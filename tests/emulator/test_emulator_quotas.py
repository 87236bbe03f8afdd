"""Request-rate quotas (--quotas, POST /_emulator/quotas): a bucket per (Region, operation), the
throttling answer and its log entry; the Regions an emulator serves (--regions); the identity
order that keeps listing and deleting cheap on big pools."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cognito  # noqa: E402
import harness  # noqa: E402

EU = "eu-west-1"


class Quotas(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "20", "--regions", EU)
        cls.addClassCleanup(cls.emu.stop)
        cls.big = cls.emu.pool_id("big-pool")

    def setUp(self):
        # scale 0.01: ListIdentities may run 0.05 times a second, a bucket holds one request, so the
        # second call in a row is throttled however slow the machine is.
        self.emu.control("POST", "/_emulator/quotas", {"mode": "aws", "scale": 0.01})
        self.emu.reset_log()

    def tearDown(self):
        self.emu.control("POST", "/_emulator/quotas", {"mode": "off"})

    def list_ids(self, **kw):
        return self.emu.call("ListIdentities", {"IdentityPoolId": self.big, "MaxResults": 5}, **kw)

    def test_over_the_quota_is_rate_exceeded_before_the_operation_runs(self):
        self.assertEqual(self.list_ids()[0], 200)
        s, h, b = self.list_ids()
        self.assertEqual((s, b), (400, {"__type": "TooManyRequestsException", "message": "Rate exceeded"}))
        self.assertEqual(h["x-amzn-errortype"], "TooManyRequestsException:")
        self.assertEqual(h["x-amzn-errormessage"], "Rate exceeded")
        log = self.emu.requests()
        self.assertEqual([(r["status"], r["quota"], r["error_code"]) for r in log],
                         [(200, False, None), (400, True, "TooManyRequestsException")])
        # a throttled change is not made
        made = self.emu.ok("CreateIdentityPool", {"IdentityPoolName": "q1", "AllowUnauthenticatedIdentities": False})
        s, _, b = self.emu.call("CreateIdentityPool", {"IdentityPoolName": "q2", "AllowUnauthenticatedIdentities": False})
        self.assertEqual(b["__type"], "TooManyRequestsException")
        self.emu.control("POST", "/_emulator/quotas", {"mode": "off"})
        names = [p["IdentityPoolName"] for p in self.emu.ok("ListIdentityPools", {"MaxResults": 60})["IdentityPools"]]
        self.assertIn("q1", names)
        self.assertNotIn("q2", names)
        self.emu.ok("DeleteIdentityPool", {"IdentityPoolId": made["IdentityPoolId"]})

    def test_one_bucket_per_operation_and_per_region(self):
        self.assertEqual(self.list_ids()[0], 200)
        self.assertEqual(self.list_ids()[0], 400)
        self.assertEqual(self.emu.call("DescribeIdentityPool", {"IdentityPoolId": self.big})[0], 200)
        # the same operation signed for another Region the emulator serves has its own bucket
        pool_eu = self.emu.ok("CreateIdentityPool", {"IdentityPoolName": "eu", "AllowUnauthenticatedIdentities": True},
                              region=EU)["IdentityPoolId"]
        s, _, b = self.emu.call("ListIdentities", {"IdentityPoolId": pool_eu, "MaxResults": 5}, region=EU)
        self.assertEqual(s, 200, b)
        self.assertEqual(self.emu.call("ListIdentities", {"IdentityPoolId": pool_eu, "MaxResults": 5},
                                       region=EU)[0], 400)
        # the unsigned operations count against the Region their pool or identity names
        self.assertEqual(self.emu.call("GetId", {"IdentityPoolId": pool_eu}, sign=False)[0], 200)
        self.assertEqual(self.emu.call("GetId", {"IdentityPoolId": pool_eu}, sign=False)[0], 400)
        self.assertEqual(self.emu.call("GetId", {"IdentityPoolId": self.big}, sign=False)[0], 200)

    def test_control_endpoint_and_published_rates(self):
        got = self.emu.control("POST", "/_emulator/quotas", {"mode": "aws", "scale": 4})
        self.assertEqual((got["mode"], got["scale"]), ("aws", 4.0))
        self.assertEqual(got["rates"]["ListIdentities"], 20)
        self.assertEqual(got["rates"]["GetCredentialsForIdentity"], 800)
        self.assertEqual(got["default_rate"], 100)
        self.assertEqual(self.emu.control("GET", "/_emulator/quotas")["scale"], 4.0)
        for bad in ({"mode": "fast"}, {"mode": "aws", "scale": 0}, {"mode": "aws", "scale": "4"}):
            s, _, body = self.emu.request("POST", "/_emulator/quotas", json.dumps(bad).encode())
            self.assertEqual(s, 400, bad)
            self.assertIn("error", json.loads(body))
        for _ in range(3):  # control requests are never throttled
            self.emu.control("GET", "/_emulator/quotas")

    def test_command_line(self):
        with harness.Emulator("--quotas", "aws:0.01") as emu:
            self.assertEqual(emu.control("GET", "/_emulator/quotas")["scale"], 0.01)
            pid = emu.ok("CreateIdentityPool", {"IdentityPoolName": "c", "AllowUnauthenticatedIdentities": True})
            emu.control("POST", "/_emulator/quotas", {"mode": "off"})
            emu.reset()  # back to --quotas
            self.assertEqual(emu.control("GET", "/_emulator/quotas")["mode"], "aws")
            self.assertTrue(pid)
        p = subprocess.run([harness.PYTHON, harness.EMULATOR, "--quotas", "aws:fast"], capture_output=True,
                           text=True, timeout=30, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--quotas", p.stderr)


class Regions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "3", "--regions", f"{EU},ap-south-1")
        cls.addClassCleanup(cls.emu.stop)

    def test_each_region_is_its_own_service(self):
        pid = self.emu.ok("CreateIdentityPool", {"IdentityPoolName": "in eu", "AllowUnauthenticatedIdentities": True},
                          region=EU)["IdentityPoolId"]
        self.assertTrue(pid.startswith(EU + ":"))
        names = lambda region: [p["IdentityPoolName"] for p in self.emu.ok(  # noqa: E731
            "ListIdentityPools", {"MaxResults": 60}, region=region)["IdentityPools"]]
        self.assertEqual(names(EU), ["in eu"])
        self.assertNotIn("in eu", names("us-east-1"))
        self.assertIn("big-pool", names("us-east-1"))  # the demo seed is in --region
        s, _, b = self.emu.call("DescribeIdentityPool", {"IdentityPoolId": pid})  # signed for us-east-1
        self.assertEqual(b["__type"], "ResourceNotFoundException")
        iid = self.emu.ok("GetId", {"IdentityPoolId": pid}, sign=False)["IdentityId"]
        self.assertTrue(iid.startswith(EU + ":"))
        arn = f"arn:aws:cognito-identity:{EU}:123456789012:identitypool/{pid}"
        self.emu.ok("TagResource", {"ResourceArn": arn, "Tags": {"k": "v"}}, region=EU)
        self.assertEqual(self.emu.ok("ListTagsForResource", {"ResourceArn": arn}, region=EU)["Tags"], {"k": "v"})
        s, _, b = self.emu.call("ListIdentityPools", {"MaxResults": 5}, region="us-west-2")
        self.assertEqual(b["__type"], "InvalidSignatureException")
        self.assertIn("Credential should be scoped to a valid region", b["message"])

    def test_bad_region_names_are_refused(self):
        p = subprocess.run([harness.PYTHON, harness.EMULATOR, "--regions", "eu-west-1,Mars"], capture_output=True,
                           text=True, timeout=30, stdin=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 2)
        self.assertIn("'Mars' is not a Region name", p.stderr)


class BigPoolOrder(unittest.TestCase):
    """The order ListIdentities pages through, kept up to date instead of rebuilt (no pass over
    the pool per request): pages never skip or repeat while their identities are deleted."""

    def test_list_then_delete_each_page_and_tokens_survive_compaction(self):
        ids = [f"us-east-1:{i:036d}" for i in range(5000)]
        order = cognito.IdentityOrder(ids)
        seen, last = [], None
        while True:
            i = 0 if last is None else order.after(last)
            page = []
            while i < len(order.ids) and len(page) < 60:
                if order.ids[i] is not None:
                    page.append((order.seqs[i], order.ids[i]))
                i += 1
            if not page:
                break
            seen += [x for _, x in page]
            last = page[-1][0]
            for _, x in page:  # the bulk job deletes the page it just listed
                order.remove(x)
        self.assertEqual(seen, ids)
        self.assertLess(len(order.ids), 2 * 1025)  # holes were compacted away on the way
        order.add("us-east-1:new")
        self.assertEqual([x for x in order.ids if x], ["us-east-1:new"])
        self.assertEqual(order.ids[order.after(last)], "us-east-1:new")

    def test_listing_and_deleting_on_the_emulator_keep_their_place(self):
        with harness.Emulator("--seed", "demo", "--identities", "2500") as emu:
            pid = emu.pool_id("big-pool")
            first = emu.ok("ListIdentities", {"IdentityPoolId": pid, "MaxResults": 60})
            emu.ok("DeleteIdentities", {"IdentityIdsToDelete": [i["IdentityId"] for i in first["Identities"]]})
            seen, token = [], first["NextToken"]
            while token:
                page = emu.ok("ListIdentities", {"IdentityPoolId": pid, "MaxResults": 60, "NextToken": token})
                ids = [i["IdentityId"] for i in page["Identities"]]
                seen += ids
                emu.ok("DeleteIdentities", {"IdentityIdsToDelete": ids[:30]})
                token = page.get("NextToken")
            self.assertEqual(len(seen), 2500 - 60)
            self.assertEqual(len(set(seen)), len(seen))
            left = emu.ok("ListIdentities", {"IdentityPoolId": pid, "MaxResults": 60})
            self.assertEqual(len(left["Identities"]), 60)


if __name__ == "__main__":
    unittest.main()
