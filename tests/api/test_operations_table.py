"""The one operations table (api/operations_table.c, dumped by build/ops-dump)
against the model tests/emulator/model/service-2.json: every operation, every
member, every constraint."""
import json
import os
import subprocess
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("COGNITO_TUI_BUILD", os.path.join(TOP, "build"))
MODEL = os.path.join(TOP, "tests", "emulator", "model", "service-2.json")

PURE_READS = {
    "DescribeIdentityPool", "DescribeIdentity", "ListIdentityPools", "ListIdentities",
    "GetIdentityPoolRoles", "ListTagsForResource", "LookupDeveloperIdentity",
    "GetPrincipalTagAttributeMap",
}
UNSIGNED = {"GetId", "GetCredentialsForIdentity", "GetOpenIdToken", "UnlinkIdentity"}
# Issue 11, from the semantics: the changes a second sending can make worse
# (a second pool, a second unauthenticated identity, merges/unlinks/tags of
# what changed in between). Everything else may be sent again after an
# unknown outcome: reads, credential issuing, whole-resource replacements
# and deletes.
NOT_REPEATABLE = {
    "CreateIdentityPool", "GetId", "GetOpenIdTokenForDeveloperIdentity",
    "MergeDeveloperIdentities", "UnlinkDeveloperIdentity", "UnlinkIdentity",
    "TagResource", "UntagResource",
}
REREAD = {
    "UpdateIdentityPool": "DescribeIdentityPool",
    "SetIdentityPoolRoles": "GetIdentityPoolRoles",
    "SetPrincipalTagAttributeMap": "GetPrincipalTagAttributeMap",
}


def load():
    out = subprocess.run([os.path.join(BUILD, "ops-dump")], check=True, capture_output=True,
                         text=True, timeout=30).stdout
    with open(MODEL, encoding="utf-8") as f:
        return json.loads(out), json.load(f)


class OperationsTable(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.table, cls.model = load()
        cls.ops = {o["name"]: o for o in cls.table["operations"]}

    def test_every_operation_once(self):
        names = [o["name"] for o in self.table["operations"]]
        self.assertEqual(len(names), len(set(names)))
        self.assertEqual(set(names), set(self.model["operations"]))
        self.assertEqual(len(names), 23)
        for o in self.table["operations"]:
            self.assertTrue(o["found"], o["name"])

    def test_input_output_shapes(self):
        for name, mop in self.model["operations"].items():
            op = self.ops[name]
            self.assertEqual(op["input"], mop.get("input", {}).get("shape"), name)
            self.assertEqual(op["output"], mop.get("output", {}).get("shape"), name)

    def test_unsigned_are_the_models_noauth(self):
        for name, mop in self.model["operations"].items():
            model_unsigned = mop.get("authtype") == "none"
            self.assertEqual(self.ops[name]["unsigned"], model_unsigned, name)
        self.assertEqual({n for n, o in self.ops.items() if o["unsigned"]}, UNSIGNED)

    def test_read_only_flags(self):
        self.assertEqual({n for n, o in self.ops.items() if o["pure_read"]}, PURE_READS)
        for n, o in self.ops.items():
            if o["pure_read"]:
                self.assertFalse(o["mutates"], n)
        # Creates, deletes, sets, tags, links: all mutate.
        for n in ("CreateIdentityPool", "DeleteIdentities", "DeleteIdentityPool", "GetId",
                  "SetIdentityPoolRoles", "TagResource", "UntagResource", "UpdateIdentityPool",
                  "MergeDeveloperIdentities", "UnlinkIdentity", "UnlinkDeveloperIdentity",
                  "SetPrincipalTagAttributeMap", "GetOpenIdTokenForDeveloperIdentity"):
            self.assertTrue(self.ops[n]["mutates"], n)

    def test_generated_file_is_current(self):
        """api/operations_table.c is what scripts/gen-operations.py makes of the model."""
        out = subprocess.run(["/usr/bin/python3", os.path.join(TOP, "scripts", "gen-operations.py"),
                              MODEL], check=True, capture_output=True, text=True, timeout=60).stdout
        with open(os.path.join(TOP, "api", "operations_table.c"), encoding="utf-8") as f:
            self.assertEqual(f.read(), out)

    def test_repeatable_after_unknown_outcome(self):
        self.assertEqual({n for n, o in self.ops.items() if not o["repeatable"]}, NOT_REPEATABLE)
        for n, o in self.ops.items():
            if not o["mutates"]:
                self.assertTrue(o["repeatable"], n)
        for n in ("UpdateIdentityPool", "SetIdentityPoolRoles", "SetPrincipalTagAttributeMap",
                  "DeleteIdentities", "DeleteIdentityPool"):
            self.assertTrue(self.ops[n]["repeatable"], n)

    def test_reread_of_whole_resource_writes(self):
        self.assertEqual({n: o["reread"] for n, o in self.ops.items() if o["reread"]}, REREAD)
        shapes = self.model["shapes"]
        for write, read in REREAD.items():
            self.assertTrue(self.ops[read]["pure_read"], read)
            wm = shapes[self.model["operations"][write]["input"]["shape"]]["members"]
            need = shapes[self.model["operations"][read]["input"]["shape"]].get("required", [])
            for m in need:
                self.assertIn(m, wm, (write, read))

    def reachable(self):
        seen = set()
        shapes = self.model["shapes"]

        def visit(n):
            if n in seen:
                return
            seen.add(n)
            s = shapes[n]
            if s["type"] == "structure":
                for m in s["members"].values():
                    visit(m["shape"])
            elif s["type"] == "list":
                visit(s["member"]["shape"])
            elif s["type"] == "map":
                visit(s["key"]["shape"])
                visit(s["value"]["shape"])

        for op in self.model["operations"].values():
            for k in ("input", "output"):
                if k in op:
                    visit(op[k]["shape"])
        return seen

    def test_every_shape_and_constraint(self):
        shapes = self.model["shapes"]
        reach = self.reachable()
        self.assertEqual(set(self.table["shapes"]), reach)
        for name in reach:
            m, t = shapes[name], self.table["shapes"][name]
            with self.subTest(shape=name):
                self.assertEqual(t["type"], m["type"])
                for k in ("min", "max", "pattern", "enum"):
                    self.assertEqual(t.get(k), m.get(k), k)
                self.assertEqual(t["sensitive"], bool(m.get("sensitive")))
                if m["type"] == "structure":
                    req = set(m.get("required", []))
                    self.assertEqual(list(t["members"]), list(m["members"]))
                    for mn, mm in m["members"].items():
                        self.assertEqual(t["members"][mn]["shape"], mm["shape"], mn)
                        self.assertEqual(t["members"][mn]["required"], mn in req, mn)
                if m["type"] == "list":
                    self.assertEqual(t["member"], m["member"]["shape"])
                if m["type"] == "map":
                    self.assertEqual(t["key"], m["key"]["shape"])
                    self.assertEqual(t["value"], m["value"]["shape"])

    def test_response_depth_bound_is_the_models(self):
        shapes = self.model["shapes"]

        def depth(n):
            s = shapes[n]
            if s["type"] == "structure":
                return 1 + max([depth(m["shape"]) for m in s["members"].values()] + [0])
            if s["type"] == "list":
                return 1 + depth(s["member"]["shape"])
            if s["type"] == "map":
                return 1 + depth(s["value"]["shape"])
            return 0

        for name, mop in self.model["operations"].items():
            want = max(1, depth(mop["output"]["shape"]) if "output" in mop else 0)
            self.assertEqual(self.ops[name]["max_response_depth"], want, name)
        self.assertEqual(self.ops["GetIdentityPoolRoles"]["max_response_depth"], 6)


if __name__ == "__main__":
    unittest.main()
