"""SigV4 verification: every failure answered with the code AWS uses; access levels; temporary keys."""
import datetime
import json
import os
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import sigv4  # noqa: E402

OP = "ListIdentityPools"
BODY = {"MaxResults": 5}


class SigV4(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "20")
        cls.pool = cls.emu.pool_id("big-pool")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def tearDown(self):
        self.emu.clock(0)

    def code(self, **kw):
        status, h, body = self.emu.call(OP, BODY, **kw)
        return status, (body or {}).get("__type"), (body or {}).get("message", "")

    def signed_headers(self, body, **kw):
        headers = {"Content-Type": harness.JSON_TYPE, "X-Amz-Target": harness.TARGET_PREFIX + OP}
        key = kw.pop("key", harness.FULL_KEY)
        return sigv4.sign("POST", self.emu.url + "/", headers, body, key[0], key[1], kw.pop("region", "us-east-1"),
                          kw.pop("service", "cognito-identity"), **kw)

    def send(self, headers, body):
        status, _, data = self.emu.request("POST", "/", body, headers)
        return status, json.loads(data)

    def test_valid_signature(self):
        self.assertEqual(self.code()[0], 200)

    def test_missing_authentication(self):
        self.assertEqual(self.code(sign=False)[:2], (400, "MissingAuthenticationTokenException"))

    def test_unknown_key(self):
        status, code, msg = self.code(key=("AKIAUNKNOWNKEY000000", "secret"))
        self.assertEqual((status, code), (400, "UnrecognizedClientException"))
        self.assertEqual(msg, "The security token included in the request is invalid.")

    def test_wrong_secret(self):
        status, code, msg = self.code(key=(harness.FULL_KEY[0], "not-the-secret"))
        self.assertEqual((status, code), (400, "InvalidSignatureException"))
        self.assertIn("does not match the signature you provided", msg)
        self.assertIn("The Canonical String for this request should have been", msg)

    def test_wrong_region_and_service_in_scope(self):
        self.assertEqual(self.code(region="eu-west-1")[1], "InvalidSignatureException")
        status, code, msg = self.code(service="cognito-idp")
        self.assertEqual(code, "InvalidSignatureException")
        self.assertIn("cognito-identity", msg)

    def test_skew_beyond_five_minutes_either_way(self):
        now = time.time()
        status, code, msg = self.code(when=now - 400)
        self.assertEqual(code, "InvalidSignatureException")
        self.assertTrue(msg.startswith("Signature expired: "), msg)
        status, code, msg = self.code(when=now + 400)
        self.assertEqual(code, "InvalidSignatureException")
        self.assertTrue(msg.startswith("Signature not yet current: "), msg)
        self.assertEqual(self.code(when=now - 200)[0], 200)

    def test_emulator_clock_ahead_makes_a_correct_client_skewed(self):
        self.emu.clock(600)
        status, h, body = self.emu.call(OP, BODY)
        self.assertEqual(body["__type"], "InvalidSignatureException")
        import email.utils

        server = email.utils.parsedate_to_datetime(h["date"]).timestamp()
        self.assertGreater(server - time.time(), 500)
        self.assertEqual(self.code(when=server)[0], 200)

    def test_body_changed_after_signing(self):
        body = json.dumps(BODY).encode()
        headers = self.signed_headers(body)
        status, out = self.send(headers, json.dumps({"MaxResults": 6}).encode())
        self.assertEqual((status, out["__type"]), (400, "InvalidSignatureException"))

    def test_content_sha256_header_must_match_the_body(self):
        body = json.dumps(BODY).encode()
        headers = {"Content-Type": harness.JSON_TYPE, "X-Amz-Target": harness.TARGET_PREFIX + OP,
                   "X-Amz-Content-Sha256": sigv4.sha256_hex(b"other")}
        headers = sigv4.sign("POST", self.emu.url + "/", headers, body, *harness.FULL_KEY, "us-east-1",
                             "cognito-identity")
        status, out = self.send(headers, body)
        self.assertEqual(out["__type"], "InvalidSignatureException")
        self.assertIn("x-amz-content-sha256", out["message"])
        headers = {"Content-Type": harness.JSON_TYPE, "X-Amz-Target": harness.TARGET_PREFIX + OP,
                   "X-Amz-Content-Sha256": sigv4.sha256_hex(body)}
        headers = sigv4.sign("POST", self.emu.url + "/", headers, body, *harness.FULL_KEY, "us-east-1",
                             "cognito-identity")
        self.assertEqual(self.send(headers, body)[0], 200)

    def test_incomplete_authorization_header(self):
        body = json.dumps(BODY).encode()
        headers = self.signed_headers(body)
        headers["Authorization"] = headers["Authorization"].split(", Signature=")[0]
        status, out = self.send(headers, body)
        self.assertEqual((status, out["__type"]), (400, "IncompleteSignatureException"))
        self.assertIn("'Signature'", out["message"])
        headers = self.signed_headers(body)
        del headers["X-Amz-Date"]
        self.assertEqual(self.send(headers, body)[1]["__type"], "IncompleteSignatureException")

    def test_target_header_is_covered_by_the_signature(self):
        body = json.dumps(BODY).encode()
        headers = self.signed_headers(body)
        headers["X-Amz-Target"] = harness.TARGET_PREFIX + "DeleteIdentityPool"
        self.assertEqual(self.send(headers, body)[1]["__type"], "InvalidSignatureException")

    def test_read_only_key_reads_but_cannot_write(self):
        s, _, _ = self.emu.call("DescribeIdentityPool", {"IdentityPoolId": self.pool}, key=harness.READ_KEY)
        self.assertEqual(s, 200)
        status, _, body = self.emu.call("TagResource", {
            "ResourceArn": f"arn:aws:cognito-identity:us-east-1:123456789012:identitypool/{self.pool}",
            "Tags": {"a": "b"}}, key=harness.READ_KEY)
        self.assertEqual((status, body["__type"]), (400, "AccessDeniedException"))
        self.assertIn("cognito-identity:TagResource", body["Message"])
        tags = self.emu.ok("ListTagsForResource", {
            "ResourceArn": f"arn:aws:cognito-identity:us-east-1:123456789012:identitypool/{self.pool}"})["Tags"]
        self.assertNotIn("a", tags)

    def test_public_operations_need_no_signature(self):
        status, _, body = self.emu.call("GetId", {"IdentityPoolId": self.pool}, sign=False)
        self.assertEqual(status, 200, body)
        status, _, _ = self.emu.call("GetCredentialsForIdentity", {"IdentityId": body["IdentityId"]}, sign=False)
        self.assertEqual(status, 200)

    def temporary(self):
        """Temporary credentials that may call Cognito: STS AssumeRole's (those GetCredentialsForIdentity
        vends carry the identity's role, which has no cognito-identity rights)."""
        s, _, root = self.emu.query("sts", "AssumeRole", {"RoleArn": "arn:aws:iam::123456789012:role/Admin",
                                                          "RoleSessionName": "sigv4-test"})
        self.assertEqual(s, 200)
        c = harness.strip_ns(root).find("AssumeRoleResult/Credentials")
        expires = datetime.datetime.strptime(c.findtext("Expiration"), "%Y-%m-%dT%H:%M:%SZ")
        return {"AccessKeyId": c.findtext("AccessKeyId"), "SecretKey": c.findtext("SecretAccessKey"),
                "SessionToken": c.findtext("SessionToken"),
                "Expiration": expires.replace(tzinfo=datetime.timezone.utc).timestamp()}

    def test_temporary_credentials_need_their_session_token(self):
        c = self.temporary()
        self.assertTrue(c["AccessKeyId"].startswith("ASIA"))
        key = (c["AccessKeyId"], c["SecretKey"])
        self.assertEqual(self.code(key=key, session_token=c["SessionToken"])[0], 200)
        self.assertEqual(self.code(key=key)[1], "UnrecognizedClientException")
        self.assertEqual(self.code(key=key, session_token=c["SessionToken"] + "x")[1], "UnrecognizedClientException")

    def test_static_key_with_a_session_token_is_refused(self):
        self.assertEqual(self.code(session_token="whatever")[1], "UnrecognizedClientException")

    def test_expired_temporary_credentials(self):
        self.emu.settings(credential_duration_seconds=60)
        try:
            c = self.temporary()
        finally:
            self.emu.settings(credential_duration_seconds=3600)
        self.assertLess(c["Expiration"] - time.time(), 120)
        self.emu.clock(120)
        status, code, msg = self.code(key=(c["AccessKeyId"], c["SecretKey"]), session_token=c["SessionToken"],
                                      when=time.time() + 120)
        self.assertEqual((status, code), (400, "ExpiredTokenException"))
        self.assertEqual(msg, "The security token included in the request is expired")

    def test_presigned_query_is_accepted(self):
        import urllib.parse

        body = json.dumps(BODY).encode()
        amz_date = sigv4.fmt_amz_date(time.time())
        scope = f"{amz_date[:8]}/us-east-1/cognito-identity/aws4_request"
        q = {"X-Amz-Algorithm": sigv4.ALGORITHM, "X-Amz-Credential": f"{harness.FULL_KEY[0]}/{scope}",
             "X-Amz-Date": amz_date, "X-Amz-SignedHeaders": "host;x-amz-target"}
        raw = urllib.parse.urlencode(q, quote_via=urllib.parse.quote)
        headers = {"host": [f"127.0.0.1:{self.emu.port}"], "x-amz-target": [harness.TARGET_PREFIX + OP]}
        creq = sigv4.canonical_request("POST", "/", raw, headers, ["host", "x-amz-target"], sigv4.sha256_hex(body))
        sts = sigv4.string_to_sign(amz_date, scope, creq)
        import hashlib
        import hmac

        sig = hmac.new(sigv4.signing_key(harness.FULL_KEY[1], amz_date[:8], "us-east-1", "cognito-identity"),
                       sts.encode(), hashlib.sha256).hexdigest()
        status, _, data = self.emu.request("POST", "/?" + raw + "&X-Amz-Signature=" + sig, body, {
            "Content-Type": harness.JSON_TYPE, "X-Amz-Target": harness.TARGET_PREFIX + OP})
        self.assertEqual(status, 200, data)


class KeysFile(unittest.TestCase):
    def test_keys_file_replaces_the_defaults(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"keys": [{"access_key_id": "AKIAOTHERKEY00000000", "secret_access_key": "s3cr3t",
                                 "access": "read-only", "user": "viewer"}]}, f)
        try:
            with harness.Emulator("--keys", f.name) as emu:
                s, _, b = emu.call(OP, BODY)
                self.assertEqual(b["__type"], "UnrecognizedClientException")
                s, _, b = emu.call(OP, BODY, key=("AKIAOTHERKEY00000000", "s3cr3t"))
                self.assertEqual(s, 200)
                s, _, b = emu.call("CreateIdentityPool", {"IdentityPoolName": "x",
                                                          "AllowUnauthenticatedIdentities": False},
                                   key=("AKIAOTHERKEY00000000", "s3cr3t"))
                self.assertEqual(b["__type"], "AccessDeniedException")
                self.assertIn("user/viewer", b["Message"])
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    unittest.main()
