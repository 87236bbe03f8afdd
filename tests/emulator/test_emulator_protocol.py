"""Wire protocol of the emulator: start-up line, error shape, headers, keep-alive, validation, control endpoints."""
import email.utils
import json
import os
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


class Protocol(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "50")
        cls.pool = cls.emu.pool_id("big-pool")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def test_listening_line_is_a_loopback_http_url(self):
        self.assertRegex(self.emu.url, r"^http://127\.0\.0\.1:\d+$")
        self.assertNotEqual(self.emu.port, 0)

    def test_success_carries_request_id_date_and_json_type(self):
        status, h, body = self.emu.call("DescribeIdentityPool", {"IdentityPoolId": self.pool})
        self.assertEqual(status, 200)
        self.assertEqual(h["content-type"], "application/x-amz-json-1.1")
        self.assertRegex(h["x-amzn-requestid"], r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        when = email.utils.parsedate_to_datetime(h["date"]).timestamp()
        self.assertLess(abs(when - time.time()), 30)
        self.assertEqual(body["IdentityPoolName"], "big-pool")

    def test_error_shape_is_the_services(self):
        status, h, body = self.emu.call("DescribeIdentityPool", {"IdentityPoolId": "us-east-1:00000000-0000"})
        self.assertEqual(status, 400)
        self.assertEqual(h["x-amzn-errortype"], "ResourceNotFoundException:")
        self.assertEqual(h["content-type"], "application/x-amz-json-1.1")
        self.assertIn("x-amzn-requestid", h)
        self.assertIn("date", h)
        self.assertEqual(set(body), {"__type", "message"})
        self.assertEqual(body["__type"], "ResourceNotFoundException")
        self.assertIn("us-east-1:00000000-0000", body["message"])

    def test_unknown_operation(self):
        status, h, body = self.emu.call("FlyToTheMoon", {})
        self.assertEqual(status, 400)
        self.assertEqual(body["__type"], "UnknownOperationException")

    def test_body_that_is_not_json(self):
        status, _, body = self.emu.call("ListIdentityPools", raw_body=b"{not json")
        self.assertEqual(status, 400)
        self.assertEqual(body["__type"], "SerializationException")

    def test_wrong_json_type_is_a_serialization_error(self):
        status, _, body = self.emu.call("ListIdentityPools", {"MaxResults": "ten"})
        self.assertEqual(status, 400)
        self.assertEqual(body["__type"], "SerializationException")
        self.assertIn("maxResults", body["message"])

    def test_validation_required_and_range(self):
        status, h, body = self.emu.call("ListIdentities", {"IdentityPoolId": self.pool, "MaxResults": 61})
        self.assertEqual(status, 400)
        self.assertEqual(body["__type"], "ValidationException")
        self.assertEqual(h["x-amzn-errortype"], "ValidationException:")
        self.assertEqual(body["message"], "1 validation error detected: Value '61' at 'maxResults' failed to satisfy "
                                          "constraint: Member must have value less than or equal to 60")
        _, _, body = self.emu.call("ListIdentities", {"IdentityPoolId": self.pool})
        self.assertIn("Value null at 'maxResults' failed to satisfy constraint: Member must not be null", body["message"])

    def test_validation_pattern_and_length_counts_every_error(self):
        _, _, body = self.emu.call("CreateIdentityPool", {"IdentityPoolName": "bad/name" + "x" * 130,
                                                          "AllowUnauthenticatedIdentities": True})
        self.assertTrue(body["message"].startswith("2 validation errors detected: "), body["message"])
        self.assertIn("regular expression pattern: [\\w\\s+=,.@-]+", body["message"])
        self.assertIn("Member must have length less than or equal to 128", body["message"])

    def test_validation_list_map_and_enum(self):
        ids = [f"us-east-1:{i:08x}" for i in range(61)]
        _, _, body = self.emu.call("DeleteIdentities", {"IdentityIdsToDelete": ids})
        self.assertIn("at 'identityIdsToDelete' failed to satisfy constraint: Member must have length less than or "
                      "equal to 60", body["message"])
        logins = {f"p{i}": "t" for i in range(11)}
        _, _, body = self.emu.call("GetId", {"IdentityPoolId": self.pool, "Logins": logins}, sign=False)
        self.assertEqual(body["__type"], "ValidationException")
        self.assertIn("at 'logins'", body["message"])
        _, _, body = self.emu.call("SetIdentityPoolRoles", {
            "IdentityPoolId": self.pool, "Roles": {},
            "RoleMappings": {"graph.facebook.com": {"Type": "Magic"}}})
        self.assertIn("Member must satisfy enum value set: [Token, Rules]", body["message"])

    def test_unicode_class_pattern_of_claim_names(self):
        rule = {"Claim": "bad claim", "MatchType": "Equals", "Value": "v",
                "RoleARN": "arn:aws:iam::123456789012:role/Some"}
        _, _, body = self.emu.call("SetIdentityPoolRoles", {
            "IdentityPoolId": self.pool, "Roles": {},
            "RoleMappings": {"graph.facebook.com": {"Type": "Rules", "AmbiguousRoleResolution": "Deny",
                                                    "RulesConfiguration": {"Rules": [rule]}}}})
        self.assertEqual(body["__type"], "ValidationException")
        self.assertIn("claim", body["message"])
        rule["Claim"] = "émail:ünïcode"
        status, _, body = self.emu.call("SetIdentityPoolRoles", {
            "IdentityPoolId": self.pool, "Roles": {"authenticated": "arn:aws:iam::123456789012:role/A"},
            "RoleMappings": {"graph.facebook.com": {"Type": "Rules", "AmbiguousRoleResolution": "Deny",
                                                    "RulesConfiguration": {"Rules": [rule]}}}})
        self.assertEqual(status, 200, body)

    def test_keep_alive_reuses_one_connection(self):
        self.emu.reset_log()
        conn = self.emu.connection()
        try:
            for _ in range(3):
                status, _, _ = self.emu.call("ListIdentityPools", {"MaxResults": 5}, conn=conn)
                self.assertEqual(status, 200)
        finally:
            conn.close()
        self.emu.call("ListIdentityPools", {"MaxResults": 5})
        log = [r for r in self.emu.requests() if r["operation"] == "ListIdentityPools"]
        self.assertEqual(len(log), 4)
        self.assertEqual(len({r["connection_id"] for r in log[:3]}), 1)
        self.assertNotEqual(log[3]["connection_id"], log[0]["connection_id"])

    def test_request_log_fields(self):
        self.emu.reset_log()
        _, h, _ = self.emu.call("DescribeIdentityPool", {"IdentityPoolId": self.pool})
        (entry,) = self.emu.requests()
        for k in ("time", "connection_id", "operation", "status", "duration_ms", "request_id"):
            self.assertIn(k, entry)
        self.assertEqual(entry["operation"], "DescribeIdentityPool")
        self.assertEqual(entry["status"], 200)
        self.assertEqual(entry["request_id"], h["x-amzn-requestid"])
        self.assertEqual(entry["access_key_id"], harness.FULL_KEY[0])
        self.assertEqual(entry["input"], {"IdentityPoolId": self.pool})
        self.assertGreaterEqual(entry["duration_ms"], 0)

    def test_control_endpoint_errors_are_clear(self):
        status, _, body = self.emu.request("POST", "/_emulator/clock", b'{"offset_seconds": "x"}')
        self.assertEqual(status, 400)
        self.assertIn("offset_seconds", json.loads(body)["error"])
        status, _, body = self.emu.request("GET", "/_emulator/nothing")
        self.assertEqual(status, 404)

    def test_many_clients_at_once(self):
        import concurrent.futures

        def one(_):
            return self.emu.call("ListIdentities", {"IdentityPoolId": self.pool, "MaxResults": 60})[0]

        with concurrent.futures.ThreadPoolExecutor(8) as ex:
            self.assertEqual(set(ex.map(one, range(32))), {200})


class ModelDriven(unittest.TestCase):
    """Checks generated from the model, so no operation is forgotten."""

    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator()
        with open(os.path.join(harness.HERE, "model", "service-2.json")) as f:
            cls.model = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def test_unsigned_operations_are_exactly_the_four_public_ones(self):
        unsigned = {n for n, o in self.model["operations"].items() if o.get("authtype") == "none"}
        self.assertEqual(unsigned, {"GetId", "GetCredentialsForIdentity", "GetOpenIdToken", "UnlinkIdentity"})
        for op in self.model["operations"]:
            status, _, body = self.emu.call(op, {}, sign=False)
            if op in unsigned:
                self.assertEqual(body["__type"], "ValidationException", op)  # got past authentication
            else:
                self.assertEqual(body["__type"], "MissingAuthenticationTokenException", op)

    def test_read_only_key_is_refused_exactly_the_mutating_operations(self):
        reads = {"DescribeIdentityPool", "DescribeIdentity", "ListIdentityPools", "ListIdentities",
                 "GetIdentityPoolRoles", "ListTagsForResource", "LookupDeveloperIdentity",
                 "GetPrincipalTagAttributeMap"}
        unsigned = {"GetId", "GetCredentialsForIdentity", "GetOpenIdToken", "UnlinkIdentity"}
        for op in self.model["operations"]:
            status, _, body = self.emu.call(op, {}, key=harness.READ_KEY)
            if op in reads or op in unsigned:
                self.assertNotEqual(body["__type"], "AccessDeniedException", op)
            else:
                self.assertEqual(body["__type"], "AccessDeniedException", op)

    def test_every_required_member_is_reported(self):
        for op, spec in self.model["operations"].items():
            shape = self.model["shapes"][spec["input"]["shape"]]
            required = shape.get("required", [])
            status, _, body = self.emu.call(op, {})
            if not required:
                self.assertNotEqual(body and body.get("__type"), "ValidationException", op)
                continue
            self.assertEqual(body["__type"], "ValidationException", op)
            n = len(required)
            self.assertTrue(body["message"].startswith(f"{n} validation error{'s' if n > 1 else ''} detected"), op)
            for member in required:
                name = member[0].lower() + member[1:]
                self.assertIn(f"Value null at '{name}' failed to satisfy constraint: Member must not be null",
                              body["message"], op)


class Lifecycle(unittest.TestCase):
    def test_sigterm_stops_cleanly(self):
        emu = harness.Emulator()
        emu.proc.send_signal(signal.SIGTERM)
        self.assertEqual(emu.proc.wait(timeout=10), 0)

    def test_bad_arguments_get_a_message(self):
        for args, word in ((["--faults", "explode"], "unknown fault kind"), (["--seed", "huge"], "invalid choice"),
                           (["--tls-cert", "x"], "go together")):
            p = subprocess.run([harness.PYTHON, harness.EMULATOR, "--port", "0"] + args, capture_output=True,
                               text=True, timeout=30)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn(word, p.stderr)

    def test_bad_keys_file_is_named(self):
        import tempfile

        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write('[{"access_key_id": "AK"}]')
        try:
            p = subprocess.run([harness.PYTHON, harness.EMULATOR, "--port", "0", "--keys", f.name],
                               capture_output=True, text=True, timeout=30)
        finally:
            os.unlink(f.name)
        self.assertEqual(p.returncode, 2)
        self.assertIn(f.name, p.stderr)
        self.assertIn("secret_access_key", p.stderr)

    def test_tls(self):
        import shutil
        import tempfile

        if not shutil.which("openssl"):
            self.skipTest("no openssl binary")
        d = tempfile.mkdtemp()
        cert, key = os.path.join(d, "c.pem"), os.path.join(d, "k.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
        with harness.Emulator("--tls-cert", cert, "--tls-key", key) as emu:
            self.assertTrue(emu.url.startswith("https://127.0.0.1:"))
            status, _, body = emu.call("ListIdentityPools", {"MaxResults": 1})
            self.assertEqual((status, body), (200, {"IdentityPools": []}))
            # A client that connects and never starts its handshake, and one that
            # speaks plain http, hold up no one: handshakes run per connection.
            import socket

            with socket.create_connection((emu.host, emu.port)), \
                    socket.create_connection((emu.host, emu.port)) as plain:
                plain.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                status, _, body = emu.call("ListIdentityPools", {"MaxResults": 1}, conn=emu.connection(timeout=5))
                self.assertEqual((status, body), (200, {"IdentityPools": []}))
        shutil.rmtree(d)


if __name__ == "__main__":
    unittest.main()
