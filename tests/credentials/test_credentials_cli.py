"""The credentials sources through the real binary: `cognito-tui call` with
profiles that assume roles, use IAM Identity Center, credential_process and
the container endpoint, all against the emulator (tests/emulator) reached
through the standard settings only. Failures exit 5 with one line on stderr,
and no secret shows in any output."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "tests", "emulator"))
import harness  # noqa: E402

BIN = os.environ.get("COGNITO_TUI_BIN", os.path.join(TOP, "build", "cognito-tui"))
KEY_ID, SECRET = harness.FULL_KEY
SECRETS = [SECRET, "emulator-sso-token", "emulator-ecs-token", "process-secret-value"]


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


@unittest.skipUnless(os.access(BIN, os.X_OK), f"no binary at {BIN}")
class CredentialsThroughTheBinary(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator()  # started: a second start() orphaned an emulator (issue 16)
        cls.addClassCleanup(cls.emu.stop)
        cls.home = tempfile.mkdtemp(prefix="cognito-cred-cli-")
        os.makedirs(os.path.join(cls.home, ".aws", "sso", "cache"))
        with open(os.path.join(cls.home, ".aws", "config"), "w") as f:
            f.write(f"""[default]
region = us-east-1
[profile base]
aws_access_key_id = {KEY_ID}
aws_secret_access_key = {SECRET}
[profile admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = base
[profile reader]
role_arn = arn:aws:iam::123456789012:role/ReadOnlyAuditor
source_profile = base
[profile loop-a]
role_arn = arn:aws:iam::123456789012:role/A
source_profile = loop-b
[profile loop-b]
role_arn = arn:aws:iam::123456789012:role/B
source_profile = loop-a
[profile denied]
role_arn = arn:aws:iam::123456789012:role/partner-external
source_profile = base
[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Admin
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
[profile keyed]
role_arn = arn:aws:iam::123456789012:role/partner-external
source_profile = base
external_id = emulator-external-id
role_session_name = tester
duration_seconds = 3600
[profile from-cli-cache]
role_arn = arn:aws:iam::123456789012:role/WrittenByTheCli
source_profile = base
[profile proc-v2]
credential_process = /usr/bin/printf '{{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "process-secret-value"}}'
[profile proc-bad]
credential_process = /usr/bin/printf '{{"Version": 1, "SecretAccessKey": "process-secret-value"'
""")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()
        shutil.rmtree(cls.home, ignore_errors=True)

    def env(self, **extra):
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": self.home,
            "XDG_STATE_HOME": os.path.join(self.home, "state"),
            "AWS_ENDPOINT_URL": self.emu.url,
            "AWS_ENDPOINT_URL_STS": self.emu.url,
            "AWS_ENDPOINT_URL_SSO": self.emu.url,
            "AWS_ENDPOINT_URL_SSO_OIDC": self.emu.url,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_REGION": "us-east-1",
        }
        env.update(extra)
        return env

    def run_bin(self, *args, env=None):
        p = subprocess.run([BIN, *args], capture_output=True, env=env or self.env(), timeout=60)
        out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
        for s in SECRETS:
            self.assertNotIn(s, out, f"secret in stdout of {args}")
            self.assertNotIn(s, err, f"secret in stderr of {args}")
        return p.returncode, out, err

    def fails(self, profile, *needles, env=None):
        rc, out, err = self.run_bin("--profile", profile, "call", "ListIdentityPools",
                                    '{"MaxResults": 1}', env=env)
        self.assertEqual(rc, 5, err)
        lines = err.strip("\n").split("\n")
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith("cognito-tui: "), err)
        for n in needles:
            self.assertIn(n, lines[0])
        self.assertEqual(out, "")

    def test_assumed_role_calls_cognito(self):
        rc, out, err = self.run_bin("--profile", "admin", "call", "ListIdentityPools",
                                    '{"MaxResults": 1}')
        self.assertEqual(rc, 0, err)
        self.assertIn("IdentityPools", json.loads(out))

    def test_assumed_read_only_role_is_refused_writes_by_the_service(self):
        rc, out, err = self.run_bin("--profile", "reader", "call", "CreateIdentityPool",
                                    '{"IdentityPoolName": "x", "AllowUnauthenticatedIdentities": false}')
        self.assertEqual(rc, 1, err)
        self.assertIn("AccessDenied", err)

    def test_cycle(self):
        self.fails("loop-a", "cycle", "loop-a -> loop-b -> loop-a")

    def test_sts_refusal(self):
        self.fails("denied", "AccessDenied", "profile denied")

    def test_unknown_profile(self):
        self.fails("nobody", '"nobody"')

    def test_sso_session(self):
        key = hashlib.sha1(b"corp").hexdigest()
        path = os.path.join(self.home, ".aws", "sso", "cache", key + ".json")
        with open(path, "w") as f:
            json.dump({"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1",
                       "accessToken": "emulator-sso-token", "expiresAt": iso(time.time() + 3600)}, f)
        rc, out, err = self.run_bin("--profile", "sso", "call", "ListIdentityPools",
                                    '{"MaxResults": 1}')
        self.assertEqual(rc, 0, err)
        with open(path, "w") as f:
            json.dump({"accessToken": "emulator-sso-token", "expiresAt": iso(time.time() - 60)}, f)
        self.fails("sso", "run: aws sso login --profile sso")

    def test_credential_process_errors(self):
        self.fails("proc-v2", "Version 2")
        self.fails("proc-bad", "not valid JSON")

    def test_container(self):
        env = self.env(AWS_CONTAINER_CREDENTIALS_FULL_URI=self.emu.url + "/_ecs/creds",
                       AWS_CONTAINER_AUTHORIZATION_TOKEN="emulator-ecs-token")
        rc, out, err = self.run_bin("call", "ListIdentityPools", '{"MaxResults": 1}', env=env)
        self.assertEqual(rc, 0, err)
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://10.1.2.3/creds"
        rc, out, err = self.run_bin("call", "ListIdentityPools", '{"MaxResults": 1}', env=env)
        self.assertEqual(rc, 5, err)
        self.assertIn("AWS_CONTAINER_CREDENTIALS_FULL_URI", err)

    def botocore_fetcher(self, role_arn, extra_args):
        from botocore.credentials import AssumeRoleCredentialFetcher
        from botocore.utils import JSONFileCache
        cache = JSONFileCache(os.path.join(self.home, ".aws", "cli", "cache"))
        return AssumeRoleCredentialFetcher(client_creator=None, source_credentials=None,
                                           role_arn=role_arn, extra_args=extra_args, cache=cache)

    def test_assume_role_cache_is_read_by_botocore(self):
        rc, out, err = self.run_bin("--profile", "keyed", "call", "ListIdentityPools",
                                    '{"MaxResults": 1}')
        self.assertEqual(rc, 0, err)
        fetcher = self.botocore_fetcher(
            "arn:aws:iam::123456789012:role/partner-external",
            {"RoleSessionName": "tester", "ExternalId": "emulator-external-id",
             "DurationSeconds": 3600})
        path = os.path.join(self.home, ".aws", "cli", "cache", fetcher._cache_key + ".json")
        self.assertTrue(os.path.exists(path), f"no {path}: {os.listdir(os.path.dirname(path))}")
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        cached = fetcher._load_from_cache()  # botocore's own reader, expiry check included
        self.assertIsNotNone(cached)
        self.assertTrue(cached["Credentials"]["AccessKeyId"].startswith("ASIA"))

    def test_assume_role_cache_written_by_botocore_is_used(self):
        import datetime
        fetcher = self.botocore_fetcher("arn:aws:iam::123456789012:role/WrittenByTheCli", {})
        expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        fetcher._write_to_cache({"Credentials": {
            "AccessKeyId": "ASIAWRITTENBYBOTOCORE", "SecretAccessKey": "x",
            "SessionToken": "y", "Expiration": expires}})
        rc, out, err = self.run_bin("--profile", "from-cli-cache", "call", "ListIdentityPools",
                                    '{"MaxResults": 1}', "--dry-run")
        self.assertEqual(rc, 0, err)
        self.assertIn("Credential=ASIAWRITTENBYBOTOCORE/", out)

    def test_dry_run_shows_no_secret(self):
        env = self.env(AWS_ACCESS_KEY_ID=KEY_ID, AWS_SECRET_ACCESS_KEY=SECRET,
                       AWS_SESSION_TOKEN="session-token-must-not-show")
        rc, out, err = self.run_bin("call", "ListIdentityPools", '{"MaxResults": 1}', "--dry-run",
                                    env=env)
        self.assertEqual(rc, 0, err)
        self.assertNotIn("session-token-must-not-show", out + err)


if __name__ == "__main__":
    unittest.main()
