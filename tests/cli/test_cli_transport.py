"""The verbs over the transports DESIGN.md promises: https to the emulator
with a self-signed certificate (verified, trusted only through AWS_CA_BUNDLE)
and a proxy from the environment, which never sees a request in clear
text: plain http (loopback, container hosts) goes direct whatever
http_proxy/ALL_PROXY say."""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import unittest

from clitools import EmulatorCase, harness, one_error_line


def make_certificate(folder):
    """A self-signed certificate for 127.0.0.1 (as a subjectAltName: libcurl
    checks the IP address there, not in the CN)."""
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


class HttpsTest(EmulatorCase):
    IDENTITIES = 70

    @classmethod
    def emulator_args(cls):
        return ("--tls-cert", cls.cert, "--tls-key", cls.key)

    @classmethod
    def setUpClass(cls):
        if not shutil.which("openssl"):
            raise unittest.SkipTest("no openssl binary")
        cls.dir = tempfile.mkdtemp(prefix="cognito-cli-tls-")
        cls.cert, cls.key = make_certificate(cls.dir)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_unknown_certificate_is_a_tls_error(self):
        self.assertTrue(self.emu.url.startswith("https://127.0.0.1:"))
        r = self.cli.call("ListIdentityPools", {"MaxResults": 5})
        one_error_line(self, r, 4, "cognito-tui: TLS: ")
        self.assertEqual(r.out, "")
        self.assertEqual(self.emu.requests(), [])  # the handshake failed: no request reached it

    def test_ca_bundle_makes_it_trusted(self):
        env = self.cli.env(extra={"AWS_CA_BUNDLE": self.cert})
        r = self.cli.call("ListIdentityPools", {"MaxResults": 60}, env=env)
        self.assertEqual(r.rc, 0, r)
        names = {p["IdentityPoolName"] for p in r.json()["IdentityPools"]}
        self.assertIn("big-pool", names)
        # an export over https: every page, one connection
        pool = self.emu.pool_id("big-pool")
        self.emu.reset_log()
        r = self.cli.run("export", "identities", "--pool", pool, env=env)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(len(r.json()), 70)
        log = self.emu.requests()
        self.assertEqual([e["operation"] for e in log], ["ListIdentities", "ListIdentities"])
        self.assertEqual(len({e["connection_id"] for e in log}), 1)

    def test_profile_ca_bundle_makes_it_trusted(self):
        config = os.path.join(self.dir, "config")
        with open(config, "w", encoding="utf-8") as f:
            f.write(f"[default]\nregion = {harness.REGION}\nca_bundle = {self.cert}\n")
        env = self.cli.env(extra={"AWS_CONFIG_FILE": config})
        r = self.cli.call("ListIdentityPools", {"MaxResults": 1}, env=env)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(len(r.json()["IdentityPools"]), 1)

    def test_plain_http_to_the_https_port_is_not_an_answer(self):
        url = self.emu.url.replace("https://", "http://")
        r = self.cli.run("--endpoint-url", url, "call", "ListIdentityPools", '{"MaxResults": 1}')
        self.assertIn(r.rc, (1, 4), r)
        one_error_line(self, r, r.rc)


class FakeProxy:
    """A forward proxy that answers every request itself (one canned answer
    a connection) and records the request lines it saw."""

    BODY = b'{"IdentityPools": []}'

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.lines = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(10)
                data = b""
                try:
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    self.lines.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n"
                                 b"x-amzn-RequestId: via-proxy\r\nConnection: close\r\n"
                                 b"Content-Length: %d\r\n\r\n%s" % (len(self.BODY), self.BODY))
                except OSError:
                    pass

    def close(self):
        self.sock.close()


class ProxyTest(EmulatorCase):
    IDENTITIES = 0

    def setUp(self):
        super().setUp()
        self.proxy = FakeProxy()

    def tearDown(self):
        self.proxy.close()

    def proxy_env(self, **extra):
        url = f"http://127.0.0.1:{self.proxy.port}"
        return self.cli.env(extra=dict({"http_proxy": url, "https_proxy": url, "HTTPS_PROXY": url,
                                        "all_proxy": url, "ALL_PROXY": url}, **extra))

    def test_signed_loopback_request_never_goes_through_a_proxy(self):
        """A signed call with its session token went to the proxy in clear text."""
        env = self.proxy_env(AWS_SESSION_TOKEN="not-for-proxies")
        r = self.cli.call("ListIdentityPools", {"MaxResults": 60}, env=env)
        self.assertEqual(self.proxy.lines, [])
        self.assertEqual([e["operation"] for e in self.emu.requests()], ["ListIdentityPools"])

    def test_container_token_never_goes_through_a_proxy(self):
        env = self.proxy_env(AWS_CONTAINER_CREDENTIALS_FULL_URI=self.emu.url + "/_ecs/creds",
                             AWS_CONTAINER_AUTHORIZATION_TOKEN="emulator-ecs-token")
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            env.pop(k)
        r = self.cli.call("ListIdentityPools", {"MaxResults": 60}, env=env)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("big-pool", {p["IdentityPoolName"] for p in r.json()["IdentityPools"]})
        self.assertEqual(self.proxy.lines, [])

    def test_proxy_password_is_never_printed(self):
        """libcurl quotes a proxy setting it cannot use whole, password and all;
        that text was the error line."""
        for setting in ("http://user:proxy-pass-secret@[::1", "user:proxy-pass-secret@bad host:3128",
                        "http://user:proxy-pass-secret@127.0.0.1:1"):
            with self.subTest(setting=setting):
                env = self.cli.env(extra={"https_proxy": setting, "HTTPS_PROXY": setting, "AWS_MAX_ATTEMPTS": "1",
                                          "AWS_ENDPOINT_URL": "https://cognito-identity.us-east-1.amazonaws.com"})
                env.pop("AWS_ENDPOINT_URL_COGNITO_IDENTITY", None)
                r = self.cli.call("ListIdentityPools", {"MaxResults": 60}, env=env)
                self.assertEqual(r.rc, 4, r)
                self.assertTrue(r.err.startswith("cognito-tui: "), r)
                self.assertNotIn("proxy-pass-secret", r.out + r.err)
                if "127.0.0.1" not in setting:
                    self.assertIn("'$https_proxy'", r.err)  # the setting named by its variable

    def test_no_proxy_goes_direct(self):
        env = self.cli.env(extra={"http_proxy": f"http://127.0.0.1:{self.proxy.port}",
                                  "no_proxy": "127.0.0.1"})
        r = self.cli.call("ListIdentityPools", {"MaxResults": 60}, env=env)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("big-pool", {p["IdentityPoolName"] for p in r.json()["IdentityPools"]})
        self.assertEqual(self.proxy.lines, [])
        self.assertEqual([e["operation"] for e in self.emu.requests()], ["ListIdentityPools"])


if __name__ == "__main__":
    unittest.main()
