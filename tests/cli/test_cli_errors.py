"""Bad input and bad answers: one line on stderr, the documented exit code,
nothing sent when the input is at fault, never a crash."""
import socket
import unittest

from clitools import EmulatorCase, one_error_line


class InputErrorTest(EmulatorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pool = cls.emu.pool_id("big-pool")

    def assertNothingSent(self):
        self.assertEqual(self.emu.requests(), [])

    def test_malformed_json(self):
        r = self.cli.call("ListIdentityPools", '{"MaxResults": 5,\n "NextToken" "x"}')
        one_error_line(self, r, 2, "InvalidInput", "line 2", "column")
        r = self.cli.call("ListIdentityPools", '{"MaxResults": 5')
        one_error_line(self, r, 2, "end of input")
        r = self.cli.call("ListIdentityPools", '[1, 2]')
        one_error_line(self, r, 2, "object")
        r = self.cli.run("call", "ListIdentityPools", "@/nonexistent/in.json")
        one_error_line(self, r, 2, "/nonexistent/in.json")
        self.assertNothingSent()

    def test_unknown_operation(self):
        r = self.cli.call("ListIdentityPoolz", "{}")
        one_error_line(self, r, 2, "ListIdentityPoolz", "call --list")
        r = self.cli.call("listidentitypools", "{}")
        one_error_line(self, r, 2, "did you mean ListIdentityPools")
        self.assertNothingSent()

    def test_missing_required_member(self):
        r = self.cli.call("DescribeIdentityPool", {})
        one_error_line(self, r, 2, "IdentityPoolId")
        self.assertNothingSent()

    def test_length_pattern_and_range(self):
        r = self.cli.call("CreateIdentityPool", {"IdentityPoolName": "n" * 129, "AllowUnauthenticatedIdentities": True})
        one_error_line(self, r, 2, "IdentityPoolName")
        r = self.cli.call("DescribeIdentityPool", {"IdentityPoolId": "not a pool id!"})
        one_error_line(self, r, 2, "IdentityPoolId")
        r = self.cli.call("ListIdentities", {"IdentityPoolId": self.pool, "MaxResults": 61})
        one_error_line(self, r, 2, "MaxResults")
        r = self.cli.call("ListIdentityPools", {"MaxResults": 0})
        one_error_line(self, r, 2, "MaxResults")
        self.assertNothingSent()

    def test_usage_errors(self):
        for args, needle in ((["--bogus"], "--bogus"), (["call"], "OPERATION"),
                             (["export", "identities"], "--pool"), (["export", "pools", "--format", "xml"], "xml"),
                             (["frobnicate"], "frobnicate"), (["--region"], "--region")):
            r = self.cli.run(*args)
            one_error_line(self, r, 2, "Usage", needle)
        self.assertNothingSent()

    def test_unknown_profile_is_a_configuration_error(self):
        r = self.cli.call("ListIdentityPools", {"MaxResults": 1}, "--profile", "no-such-profile-here")
        one_error_line(self, r, 5, "no-such-profile-here")
        self.assertNothingSent()

    def test_aws_error_names_code_and_request_id(self):
        r = self.cli.call("DescribeIdentityPool", {"IdentityPoolId": "us-east-1:00000000-0000-0000-0000-000000000000"})
        line = one_error_line(self, r, 1, "ResourceNotFoundException", "request id")
        rid = self.emu.requests()[-1]["request_id"]
        self.assertIn(rid, line)

    def test_service_text_is_escaped_in_the_error_line(self):
        # The emulator echoes the pool id it could not find; an id with an ESC
        # fails validation locally, so use a fault code the service could send.
        self.emu.set_faults("error:Evil\x1b[31mException*1")
        r = self.cli.call("ListIdentityPools", {"MaxResults": 1})
        self.assertNotEqual(r.rc, 0)
        self.assertNotIn("\x1b", r.err)


class ServerFaultTest(EmulatorCase):

    def fault(self, spec, code_choices, *needles):
        self.emu.set_faults(spec)
        r = self.cli.call("ListIdentityPools", {"MaxResults": 5}, env=self.cli.env(extra={"AWS_MAX_ATTEMPTS": "1"}))
        self.assertIn(r.rc, code_choices, r)
        line = one_error_line(self, r, r.rc, *needles)
        self.assertEqual(r.out, "")
        return line

    def test_truncated_body(self):
        self.fault("truncate", (1, 4), "200")

    def test_not_json(self):
        self.fault("badjson", (1, 4), "200")

    def test_html_error_page(self):
        self.fault("html:502", (1, 4), "502")

    def test_xml_403_page(self):
        self.fault("xml403", (1, 4), "403")

    def test_dropped_connection(self):
        self.fault("drop", (1, 4))

    def test_oversized_body(self):
        self.fault("oversize", (1, 4), "16 MiB")

    def test_5xx_after_retries(self):
        self.emu.set_faults("5xx:503*3")
        r = self.cli.call("ListIdentityPools", {"MaxResults": 5})
        one_error_line(self, r, 1, "503")
        self.assertEqual(len(self.emu.requests()), 3)  # the standard mode's 3 attempts

    def test_connection_refused_is_transport(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        r = self.cli.call("ListIdentityPools", {"MaxResults": 5}, "--endpoint-url", f"http://127.0.0.1:{port}",
                          env=self.cli.env(extra={"AWS_MAX_ATTEMPTS": "1"}))
        one_error_line(self, r, 4, "Transport")

    def test_plain_http_to_a_remote_host_is_refused(self):
        r = self.cli.call("ListIdentityPools", {"MaxResults": 5}, "--endpoint-url", "http://example.com")
        self.assertIn(r.rc, (2, 4, 5), r)
        one_error_line(self, r, r.rc)


if __name__ == "__main__":
    unittest.main()
