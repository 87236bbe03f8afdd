"""The audit verb end to end: the binary against the emulator, Cognito and
IAM both (the emulator's IAM on the same port), on pools and roles made for
each check; every output format; --fail-on; -o; read-only; IAM throttling,
failures and hostile documents; several Regions at once."""
import csv
import io
import json
import os
import tempfile
import unittest

import clitools

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
            for k, loc in enumerate(res.get("locations", [])):
                phys = loc.get("physicalLocation")  # anyOf: address / artifactLocation
                if phys is not None and "address" not in phys and "artifactLocation" not in phys:
                    bad.append("results[%d].locations[%d].physicalLocation has neither" % (j, k))
            if res.get("level") not in ("none", "note", "warning", "error"):
                bad.append("results[%d] level %r" % (j, res.get("level")))
            idx = res.get("ruleIndex")
            if idx is not None and driver["rules"][idx]["id"] != res.get("ruleId"):
                bad.append("results[%d] ruleIndex does not name ruleId" % j)
        for j, inv in enumerate(run.get("invocations", [])):
            need(inv, "invocation", "invocations[%d]" % j)
    return bad


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*"):
    return {"Effect": "Allow", "Action": action, "Resource": resource}


class AuditCase(clitools.EmulatorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        emu = cls.emu

        def pool(name, **kw):
            body = dict({"IdentityPoolName": name, "AllowUnauthenticatedIdentities": False}, **kw)
            return emu.ok("CreateIdentityPool", body)["IdentityPoolId"]

        def role(name, trust_doc, inline=None):
            emu.iam("CreateRole", {"RoleName": name, "AssumeRolePolicyDocument": json.dumps(trust_doc)})
            for pname, doc in (inline or {}).items():
                emu.iam("PutRolePolicy", {"RoleName": name, "PolicyName": pname, "PolicyDocument": doc})

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
        role("Good", trust(cls.good), inline={"read": policy(allow("s3:GetObject", "arn:aws:s3:::b/*"))})
        role("Open", trust(cls.good, aud=False))
        # The guest role: 101 inline policies (two ListRolePolicies pages of IAM's 100), stored
        # raw as only the first and the last would fit IAM's size quota together with the rest.
        inline = {"a": policy(allow("s3:*")),
                  "b": policy(allow("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:%s:table/t" % ACCT))}
        for i in range(99):
            inline["r%02d" % i] = policy(allow("s3:GetObject", "arn:aws:s3:::public/%d/*" % i))
        emu.control("POST", "/_emulator/iam/role", {
            "RoleName": "GuestWide", "AssumeRolePolicyDocument": json.dumps(trust(cls.flawed, amr="unauthenticated")),
            "InlinePolicies": inline})
        created = emu.iam("CreatePolicy", {"PolicyName": "GuestExtra",
                                           "PolicyDocument": policy(allow("sns:Publish"))})
        cls.extra_arn = created.find("CreatePolicyResult/Policy/Arn").text
        emu.iam("AttachRolePolicy", {"RoleName": "GuestWide", "PolicyArn": cls.extra_arn})
        cls.pools = [cls.good, cls.flawed, cls.broken, cls.shared]

    def audit(self, *args, pools=None, read_only_key=False, extra=None):
        extra = dict({"AWS_ACCOUNT_ID": ACCT}, **(extra or {}))
        env = self.cli.env(read_only_key=read_only_key,
                           extra={k: v for k, v in extra.items() if v is not None})
        for k, v in extra.items():
            if v is None:
                env.pop(k, None)
        pool_args = []
        for p in (self.pools if pools is None else pools):
            pool_args += ["--pool", p]
        return self.cli.run("audit", *pool_args, *args, env=env, timeout=120)

    def iam_calls(self, action=None, **match):
        return [q for q in self.emu.requests()
                if (q.get("input") or {}).get("Version") == "2010-05-08"
                and (action is None or q["operation"] == action)
                and all((q.get("input") or {}).get(k) == v for k, v in match.items())]

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
        self.assertNotIn("arn:aws:s3:::public/", json.dumps([s["why"] for s in guest["evidence"]["statements"]]))
        open_ = [f for f in doc["findings"] if f["check"] == "CIP-003" and f["pool_id"] == self.shared][0]
        self.assertEqual(open_["resource"], arn("Open"))
        self.assertIn(self.shared, open_["fix"])
        fixed = json.loads(open_["fix"][open_["fix"].index("\n") + 1:])
        self.assertEqual(fixed["Statement"][0]["Condition"]["StringEquals"]
                         ["cognito-identity.amazonaws.com:aud"], self.shared)

    def test_distinct_roles_fetched_once(self):
        r = self.audit("--format", "json")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(len(self.iam_calls("GetRole", RoleName="Open")), 1)  # two pools name it
        self.assertEqual(len(self.iam_calls("GetRole", RoleName="Gone")), 1)
        # permissions only where a check needs them (the guest role), every page followed
        self.assertEqual(len(self.iam_calls("ListRolePolicies", RoleName="GuestWide")), 2)
        self.assertEqual(len(self.iam_calls("GetRolePolicy", RoleName="GuestWide")), 101)
        self.assertEqual(len(self.iam_calls("ListRolePolicies", RoleName="Open")), 0)
        self.assertEqual(len(self.iam_calls("GetPolicyVersion")), 1)
        calls = self.iam_calls()
        self.assertTrue(calls)
        self.assertTrue(all(q["status"] in (200, 404) for q in calls), calls)

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
        iam = {q["operation"] for q in self.iam_calls()}
        ops = {q.get("operation") for q in self.emu.requests()} - iam
        self.assertIn("DescribeIdentityPool", ops)
        self.assertTrue(ops <= {"DescribeIdentityPool", "GetIdentityPoolRoles",
                                "GetPrincipalTagAttributeMap", "ListIdentityPools", None}, ops)
        self.assertIn("GetRole", iam)
        self.assertTrue(iam <= {"GetRole", "ListRolePolicies", "GetRolePolicy", "ListAttachedRolePolicies",
                                "GetPolicy", "GetPolicyVersion"}, iam)
        # the emulator's read-only key may do exactly these: nothing was refused
        self.assertFalse([q for q in self.emu.requests() if q["status"] == 403])

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
        # 4 throttles of one GetRole: the client's 3 attempts end throttled, the audit
        # queues the call again behind the rate limiter, and the next attempt succeeds
        self.emu.set_faults("throttle*4/GetRole")
        r = self.audit("--format", "json")
        self.assertEqual(r.rc, 0, r)
        by = self.checks_by_pool(r.json())
        self.assertEqual(by[self.broken], {"CIP-010"})
        self.assertNotIn(self.good, by)
        throttled = [q for q in self.iam_calls("GetRole") if q["error_code"] == "Throttling"]
        self.assertEqual(len(throttled), 4)

    def test_iam_failing_is_not_audited_never_silent(self):
        self.emu.set_faults("5xx:500@1/GetRole")
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

    def test_access_denied_is_a_finding_of_its_own(self):
        # IAM refuses one role; Cognito refuses one pool: each is a CIP-000 naming AccessDenied
        self.emu.set_faults("error:AccessDenied@1/GetRole")
        r = self.audit("--format", "json", pools=[self.good, self.broken])
        self.assertEqual(r.rc, 0, r)
        na = [f for f in r.json()["findings"] if f["check"] == "CIP-000"]
        self.assertEqual({f["resource"] for f in na}, {arn("Good"), arn("Gone")}, na)
        self.assertTrue(all("AccessDenied" in f["title"] for f in na), na)
        self.emu.set_faults("error:AccessDeniedException@1/DescribeIdentityPool")
        r = self.audit("--format", "json", pools=[self.good, self.broken])
        self.assertEqual(r.rc, 0, r)
        doc = r.json()
        self.assertEqual(doc["pools_audited"], 0)
        na = [f for f in doc["findings"] if f["check"] == "CIP-000"]
        self.assertEqual({f["pool_id"] for f in na}, {self.good, self.broken}, na)
        self.assertTrue(all("AccessDenied" in f["title"] for f in na), na)

    def test_truncated_and_hostile_answers_are_findings(self):
        for spec in ("truncate*100/GetRole", "html@1/GetRole", "content-type@1/GetRolePolicy"):
            self.emu.set_faults(spec)
            r = self.audit("--format", "json")
            self.assertEqual(r.rc, 0, (spec, r))
            self.assertEqual(r.err.count("AddressSanitizer"), 0)
            na = [f for f in r.json()["findings"] if f["check"] == "CIP-000"]
            if spec.endswith("GetRole"):
                self.assertEqual({f["resource"] for f in na},
                                 {arn("Good"), arn("Open"), arn("GuestWide"), arn("Gone")}, spec)

    def test_malformed_and_huge_policies(self):
        emu = self.emu
        p = emu.ok("CreateIdentityPool", {"IdentityPoolName": "audit_hostile", "AllowClassicFlow": False,
                                          "AllowUnauthenticatedIdentities": True})["IdentityPoolId"]
        emu.control("POST", "/_emulator/iam/role", {
            "RoleName": "NotJson", "AssumeRolePolicyDocument": "{\"Statement\": [ {"})
        huge = [allow("s3:GetObject", "arn:aws:s3:::b/%d" % i) for i in range(9999)] + [allow("s3:PutObject")]
        emu.control("POST", "/_emulator/iam/role", {
            "RoleName": "Huge", "AssumeRolePolicyDocument": json.dumps(trust(p, amr="unauthenticated")),
            "InlinePolicies": {"huge": policy(*huge)}})
        emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": p, "Roles": {
            "authenticated": arn("NotJson"), "unauthenticated": arn("Huge")}})
        r = self.audit("--format", "json", pools=[p])
        self.assertEqual(r.rc, 0, r)
        doc = r.json()
        bad = [f for f in doc["findings"] if f["resource"] == arn("NotJson")]
        self.assertTrue(bad, doc)
        self.assertTrue(any("trust policy" in f["title"].lower() or "json" in json.dumps(f).lower()
                            for f in bad), bad)
        wide = [f for f in doc["findings"] if f["check"] == "CIP-005"]
        self.assertEqual(len(wide), 1, doc)
        self.assertIn("s3:PutObject", json.dumps(wide[0]["evidence"]))

    def test_usage_errors(self):
        clitools.one_error_line(self, self.audit("--format", "xml"), 2, "--format")
        clitools.one_error_line(self, self.audit("--fail-on", "severe"), 2, "--fail-on")
        clitools.one_error_line(self, self.audit(pools=["not-a-pool-id"]), 2, "not an identity pool id")
        clitools.one_error_line(self, self.cli.run("--fail-on", "high", "audit"), 2, "audit verb")

    def test_audit_failing_as_a_whole_has_the_usual_codes(self):
        # nothing listens there: transport (4)
        r = self.audit(pools=[], extra={"AWS_ENDPOINT_URL_COGNITO_IDENTITY": "http://127.0.0.1:9"})
        clitools.one_error_line(self, r, 4)
        # no credentials at all: credentials (5)
        r = self.audit(pools=[], extra={"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None,
                                        "AWS_EC2_METADATA_DISABLED": "true",
                                        "AWS_CONTAINER_CREDENTIALS_FULL_URI": None,
                                        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": None})
        clitools.one_error_line(self, r, 5)
        # the service refuses the listing itself: not a failure but a finding (the
        # Region is not audited), so --fail-on medium exits 7
        self.emu.set_faults("error:AccessDeniedException@1/ListIdentityPools")
        r = self.audit("--format", "json", "--fail-on", "medium", pools=[])
        self.assertEqual(r.rc, 7, r)
        na = r.json()["findings"]
        self.assertEqual([(f["check"], f["resource"]) for f in na], [("CIP-000", "us-east-1")], na)
        self.assertIn("AccessDenied", na[0]["title"])

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


class TestAuditPacing(clitools.EmulatorCase):
    """The emulator throttles each (Region, operation) at 0.4 of AWS's
    figures (DescribeIdentityPool and GetIdentityPoolRoles: 10 a second). The
    audit's rate limiter learns that from the throttles and paces: every
    pool is judged, none is "not audited" for throttling."""

    def test_throttled_region_is_paced_not_gapped(self):
        for i in range(24):
            self.emu.ok("CreateIdentityPool", {"IdentityPoolName": "paced_%02d" % i,
                                               "AllowUnauthenticatedIdentities": False,
                                               "AllowClassicFlow": False})
        listed = len(clitools.all_pages(self.emu, "ListIdentityPools", {}, "IdentityPools"))
        self.emu.control("POST", "/_emulator/quotas", {"mode": "aws", "scale": 0.4})
        self.addCleanup(self.emu.control, "POST", "/_emulator/quotas", {"mode": "off"})
        self.emu.reset_log()
        env = self.cli.env(extra={"AWS_ACCOUNT_ID": ACCT})
        r = self.cli.run("audit", "--format", "json", env=env, timeout=300)
        self.assertEqual(r.rc, 0, r)
        doc = r.json()
        self.assertEqual(doc["pools_audited"], listed)
        self.assertGreaterEqual(listed, 30)
        self.assertEqual([f for f in doc["findings"] if f["check"] == "CIP-000"], [])
        throttled = [q for q in self.emu.requests() if q.get("quota")]
        self.assertTrue(throttled)  # the service did throttle; the audit rode it out


class TestAuditRegions(clitools.EmulatorCase):
    """Several Regions in one run: each Region's pools listed through its own
    client (signed for that Region), one IAM client for the partition, and
    each role fetched once even when pools of two Regions name it."""

    @classmethod
    def emulator_args(cls):
        return ("--regions", "us-west-2,eu-west-1")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        emu = cls.emu
        cls.west = emu.ok("CreateIdentityPool", {"IdentityPoolName": "west", "AllowClassicFlow": False,
                                                 "AllowUnauthenticatedIdentities": True},
                          region="us-west-2")["IdentityPoolId"]
        cls.eu = emu.ok("CreateIdentityPool", {"IdentityPoolName": "eu", "AllowClassicFlow": False,
                                               "AllowUnauthenticatedIdentities": False},
                        region="eu-west-1")["IdentityPoolId"]
        emu.iam("CreateRole", {"RoleName": "Shared", "AssumeRolePolicyDocument": json.dumps(trust(cls.west))})
        for pid, region in ((cls.west, "us-west-2"), (cls.eu, "eu-west-1")):
            emu.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {"authenticated": arn("Shared")}},
                   region=region)

    def run_audit(self, *args):
        env = self.cli.env(extra={"AWS_ACCOUNT_ID": ACCT})
        return self.cli.run("audit", *args, env=env, timeout=120)

    def test_three_regions_in_one_run(self):
        r = self.run_audit("--region", "us-east-1", "--region", "us-west-2", "--region", "eu-west-1",
                           "--format", "json")
        self.assertEqual(r.rc, 0, r)
        doc = r.json()
        self.assertEqual(doc["regions"], ["us-east-1", "us-west-2", "eu-west-1"])
        listed = len(clitools.all_pages(self.emu, "ListIdentityPools", {}, "IdentityPools"))  # us-east-1
        self.assertEqual(doc["pools_audited"], listed + 2)
        by_region = {}
        for f in doc["findings"]:
            by_region.setdefault(f["region"], set()).add(f["pool_id"])
        self.assertIn(self.west, by_region["us-west-2"])
        self.assertIn(self.eu, by_region["eu-west-1"])
        self.assertTrue(by_region["us-east-1"])
        # Shared trusts only the west pool: the eu pool gets the wrong-aud finding, the west one not
        checks = {(f["pool_id"], f["check"]) for f in doc["findings"]}
        self.assertIn((self.eu, "CIP-012"), checks)
        self.assertNotIn((self.west, "CIP-012"), checks)
        self.assertIn((self.west, "CIP-001"), checks)
        reqs = self.emu.requests()
        lists = [q for q in reqs if q["operation"] == "ListIdentityPools"]
        self.assertGreaterEqual(len(lists), 3)
        shared = [q for q in reqs if q["operation"] == "GetRole" and (q.get("input") or {}).get("RoleName") == "Shared"]
        self.assertEqual(len(shared), 1)

    def test_named_pools_choose_their_regions(self):
        r = self.run_audit("--pool", self.eu, "--format", "json")
        self.assertEqual(r.rc, 0, r)
        doc = r.json()
        self.assertEqual(doc["regions"], ["eu-west-1"])
        self.assertEqual(doc["pools_audited"], 1)

    def test_a_region_the_service_refuses_is_not_a_silent_gap(self):
        r = self.run_audit("--region", "us-west-2", "--region", "ap-south-1", "--format", "json")
        doc = r.json()
        self.assertEqual(r.rc, 0, r)
        na = [f for f in doc["findings"] if f["region"] == "ap-south-1"]
        self.assertTrue(na, doc)
        self.assertEqual({f["check"] for f in na}, {"CIP-000"})
        self.assertIn(self.west, {f["pool_id"] for f in doc["findings"]})
