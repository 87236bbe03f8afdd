"""The SigV4 vector runner (tests/tools/sigv4-vectors.c) reads a header
folded over several lines (RFC 7230 obs-fold: a line starting with a space
or tab continues the previous header) as one value, the fold replaced by a
single space, as an HTTP recipient must. The expected canonical request,
string to sign and Authorization of a folded case come from botocore's
signer (Debian python3-botocore) given the unfolded request, so the case is
checked against an independent signer, not against our own reading.
Run as: /usr/bin/python3 tests/pytap.py tests/unit/test_sigv4_obs_fold.py
"""
import datetime
import os
import shutil
import subprocess
import tempfile
import types
import unittest

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("COGNITO_TUI_BUILD", os.path.join(TOP, "build"))
RUNNER = os.path.join(BUILD, "sigv4-vectors")


class _FixedClock(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return datetime.datetime(2015, 8, 30, 12, 36, 0)


botocore.auth.datetime = types.SimpleNamespace(datetime=_FixedClock)


def botocore_case(headers):
    """(canonical request, string to sign, Authorization) for GET / with
    these (unfolded) headers, as the classic suite signs it."""
    req = AWSRequest(method="GET", url="https://example.amazonaws.com/", headers=headers)
    auth = botocore.auth.SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                                   "service", "us-east-1")
    auth.add_auth(req)
    authz = req.headers["Authorization"]
    del req.headers["Authorization"]
    creq = auth.canonical_request(req)
    sts = auth.string_to_sign(req, creq)
    return creq, sts, authz


class ObsFoldTest(unittest.TestCase):
    def setUp(self):
        if not os.access(RUNNER, os.X_OK):
            self.fail(f"{RUNNER} is not built")
        self.dir = tempfile.mkdtemp(prefix="cognito-sigv4-fold-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_case(self, name, req_text, unfolded):
        case = os.path.join(self.dir, name)
        os.mkdir(case)
        creq, sts, authz = botocore_case(unfolded)
        for ext, text in (("req", req_text), ("creq", creq), ("sts", sts), ("authz", authz)):
            with open(os.path.join(case, f"{name}.{ext}"), "w", newline="") as f:
                f.write(text)
        p = subprocess.run([RUNNER, case], capture_output=True, text=True, timeout=60)
        return p, creq

    def test_folded_header_is_one_value(self):
        req = ("GET / HTTP/1.1\n"
               "Host:example.amazonaws.com\n"
               "My-Header1:value1\n"
               "  value2\n"
               "\t value3\n"
               "My-Header2:  a\n"
               "\tb  c\n"
               "X-Amz-Date:20150830T123600Z")
        p, creq = self.run_case("folded", req, {"Host": "example.amazonaws.com",
                                                "My-Header1": "value1 value2 value3",
                                                "My-Header2": "a b  c"})
        self.assertIn("my-header1:value1 value2 value3\n", creq)  # botocore's reading
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("1 passed, 0 failed", p.stdout)

    def test_crlf_fold(self):
        req = ("GET / HTTP/1.1\r\n"
               "Host:example.amazonaws.com\r\n"
               "My-Header1:one\r\n"
               " two\r\n"
               "X-Amz-Date:20150830T123600Z")
        p, _ = self.run_case("crlf", req, {"Host": "example.amazonaws.com", "My-Header1": "one two"})
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_fold_before_any_header_is_an_error(self):
        req = "GET / HTTP/1.1\n  stray\nHost:example.amazonaws.com\nX-Amz-Date:20150830T123600Z"
        p, _ = self.run_case("stray", req, {"Host": "example.amazonaws.com"})
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("continuation line before any header", p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main()
