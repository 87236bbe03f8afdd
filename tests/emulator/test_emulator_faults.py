"""Fault injection: every kind, rates and counts, operation filters, the endpoint and --faults."""
import http.client
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

OP = "ListIdentityPools"
BODY = {"MaxResults": 5}


class Faults(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "10")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.set_faults("")
        self.emu.reset_log()

    def call(self):
        return self.emu.call(OP, BODY)

    def test_throttle_for_the_next_two(self):
        self.emu.set_faults("throttle*2")
        for _ in range(2):
            s, h, b = self.call()
            self.assertEqual((s, b["__type"], h["x-amzn-errortype"]), (400, "TooManyRequestsException",
                                                                       "TooManyRequestsException:"))
        self.assertEqual(self.call()[0], 200)
        self.assertEqual([r["fault"] for r in self.emu.requests()], ["throttle", "throttle", None])

    def test_5xx(self):
        self.emu.set_faults("5xx,5xx:503")
        s, h, b = self.call()
        self.assertEqual((s, b["__type"]), (500, "InternalErrorException"))
        s, h, b = self.call()
        self.assertEqual((s, b), (503, None))

    def test_delay(self):
        self.emu.set_faults("delay:300")
        t = time.monotonic()
        s, _, b = self.call()
        self.assertGreaterEqual(time.monotonic() - t, 0.3)
        self.assertEqual(s, 200)
        self.assertIn("IdentityPools", b)

    def test_drop_mid_body_after_the_operation_ran(self):
        self.emu.set_faults("drop/CreateIdentityPool")
        with self.assertRaises((http.client.IncompleteRead, ConnectionError)):
            self.emu.call("CreateIdentityPool", {"IdentityPoolName": "dropped", "AllowUnauthenticatedIdentities": True})
        names = [p["IdentityPoolName"] for p in self.emu.ok(OP, {"MaxResults": 60})["IdentityPools"]]
        self.assertIn("dropped", names)

    def create(self, name):
        return self.emu.ok("CreateIdentityPool", {"IdentityPoolName": name, "AllowUnauthenticatedIdentities": True})

    def pool_names(self):
        return [p["IdentityPoolName"] for p in self.emu.ok(OP, {"MaxResults": 60})["IdentityPools"]]

    def test_drop_of_an_answer_without_body_is_never_a_complete_answer(self):
        # DeleteIdentityPool answers with an empty body: a drop must still cut the answer (issue 11),
        # here a chunked body that never ends, so no client can take it for success.
        pid = self.create("drop-empty")["IdentityPoolId"]
        self.emu.set_faults("drop/DeleteIdentityPool")
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self.emu.call("DeleteIdentityPool", {"IdentityPoolId": pid})
        self.assertNotIn("drop-empty", self.pool_names())  # the operation ran
        self.assertEqual([r["fault"] for r in self.emu.requests() if r["operation"] == "DeleteIdentityPool"],
                         ["drop"])

    def test_drop_and_reset_seen_by_curl(self):
        import shutil
        import subprocess

        curl = shutil.which("curl")
        if not curl:
            self.skipTest("no curl")
        arn = "arn:aws:cognito-identity:us-east-1:123456789012:identitypool/" + self.create("by-curl")["IdentityPoolId"]
        body = json.dumps({"ResourceArn": arn, "TagKeys": ["k"]}).encode()
        for kind in ("drop", "reset"):
            with self.subTest(kind=kind):
                self.emu.set_faults(f"{kind}/UntagResource")
                h = __import__("sigv4").sign("POST", self.emu.url + "/", {
                    "Content-Type": harness.JSON_TYPE, "X-Amz-Target": harness.TARGET_PREFIX + "UntagResource"},
                    body, *harness.FULL_KEY, "us-east-1", "cognito-identity")
                args = [curl, "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", "-X", "POST",
                        "--data-binary", "@-", self.emu.url + "/"]
                for k, v in h.items():
                    args += ["-H", f"{k}: {v}"]
                p = subprocess.run(args, input=body, capture_output=True, timeout=60)
                self.assertNotEqual(p.returncode, 0, (kind, p.stdout, p.stderr))  # curl reports a failure

    def test_reset_runs_the_operation_and_sends_nothing(self):
        self.emu.set_faults("reset/CreateIdentityPool")
        conn = self.emu.connection()
        try:
            with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)) as cm:
                self.emu.call("CreateIdentityPool", {"IdentityPoolName": "was-reset",
                                                     "AllowUnauthenticatedIdentities": True}, conn=conn)
            self.assertNotIsInstance(cm.exception, http.client.IncompleteRead)
        finally:
            conn.close()
        self.assertIn("was-reset", self.pool_names())
        log = [r for r in self.emu.requests() if r["operation"] == "CreateIdentityPool"]
        self.assertEqual((log[-1]["fault"], log[-1]["status"]), ("reset", 200))

    def test_truncated_body(self):
        self.emu.set_faults("truncate")
        s, h, data = self.emu.request("POST", "/", json.dumps(BODY).encode(), self.signed())
        self.assertEqual(s, 200)
        self.assertEqual(int(h["content-length"]), len(data))
        self.assertTrue(data.startswith(b'{"IdentityPools"'))
        with self.assertRaises(ValueError):
            json.loads(data)

    def signed(self):
        import sigv4

        return sigv4.sign("POST", self.emu.url + "/", {"Content-Type": harness.JSON_TYPE,
                                                       "X-Amz-Target": harness.TARGET_PREFIX + OP},
                          json.dumps(BODY).encode(), *harness.FULL_KEY, "us-east-1", "cognito-identity")

    def test_malformed_json(self):
        self.emu.set_faults("badjson")
        s, h, data = self.emu.request("POST", "/", json.dumps(BODY).encode(), self.signed())
        self.assertEqual((s, h["content-type"]), (200, "application/x-amz-json-1.1"))
        with self.assertRaises(ValueError):
            json.loads(data)

    def test_wrong_content_type(self):
        self.emu.set_faults("content-type")
        s, h, data = self.emu.request("POST", "/", json.dumps(BODY).encode(), self.signed())
        self.assertEqual((s, h["content-type"]), (200, "text/plain"))
        self.assertIn("IdentityPools", json.loads(data))

    def test_html_page(self):
        self.emu.set_faults("html")
        s, h, data = self.emu.request("POST", "/", json.dumps(BODY).encode(), self.signed())
        self.assertEqual((s, h["content-type"]), (502, "text/html"))
        self.assertIn(b"<html>", data)
        self.assertNotIn("x-amzn-errortype", h)

    def test_xml_403(self):
        self.emu.set_faults("xml403")
        s, h, data = self.emu.request("POST", "/", json.dumps(BODY).encode(), self.signed())
        self.assertEqual((s, h["content-type"]), (403, "text/xml"))
        self.assertIn(b"<AccessDeniedException>", data)

    def test_oversize(self):
        self.emu.set_faults("oversize:100000")
        s, h, data = self.emu.request("POST", "/", json.dumps(BODY).encode(), self.signed())
        self.assertEqual((s, len(data), int(h["content-length"])), (200, 100000, 100000))
        json.loads(data)

    def test_status_and_error(self):
        self.emu.set_faults("status:418,error:LimitExceededException")
        self.assertEqual(self.call()[:3:2], (418, None))
        s, h, b = self.call()
        self.assertEqual((s, b["__type"]), (400, "LimitExceededException"))

    def test_rates(self):
        self.emu.set_faults("throttle@1")
        self.assertEqual([self.call()[0] for _ in range(3)], [400] * 3)
        self.emu.set_faults("throttle@0")
        self.assertEqual([self.call()[0] for _ in range(3)], [200] * 3)
        self.emu.set_faults("throttle@0.5")
        codes = [self.call()[0] for _ in range(40)]
        self.assertIn(400, codes)
        self.assertIn(200, codes)

    def test_operation_filter_and_listing(self):
        got = self.emu.set_faults("throttle*3/DescribeIdentityPool")["faults"]
        self.assertEqual(got[0]["kind"], "throttle")
        self.assertEqual(got[0]["count"], 3)
        self.assertEqual(got[0]["operation"], "DescribeIdentityPool")
        self.assertEqual(self.call()[0], 200)
        pool = self.emu.pool_id("big-pool")
        s, _, b = self.emu.call("DescribeIdentityPool", {"IdentityPoolId": pool})
        self.assertEqual(b["__type"], "TooManyRequestsException")
        self.assertEqual(self.emu.faults()[0]["count"], 2)

    def test_json_rules_form(self):
        self.emu.control("POST", "/_emulator/faults", {"faults": [{"kind": "5xx", "arg": "504", "count": 1}]})
        self.assertEqual(self.call()[0], 504)
        self.assertEqual(self.call()[0], 200)

    def test_bad_specs_are_refused_clearly(self):
        for spec, word in (("explode", "unknown fault kind"), ("throttle@2", "between 0 and 1"),
                           ("status", "needs an argument"), ("5xx:abc", "not a number"),
                           ("throttle@0.5*3", "expected KIND")):
            s, _, data = self.emu.request("POST", "/_emulator/faults", json.dumps({"spec": spec}).encode())
            self.assertEqual(s, 400, spec)
            self.assertIn(word, json.loads(data)["error"], spec)

    def test_faults_from_the_command_line_and_reset_restores_them(self):
        with harness.Emulator("--faults", "throttle*1/ListIdentityPools") as emu:
            self.assertEqual(emu.call(OP, BODY)[2]["__type"], "TooManyRequestsException")
            self.assertEqual(emu.call(OP, BODY)[0], 200)
            emu.reset()
            self.assertEqual(emu.call(OP, BODY)[2]["__type"], "TooManyRequestsException")

    def test_control_requests_are_never_faulted(self):
        self.emu.set_faults("status:500@1")
        self.assertEqual(self.emu.faults()[0]["kind"], "status")
        self.emu.set_faults("")


if __name__ == "__main__":
    unittest.main()
