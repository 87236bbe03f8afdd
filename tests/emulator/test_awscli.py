"""The real client against the emulator: Debian's AWS CLI v2 (/usr/bin/aws) for all 23 operations,
pagination and the main errors, asserting what the CLI prints.

The CLI takes about a second to start, so the calls run in a few parallel
chains in setUpClass; each test then checks its own results.
"""
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

AWS = "/usr/bin/aws"
ROLE = "arn:aws:iam::123456789012:role/"
ARN = "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/"


class Result:
    def __init__(self, p):
        self.rc = p.returncode
        self.out = p.stdout
        self.err = p.stderr
        try:
            self.json = json.loads(p.stdout) if p.stdout.strip() else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return f"<rc={self.rc} out={self.out[:300]!r} err={self.err[:300]!r}>"


@unittest.skipUnless(os.path.exists(AWS), "no /usr/bin/aws")
class AwsCli(unittest.TestCase):
    r = {}

    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "130")
        cls.home = __import__("tempfile").mkdtemp()
        cls.big = cls.emu.pool_id("big-pool")
        cls.mobile = cls.emu.pool_id("mobile-app")
        cls.empty = cls.emu.pool_id("empty-pool")
        ids = cls.emu.ok("ListIdentities", {"IdentityPoolId": cls.mobile, "MaxResults": 10})["Identities"]
        cls.mobile_first = ids[0]["IdentityId"]
        try:
            with concurrent.futures.ThreadPoolExecutor(6) as ex:
                for f in [ex.submit(fn) for fn in (cls.chain_pool, cls.chain_public, cls.chain_developer,
                                                   cls.chain_reads, cls.chain_errors, cls.chain_iam,
                                                   cls.chain_refusals)]:
                    f.result()
        except Exception:
            cls.emu.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()
        shutil.rmtree(cls.home, ignore_errors=True)

    @classmethod
    def aws(cls, name, *args, key=harness.FULL_KEY, env=None, timeout=60, service="cognito-identity"):
        e = cls.emu.env()
        e.update({"AWS_ACCESS_KEY_ID": key[0], "AWS_SECRET_ACCESS_KEY": key[1], "AWS_DEFAULT_OUTPUT": "json",
                  "AWS_MAX_ATTEMPTS": "1", "AWS_RETRY_MODE": "standard", "HOME": cls.home})
        e.pop("AWS_ENDPOINT_URL_COGNITO_IDENTITY", None)  # the CLI is pointed with --endpoint-url below
        e.update(env or {})
        # A generous read timeout: six CLIs start at once on a machine that may be busy.
        p = subprocess.run([AWS, "--endpoint-url", cls.emu.url, "--cli-read-timeout", "60", service]
                           + list(args), capture_output=True, text=True, env=e, timeout=timeout)
        r = Result(p)
        cls.r[name] = r
        return r

    # -- chains (run concurrently in setUpClass) ---------------------------------------
    @classmethod
    def chain_pool(cls):
        p = cls.aws("create", "create-identity-pool", "--identity-pool-name", "cli pool",
                    "--allow-unauthenticated-identities", "--supported-login-providers", "graph.facebook.com=12345",
                    "--developer-provider-name", "login.cli", "--identity-pool-tags", "team=cli")
        pid = (p.json or {}).get("IdentityPoolId", "us-east-1:missing")
        cls.cli_pool = pid
        cls.aws("update", "update-identity-pool", "--identity-pool-id", pid, "--identity-pool-name", "cli pool 2",
                "--no-allow-unauthenticated-identities", "--supported-login-providers", "accounts.google.com=abc",
                "--developer-provider-name", "login.cli")
        cls.aws("set-roles", "set-identity-pool-roles", "--identity-pool-id", pid, "--roles",
                f"authenticated={ROLE}CliAuth", "--role-mappings", json.dumps({"accounts.google.com": {
                    "Type": "Rules", "AmbiguousRoleResolution": "Deny", "RulesConfiguration": {"Rules": [
                        {"Claim": "hd", "MatchType": "Equals", "Value": "corp.example", "RoleARN": ROLE + "Corp"}]}}}))
        cls.aws("get-roles", "get-identity-pool-roles", "--identity-pool-id", pid)
        cls.aws("tag", "tag-resource", "--resource-arn", ARN + pid, "--tags", "env=test,owner=cli")
        cls.aws("untag", "untag-resource", "--resource-arn", ARN + pid, "--tag-keys", "owner")
        cls.aws("tags", "list-tags-for-resource", "--resource-arn", ARN + pid)
        cls.aws("set-ptags", "set-principal-tag-attribute-map", "--identity-pool-id", pid,
                "--identity-provider-name", "accounts.google.com", "--no-use-defaults", "--principal-tags",
                "dept=hd")
        cls.aws("get-ptags", "get-principal-tag-attribute-map", "--identity-pool-id", pid,
                "--identity-provider-name", "accounts.google.com")
        cls.aws("delete-pool", "delete-identity-pool", "--identity-pool-id", pid)
        cls.aws("describe-deleted", "describe-identity-pool", "--identity-pool-id", pid)

    @classmethod
    def chain_public(cls):
        g = cls.aws("get-id", "get-id", "--identity-pool-id", cls.mobile, "--logins",
                    "www.amazon.com=amzn-user-cli", "--no-sign-request")
        iid = (g.json or {}).get("IdentityId", "us-east-1:missing")
        cls.public_id = iid
        cls.aws("get-creds", "get-credentials-for-identity", "--identity-id", iid, "--logins",
                "www.amazon.com=amzn-user-cli", "--no-sign-request")
        cls.aws("get-oidc", "get-open-id-token", "--identity-id", iid, "--logins", "www.amazon.com=amzn-user-cli",
                "--no-sign-request")
        cls.aws("link-more", "get-id", "--identity-pool-id", cls.mobile, "--logins",
                "www.amazon.com=amzn-user-cli,appleid.apple.com=apple-cli", "--no-sign-request")
        cls.aws("unlink", "unlink-identity", "--identity-id", iid, "--logins", "www.amazon.com=amzn-user-cli",
                "--logins-to-remove", "appleid.apple.com", "--no-sign-request")
        cls.aws("describe-after-unlink", "describe-identity", "--identity-id", iid)

    @classmethod
    def chain_developer(cls):
        a = cls.aws("dev-token", "get-open-id-token-for-developer-identity", "--identity-pool-id", cls.mobile,
                    "--logins", "login.mobile.app=cli-dev-a", "--token-duration", "300")
        cls.dev_a = (a.json or {}).get("IdentityId", "us-east-1:missing")
        b = cls.aws("dev-token-b", "get-open-id-token-for-developer-identity", "--identity-pool-id", cls.mobile,
                    "--logins", "login.mobile.app=cli-dev-b")
        cls.dev_b = (b.json or {}).get("IdentityId", "us-east-1:missing")
        cls.aws("merge", "merge-developer-identities", "--source-user-identifier", "cli-dev-b",
                "--destination-user-identifier", "cli-dev-a", "--developer-provider-name", "login.mobile.app",
                "--identity-pool-id", cls.mobile)
        cls.aws("lookup-merged", "lookup-developer-identity", "--identity-pool-id", cls.mobile, "--identity-id",
                cls.dev_a)
        cls.aws("unlink-dev", "unlink-developer-identity", "--identity-id", cls.dev_a, "--identity-pool-id",
                cls.mobile, "--developer-provider-name", "login.mobile.app", "--developer-user-identifier",
                "cli-dev-b")
        cls.aws("delete-ids", "delete-identities", "--identity-ids-to-delete", cls.dev_a,
                "us-east-1:00000000-0000-4000-8000-000000000000")

    @classmethod
    def chain_reads(cls):
        cls.aws("pools", "list-identity-pools", "--max-results", "60")
        cls.aws("describe-pool", "describe-identity-pool", "--identity-pool-id", cls.big)
        p1 = cls.aws("ids-1", "list-identities", "--identity-pool-id", cls.big, "--max-results", "60")
        tok = (p1.json or {}).get("NextToken", "missing")
        p2 = cls.aws("ids-2", "list-identities", "--identity-pool-id", cls.big, "--max-results", "60",
                     "--next-token", tok)
        tok = (p2.json or {}).get("NextToken", "missing")
        cls.aws("ids-3", "list-identities", "--identity-pool-id", cls.big, "--max-results", "60", "--next-token",
                tok)
        cls.aws("describe-id", "describe-identity", "--identity-id", cls.mobile_first)
        cls.aws("lookup", "lookup-developer-identity", "--identity-pool-id", cls.mobile,
                "--developer-user-identifier", "device-000", "--max-results", "10")
        pt = cls.aws("pools-page", "list-identity-pools", "--max-results", "2")
        cls.aws("pools-page-2", "list-identity-pools", "--max-results", "2", "--next-token",
                (pt.json or {}).get("NextToken", "missing"))

    @classmethod
    def chain_errors(cls):
        cls.aws("e-notfound", "describe-identity-pool", "--identity-pool-id", "us-east-1:00000000-dead")
        cls.aws("e-validation", "describe-identity-pool", "--identity-pool-id", "not_a_pool_id")
        cls.aws("e-unauth", "get-id", "--identity-pool-id", cls.empty, "--no-sign-request")
        cls.aws("e-readonly", "delete-identity-pool", "--identity-pool-id", cls.big, key=harness.READ_KEY)
        cls.aws("e-readonly-read", "describe-identity-pool", "--identity-pool-id", cls.big, key=harness.READ_KEY)
        cls.aws("e-secret", "list-identity-pools", "--max-results", "5", key=(harness.FULL_KEY[0], "wrong"))
        cls.aws("e-key", "list-identity-pools", "--max-results", "5", key=("AKIANOTAKEY000000000", "x"))
        cls.aws("e-token", "list-identities", "--identity-pool-id", cls.big, "--max-results", "5",
                "--next-token", "forged-token")

    @classmethod
    def chain_refusals(cls):
        """Issue 10's refusals as the CLI shows them."""
        esc = cls.emu.pool_id("escape-tests")
        dev = cls.emu.ok("GetOpenIdTokenForDeveloperIdentity", {"IdentityPoolId": cls.mobile,
                                                                "Logins": {"login.mobile.app": "cli-refusals"}})
        cls.aws("r-cognito-token", "get-id", "--identity-pool-id", cls.mobile, "--logins",
                f"cognito-identity.amazonaws.com={dev['Token']}", "--no-sign-request")
        big_guest = cls.emu.ok("GetId", {"IdentityPoolId": cls.big}, sign=False)["IdentityId"]
        cls.aws("r-classic", "get-open-id-token", "--identity-id", big_guest, "--no-sign-request")
        cls.aws("r-mapping", "set-identity-pool-roles", "--identity-pool-id", cls.empty, "--roles",
                f"authenticated={ROLE}Auth", "--role-mappings", json.dumps({"accounts.google.com": {
                    "Type": "Token", "AmbiguousRoleResolution": "Deny"}}))
        cls.aws("r-role-name", "set-identity-pool-roles", "--identity-pool-id", cls.empty, "--roles",
                "authenticated=my-stack-SomeRole-KBKHTR8P6UC2")
        guest = cls.emu.ok("GetId", {"IdentityPoolId": esc}, sign=False)["IdentityId"]
        cls.aws("r-trust", "get-credentials-for-identity", "--identity-id", guest, "--no-sign-request")
        cls.aws("r-pool-id-as-arn", "list-tags-for-resource", "--resource-arn", cls.big)
        c = cls.emu.ok("GetCredentialsForIdentity", {"IdentityId": big_guest}, sign=False)["Credentials"]
        cls.aws("r-vended", "list-identity-pools", "--max-results", "5", env={
            "AWS_ACCESS_KEY_ID": c["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": c["SecretKey"],
            "AWS_SESSION_TOKEN": c["SessionToken"]})

    @classmethod
    def iam(cls, name, *args, **kw):
        return cls.aws(name, *args, service="iam", **kw)

    @classmethod
    def chain_iam(cls):
        trust = json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": cls.big}}}]})
        read = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                                   "Resource": "arn:aws:s3:::cli/*"}]})
        cls.iam("i-create-role", "create-role", "--role-name", "CliRole", "--assume-role-policy-document", trust,
                "--description", "made by the CLI")
        cls.iam("i-get-role", "get-role", "--role-name", "CliRole")
        cls.iam("i-update-trust", "update-assume-role-policy", "--role-name", "CliRole", "--policy-document",
                trust.replace("StringEquals", "StringLike"))
        for i in range(3):
            cls.iam(f"i-put-{i}", "put-role-policy", "--role-name", "CliRole", "--policy-name", f"inline-{i}",
                    "--policy-document", read)
        cls.iam("i-get-inline", "get-role-policy", "--role-name", "CliRole", "--policy-name", "inline-1")
        cls.iam("i-list-inline", "list-role-policies", "--role-name", "CliRole", "--page-size", "1")
        cls.iam("i-create-policy", "create-policy", "--policy-name", "CliPolicy", "--policy-document", read)
        arn = f"arn:aws:iam::{harness.ACCOUNT}:policy/CliPolicy"
        cls.iam("i-create-version", "create-policy-version", "--policy-arn", arn, "--policy-document",
                read.replace("GetObject", "ListBucket"), "--set-as-default")
        cls.iam("i-get-policy", "get-policy", "--policy-arn", arn)
        cls.iam("i-get-version", "get-policy-version", "--policy-arn", arn, "--version-id", "v2")
        cls.iam("i-attach", "attach-role-policy", "--role-name", "CliRole", "--policy-arn", arn)
        cls.iam("i-attach-aws", "attach-role-policy", "--role-name", "CliRole", "--policy-arn",
                "arn:aws:iam::aws:policy/ReadOnlyAccess")
        cls.iam("i-list-attached", "list-attached-role-policies", "--role-name", "CliRole", "--page-size", "1")
        cls.iam("e-i-delete-conflict", "delete-role", "--role-name", "CliRole")
        cls.iam("i-detach", "detach-role-policy", "--role-name", "CliRole", "--policy-arn", arn)
        cls.iam("i-delete-inline", "delete-role-policy", "--role-name", "CliRole", "--policy-name", "inline-0")
        cls.iam("i-oidc", "create-open-id-connect-provider", "--url", "https://cli.example.com", "--client-id-list",
                "cli-app", "--thumbprint-list", "0" * 40)
        cls.iam("i-oidc-get", "get-open-id-connect-provider", "--open-id-connect-provider-arn",
                f"arn:aws:iam::{harness.ACCOUNT}:oidc-provider/cli.example.com")
        cls.iam("i-oidc-list", "list-open-id-connect-providers")
        cls.iam("e-i-nosuch", "get-role", "--role-name", "NoSuchRole")
        cls.iam("e-i-malformed", "put-role-policy", "--role-name", "CliRole", "--policy-name", "bad",
                "--policy-document", '{"Statement": [{"Effect": "Allow", "Action": "s3:*"}]}')
        cls.iam("e-i-exists", "create-role", "--role-name", "CliRole", "--assume-role-policy-document", trust)
        cls.iam("e-i-readonly", "delete-role", "--role-name", "MobileAuth", key=harness.READ_KEY)
        cls.iam("i-readonly-read", "get-role", "--role-name", "MobileAuth", key=harness.READ_KEY)

    # -- checks -------------------------------------------------------------------------
    def ok(self, name):
        r = self.r[name]
        self.assertEqual(r.rc, 0, f"{name}: {r!r}")
        return r.json

    def error(self, name, code, op):
        r = self.r[name]
        self.assertNotEqual(r.rc, 0, f"{name}: {r!r}")
        self.assertIn(f"An error occurred ({code}) when calling the {op} operation", r.err)
        return r.err

    def test_create_update_describe_delete_pool(self):
        self.assertEqual(self.ok("create")["IdentityPoolName"], "cli pool")
        self.assertEqual(self.ok("create")["IdentityPoolTags"], {"team": "cli"})
        u = self.ok("update")
        self.assertEqual(u["IdentityPoolName"], "cli pool 2")
        self.assertFalse(u["AllowUnauthenticatedIdentities"])
        self.assertEqual(u["SupportedLoginProviders"], {"accounts.google.com": "abc"})
        self.assertEqual(self.r["delete-pool"].out.strip(), "")
        self.ok("delete-pool")
        self.error("describe-deleted", "ResourceNotFoundException", "DescribeIdentityPool")

    def test_roles_tags_principal_tags(self):
        self.ok("set-roles")
        roles = self.ok("get-roles")
        self.assertEqual(roles["Roles"], {"authenticated": ROLE + "CliAuth"})
        self.assertEqual(roles["RoleMappings"]["accounts.google.com"]["RulesConfiguration"]["Rules"][0]["Value"],
                         "corp.example")
        self.ok("tag")
        self.ok("untag")
        self.assertEqual(self.ok("tags")["Tags"], {"team": "cli", "env": "test"})
        self.assertEqual(self.ok("set-ptags")["PrincipalTags"], {"dept": "hd"})
        got = self.ok("get-ptags")
        self.assertEqual((got["UseDefaults"], got["PrincipalTags"]), (False, {"dept": "hd"}))

    def test_public_operations(self):
        iid = self.ok("get-id")["IdentityId"]
        self.assertTrue(iid.startswith("us-east-1:"))
        c = self.ok("get-creds")
        self.assertEqual(c["IdentityId"], iid)
        self.assertTrue(c["Credentials"]["AccessKeyId"].startswith("ASIA"))
        self.assertIn("SessionToken", c["Credentials"])
        self.assertIn("Expiration", c["Credentials"])  # the CLI parsed the epoch timestamp
        self.assertEqual(self.ok("get-oidc")["Token"].count("."), 2)
        self.assertEqual(self.ok("link-more")["IdentityId"], iid)
        self.ok("unlink")
        self.assertEqual(self.ok("describe-after-unlink")["Logins"], ["www.amazon.com"])

    def test_developer_operations(self):
        a = self.ok("dev-token")
        self.assertEqual(a["Token"].count("."), 2)
        self.ok("dev-token-b")
        self.assertNotEqual(self.dev_a, self.dev_b)
        self.assertEqual(self.ok("merge")["IdentityId"], self.dev_a)
        self.assertEqual(sorted(self.ok("lookup-merged")["DeveloperUserIdentifierList"]), ["cli-dev-a", "cli-dev-b"])
        self.ok("unlink-dev")
        out = self.ok("delete-ids")
        self.assertEqual(out["UnprocessedIdentityIds"], [{"IdentityId": "us-east-1:00000000-0000-4000-8000-000000000000",
                                                          "ErrorCode": "AccessDenied"}])

    def test_reads_and_pagination(self):
        names = [p["IdentityPoolName"] for p in self.ok("pools")["IdentityPools"]]
        for n in ("big-pool", "mobile-app", "partner-portal", "empty-pool", "escape-tests"):
            self.assertIn(n, names)
        self.assertEqual(self.ok("describe-pool")["IdentityPoolName"], "big-pool")
        p1, p2, p3 = self.ok("ids-1"), self.ok("ids-2"), self.ok("ids-3")
        self.assertEqual((len(p1["Identities"]), len(p2["Identities"])), (60, 60))
        self.assertNotIn("NextToken", p3)
        ids = [i["IdentityId"] for p in (p1, p2, p3) for i in p["Identities"]]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(len(ids), 130)
        self.assertEqual(len(p3["Identities"]), 10)
        self.assertEqual(self.ok("describe-id")["IdentityId"], self.mobile_first)
        self.assertEqual(len(self.ok("lookup")["DeveloperUserIdentifierList"]), 10)
        self.assertIn("NextToken", self.ok("lookup"))
        page1, page2 = self.ok("pools-page"), self.ok("pools-page-2")
        self.assertEqual(len(page1["IdentityPools"]), 2)
        self.assertEqual(len(page2["IdentityPools"]), 2)
        self.assertFalse({p["IdentityPoolId"] for p in page1["IdentityPools"]}
                         & {p["IdentityPoolId"] for p in page2["IdentityPools"]})

    def test_errors_as_the_cli_prints_them(self):
        self.assertIn("IdentityPool 'us-east-1:00000000-dead' not found.",
                      self.error("e-notfound", "ResourceNotFoundException", "DescribeIdentityPool"))
        self.assertIn("Value 'not_a_pool_id' at 'identityPoolId' failed to satisfy constraint",
                      self.error("e-validation", "ValidationException", "DescribeIdentityPool"))
        self.assertIn("Unauthenticated access is not supported for this identity pool.",
                      self.error("e-unauth", "NotAuthorizedException", "GetId"))
        self.assertIn("is not authorized to perform: cognito-identity:DeleteIdentityPool",
                      self.error("e-readonly", "AccessDeniedException", "DeleteIdentityPool"))
        self.ok("e-readonly-read")
        self.error("e-secret", "InvalidSignatureException", "ListIdentityPools")
        self.assertIn("The security token included in the request is invalid.",
                      self.error("e-key", "UnrecognizedClientException", "ListIdentityPools"))
        self.error("e-token", "InvalidParameterException", "ListIdentities")

    def test_iam_roles_policies_and_oidc_providers(self):
        role = self.ok("i-create-role")["Role"]
        self.assertEqual(role["Arn"], f"arn:aws:iam::{harness.ACCOUNT}:role/CliRole")
        got = self.ok("i-get-role")["Role"]
        self.assertEqual(got["Description"], "made by the CLI")
        # the CLI decodes IAM's URL-encoded documents back into JSON
        self.assertEqual(got["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
                         {"Federated": "cognito-identity.amazonaws.com"})
        self.assertEqual(self.r["i-update-trust"].out.strip(), "")
        self.ok("i-update-trust")
        self.assertEqual(self.ok("i-get-inline")["PolicyDocument"]["Statement"][0]["Action"], "s3:GetObject")
        # --page-size 1: the CLI followed Marker through three pages
        self.assertEqual(self.ok("i-list-inline")["PolicyNames"], ["inline-0", "inline-1", "inline-2"])
        self.assertEqual(self.ok("i-create-policy")["Policy"]["DefaultVersionId"], "v1")
        self.assertEqual(self.ok("i-create-version")["PolicyVersion"]["VersionId"], "v2")
        self.assertEqual(self.ok("i-get-policy")["Policy"]["DefaultVersionId"], "v2")
        v = self.ok("i-get-version")["PolicyVersion"]
        self.assertTrue(v["IsDefaultVersion"])
        self.assertEqual(v["Document"]["Statement"][0]["Action"], "s3:ListBucket")
        self.ok("i-attach")
        self.ok("i-attach-aws")
        self.assertEqual([p["PolicyName"] for p in self.ok("i-list-attached")["AttachedPolicies"]],
                         ["CliPolicy", "ReadOnlyAccess"])
        self.assertIn("Cannot delete entity, must delete policies first.",
                      self.error("e-i-delete-conflict", "DeleteConflict", "DeleteRole"))
        self.ok("i-detach")
        self.ok("i-delete-inline")
        self.assertEqual(self.ok("i-oidc")["OpenIDConnectProviderArn"],
                         f"arn:aws:iam::{harness.ACCOUNT}:oidc-provider/cli.example.com")
        self.assertEqual(self.ok("i-oidc-get")["ClientIDList"], ["cli-app"])
        self.assertIn({"Arn": f"arn:aws:iam::{harness.ACCOUNT}:oidc-provider/cli.example.com"},
                      self.ok("i-oidc-list")["OpenIDConnectProviderList"])
        pages = [r for r in self.emu.requests() if r["operation"] == "ListRolePolicies"]
        self.assertEqual(len(pages), 3)
        self.assertEqual([("Marker" in r["input"]) for r in pages], [False, True, True])

    def test_iam_errors_as_the_cli_prints_them(self):
        self.assertIn("The role with name NoSuchRole cannot be found.",
                      self.error("e-i-nosuch", "NoSuchEntity", "GetRole"))
        self.assertIn("Policy statement must contain resources.",
                      self.error("e-i-malformed", "MalformedPolicyDocument", "PutRolePolicy"))
        self.assertIn("Role with name CliRole already exists.",
                      self.error("e-i-exists", "EntityAlreadyExists", "CreateRole"))
        self.assertIn("is not authorized to perform: iam:DeleteRole",
                      self.error("e-i-readonly", "AccessDenied", "DeleteRole"))
        self.assertEqual(self.ok("i-readonly-read")["Role"]["RoleName"], "MobileAuth")

    def test_refusals_as_the_cli_prints_them(self):
        self.assertIn("Invalid login token. Can't pass in a Cognito token.",
                      self.error("r-cognito-token", "NotAuthorizedException", "GetId"))
        self.assertIn("Basic (classic) flow is not enabled, please use enhanced flow.",
                      self.error("r-classic", "InvalidParameterException", "GetOpenIdToken"))
        self.assertIn("(accounts.google.com) is not a valid RoleMapping ProviderName or is not a configured provider.",
                      self.error("r-mapping", "InvalidParameterException", "SetIdentityPoolRoles"))
        self.assertIn("Access to Role 'my-stack-SomeRole-KBKHTR8P6UC2' is forbidden.",
                      self.error("r-role-name", "NotAuthorizedException", "SetIdentityPoolRoles"))
        self.assertIn("Invalid identity pool configuration. Check assigned IAM roles for this pool.",
                      self.error("r-trust", "InvalidIdentityPoolConfigurationException", "GetCredentialsForIdentity"))
        # IAM's denials carry `Message`: the CLI prints it all the same
        self.assertIn(f"cognito-identity:ListTagsForResource on resource: {self.big}",
                      self.error("r-pool-id-as-arn", "AccessDeniedException", "ListTagsForResource"))
        self.assertIn("assumed-role/Cognito_bigpoolUnauth_Role/CognitoIdentityCredentials is not authorized to "
                      "perform: cognito-identity:ListIdentityPools on resource: "
                      "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/",
                      self.error("r-vended", "AccessDeniedException", "ListIdentityPools"))

    def test_all_23_operations_were_driven(self):
        seen = {r["operation"] for r in self.emu.requests() if r["status"] == 200}
        model_ops = set(json.load(open(os.path.join(harness.HERE, "model", "service-2.json")))["operations"])
        self.assertEqual(len(model_ops), 23)
        self.assertEqual(model_ops - seen, set())


@unittest.skipUnless(os.path.exists(AWS), "no /usr/bin/aws")
class AwsCliFaults(unittest.TestCase):
    """How the CLI reports the faults (AWS_MAX_ATTEMPTS=1 so nothing is retried)."""

    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "none")
        cls.home = __import__("tempfile").mkdtemp()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()
        shutil.rmtree(cls.home, ignore_errors=True)

    def run_cli(self, spec, *extra):
        self.emu.set_faults(spec)
        e = self.emu.env()
        e.update({"AWS_MAX_ATTEMPTS": "1", "AWS_RETRY_MODE": "standard", "HOME": self.home})
        return subprocess.run([AWS, "--endpoint-url", self.emu.url] + list(extra) + [
            "cognito-identity", "list-identity-pools", "--max-results", "5"], capture_output=True, text=True, env=e,
            timeout=60)

    def test_quota_throttling_after_the_clis_retries(self):
        # ListIdentityPools at 25 x 0.002 = 0.05 a second: one request, then every retry the CLI makes
        # within its backoff (standard mode: well under 20 s) finds the bucket empty.
        self.emu.set_faults("")
        self.emu.control("POST", "/_emulator/quotas", {"mode": "aws", "scale": 0.002})
        try:
            self.emu.reset_log()
            first = self.run_cli("")
            once = self.run_cli("")
            e = self.emu.env()
            e.update({"AWS_MAX_ATTEMPTS": "3", "AWS_RETRY_MODE": "standard", "HOME": self.home})
            thrice = subprocess.run([AWS, "--endpoint-url", self.emu.url, "cognito-identity", "list-identity-pools",
                                     "--max-results", "5"], capture_output=True, text=True, env=e, timeout=120)
            log = self.emu.requests()
        finally:
            self.emu.control("POST", "/_emulator/quotas", {"mode": "off"})
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertNotEqual(once.returncode, 0)
        self.assertIn("An error occurred (TooManyRequestsException) when calling the ListIdentityPools operation "
                      "(reached max retries: 0): Rate exceeded", once.stderr)
        self.assertNotEqual(thrice.returncode, 0)
        self.assertIn("(reached max retries: 2): Rate exceeded", thrice.stderr)
        self.assertEqual([(r["status"], r["quota"]) for r in log], [(200, False)] + [(400, True)] * 4)
        self.assertEqual({r["error_code"] for r in log[1:]}, {"TooManyRequestsException"})

    def test_throttle_and_timeout(self):
        with concurrent.futures.ThreadPoolExecutor(2) as ex:
            throttled = ex.submit(self.run_cli, "throttle*1", "--cli-read-timeout", "5")
            throttled = throttled.result()
            slow = ex.submit(self.run_cli, "delay:3000*1", "--cli-read-timeout", "1").result()
        self.assertNotEqual(throttled.returncode, 0)
        self.assertIn("An error occurred (TooManyRequestsException) when calling the ListIdentityPools operation",
                      throttled.stderr)
        self.assertIn("Rate exceeded", throttled.stderr)
        self.assertNotEqual(slow.returncode, 0)
        self.assertIn("Read timeout on endpoint URL", slow.stderr)


if __name__ == "__main__":
    unittest.main()
