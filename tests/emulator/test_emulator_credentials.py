"""The credential endpoints (issue 7): STS, IAM Identity Center portal and OIDC, ECS, IMDSv2.

Where a real client can reach them it is used: the AWS CLI for STS, the
container provider and IMDS; botocore (the CLI's library) for SSO and SSO-OIDC.
Credentials they hand out must work on the Cognito side with their session token.
"""
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import unittest.mock
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import sigv4  # noqa: E402

AWS = "/usr/bin/aws"
NS = {"s": "https://sts.amazonaws.com/doc/2011-06-15/"}
ROLE = "arn:aws:iam::123456789012:role/"

try:
    import botocore.session
    from botocore import UNSIGNED
    from botocore.config import Config
except ImportError:  # pragma: no cover
    botocore = None


def sts_request(emu, params, key=harness.FULL_KEY, sign=True, session_token=None, when=None):
    body = urllib.parse.urlencode(dict(params, Version="2011-06-15")).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    if sign:
        headers = sigv4.sign("POST", emu.url + "/", headers, body, key[0], key[1], "us-east-1", "sts",
                             session_token=session_token, when=when)
    status, h, data = emu.request("POST", "/", body, headers)
    return status, h, ET.fromstring(data)


def creds_from(root, action):
    c = root.find(f"s:{action}Result/s:Credentials", NS)
    return {k: c.find(f"s:{k}", NS).text for k in ("AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration")}


def error_code(root):
    return root.find("s:Error/s:Code", NS).text


class STS(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "10")
        cls.pool = cls.emu.pool_id("big-pool")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def tearDown(self):
        self.emu.clock(0)
        self.emu.control("POST", "/_emulator/settings", {"credential_duration_seconds": 3600})
        self.emu.control("POST", "/_emulator/reset")

    def cognito_with(self, c, op="DescribeIdentityPool", when=None):
        return self.emu.call(op, {"IdentityPoolId": self.pool}, key=(c["AccessKeyId"], c["SecretAccessKey"]),
                             session_token=c["SessionToken"], when=when)

    def test_assume_role_credentials_work_on_cognito_with_their_token(self):
        s, h, root = sts_request(self.emu, {"Action": "AssumeRole", "RoleArn": ROLE + "Admin",
                                            "RoleSessionName": "tester"})
        self.assertEqual((s, h["content-type"]), (200, "text/xml"))
        c = creds_from(root, "AssumeRole")
        self.assertTrue(c["AccessKeyId"].startswith("ASIA"))
        arn = root.find("s:AssumeRoleResult/s:AssumedRoleUser/s:Arn", NS).text
        self.assertEqual(arn, "arn:aws:sts::123456789012:assumed-role/Admin/tester")
        self.assertEqual(self.cognito_with(c)[0], 200)
        s, _, b = self.emu.call("DescribeIdentityPool", {"IdentityPoolId": self.pool},
                                key=(c["AccessKeyId"], c["SecretAccessKey"]))
        self.assertEqual(b["__type"], "UnrecognizedClientException")
        s, _, root = sts_request(self.emu, {"Action": "GetCallerIdentity"}, key=(c["AccessKeyId"],
                                 c["SecretAccessKey"]), session_token=c["SessionToken"])
        self.assertEqual(root.find("s:GetCallerIdentityResult/s:Arn", NS).text, arn)
        self.assertEqual(root.find("s:GetCallerIdentityResult/s:Account", NS).text, "123456789012")

    def test_read_only_role(self):
        s, _, root = sts_request(self.emu, {"Action": "AssumeRole", "RoleArn": ROLE + "AuditReadOnly",
                                            "RoleSessionName": "aud"})
        c = creds_from(root, "AssumeRole")
        self.assertEqual(self.cognito_with(c)[0], 200)
        s, _, b = self.cognito_with(c, op="DeleteIdentityPool")
        self.assertEqual(b["__type"], "AccessDeniedException")

    def test_signature_failures_in_query_protocol_codes(self):
        s, _, root = sts_request(self.emu, {"Action": "AssumeRole", "RoleArn": ROLE + "A", "RoleSessionName": "x1"},
                                 sign=False)
        self.assertEqual((s, error_code(root)), (403, "MissingAuthenticationToken"))
        s, _, root = sts_request(self.emu, {"Action": "GetCallerIdentity"}, key=(harness.FULL_KEY[0], "bad"))
        self.assertEqual((s, error_code(root)), (403, "SignatureDoesNotMatch"))
        s, _, root = sts_request(self.emu, {"Action": "GetCallerIdentity"}, key=("AKIANOSUCHKEY0000000", "x"))
        self.assertEqual((s, error_code(root)), (403, "InvalidClientTokenId"))
        s, _, root = sts_request(self.emu, {"Action": "GetCallerIdentity"}, when=time.time() - 1000)
        self.assertEqual(error_code(root), "SignatureDoesNotMatch")
        self.assertIn("Signature expired", root.find("s:Error/s:Message", NS).text)

    def test_parameters_checked(self):
        for params, code in (({"RoleSessionName": "x1"}, "ValidationError"),
                             ({"RoleArn": ROLE + "A"}, "ValidationError"),
                             ({"RoleArn": ROLE + "A", "RoleSessionName": "x1", "DurationSeconds": "899"},
                              "ValidationError"),
                             ({"RoleArn": ROLE + "A", "RoleSessionName": "x1", "DurationSeconds": "43201"},
                              "ValidationError"),
                             ({"RoleArn": "arn:aws:iam::999999999999:role/A", "RoleSessionName": "x1"},
                              "AccessDenied"),
                             ({"RoleArn": ROLE + "Vendor-external", "RoleSessionName": "x1"}, "AccessDenied"),
                             ({"RoleArn": ROLE + "Vendor-external", "RoleSessionName": "x1", "ExternalId": "nope"},
                              "AccessDenied"),
                             ({"RoleArn": ROLE + "NeedsMfa", "RoleSessionName": "x1"}, "AccessDenied"),
                             ({"RoleArn": ROLE + "NeedsMfa", "RoleSessionName": "x1", "SerialNumber":
                               "arn:aws:iam::123456789012:mfa/me", "TokenCode": "000000"}, "AccessDenied")):
            s, _, root = sts_request(self.emu, dict(params, Action="AssumeRole"))
            self.assertEqual(error_code(root), code, params)
        for extra in ({"RoleArn": ROLE + "Vendor-external", "ExternalId": "emulator-external-id"},
                      {"RoleArn": ROLE + "NeedsMfa", "SerialNumber": "arn:aws:iam::123456789012:mfa/me",
                       "TokenCode": "123456"}):
            s, _, root = sts_request(self.emu, dict(extra, Action="AssumeRole", RoleSessionName="ok-session"))
            self.assertEqual(s, 200, extra)
        s, _, root = sts_request(self.emu, {"Action": "Explode"})
        self.assertEqual(error_code(root), "InvalidAction")

    def test_duration_and_expiry(self):
        s, _, root = sts_request(self.emu, {"Action": "AssumeRole", "RoleArn": ROLE + "A", "RoleSessionName": "d1",
                                            "DurationSeconds": "900"})
        c = creds_from(root, "AssumeRole")
        import datetime

        exp = datetime.datetime.strptime(c["Expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc).timestamp()
        self.assertAlmostEqual(exp - time.time(), 900, delta=30)
        self.emu.clock(901)
        s, _, b = self.cognito_with(c, when=time.time() + 901)
        self.assertEqual(b["__type"], "ExpiredTokenException")
        self.emu.clock(0)
        self.emu.control("POST", "/_emulator/settings", {"credential_duration_seconds": 5})
        s, _, root = sts_request(self.emu, {"Action": "AssumeRole", "RoleArn": ROLE + "A", "RoleSessionName": "d2"})
        c = creds_from(root, "AssumeRole")
        exp = datetime.datetime.strptime(c["Expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc).timestamp()
        self.assertLess(exp - time.time(), 10)

    def test_web_identity(self):
        import jwt

        token = ".".join([jwt.b64url(b'{"alg":"none"}'), jwt.b64url(json.dumps(
            {"sub": "ci-job-7", "aud": "sts.amazonaws.com", "iss": "https://token.actions.example.com",
             "exp": time.time() + 600}).encode()), "sig"])
        params = {"Action": "AssumeRoleWithWebIdentity", "RoleArn": ROLE + "CiDeploy", "RoleSessionName": "ci",
                  "WebIdentityToken": token}
        s, _, root = sts_request(self.emu, params, sign=False)
        self.assertEqual(s, 200)
        res = root.find("s:AssumeRoleWithWebIdentityResult", NS)
        self.assertEqual(res.find("s:SubjectFromWebIdentityToken", NS).text, "ci-job-7")
        self.assertEqual(res.find("s:Provider", NS).text, "token.actions.example.com")
        self.assertEqual(self.cognito_with(creds_from(root, "AssumeRoleWithWebIdentity"))[0], 200)
        s, _, root = sts_request(self.emu, dict(params, WebIdentityToken="invalid"), sign=False)
        self.assertEqual((s, error_code(root)), (400, "InvalidIdentityToken"))
        old = ".".join([jwt.b64url(b'{"alg":"none"}'), jwt.b64url(b'{"sub":"x","exp":1000}'), "sig"])
        s, _, root = sts_request(self.emu, dict(params, WebIdentityToken=old), sign=False)
        self.assertEqual((s, error_code(root)), (400, "ExpiredTokenException"))

    def test_faults_reach_sts_by_operation(self):
        self.emu.set_faults("throttle*1/AssumeRole")
        status, _, data = self.emu.request("POST", "/", urllib.parse.urlencode(
            {"Action": "AssumeRole", "Version": "2011-06-15"}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 400)
        self.assertEqual(self.emu.requests()[-1]["operation"], "AssumeRole")


@unittest.skipIf(botocore is None, "botocore not installed")
class IdentityCenter(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "10")
        session = botocore.session.get_session()
        cfg = Config(signature_version=UNSIGNED, retries={"max_attempts": 1})
        cls.sso = session.create_client("sso", region_name="us-east-1", endpoint_url=cls.emu.url, config=cfg)
        cls.oidc = session.create_client("sso-oidc", region_name="us-east-1", endpoint_url=cls.emu.url, config=cfg)

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def role_creds(self, token):
        return self.sso.get_role_credentials(roleName="AdministratorAccess", accountId="123456789012",
                                             accessToken=token)["roleCredentials"]

    def test_portal_credentials_work_on_cognito(self):
        c = self.role_creds("emulator-sso-token")
        self.assertAlmostEqual(c["expiration"] / 1000 - time.time(), 3600, delta=60)
        pool = self.emu.pool_id("big-pool")
        s, _, _ = self.emu.call("DescribeIdentityPool", {"IdentityPoolId": pool},
                                key=(c["accessKeyId"], c["secretAccessKey"]), session_token=c["sessionToken"])
        self.assertEqual(s, 200)

    def test_unknown_and_registered_and_expired_tokens(self):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.role_creds("not-a-token")
        self.assertEqual(cm.exception.response["Error"]["Code"], "UnauthorizedException")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 401)
        self.emu.control("POST", "/_emulator/sso-tokens", {"token": "my-token"})
        self.assertIn("accessKeyId", self.role_creds("my-token"))
        self.emu.control("POST", "/_emulator/sso-tokens", {"token": "short-token", "expires_in": 60})
        self.role_creds("short-token")
        self.emu.clock(61)
        try:
            with self.assertRaises(botocore.exceptions.ClientError):
                self.role_creds("short-token")
        finally:
            self.emu.clock(0)

    def test_oidc_refresh(self):
        out = self.oidc.create_token(clientId="cid", clientSecret="csecret", grantType="refresh_token",
                                     refreshToken="emulator-refresh-token")
        self.assertEqual(out["tokenType"], "Bearer")
        self.assertGreater(out["expiresIn"], 0)
        self.assertIn("accessKeyId", self.role_creds(out["accessToken"]))
        again = self.oidc.create_token(clientId="cid", clientSecret="csecret", grantType="refresh_token",
                                       refreshToken=out["refreshToken"])
        self.assertNotEqual(again["accessToken"], out["accessToken"])
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.oidc.create_token(clientId="cid", clientSecret="csecret", grantType="refresh_token",
                                   refreshToken="stolen")
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidGrantException")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.oidc.create_token(clientId="cid", clientSecret="invalid", grantType="refresh_token",
                                   refreshToken="emulator-refresh-token")
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidClientException")
        log = [r for r in self.emu.requests() if r["operation"] == "CreateToken"]
        self.assertNotIn("emulator-refresh-token", json.dumps(log))  # secrets are masked in the log


class Metadata(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "10")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def test_ecs(self):
        s, h, data = self.emu.request("GET", "/_ecs/creds", headers={"Authorization": "emulator-ecs-token"})
        self.assertEqual(s, 200)
        c = json.loads(data)
        self.assertEqual(set(c), {"AccessKeyId", "SecretAccessKey", "Token", "Expiration", "RoleArn"})
        self.assertRegex(c["Expiration"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(self.emu.call("ListIdentityPools", {"MaxResults": 1}, key=(c["AccessKeyId"],
                         c["SecretAccessKey"]), session_token=c["Token"])[0], 200)
        self.assertEqual(self.emu.request("GET", "/_ecs/creds")[0], 401)
        self.assertEqual(self.emu.request("GET", "/_ecs/creds", headers={"Authorization": "x"})[0], 403)

    def test_imds_v2(self):
        s, _, tok = self.emu.request("PUT", "/latest/api/token", headers={"X-aws-ec2-metadata-token-ttl-seconds": "60"})
        self.assertEqual(s, 200)
        tok = tok.decode()
        s, _, role = self.emu.request("GET", "/latest/meta-data/iam/security-credentials/",
                                      headers={"X-aws-ec2-metadata-token": tok})
        self.assertEqual((s, role), (200, b"emulator-ec2-role"))
        s, _, data = self.emu.request("GET", "/latest/meta-data/iam/security-credentials/emulator-ec2-role",
                                      headers={"X-aws-ec2-metadata-token": tok})
        c = json.loads(data)
        self.assertEqual(c["Code"], "Success")
        self.assertEqual(self.emu.call("ListIdentityPools", {"MaxResults": 1}, key=(c["AccessKeyId"],
                         c["SecretAccessKey"]), session_token=c["Token"])[0], 200)
        # IMDSv1 (no token), a bad TTL, an unknown role, an expired token
        self.assertEqual(self.emu.request("GET", "/latest/meta-data/iam/security-credentials/")[0], 401)
        self.assertEqual(self.emu.request("PUT", "/latest/api/token")[0], 400)
        self.assertEqual(self.emu.request("PUT", "/latest/api/token",
                                          headers={"X-aws-ec2-metadata-token-ttl-seconds": "21601"})[0], 400)
        self.assertEqual(self.emu.request("GET", "/latest/meta-data/iam/security-credentials/other",
                                          headers={"X-aws-ec2-metadata-token": tok})[0], 404)
        self.emu.clock(61)
        try:
            self.assertEqual(self.emu.request("GET", "/latest/meta-data/iam/security-credentials/",
                                              headers={"X-aws-ec2-metadata-token": tok})[0], 401)
        finally:
            self.emu.clock(0)

    def test_imds_v1_only_when_allowed(self):
        path = "/latest/meta-data/iam/security-credentials/"
        self.assertEqual(self.emu.request("GET", path)[0], 401)
        self.emu.settings(imds_allow_v1=True)
        try:
            self.assertEqual(self.emu.request("GET", path), (200, unittest.mock.ANY, b"emulator-ec2-role"))
            self.assertEqual(self.emu.request("GET", path, headers={"X-aws-ec2-metadata-token": "made-up"})[0], 401)
        finally:
            self.emu.settings(imds_allow_v1=False)

    def test_imds_token_put_answered_403_by_fault(self):
        self.emu.set_faults("status:403*1/IMDSToken")
        s, _, _ = self.emu.request("PUT", "/latest/api/token", headers={"X-aws-ec2-metadata-token-ttl-seconds": "60"})
        self.assertEqual(s, 403)
        s, _, _ = self.emu.request("PUT", "/latest/api/token", headers={"X-aws-ec2-metadata-token-ttl-seconds": "60"})
        self.assertEqual(s, 200)


@unittest.skipUnless(os.path.exists(AWS), "no /usr/bin/aws")
class CliProviders(unittest.TestCase):
    """The AWS CLI's own credential providers accept what the emulator serves."""

    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator()
        cls.home = tempfile.mkdtemp()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()
        shutil.rmtree(cls.home, ignore_errors=True)

    def aws(self, env, *args):
        e = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        e.update({"HOME": self.home, "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                  "AWS_DEFAULT_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "1", "AWS_DEFAULT_OUTPUT": "json"})
        e.update(env)
        p = subprocess.run([AWS, "--endpoint-url", self.emu.url] + list(args), capture_output=True, text=True,
                           env=e, timeout=60)
        return p

    def test_cli_sources(self):
        keys = {"AWS_ACCESS_KEY_ID": harness.FULL_KEY[0], "AWS_SECRET_ACCESS_KEY": harness.FULL_KEY[1]}
        runs = {
            "assume": (keys, ["sts", "assume-role", "--role-arn", ROLE + "CliRole", "--role-session-name", "cli"]),
            "ecs": ({"AWS_CONTAINER_CREDENTIALS_FULL_URI": self.emu.url + "/_ecs/creds",
                     "AWS_CONTAINER_AUTHORIZATION_TOKEN": "emulator-ecs-token"}, ["sts", "get-caller-identity"]),
            "imds": ({"AWS_EC2_METADATA_SERVICE_ENDPOINT": self.emu.url + "/", "AWS_EC2_METADATA_DISABLED": "false"},
                     ["sts", "get-caller-identity"]),
            "ecs-bad": ({"AWS_CONTAINER_CREDENTIALS_FULL_URI": self.emu.url + "/_ecs/creds",
                         "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong"}, ["sts", "get-caller-identity"]),
        }
        with concurrent.futures.ThreadPoolExecutor(4) as ex:
            futures = {k: ex.submit(self.aws, env, *args) for k, (env, args) in runs.items()}
            out = {k: f.result() for k, f in futures.items()}
        self.assertEqual(out["assume"].returncode, 0, out["assume"].stderr)
        c = json.loads(out["assume"].stdout)
        self.assertEqual(c["AssumedRoleUser"]["Arn"], "arn:aws:sts::123456789012:assumed-role/CliRole/cli")
        self.assertEqual(out["ecs"].returncode, 0, out["ecs"].stderr)
        self.assertIn("assumed-role/emulator-ecs-task-role/", json.loads(out["ecs"].stdout)["Arn"])
        self.assertEqual(out["imds"].returncode, 0, out["imds"].stderr)
        self.assertIn("assumed-role/emulator-ec2-role/", json.loads(out["imds"].stdout)["Arn"])
        self.assertNotEqual(out["ecs-bad"].returncode, 0)
        ops = [r["operation"] for r in self.emu.requests()]
        for op in ("AssumeRole", "ContainerCredentials", "IMDSToken", "IMDSRoleList", "IMDSCredentials",
                   "GetCallerIdentity"):
            self.assertIn(op, ops)


if __name__ == "__main__":
    unittest.main()
