"""IAM on the emulator's port: roles, inline and managed policies, OIDC providers, the query
protocol's XML and errors, Marker pagination, access, the demo seed's roles and the state file."""
import json
import os
import sys
import tempfile
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ACCOUNT = harness.ACCOUNT
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
    "Action": "sts:AssumeRoleWithWebIdentity"}]})
S3_READ = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                              "Resource": "arn:aws:s3:::b/*"}]})


def error_of(root):
    root = harness.strip_ns(root)
    return root.findtext("Error/Code"), root.findtext("Error/Message"), root.findtext("Error/Type")


class Iam(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "5")
        cls.addClassCleanup(cls.emu.stop)

    def fail_with(self, action, params, code, status, **kw):
        s, h, root = self.emu.query("iam", action, params, **kw)
        self.assertEqual(s, status, (action, harness.xml_text(root)))
        self.assertEqual(h["content-type"], "text/xml")
        got = error_of(root)
        self.assertEqual(got[0], code, got)
        self.assertEqual(got[2], "Sender")
        return got[1]

    def role(self, name, trust=TRUST, **extra):
        return self.emu.iam("CreateRole", dict({"RoleName": name, "AssumeRolePolicyDocument": trust}, **extra))

    def test_role_life_cycle_and_errors(self):
        root = self.role("life-cycle", Description="made by a test", Path="/app/")
        self.assertEqual(root.tag, "CreateRoleResponse")
        self.assertEqual(root.findtext("CreateRoleResult/Role/Arn"), f"arn:aws:iam::{ACCOUNT}:role/app/life-cycle")
        self.assertRegex(root.findtext("CreateRoleResult/Role/RoleId"), r"^AROA[A-Z2-7]{17}$")
        self.assertRegex(root.findtext("CreateRoleResult/Role/CreateDate"), r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertTrue(root.findtext("ResponseMetadata/RequestId"))
        got = self.emu.iam("GetRole", {"RoleName": "life-cycle"})
        self.assertEqual(got.findtext("GetRoleResult/Role/Description"), "made by a test")
        msg = self.fail_with("CreateRole", {"RoleName": "LIFE-cycle", "AssumeRolePolicyDocument": TRUST},
                             "EntityAlreadyExists", 409)
        self.assertEqual(msg, "Role with name LIFE-cycle already exists.")
        self.emu.iam("PutRolePolicy", {"RoleName": "life-cycle", "PolicyName": "p", "PolicyDocument": S3_READ})
        self.assertIn("must delete policies first",
                      self.fail_with("DeleteRole", {"RoleName": "life-cycle"}, "DeleteConflict", 409))
        self.emu.iam("DeleteRolePolicy", {"RoleName": "life-cycle", "PolicyName": "p"})
        self.emu.iam("AttachRolePolicy", {"RoleName": "life-cycle",
                                          "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"})
        self.assertIn("must detach all policies first",
                      self.fail_with("DeleteRole", {"RoleName": "life-cycle"}, "DeleteConflict", 409))
        self.emu.iam("DetachRolePolicy", {"RoleName": "life-cycle",
                                          "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"})
        self.emu.iam("DeleteRole", {"RoleName": "life-cycle"})
        msg = self.fail_with("GetRole", {"RoleName": "life-cycle"}, "NoSuchEntity", 404)
        self.assertEqual(msg, "The role with name life-cycle cannot be found.")

    def test_faults_answer_in_iams_xml(self):
        self.addCleanup(self.emu.set_faults, "")
        self.emu.set_faults("throttle/GetRole,5xx:500/GetRole,error:AccessDenied/GetRole")
        s, h, root = self.emu.query("iam", "GetRole", {"RoleName": "MobileAuth"})
        self.assertEqual((s, h["content-type"], error_of(root)[:2]), (400, "text/xml", ("Throttling", "Rate exceeded")))
        s, _, root = self.emu.query("iam", "GetRole", {"RoleName": "MobileAuth"})
        self.assertEqual((s, error_of(root)[0], error_of(root)[2]), (500, "ServiceFailure", "Receiver"))
        s, _, root = self.emu.query("iam", "GetRole", {"RoleName": "MobileAuth"})
        self.assertEqual((s, error_of(root)[0]), (400, "AccessDenied"))
        self.emu.iam("GetRole", {"RoleName": "MobileAuth"})  # the rules are spent

    def test_policy_documents_go_out_url_encoded(self):
        self.role("encoded")
        self.emu.iam("PutRolePolicy", {"RoleName": "encoded", "PolicyName": "read", "PolicyDocument": S3_READ})
        body = urllib.parse.urlencode({"Action": "GetRolePolicy", "Version": "2010-05-08", "RoleName": "encoded",
                                       "PolicyName": "read"}).encode()
        h = harness.sigv4.sign("POST", self.emu.url + "/", {"Content-Type": "application/x-www-form-urlencoded"},
                               body, *harness.FULL_KEY, "us-east-1", "iam")
        status, _, data = self.emu.request("POST", "/", body, h)
        self.assertEqual(status, 200)
        self.assertIn(b"<PolicyDocument>%7B%22Version%22%3A%20%222012-10-17%22%2C%20", data)
        root = harness.strip_ns(__import__("xml.etree.ElementTree").etree.ElementTree.fromstring(data))
        self.assertEqual(json.loads(urllib.parse.unquote(root.findtext("GetRolePolicyResult/PolicyDocument"))),
                         json.loads(S3_READ))
        trust = self.emu.iam("GetRole", {"RoleName": "encoded"}).findtext("GetRoleResult/Role/AssumeRolePolicyDocument")
        self.assertEqual(json.loads(urllib.parse.unquote(trust)), json.loads(TRUST))

    def test_malformed_documents_are_refused_with_iams_words(self):
        cases = [
            ("trust", "{not json", "This policy contains invalid Json"),
            ("trust", json.dumps({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}),
             "Missing required field Principal"),
            ("trust", json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"Service": "x.amazonaws.com"},
                                                 "Action": "s3:GetObject"}]}),
             "AssumeRole policy may only specify STS AssumeRole actions."),
            ("trust", json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole",
                                                 "Resource": "*"}]}), "Has prohibited field Resource"),
            ("inline", json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*",
                                                  "Resource": "*"}]}),
             "Policy document should not specify a principal."),
            ("inline", json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:*"}]}),
             "Policy statement must contain resources."),
            ("inline", json.dumps({"Statement": [{"Effect": "Maybe", "Action": "s3:*", "Resource": "*"}]}),
             "Syntax errors in policy."),
            ("inline", json.dumps({"Version": "2001-01-01", "Statement": [{"Effect": "Allow", "Action": "s3:*",
                                                                           "Resource": "*"}]}),
             "The policy failed legacy parsing"),
            ("inline", json.dumps({"Statement": [{"Effect": "Allow", "Action": "GetObject", "Resource": "*"}]}),
             "Actions/Conditions must be prefaced by a vendor"),
        ]
        self.role("malformed")
        for kind, doc, words in cases:
            with self.subTest(doc=doc):
                if kind == "trust":
                    msg = self.fail_with("UpdateAssumeRolePolicy", {"RoleName": "malformed", "PolicyDocument": doc},
                                         "MalformedPolicyDocument", 400)
                else:
                    msg = self.fail_with("PutRolePolicy", {"RoleName": "malformed", "PolicyName": "x",
                                                           "PolicyDocument": doc}, "MalformedPolicyDocument", 400)
                self.assertIn(words, msg)

    def test_size_quotas(self):
        self.role("sizes")
        cond = {"StringEquals": {"cognito-identity.amazonaws.com:aud": ["us-east-1:" + "0" * 36] * 60}}
        big = json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                                         "Action": "sts:AssumeRoleWithWebIdentity", "Condition": cond}]})
        self.assertEqual(self.fail_with("UpdateAssumeRolePolicy", {"RoleName": "sizes", "PolicyDocument": big},
                                        "LimitExceeded", 409), "Cannot exceed quota for ACLSizePerRole: 2048")
        # white space does not count: the same small document padded with spaces is fine
        self.emu.iam("UpdateAssumeRolePolicy", {"RoleName": "sizes", "PolicyDocument": TRUST.replace(" ", " " * 200)})
        stmt = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + "b" * 3000}
        doc = json.dumps({"Statement": [stmt, stmt]})
        self.emu.iam("PutRolePolicy", {"RoleName": "sizes", "PolicyName": "one", "PolicyDocument": doc})
        msg = self.fail_with("PutRolePolicy", {"RoleName": "sizes", "PolicyName": "two", "PolicyDocument": doc},
                             "LimitExceeded", 409)
        self.assertEqual(msg, "Maximum policy size of 10240 bytes exceeded for role sizes")
        self.fail_with("CreatePolicy", {"PolicyName": "too-big", "PolicyDocument": doc}, "LimitExceeded", 409)

    def test_inline_policies_page_by_marker(self):
        self.role("paged")
        names = [f"policy-{i}" for i in range(5)]
        for n in reversed(names):
            self.emu.iam("PutRolePolicy", {"RoleName": "paged", "PolicyName": n, "PolicyDocument": S3_READ})
        got, marker, pages = [], None, 0
        while True:
            params = {"RoleName": "paged", "MaxItems": "2"}
            if marker:
                params["Marker"] = marker
            r = self.emu.iam("ListRolePolicies", params).find("ListRolePoliciesResult")
            got += [m.text for m in r.findall("PolicyNames/member")]
            pages += 1
            if r.findtext("IsTruncated") == "false":
                self.assertIsNone(r.find("Marker"))
                break
            self.assertEqual(r.findtext("IsTruncated"), "true")
            marker = r.findtext("Marker")
        self.assertEqual((got, pages), (names, 3))
        self.fail_with("ListRolePolicies", {"RoleName": "paged", "Marker": "forged"}, "InvalidInput", 400)
        self.assertIn("maxItems", self.fail_with("ListRolePolicies", {"RoleName": "paged", "MaxItems": "0"},
                                                 "ValidationError", 400))
        empty = self.role("no-policies") and self.emu.iam("ListRolePolicies", {"RoleName": "no-policies"})
        self.assertIsNotNone(empty.find("ListRolePoliciesResult/PolicyNames"))
        self.assertEqual(empty.findall("ListRolePoliciesResult/PolicyNames/member"), [])

    def test_managed_policies_versions_and_attachments(self):
        doc2 = S3_READ.replace("GetObject", "ListBucket")
        root = self.emu.iam("CreatePolicy", {"PolicyName": "team-read", "PolicyDocument": S3_READ, "Path": "/team/"})
        arn = root.findtext("CreatePolicyResult/Policy/Arn")
        self.assertEqual(arn, f"arn:aws:iam::{ACCOUNT}:policy/team/team-read")
        self.assertEqual(root.findtext("CreatePolicyResult/Policy/DefaultVersionId"), "v1")
        self.fail_with("CreatePolicy", {"PolicyName": "team-read", "PolicyDocument": S3_READ, "Path": "/team/"},
                       "EntityAlreadyExists", 409)
        v = self.emu.iam("CreatePolicyVersion", {"PolicyArn": arn, "PolicyDocument": doc2, "SetAsDefault": "true"})
        self.assertEqual(v.findtext("CreatePolicyVersionResult/PolicyVersion/VersionId"), "v2")
        self.assertEqual(self.emu.iam("GetPolicy", {"PolicyArn": arn}).findtext("GetPolicyResult/Policy/"
                                                                                "DefaultVersionId"), "v2")
        old = self.emu.iam("GetPolicyVersion", {"PolicyArn": arn, "VersionId": "v1"})
        self.assertEqual(old.findtext("GetPolicyVersionResult/PolicyVersion/IsDefaultVersion"), "false")
        self.assertEqual(json.loads(urllib.parse.unquote(old.findtext("GetPolicyVersionResult/PolicyVersion/Document"))),
                         json.loads(S3_READ))
        for _ in range(3):
            self.emu.iam("CreatePolicyVersion", {"PolicyArn": arn, "PolicyDocument": doc2})
        self.fail_with("CreatePolicyVersion", {"PolicyArn": arn, "PolicyDocument": doc2}, "LimitExceeded", 409)
        self.fail_with("GetPolicyVersion", {"PolicyArn": arn, "VersionId": "v9"}, "NoSuchEntity", 404)
        self.role("attached")
        self.emu.iam("AttachRolePolicy", {"RoleName": "attached", "PolicyArn": arn})
        self.emu.iam("AttachRolePolicy", {"RoleName": "attached", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"})
        r = self.emu.iam("ListAttachedRolePolicies", {"RoleName": "attached", "MaxItems": "1"})
        self.assertEqual(r.findtext("ListAttachedRolePoliciesResult/AttachedPolicies/member/PolicyArn"), arn)
        self.assertEqual(r.findtext("ListAttachedRolePoliciesResult/IsTruncated"), "true")
        r = self.emu.iam("ListAttachedRolePolicies", {"RoleName": "attached", "PathPrefix": "/team/"})
        self.assertEqual([m.findtext("PolicyName") for m in r.findall("ListAttachedRolePoliciesResult/"
                                                                       "AttachedPolicies/member")], ["team-read"])
        self.assertEqual(self.emu.iam("GetPolicy", {"PolicyArn": arn}).findtext("GetPolicyResult/Policy/"
                                                                                "AttachmentCount"), "1")
        self.fail_with("AttachRolePolicy", {"RoleName": "attached", "PolicyArn":
                                            f"arn:aws:iam::{ACCOUNT}:policy/missing"}, "NoSuchEntity", 404)
        self.fail_with("DetachRolePolicy", {"RoleName": "attached", "PolicyArn":
                                            "arn:aws:iam::aws:policy/AdministratorAccess"}, "NoSuchEntity", 404)

    def test_openid_connect_providers(self):
        arn = self.emu.iam("CreateOpenIDConnectProvider", {
            "Url": "https://issuer.example.com/tenant", "ClientIDList.member.1": "app-a",
            "ClientIDList.member.2": "app-b", "ThumbprintList.member.1": "a" * 40,
        }).findtext("CreateOpenIDConnectProviderResult/OpenIDConnectProviderArn")
        self.assertEqual(arn, f"arn:aws:iam::{ACCOUNT}:oidc-provider/issuer.example.com/tenant")
        got = self.emu.iam("GetOpenIDConnectProvider", {"OpenIDConnectProviderArn": arn})
        self.assertEqual(got.findtext("GetOpenIDConnectProviderResult/Url"), "issuer.example.com/tenant")
        self.assertEqual([m.text for m in got.findall("GetOpenIDConnectProviderResult/ClientIDList/member")],
                         ["app-a", "app-b"])
        arns = [m.findtext("Arn") for m in self.emu.iam("ListOpenIDConnectProviders").findall(
            "ListOpenIDConnectProvidersResult/OpenIDConnectProviderList/member")]
        self.assertIn(arn, arns)
        self.assertIn(f"arn:aws:iam::{ACCOUNT}:oidc-provider/login.partner.example.com", arns)  # the demo seed's
        self.fail_with("CreateOpenIDConnectProvider", {"Url": "https://issuer.example.com/tenant",
                                                       "ThumbprintList.member.1": "a" * 40}, "EntityAlreadyExists", 409)
        self.fail_with("CreateOpenIDConnectProvider", {"Url": "http://plain.example.com",
                                                       "ThumbprintList.member.1": "a" * 40}, "InvalidInput", 400)
        self.fail_with("GetOpenIDConnectProvider", {"OpenIDConnectProviderArn":
                                                    f"arn:aws:iam::{ACCOUNT}:oidc-provider/nowhere.example.com"},
                       "NoSuchEntity", 404)

    def test_access_region_version_and_validation(self):
        self.emu.iam("GetRole", {"RoleName": "MobileAuth"}, key=harness.READ_KEY)
        msg = self.fail_with("CreateRole", {"RoleName": "by-auditor", "AssumeRolePolicyDocument": TRUST},
                             "AccessDenied", 403, key=harness.READ_KEY)
        self.assertEqual(msg, f"User: arn:aws:iam::{ACCOUNT}:user/auditor is not authorized to perform: "
                              f"iam:CreateRole on resource: arn:aws:iam::{ACCOUNT}:role/by-auditor")
        self.fail_with("GetRole", {"RoleName": "MobileAuth"}, "SignatureDoesNotMatch", 403, region="eu-west-1")
        self.emu.iam("GetRole", {"RoleName": "MobileAuth"}, region="cn-north-1")  # the other partitions' globals
        self.fail_with("GetRole", {"RoleName": "MobileAuth"}, "InvalidClientTokenId", 403, key=("AKIANOPE", "x"))
        self.fail_with("GetRole", {"RoleName": "MobileAuth"}, "InvalidAction", 400, version="2011-06-15")
        self.fail_with("DeleteUser", {"UserName": "x"}, "InvalidAction", 400)
        msg = self.fail_with("GetRole", {"RoleName": "bad name!"}, "ValidationError", 400)
        self.assertIn("Value 'bad name!' at 'roleName' failed to satisfy constraint", msg)
        msg = self.fail_with("GetRole", {}, "ValidationError", 400)
        self.assertIn("Value null at 'roleName' failed to satisfy constraint: Member must not be null", msg)
        # STS still answers on the same port for its own scope
        s, _, root = self.emu.query("sts", "GetCallerIdentity")
        self.assertEqual((s, harness.strip_ns(root).findtext("GetCallerIdentityResult/Account")), (200, ACCOUNT))

    def test_demo_seed_roles_and_raw_roles(self):
        names = ["Cognito_bigpoolAuth_Role", "Cognito_bigpoolUnauth_Role", "DemoAdmin", "DemoGold", "DemoReadOnly",
                 "MobileAuth", "MobileGuestReadOnly", "MobileBeta", "PartnerAuth"]
        for n in names:
            trust = self.emu.iam("GetRole", {"RoleName": n}).findtext("GetRoleResult/Role/AssumeRolePolicyDocument")
            self.assertIn("cognito-identity.amazonaws.com", urllib.parse.unquote(trust), n)
        self.fail_with("GetRole", {"RoleName": "EscapeAuth"}, "NoSuchEntity", 404)
        hostile = json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}] * 10000})
        out = self.emu.control("POST", "/_emulator/iam/role", {"RoleName": "raw", "AssumeRolePolicyDocument": "{",
                                                               "InlinePolicies": {"huge": hostile}})
        self.assertEqual(out["Arn"], f"arn:aws:iam::{ACCOUNT}:role/raw")
        doc = self.emu.iam("GetRolePolicy", {"RoleName": "raw", "PolicyName": "huge"}).findtext(
            "GetRolePolicyResult/PolicyDocument")
        self.assertEqual(len(json.loads(urllib.parse.unquote(doc))["Statement"]), 10000)
        s, _, body = self.emu.request("POST", "/_emulator/iam/role", b'{"RoleName": "x y"}')
        self.assertEqual(s, 400)


class IamState(unittest.TestCase):
    def test_roles_survive_a_restart_with_state_and_reset_restores_the_seed(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "state.json")
            with harness.Emulator("--seed", "demo", "--identities", "3", "--state", path) as emu:
                emu.iam("CreateRole", {"RoleName": "kept", "AssumeRolePolicyDocument": TRUST})
            with open(path) as f:
                self.assertIn("kept", json.load(f)["iam"]["roles"])
            with harness.Emulator("--seed", "demo", "--state", path) as emu:  # the state wins over --seed
                emu.iam("GetRole", {"RoleName": "kept"})
                emu.reset()  # back to --seed
                s, _, root = emu.query("iam", "GetRole", {"RoleName": "kept"})
                self.assertEqual(s, 404)
                emu.iam("GetRole", {"RoleName": "MobileAuth"}, key=harness.READ_KEY)
            with open(path) as f:
                old = json.load(f)
            del old["iam"]  # a state file saved before the emulator had IAM
            with open(path, "w") as f:
                json.dump(old, f)
            with harness.Emulator("--seed", "demo", "--state", path) as emu:
                emu.iam("GetRole", {"RoleName": "MobileAuth"})  # the seed's roles, for the pools kept
            with harness.Emulator("--seed", "none") as emu:
                s, _, _ = emu.query("iam", "GetRole", {"RoleName": "MobileAuth"})
                self.assertEqual(s, 404)
                emu.iam("GetPolicy", {"PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})


if __name__ == "__main__":
    unittest.main()
