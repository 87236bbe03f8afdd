"""`cognito-tui call` against the emulator: every one of the 23 operations,
the input forms, --dry-run, read-only mode and the journal."""
import json
import os
import tempfile
import unittest

from clitools import ACCOUNT, REGION, EmulatorCase, harness, one_error_line

PUBLIC = {"GetId", "GetCredentialsForIdentity", "GetOpenIdToken", "UnlinkIdentity"}
ROLE_AUTH = f"arn:aws:iam::{ACCOUNT}:role/cli-auth"
ROLE_UNAUTH = f"arn:aws:iam::{ACCOUNT}:role/cli-unauth"


def model_operations():
    path = os.path.join(harness.HERE, "model", "service-2.json")
    with open(path, encoding="utf-8") as f:
        return set(json.load(f)["operations"])


class CallTest(EmulatorCase):
    IDENTITIES = 30

    def test_every_operation(self):
        """All 23 operations go out through `call` and succeed; the four public
        ones carry no Authorization credential, the others the caller's key."""
        cli, emu = self.cli, self.emu
        journal_before = len(cli.journal())
        pool = cli.ok("CreateIdentityPool", {
            "IdentityPoolName": "cli every op", "AllowUnauthenticatedIdentities": True,
            "DeveloperProviderName": "login.cli.test",
            "SupportedLoginProviders": {"graph.facebook.com": "1234567890"}})
        pid = pool["IdentityPoolId"]
        self.assertEqual(pool["IdentityPoolName"], "cli every op")
        self.assertEqual(cli.ok("DescribeIdentityPool", {"IdentityPoolId": pid})["IdentityPoolId"], pid)
        upd = dict(pool, AllowClassicFlow=True)
        upd.pop("IdentityPoolTags", None)
        self.assertTrue(cli.ok("UpdateIdentityPool", upd)["AllowClassicFlow"])
        names = [p["IdentityPoolId"] for p in cli.ok("ListIdentityPools", {"MaxResults": 60})["IdentityPools"]]
        self.assertIn(pid, names)
        # GetCredentialsForIdentity assumes these roles as STS would: they must exist and trust the pool.
        for arn in (ROLE_AUTH, ROLE_UNAUTH):
            self.emu.cognito_role(arn.rsplit("/", 1)[1], pid)
        cli.ok("SetIdentityPoolRoles", {"IdentityPoolId": pid,
                                        "Roles": {"authenticated": ROLE_AUTH, "unauthenticated": ROLE_UNAUTH}})
        self.assertEqual(cli.ok("GetIdentityPoolRoles", {"IdentityPoolId": pid})["Roles"]["unauthenticated"], ROLE_UNAUTH)

        unauth = cli.ok("GetId", {"IdentityPoolId": pid, "AccountId": ACCOUNT})["IdentityId"]
        creds = cli.ok("GetCredentialsForIdentity", {"IdentityId": unauth})
        self.assertEqual(creds["IdentityId"], unauth)
        self.assertTrue(creds["Credentials"]["AccessKeyId"].startswith("ASIA"))
        self.assertIn("Token", cli.ok("GetOpenIdToken", {"IdentityId": unauth}))

        dev1 = cli.ok("GetOpenIdTokenForDeveloperIdentity",
                      {"IdentityPoolId": pid, "Logins": {"login.cli.test": "user-1"}})["IdentityId"]
        cli.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": pid, "Logins": {"login.cli.test": "user-2"}})
        found = cli.ok("LookupDeveloperIdentity", {"IdentityPoolId": pid, "DeveloperUserIdentifier": "user-1",
                                                   "MaxResults": 10})
        self.assertEqual(found["IdentityId"], dev1)
        merged = cli.ok("MergeDeveloperIdentities", {
            "SourceUserIdentifier": "user-2", "DestinationUserIdentifier": "user-1",
            "DeveloperProviderName": "login.cli.test", "IdentityPoolId": pid})
        self.assertEqual(merged["IdentityId"], dev1)
        cli.ok("UnlinkDeveloperIdentity", {"IdentityId": dev1, "IdentityPoolId": pid,
                                           "DeveloperProviderName": "login.cli.test",
                                           "DeveloperUserIdentifier": "user-1"})
        self.assertEqual(cli.ok("DescribeIdentity", {"IdentityId": unauth})["IdentityId"], unauth)
        listed = cli.ok("ListIdentities", {"IdentityPoolId": pid, "MaxResults": 60})
        self.assertIn(unauth, [i["IdentityId"] for i in listed["Identities"]])

        fb = cli.ok("GetId", {"IdentityPoolId": pid, "Logins": {"graph.facebook.com": "fb-user-1"}})["IdentityId"]
        cli.ok("UnlinkIdentity", {"IdentityId": fb, "Logins": {"graph.facebook.com": "fb-user-1"},
                                  "LoginsToRemove": ["graph.facebook.com"]})
        self.assertEqual(cli.ok("DescribeIdentity", {"IdentityId": fb}).get("Logins", []), [])

        cli.ok("SetPrincipalTagAttributeMap", {"IdentityPoolId": pid, "IdentityProviderName": "graph.facebook.com",
                                               "UseDefaults": False, "PrincipalTags": {"dept": "custom:dept"}})
        ptm = cli.ok("GetPrincipalTagAttributeMap", {"IdentityPoolId": pid,
                                                     "IdentityProviderName": "graph.facebook.com"})
        self.assertEqual(ptm["PrincipalTags"], {"dept": "custom:dept"})

        arn = f"arn:aws:cognito-identity:{REGION}:{ACCOUNT}:identitypool/{pid}"
        cli.ok("TagResource", {"ResourceArn": arn, "Tags": {"team": "cli", "env": "test"}})
        cli.ok("UntagResource", {"ResourceArn": arn, "TagKeys": ["env"]})
        self.assertEqual(cli.ok("ListTagsForResource", {"ResourceArn": arn})["Tags"], {"team": "cli"})

        out = cli.ok("DeleteIdentities", {"IdentityIdsToDelete": [unauth]})
        self.assertEqual(out.get("UnprocessedIdentityIds", []), [])
        cli.ok("DeleteIdentityPool", {"IdentityPoolId": pid})
        r = cli.call("DescribeIdentityPool", {"IdentityPoolId": pid})
        one_error_line(self, r, 1, "ResourceNotFoundException", "request id")

        log = emu.requests()
        seen = {e["operation"] for e in log if e["status"] == 200 and e["operation"] != "CreateRole"}  # IAM set-up
        self.assertEqual(seen, model_operations())
        self.assertEqual(len(seen), 23)
        for e in log:
            if e["operation"] in PUBLIC:
                self.assertIsNone(e["access_key_id"], e)
            else:
                self.assertEqual(e["access_key_id"], harness.FULL_KEY[0], e)

        # The journal got the mutating calls, not the reads, and no secret.
        entries = cli.journal()[journal_before:]
        ops = [e.get("operation") for e in entries]
        for op in ("CreateIdentityPool", "SetIdentityPoolRoles", "TagResource", "DeleteIdentityPool"):
            self.assertIn(op, ops)
        for op in ("DescribeIdentityPool", "ListIdentityPools", "ListTagsForResource"):
            self.assertNotIn(op, ops)
        text = json.dumps(entries)
        self.assertNotIn("fb-user-1", text)
        self.assertNotIn(harness.FULL_KEY[1], text)
        self.assertNotIn(creds["Credentials"]["SecretKey"], text)

    def test_input_from_file_and_stdin(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"MaxResults": 2}, f)
        try:
            out = self.cli.ok("ListIdentityPools", "@" + f.name)
            self.assertEqual(len(out["IdentityPools"]), 2)
        finally:
            os.unlink(f.name)
        r = self.cli.run("call", "ListIdentityPools", "-", stdin=b'{"MaxResults": 3}')
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(len(r.json()["IdentityPools"]), 3)
        self.assertEqual([e["input"]["MaxResults"] for e in self.emu.requests()], [2, 3])

    def test_global_options_after_the_verb(self):
        env = self.cli.env()
        env.pop("AWS_ENDPOINT_URL_COGNITO_IDENTITY")
        r = self.cli.run("call", "ListIdentityPools", '{"MaxResults": 1}', "--endpoint-url", self.emu.url,
                         "--region", REGION, env=env)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(len(r.json()["IdentityPools"]), 1)

    def test_dry_run_sends_nothing_and_redacts(self):
        token = "FwoGZXIvYXdzEXAMPLE-session-token-for-dry-run"
        env = self.cli.env(extra={"AWS_SESSION_TOKEN": token})
        r = self.cli.run("call", "CreateIdentityPool",
                         '{"IdentityPoolName": "dry", "AllowUnauthenticatedIdentities": false}', "--dry-run", env=env)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(self.emu.requests(), [])
        self.assertIn("POST", r.out)
        self.assertIn("AWSCognitoIdentityService.CreateIdentityPool", r.out)
        self.assertIn('"IdentityPoolName"', r.out)
        self.assertIn(harness.FULL_KEY[0], r.out)  # the key id is not a secret
        self.assertNotIn(harness.FULL_KEY[1], r.out)
        self.assertNotIn(token, r.out)
        auth = [line for line in r.out.splitlines() if line.lower().startswith("authorization:")]
        self.assertEqual(len(auth), 1, r.out)
        sig = auth[0].split("Signature=", 1)[1] if "Signature=" in auth[0] else ""
        self.assertFalse(len(sig) == 64 and all(c in "0123456789abcdef" for c in sig), auth[0])
        # A public operation is not signed at all.
        r = self.cli.run("call", "GetId", '{"IdentityPoolId": "us-east-1:0123abcd"}', "--dry-run", env=env)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("AWSCognitoIdentityService.GetId", r.out)
        self.assertNotIn("authorization:", r.out.lower())
        self.assertNotIn(token, r.out)
        self.assertEqual(self.emu.requests(), [])

    def test_read_only_refuses_mutations_before_sending(self):
        r = self.cli.call("CreateIdentityPool", {"IdentityPoolName": "ro", "AllowUnauthenticatedIdentities": False},
                          "--read-only")
        one_error_line(self, r, 3, "CreateIdentityPool")
        r = self.cli.call("GetId", {"IdentityPoolId": self.emu.pool_id("big-pool")},
                          env=self.cli.env(extra={"COGNITO_TUI_READ_ONLY": "1"}))
        one_error_line(self, r, 3)
        self.assertEqual([e for e in self.emu.requests() if e["operation"] != "ListIdentityPools"], [])
        self.emu.reset_log()
        out = self.cli.ok("ListIdentityPools", {"MaxResults": 1}, "--read-only")
        self.assertEqual(len(out["IdentityPools"]), 1)
        self.assertEqual(len(self.emu.requests()), 1)

    def test_public_operations_need_no_credentials(self):
        env = self.cli.env()
        del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
        out = self.cli.ok("GetId", {"IdentityPoolId": self.emu.pool_id("big-pool")}, env=env)
        self.assertTrue(out["IdentityId"].startswith(REGION + ":"))
        r = self.cli.call("ListIdentityPools", {"MaxResults": 1}, env=env)
        one_error_line(self, r, 5, "Credentials")
        self.assertEqual([e["operation"] for e in self.emu.requests()], ["ListIdentityPools", "GetId"])

    def test_journal_failure_is_a_warning(self):
        env = self.cli.env(extra={"XDG_STATE_HOME": "/dev/null/not-a-folder"})
        r = self.cli.call("TagResource", {"ResourceArn": self.arn("big-pool"), "Tags": {"j": "1"}}, env=env)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.json(), {})
        lines = r.err.strip().split("\n")
        self.assertEqual(len(lines), 1, r)
        self.assertTrue(lines[0].startswith("cognito-tui: Warning: "), r)
        self.assertIn("journal", lines[0])
        self.assertEqual([e["operation"] for e in self.emu.requests()][-1], "TagResource")

    def arn(self, name):
        return f"arn:aws:cognito-identity:{REGION}:{ACCOUNT}:identitypool/{self.emu.pool_id(name)}"

    def test_server_side_deny_is_an_aws_error(self):
        r = self.cli.call("CreateIdentityPool", {"IdentityPoolName": "x", "AllowUnauthenticatedIdentities": False},
                          read_only_key=True)
        one_error_line(self, r, 1, "AccessDeniedException", "request id")

    def test_list_names_the_23_operations(self):
        r = self.cli.run("call", "--list")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(set(r.out.split()), model_operations())

    def test_help_and_version(self):
        r = self.cli.run("--help")
        self.assertEqual(r.rc, 0, r)
        for word in ("call", "export", "pool-backup", "--read-only", "Exit codes"):
            self.assertIn(word, r.out)
        r = self.cli.run("--version")
        self.assertEqual(r.rc, 0, r)
        self.assertTrue(r.out.startswith("cognito-tui "), r)


if __name__ == "__main__":
    unittest.main()
