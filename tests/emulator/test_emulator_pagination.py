"""Pagination: MaxResults honoured, NextToken opaque and bound to its query."""
import base64
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

IDENTITIES = 250


class Pagination(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", str(IDENTITIES))
        cls.big = cls.emu.pool_id("big-pool")
        cls.mobile = cls.emu.pool_id("mobile-app")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def walk(self, pool, limit, hide=False):
        pages, token = [], None
        while True:
            req = {"IdentityPoolId": pool, "MaxResults": limit}
            if hide:
                req["HideDisabled"] = True
            if token:
                req["NextToken"] = token
            out = self.emu.ok("ListIdentities", req)
            self.assertEqual(out["IdentityPoolId"], pool)
            pages.append([i["IdentityId"] for i in out["Identities"]])
            token = out.get("NextToken")
            if not token:
                return pages

    def test_every_identity_once_in_pages_of_max_results(self):
        pages = self.walk(self.big, 60)
        self.assertEqual([len(p) for p in pages], [60, 60, 60, 60, 10])
        ids = [i for p in pages for i in p]
        self.assertEqual(len(ids), IDENTITIES)
        self.assertEqual(len(set(ids)), IDENTITIES)
        self.assertEqual(ids, [i for p in self.walk(self.big, 7) for i in p])

    def test_hide_disabled(self):
        everyone = [i for p in self.walk(self.big, 60) for i in p]
        visible = [i for p in self.walk(self.big, 13, hide=True) for i in p]
        # The demo disables every identity whose index is 13 modulo 97.
        disabled = {everyone[i] for i in range(IDENTITIES) if i % 97 == 13}
        self.assertEqual(visible, [i for i in everyone if i not in disabled])

    def test_list_identity_pools_pages(self):
        names, token = [], None
        while True:
            req = {"MaxResults": 2}
            if token:
                req["NextToken"] = token
            out = self.emu.ok("ListIdentityPools", req)
            self.assertLessEqual(len(out["IdentityPools"]), 2)
            names += [p["IdentityPoolName"] for p in out["IdentityPools"]]
            token = out.get("NextToken")
            if not token:
                break
        self.assertEqual(names, ["big-pool", "mobile-app", "partner-portal", "empty-pool", "escape-tests",
                                 "overwrite\rme\tpool\n"])

    def test_token_is_opaque(self):
        out = self.emu.ok("ListIdentities", {"IdentityPoolId": self.big, "MaxResults": 5})
        self.assertNotIn(out["Identities"][-1]["IdentityId"], out["NextToken"])
        self.assertRegex(out["NextToken"], r"^\S+$")

    def expect_invalid(self, op, req):
        s, _, b = self.emu.call(op, req)
        self.assertEqual((s, b["__type"]), (400, "InvalidParameterException"), req)

    def test_forged_and_altered_tokens(self):
        out = self.emu.ok("ListIdentities", {"IdentityPoolId": self.big, "MaxResults": 5})
        tok = out["NextToken"]
        self.expect_invalid("ListIdentities", {"IdentityPoolId": self.big, "MaxResults": 5, "NextToken": "forged"})
        raw = bytearray(base64.urlsafe_b64decode(tok + "=" * (-len(tok) % 4)))
        raw[10] ^= 1
        altered = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
        self.expect_invalid("ListIdentities", {"IdentityPoolId": self.big, "MaxResults": 5, "NextToken": altered})

    def test_foreign_tokens(self):
        tok = self.emu.ok("ListIdentities", {"IdentityPoolId": self.big, "MaxResults": 5})["NextToken"]
        self.expect_invalid("ListIdentities", {"IdentityPoolId": self.mobile, "MaxResults": 5, "NextToken": tok})
        self.expect_invalid("ListIdentities", {"IdentityPoolId": self.big, "MaxResults": 5, "HideDisabled": True,
                                               "NextToken": tok})
        self.expect_invalid("ListIdentityPools", {"MaxResults": 5, "NextToken": tok})
        pools_tok = self.emu.ok("ListIdentityPools", {"MaxResults": 1})["NextToken"]
        self.expect_invalid("ListIdentities", {"IdentityPoolId": self.big, "MaxResults": 5, "NextToken": pools_tok})
        with harness.Emulator("--seed", "demo", "--identities", "20") as other:
            s, _, b = other.call("ListIdentityPools", {"MaxResults": 1, "NextToken": pools_tok})
            self.assertEqual(b["__type"], "InvalidParameterException")

    def test_token_survives_a_deletion_before_it(self):
        before = self.emu.ok("ListIdentities", {"IdentityPoolId": self.mobile, "MaxResults": 20})["Identities"]
        first = self.emu.ok("ListIdentities", {"IdentityPoolId": self.mobile, "MaxResults": 10})
        # delete one already listed (not the first: the Lookup test uses it)
        self.emu.ok("DeleteIdentities", {"IdentityIdsToDelete": [first["Identities"][3]["IdentityId"]]})
        second = self.emu.ok("ListIdentities", {"IdentityPoolId": self.mobile, "MaxResults": 10,
                                                "NextToken": first["NextToken"]})
        self.assertEqual([i["IdentityId"] for i in second["Identities"]], [i["IdentityId"] for i in before[10:20]])

    def test_lookup_developer_identity_pages(self):
        # mobile-app's first identity holds 75 developer user ids (device-000 .. device-074)
        first = self.emu.ok("LookupDeveloperIdentity", {"IdentityPoolId": self.mobile,
                                                        "DeveloperUserIdentifier": "device-000", "MaxResults": 60})
        self.assertEqual(len(first["DeveloperUserIdentifierList"]), 60)
        rest = self.emu.ok("LookupDeveloperIdentity", {"IdentityPoolId": self.mobile, "IdentityId":
                                                       first["IdentityId"], "MaxResults": 60,
                                                       "NextToken": first["NextToken"]})
        allids = first["DeveloperUserIdentifierList"] + rest["DeveloperUserIdentifierList"]
        self.assertEqual(allids, [f"device-{j:03d}" for j in range(75)])


if __name__ == "__main__":
    unittest.main()
