"""api/client.h against the Cognito Identity emulator (tests/emulator), through
build/ops-call: every operation, the read-only guard, one connection for all
pages, retries on the emulator's faults, clock skew, dry run, async calls."""
import json
import os
import subprocess
import sys
import time
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("COGNITO_TUI_BUILD", os.path.join(TOP, "build"))
sys.path.insert(0, os.path.join(TOP, "tests", "emulator"))
import harness  # noqa: E402

OPS_CALL = os.path.join(BUILD, "ops-call")
PURE_READS = {
    "DescribeIdentityPool", "DescribeIdentity", "ListIdentityPools", "ListIdentities",
    "GetIdentityPoolRoles", "ListTagsForResource", "LookupDeveloperIdentity",
    "GetPrincipalTagAttributeMap",
}
ROLE = "arn:aws:iam::123456789012:role/"


def line(verb, op, payload=None):
    return "%s %s %s\n" % (verb, op, json.dumps(payload if payload is not None else {}))


class ClientAgainstEmulator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "200")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.set_faults("")
        self.emu.clock(0)
        self.emu.reset_log()

    def run_script(self, script, *opts, read_only_key=False):
        p = subprocess.run([OPS_CALL, *opts, self.emu.url], input=script, capture_output=True,
                           text=True, env=self.emu.env(read_only=read_only_key), timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        return [json.loads(x) for x in p.stdout.splitlines() if x.strip()]

    def call(self, op, payload=None, *opts):
        return self.run_script(line("CALL", op, payload), *opts)[0]

    def ok(self, op, payload=None):
        r = self.call(op, payload)
        self.assertTrue(r["ok"], "%s: %s" % (op, r))
        self.assertTrue(r["request_id"], op)
        return r["output"]

    def test_every_operation(self):
        seen = set()

        def ok(op, payload):
            seen.add(op)
            return self.ok(op, payload)

        pool = ok("CreateIdentityPool", {
            "IdentityPoolName": "client-test", "AllowUnauthenticatedIdentities": True,
            "SupportedLoginProviders": {"graph.facebook.com": "1234"},
            "DeveloperProviderName": "login.client.test"})
        pid = pool["IdentityPoolId"]
        arn = "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/" + pid
        self.assertEqual(ok("DescribeIdentityPool", {"IdentityPoolId": pid})["IdentityPoolName"],
                         "client-test")
        upd = dict(pool, IdentityPoolTags={"team": "a"})
        self.assertEqual(ok("UpdateIdentityPool", upd)["IdentityPoolTags"], {"team": "a"})
        names = [p["IdentityPoolName"] for p in
                 ok("ListIdentityPools", {"MaxResults": 60})["IdentityPools"]]
        self.assertIn("client-test", names)
        # GetCredentialsForIdentity assumes these roles as STS would: they must exist and trust the pool.
        self.emu.cognito_role("Auth", pid)
        self.emu.cognito_role("Unauth", pid)
        ok("SetIdentityPoolRoles", {"IdentityPoolId": pid, "Roles": {
            "authenticated": ROLE + "Auth", "unauthenticated": ROLE + "Unauth"}})
        self.assertEqual(ok("GetIdentityPoolRoles", {"IdentityPoolId": pid})["Roles"]
                         ["authenticated"], ROLE + "Auth")
        ok("TagResource", {"ResourceArn": arn, "Tags": {"k": "v"}})
        self.assertEqual(ok("ListTagsForResource", {"ResourceArn": arn})["Tags"].get("k"), "v")
        ok("UntagResource", {"ResourceArn": arn, "TagKeys": ["k"]})
        self.assertNotIn("k", ok("ListTagsForResource", {"ResourceArn": arn})["Tags"])
        ok("SetPrincipalTagAttributeMap", {"IdentityPoolId": pid,
                                           "IdentityProviderName": "graph.facebook.com",
                                           "PrincipalTags": {"user": "sub"}})
        self.assertEqual(ok("GetPrincipalTagAttributeMap", {
            "IdentityPoolId": pid, "IdentityProviderName": "graph.facebook.com"})
            ["PrincipalTags"], {"user": "sub"})
        logins = {"graph.facebook.com": "fb-user-1"}
        iid = ok("GetId", {"IdentityPoolId": pid, "Logins": logins})["IdentityId"]
        creds = ok("GetCredentialsForIdentity", {"IdentityId": iid, "Logins": logins})
        self.assertTrue(creds["Credentials"]["AccessKeyId"])
        self.assertTrue(ok("GetOpenIdToken", {"IdentityId": iid, "Logins": logins})["Token"])
        dev = ok("GetOpenIdTokenForDeveloperIdentity", {
            "IdentityPoolId": pid, "Logins": {"login.client.test": "dev-1"}})
        dev2 = ok("GetOpenIdTokenForDeveloperIdentity", {
            "IdentityPoolId": pid, "Logins": {"login.client.test": "dev-2"}})
        found = ok("LookupDeveloperIdentity", {"IdentityPoolId": pid,
                                               "DeveloperUserIdentifier": "dev-1"})
        self.assertEqual(found["IdentityId"], dev["IdentityId"])
        merged = ok("MergeDeveloperIdentities", {
            "SourceUserIdentifier": "dev-2", "DestinationUserIdentifier": "dev-1",
            "DeveloperProviderName": "login.client.test", "IdentityPoolId": pid})
        self.assertEqual(merged["IdentityId"], dev["IdentityId"])
        self.assertNotEqual(dev2["IdentityId"], dev["IdentityId"])
        ok("UnlinkDeveloperIdentity", {
            "IdentityId": dev["IdentityId"], "IdentityPoolId": pid,
            "DeveloperProviderName": "login.client.test", "DeveloperUserIdentifier": "dev-1"})
        self.assertEqual(ok("DescribeIdentity", {"IdentityId": iid})["IdentityId"], iid)
        ids = [i["IdentityId"] for i in
               ok("ListIdentities", {"IdentityPoolId": pid, "MaxResults": 60})["Identities"]]
        self.assertIn(iid, ids)
        ok("UnlinkIdentity", {"IdentityId": iid, "Logins": logins,
                              "LoginsToRemove": ["graph.facebook.com"]})
        out = ok("DeleteIdentities", {"IdentityIdsToDelete": [iid]})
        self.assertEqual(out.get("UnprocessedIdentityIds", []), [])
        self.assertEqual(ok("DeleteIdentityPool", {"IdentityPoolId": pid}), {})
        self.assertEqual(len(seen), 23)
        # The four public operations went without an Authorization header.
        log = self.emu.requests()
        for r in log:
            if r["operation"] in ("GetId", "GetCredentialsForIdentity", "GetOpenIdToken",
                                  "UnlinkIdentity"):
                self.assertIn(r["access_key_id"], (None, ""), r["operation"])
            else:
                self.assertEqual(r["access_key_id"], harness.FULL_KEY[0], r["operation"])

    def test_read_only_guard_walk(self):
        pid = self.emu.pool_id("mobile-app")
        ident = self.emu.ok("ListIdentities", {"IdentityPoolId": pid, "MaxResults": 1})
        iid = ident["Identities"][0]["IdentityId"]
        arn = "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/" + pid
        inputs = {
            "CreateIdentityPool": {"IdentityPoolName": "x", "AllowUnauthenticatedIdentities": True},
            "DeleteIdentities": {"IdentityIdsToDelete": [iid]},
            "DeleteIdentityPool": {"IdentityPoolId": pid},
            "DescribeIdentity": {"IdentityId": iid},
            "DescribeIdentityPool": {"IdentityPoolId": pid},
            "GetCredentialsForIdentity": {"IdentityId": iid},
            "GetId": {"IdentityPoolId": pid},
            "GetIdentityPoolRoles": {"IdentityPoolId": pid},
            "GetOpenIdToken": {"IdentityId": iid},
            "GetOpenIdTokenForDeveloperIdentity": {"IdentityPoolId": pid,
                                                   "Logins": {"login.demo.app": "u"}},
            "GetPrincipalTagAttributeMap": {"IdentityPoolId": pid,
                                            "IdentityProviderName": "graph.facebook.com"},
            "ListIdentities": {"IdentityPoolId": pid, "MaxResults": 5},
            "ListIdentityPools": {"MaxResults": 5},
            "ListTagsForResource": {"ResourceArn": arn},
            "LookupDeveloperIdentity": {"IdentityPoolId": pid, "MaxResults": 5},
            "MergeDeveloperIdentities": {"SourceUserIdentifier": "a",
                                         "DestinationUserIdentifier": "b",
                                         "DeveloperProviderName": "login.demo.app",
                                         "IdentityPoolId": pid},
            "SetIdentityPoolRoles": {"IdentityPoolId": pid, "Roles": {}},
            "SetPrincipalTagAttributeMap": {"IdentityPoolId": pid,
                                            "IdentityProviderName": "graph.facebook.com"},
            "TagResource": {"ResourceArn": arn, "Tags": {"k": "v"}},
            "UnlinkDeveloperIdentity": {"IdentityId": iid, "IdentityPoolId": pid,
                                        "DeveloperProviderName": "login.demo.app",
                                        "DeveloperUserIdentifier": "u"},
            "UnlinkIdentity": {"IdentityId": iid, "Logins": {"graph.facebook.com": "t"},
                               "LoginsToRemove": ["graph.facebook.com"]},
            "UntagResource": {"ResourceArn": arn, "TagKeys": ["k"]},
            "UpdateIdentityPool": {"IdentityPoolId": pid, "IdentityPoolName": "x",
                                   "AllowUnauthenticatedIdentities": False},
        }
        self.assertEqual(len(inputs), 23)
        self.emu.reset_log()
        ops = sorted(inputs)
        script = "".join(line("CALL", op, inputs[op]) for op in ops)
        results = self.run_script(script, "--read-only")
        self.assertEqual(len(results), 23)
        creds_before = 0
        for op, r in zip(ops, results):
            if op in PURE_READS:
                # Sent and signed: a credentials fetch for it; the emulator may
                # answer with an error for made-up ids, but it did answer.
                self.assertNotEqual(r.get("kind"), "ReadOnly", op)
                self.assertEqual(r["creds"], creds_before + 1, op)
            else:
                self.assertFalse(r["ok"], op)
                self.assertEqual(r["kind"], "ReadOnly", op)
                self.assertEqual(r["exit"], 3, op)
                self.assertEqual(r["creds"], creds_before, op)  # nothing fetched, nothing signed
            creds_before = r["creds"]
        logged = sorted(r["operation"] for r in self.emu.requests())
        self.assertEqual(logged, sorted(PURE_READS))

    def test_export_pages_share_one_connection(self):
        pid = self.emu.pool_id("big-pool")
        self.emu.reset_log()
        r = self.run_script(line("PAGE", "ListIdentities", {"IdentityPoolId": pid,
                                                            "MaxResults": 60}))[0]
        self.assertTrue(r["ok"], r)
        self.assertEqual(r["output"]["items"], 200)
        self.assertEqual(r["output"]["pages"], 4)
        log = self.emu.requests()
        self.assertEqual(len(log), 4)
        self.assertEqual(len({x["connection_id"] for x in log}), 1, log)
        tokens = [x["input"].get("NextToken") for x in log]
        self.assertIsNone(tokens[0])
        self.assertEqual(len(set(tokens[1:])), 3)

    def test_throttling_retried(self):
        self.emu.set_faults("throttle*2")
        r = self.call("ListIdentityPools", {"MaxResults": 5}, "--random", "0")
        self.assertTrue(r["ok"], r)
        self.assertEqual([x["status"] for x in self.emu.requests()], [400, 400, 200])
        self.emu.reset_log()
        self.emu.set_faults("throttle*3")
        r = self.call("ListIdentityPools", {"MaxResults": 5}, "--random", "0")
        self.assertFalse(r["ok"])
        self.assertEqual((r["kind"], r["code"], r["exit"]), ("AWS", "TooManyRequestsException", 1))
        self.assertTrue(r["retryable"])
        self.assertEqual(len(self.emu.requests()), 3)
        self.emu.reset_log()
        self.emu.set_faults("throttle*4")
        r = self.call("ListIdentityPools", {"MaxResults": 5}, "--random", "0",
                      "--max-attempts", "5")
        self.assertTrue(r["ok"], r)
        self.assertEqual(len(self.emu.requests()), 5)

    def test_server_errors_retried(self):
        for spec in ("5xx*2", "5xx:503*2", "5xx:502*1", "html*2", "drop*1"):
            with self.subTest(spec=spec):
                self.emu.reset_log()
                self.emu.set_faults(spec)
                r = self.call("ListIdentityPools", {"MaxResults": 5}, "--random", "0")
                self.assertTrue(r["ok"], r)
                n = int(spec.split("*")[1])
                self.assertEqual(len(self.emu.requests()), n + 1)

    def test_not_retried(self):
        for spec, kind, code, status in (("error:LimitExceededException", "AWS",
                                          "LimitExceededException", 400),
                                         ("xml403", "HTTP", "AccessDeniedException", 403)):
            with self.subTest(spec=spec):
                self.emu.reset_log()
                self.emu.set_faults(spec)
                r = self.call("ListIdentityPools", {"MaxResults": 5}, "--random", "0")
                self.assertFalse(r["ok"])
                self.assertEqual((r["kind"], r["code"], r["status"]), (kind, code, status))
                self.assertFalse(r["retryable"])
                self.assertEqual(len(self.emu.requests()), 1)

    def test_bad_answers(self):
        cases = (
            ("html*3", "HTTP", 502, "HTML page", 1),
            ("oversize*1", "Transport", 200, "16 MiB", 4),
            ("badjson*1", "HTTP", 200, "JSON", 1),
            ("truncate*1", "HTTP", 200, "truncated JSON", 1),
            ("xml403*1", "HTTP", 403, "Access denied by policy", 1),
        )
        for spec, kind, status, words, exit_code in cases:
            with self.subTest(spec=spec):
                self.emu.set_faults(spec)
                r = self.call("ListIdentityPools", {"MaxResults": 5}, "--random", "0")
                self.assertFalse(r["ok"], r)
                self.assertEqual((r["kind"], r["status"], r["exit"]), (kind, status, exit_code), r)
                self.assertIn(words, r["message"])

    def test_content_type_is_not_trusted_or_required(self):
        # A JSON answer under text/plain is still the answer (botocore does not
        # look at Content-Type either); what decides is the body.
        self.emu.set_faults("content-type*1")
        r = self.call("ListIdentityPools", {"MaxResults": 5})
        self.assertTrue(r["ok"], r)
        self.assertIn("IdentityPools", r["output"])

    def test_slow_answer_times_out_and_is_retried(self):
        self.emu.set_faults("delay:1500*1")
        r = self.call("ListIdentityPools", {"MaxResults": 5}, "--timeout-ms", "400",
                      "--random", "0")
        self.assertTrue(r["ok"], r)
        # The emulator logs a request once it has answered: the slow one last.
        deadline = time.time() + 5
        while len(self.emu.requests()) < 2 and time.time() < deadline:
            time.sleep(0.05)
        self.assertEqual(len(self.emu.requests()), 2)

    def test_clock_skew_corrected(self):
        # The emulator runs 10 minutes ahead: the first signature is too old.
        self.emu.clock(600)
        r = self.call("ListIdentityPools", {"MaxResults": 5})
        self.assertTrue(r["ok"], r)
        log = self.emu.requests()
        self.assertEqual([x["status"] for x in log], [400, 200])
        self.assertEqual(log[0]["error_code"], "InvalidSignatureException")
        # Same with our own clock 10 minutes behind instead.
        self.emu.clock(0)
        self.emu.reset_log()
        r = self.call("ListIdentityPools", {"MaxResults": 5}, "--skew", "-600")
        self.assertTrue(r["ok"], r)
        self.assertEqual(len(self.emu.requests()), 2)
        # Two minutes off is within the service's window: no retry needed.
        self.emu.reset_log()
        r = self.call("ListIdentityPools", {"MaxResults": 5}, "--skew", "-120")
        self.assertTrue(r["ok"], r)
        self.assertEqual(len(self.emu.requests()), 1)

    def test_dry_run_sends_nothing(self):
        r = self.run_script(line("DRY", "GetId", {"IdentityPoolId": "us-east-1:abc",
                                                  "Logins": {"graph.facebook.com": "tok"}}))[0]
        self.assertTrue(r["ok"], r)
        self.assertIn("X-Amz-Target: AWSCognitoIdentityService.GetId", r["text"])
        self.assertNotIn("Authorization", r["text"])
        self.assertNotIn('"tok"', r["text"])
        r = self.run_script(line("DRY", "ListIdentityPools", {"MaxResults": 1}))[0]
        self.assertIn("Signature=***REDACTED***", r["text"])
        self.assertNotIn(harness.FULL_KEY[1], r["text"])
        self.assertEqual(self.emu.requests(), [])

    def test_async_concurrent_calls(self):
        results = self.run_script("ASYNC 6 ListIdentityPools {\"MaxResults\": 3}\n")
        self.assertEqual(len(results), 6)
        self.assertTrue(all(r["ok"] for r in results), results)
        self.assertEqual(len({r["request_id"] for r in results}), 6)
        self.assertEqual(len(self.emu.requests()), 6)

    def test_service_refusals_are_aws_errors(self):
        r = self.run_script(line("CALL", "CreateIdentityPool", {
            "IdentityPoolName": "x", "AllowUnauthenticatedIdentities": True}),
            read_only_key=True)[0]
        self.assertFalse(r["ok"])
        self.assertEqual((r["kind"], r["code"], r["exit"]), ("AWS", "AccessDeniedException", 1))
        self.assertTrue(r["request_id"])
        r = self.call("DescribeIdentityPool", {"IdentityPoolId": "us-east-1:00000000-0000-0000-"
                                                                 "0000-000000000000"})
        self.assertEqual((r["kind"], r["code"]), ("AWS", "ResourceNotFoundException"))
        # Invalid input never reaches the service.
        self.emu.reset_log()
        r = self.call("DescribeIdentityPool", {"IdentityPoolId": "no colon"})
        self.assertEqual((r["kind"], r["field"], r["exit"]), ("InvalidInput", "IdentityPoolId", 2))
        self.assertEqual(self.emu.requests(), [])


if __name__ == "__main__":
    unittest.main()
