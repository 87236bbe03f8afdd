"""The audit verb end to end: the binary against the emulator (Cognito) and
tests/cli/iam_stub.py (IAM, until the emulator's own IAM is on main), on
pools and roles made for each check; every output format; --fail-on; -o;
read-only; IAM throttling and failures."""
import csv
import io
import json
import os
import tempfile
import unittest

import clitools
from iam_stub import IamStub

ACCT = clitools.ACCOUNT


def arn(name):
    return "arn:aws:iam::%s:role/%s" % (ACCT, name)


def trust(pool, amr="authenticated", aud=True, action="sts:AssumeRoleWithWebIdentity"):
    cond = {"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr}}
    if aud:
        cond["StringEquals"] = {"cognito-identity.amazonaws.com:aud": pool}
    return {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
        "Action": action, "Condition": cond}]}


# The schema's "required" lists of SARIF 2.1.0 (sarif-schema-2.1.0.json) for
# the objects the report writes, and its enums for version and level.
SARIF_REQUIRED = {
    "sarifLog": ["version", "runs"],
    "run": ["tool"],
    "tool": ["driver"],
    "toolComponent": ["name"],
    "reportingDescriptor": ["id"],
    "multiformatMessageString": ["text"],
    "result": ["message"],
    "invocation": ["executionSuccessful"],
}


def sarif_problems(log):
    bad = []

    def need(obj, kind, where):
        if not isinstance(obj, dict):
            bad.append("%s is not an object" % where)
            return
        for k in SARIF_REQUIRED[kind]:
            if k not in obj:
                bad.append("%s lacks %s" % (where, k))

    need(log, "sarifLog", "log")
    if log.get("version") != "2.1.0":
        bad.append("version is not 2.1.0")
    for i, run in enumerate(log.get("runs", [])):
        need(run, "run", "runs[%d]" % i)
        need(run.get("tool"), "tool", "tool")
        driver = run.get("tool", {}).get("driver")
        need(driver, "toolComponent", "driver")
        for j, rule in enumerate(driver.get("rules", [])):
            need(rule, "reportingDescriptor", "rules[%d]" % j)
            for k in ("shortDescription", "fullDescription", "help"):
                if k in rule:
                    need(rule[k], "multiformatMessageString", "rules[%d].%s" % (j, k))
            lvl = rule.get("defaultConfiguration", {}).get("level")
            if lvl not in ("none", "note", "warning", "error"):
                bad.append("rules[%d] level %r" % (j, lvl))
        for j, res in enumerate(run.get("results", [])):
            need(res, "result", "results[%d]" % j)
            msg = res.get("message", {})
            if "text" not in msg and "id" not in msg:  # message: anyOf text / id
                bad.append("results[%d].message has neither text nor id" % j)
            if res.get("level") not in ("none", "note", "warning", "error"):
                bad.append("results[%d] level %r" % (j, res.get("level")))
            idx = res.get("ruleIndex")
            if idx is not None and driver["rules"][idx]["id"] != res.get("ruleId"):
                bad.append("results[%d] ruleIndex does not name ruleId" % j)
        for j, inv in enumerate(run.get("invocations", [])):
            need(inv, "invocation", "invocations[%d]" % j)
    return bad


class AuditCase(clitools.EmulatorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.iam = IamStub()
        emu = cls.emu

        def pool(name, **kw):
            body = dict({"IdentityPoolName": name, "AllowUnauthenticatedIdentities": False}, **kw)
            return emu.ok("CreateIdentityPool", body)["IdentityPoolId"]

        cls.good = pool("audit_good", AllowClassicFlow=False)
        cls.flawed = pool("audit_flawed", AllowUnauthenticatedIdentities=True,
                          AllowClassicFlow=True)
        cls.broken = pool("audit_broken", AllowClassicFlow=False)
        cls.shared = pool("audit_shared", AllowClassicFlow=False)
        emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": cls.good, "Roles": {"authenticated": arn("Good")}})
        emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": cls.flawed, "Roles": {
            "authenticated": arn("Open"), "unauthenticated": arn("GuestWide")}})
        emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": cls.broken, "Roles": {"authenticated": arn("Gone")}})
        emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": cls.shared, "Roles": {"authenticated": arn("Open")}})
        cls.iam.role("Good", trust(cls.good), inline={"read": {"Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}})
        cls.iam.role("Open", trust(cls.good, aud=False))
        cls.iam.role("GuestWide", trust(cls.flawed, amr="unauthenticated"),
                     inline={"a": {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]},
                             "b": {"Statement": {"Effect": "Allow", "Action": "dynamodb:GetItem",
                                                 "Resource": "arn:aws:dynamodb:us-east-1:%s:table/t" % ACCT}}},
                     attached=["arn:aws:iam::aws:policy/StubPolicy"])
        cls.iam.policy("arn:aws:iam::aws:policy/StubPolicy",
                       {"Statement": [{"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"}]})
        cls.pools = [cls.good, cls.flawed, cls.broken, cls.shared]

    @classmethod
    def tearDownClass(cls):
        cls.iam.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.iam.faults = {}
        with self.iam.lock:
            self.iam.calls.clear()

    def audit(self, *args, pools=None, read_only_key=False, extra=None):
        env = self.cli.env(read_only_key=read_only_key,
                           extra=dict({"AWS_ENDPOINT_URL_IAM": self.iam.url, "AWS_ACCOUNT_ID": ACCT},
                                      **(extra or {})))
        pool_args = []
        for p in (self.pools if pools is None else pools):
            pool_args += ["--pool", p]
        return self.cli.run("audit", *pool_args, *args, env=env, timeout=120)

    def checks_by_pool(self, doc):
        out = {}
        for f in doc["findings"]:
            out.setdefault(f["pool_id"], set()).add(f["check"])
        return out


class TestAuditFindings(AuditCase):
    def test_each_pool_gets_exactly_its_findings(self):
        r = self.audit("--format", "json")
        self.assertEqual(r.rc, 0, r)
        doc = r.json()
        self.assertEqual(set(doc), {"generated_at", "account", "regions", "pools_audited", "findings"})
        self.assertEqual(doc["account"], ACCT)
        self.assertEqual(doc["regions"], ["us-east-1"])
        self.assertEqual(doc["pools_audited"], 4)
        by = self.checks_by_pool(doc)
        self.assertNotIn(self.good, by, doc)
        self.assertEqual(by[self.flawed], {"CIP-001", "CIP-002", "CIP-003", "CIP-005"}, doc)
        self.assertEqual(by[self.broken], {"CIP-010"}, doc)
        self.assertEqual(by[self.shared], {"CIP-003"}, doc)
        for f in doc["findings"]:
            self.assertEqual(set(f), {"check", "severity", "region", "pool_id", "pool_name",
                                      "resource", "title", "evidence", "fix"})
        guest = [f for f in doc["findings"] if f["check"] == "CIP-005"][0]
        text = json.dumps(guest["evidence"])
        self.assertIn("s3:*", text)
        self.assertIn("sns:Publish", text)  # from the managed policy
        self.assertNotIn("dynamodb:GetItem", json.dumps([s["why"] for s in guest["evidence"]["statements"]]))
        open_ = [f for f in doc["findings"] if f["check"] == "CIP-003" and f["pool_id"] == self.shared][0]
        self.assertEqual(open_["resource"], arn("Open"))
        self.assertIn(self.shared, open_["fix"])
        fixed = json.loads(open_["fix"][open_["fix"].index("\n") + 1:])
        self.assertEqual(fixed["Statement"][0]["Condition"]["StringEquals"]
                         ["cognito-identity.amazonaws.com:aud"], self.shared)

    def test_distinct_roles_fetched_once(self):
        r = self.audit("--format", "json")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.iam.count("GetRole", RoleName="Open"), 1)  # two pools name it
        self.assertEqual(self.iam.count("GetRole", RoleName="Gone"), 1)
        # permissions only where a check needs them (the guest role), every page followed
        self.assertEqual(self.iam.count("ListRolePolicies", RoleName="GuestWide"), 2)
        self.assertEqual(self.iam.count("ListRolePolicies", RoleName="Open"), 0)
        self.assertEqual(self.iam.count("GetPolicyVersion"), 1)
        for action, params in self.iam.calls:
            self.assertEqual(params["Version"], "2010-05-08")

    def test_sarif_is_valid_2_1_0(self):
        r = self.audit("--format", "sarif")
        self.assertEqual(r.rc, 0, r)
        log = r.json()
        self.assertEqual(sarif_problems(log), [])
        results = log["runs"][0]["results"]
        doc = self.audit("--format", "json").json()
        self.assertEqual(len(results), len(doc["findings"]))
        levels = {"high": "error", "medium": "warning", "low": "note", "info": "note"}
        for res, f in zip(results, doc["findings"]):
            self.assertEqual(res["ruleId"], f["check"])
            self.assertEqual(res["level"], levels[f["severity"]])
            uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            self.assertEqual(uri, "arn:aws:cognito-identity:us-east-1:%s:identitypool/%s"
                             % (ACCT, f["pool_id"]))

    def test_csv_markdown_and_table(self):
        r = self.audit("--format", "csv")
        self.assertEqual(r.rc, 0, r)
        rows = list(csv.reader(io.StringIO(r.out)))
        self.assertEqual(rows[0], ["check", "severity", "region", "pool_id", "pool_name", "resource",
                                   "title", "evidence", "fix"])
        doc = self.audit("--format", "json").json()
        self.assertEqual(len(rows) - 1, len(doc["findings"]))
        json.loads(rows[1][7])  # evidence is JSON
        md = self.audit("--format", "markdown")
        self.assertEqual(md.rc, 0, md)
        self.assertIn("# Cognito identity pool audit", md.out)
        self.assertIn("## audit\\_flawed (%s, us-east-1)" % self.flawed, md.out)
        self.assertIn("```json", md.out)
        t = self.audit()
        self.assertEqual(t.rc, 0, t)
        self.assertIn("CIP-010", t.out)
        self.assertIn("in 4 pools audited across 1 Region", t.out)

    def test_fail_on_and_output_file(self):
        self.assertEqual(self.audit("--fail-on", "high", "--format", "json").rc, 7)
        self.assertEqual(self.audit("--fail-on", "info", pools=[self.good]).rc, 0)
        self.assertEqual(self.audit(pools=[self.broken]).rc, 0)  # findings, no --fail-on
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "audit.sarif")
            r = self.audit("--format", "sarif", "-o", path, "--fail-on", "medium")
            self.assertEqual(r.rc, 7, r)
            self.assertEqual(r.out, "")
            with open(path, encoding="utf-8") as f:
                self.assertEqual(sarif_problems(json.load(f)), [])
            r = self.audit("-o", os.path.join(d, "missing", "x"))
            clitools.one_error_line(self, r, 2, "Output")

    def test_read_only_sends_only_reads(self):
        r = self.audit("--read-only", "--format", "json", read_only_key=True)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.checks_by_pool(r.json())[self.broken], {"CIP-010"})
        ops = {q.get("operation") for q in self.emu.requests()}
        self.assertIn("DescribeIdentityPool", ops)
        self.assertTrue(ops <= {"DescribeIdentityPool", "GetIdentityPoolRoles",
                                "GetPrincipalTagAttributeMap", "ListIdentityPools", None}, ops)

    def test_whole_account_listing(self):
        r = self.audit("--format", "json", pools=[])
        self.assertEqual(r.rc, 0, r)
        doc = r.json()
        listed = {p["IdentityPoolId"] for p in clitools.all_pages(
            self.emu, "ListIdentityPools", {}, "IdentityPools")}
        judged = {f["pool_id"] for f in doc["findings"]}
        self.assertGreaterEqual(doc["pools_audited"], 4)
        self.assertEqual(doc["pools_audited"], len(listed))
        self.assertTrue({self.flawed, self.broken, self.shared} <= judged)


class TestAuditBadInput(AuditCase):
    def test_iam_throttling_is_retried(self):
        self.iam.faults = {"throttle": 2}
        r = self.audit("--format", "json")
        self.assertEqual(r.rc, 0, r)
        by = self.checks_by_pool(r.json())
        self.assertEqual(by[self.broken], {"CIP-010"})
        self.assertNotIn(self.good, by)

    def test_iam_failing_is_not_audited_never_silent(self):
        self.iam.faults = {"fail": 1}
        r = self.audit("--format", "json", "--fail-on", "medium")
        self.assertEqual(r.rc, 7, r)
        doc = r.json()
        na = [f for f in doc["findings"] if f["check"] == "CIP-000"]
        self.assertTrue(na, doc)
        roles = {f["resource"] for f in na}
        self.assertEqual(roles, {arn("Good"), arn("Open"), arn("GuestWide"), arn("Gone")})
        self.assertIn("not audited", na[0]["title"])
        self.assertIn("ServiceFailure", na[0]["title"])
        self.assertNotIn("CIP-010", {f["check"] for f in doc["findings"]})

    def test_usage_errors(self):
        clitools.one_error_line(self, self.audit("--format", "xml"), 2, "--format")
        clitools.one_error_line(self, self.audit("--fail-on", "severe"), 2, "--fail-on")
        clitools.one_error_line(self, self.audit(pools=["not-a-pool-id"]), 2, "not an identity pool id")
        clitools.one_error_line(self, self.cli.run("--fail-on", "high", "audit"), 2, "audit verb")

    def test_unknown_pool_is_not_audited(self):
        ghost = "us-east-1:00000000-0000-4000-8000-00000000abcd"
        r = self.audit("--format", "json", pools=[ghost, self.good])
        self.assertEqual(r.rc, 0, r)
        doc = r.json()
        self.assertEqual(doc["pools_audited"], 1)
        na = [f for f in doc["findings"] if f["pool_id"] == ghost]
        self.assertEqual([f["check"] for f in na], ["CIP-000"], doc)
        self.assertIn("ResourceNotFound", na[0]["title"])


if __name__ == "__main__":
    unittest.main()
