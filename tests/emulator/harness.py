"""Start and drive the emulator from Python tests. Standard library only.

    import harness
    with harness.Emulator("--seed", "demo", "--identities", "200") as emu:
        status, headers, body = emu.call("ListIdentityPools", {"MaxResults": 10})
        log = emu.requests()

See README.md in this folder for every method. The emulator runs as a
subprocess of /usr/bin/python3 on --port 0; the URL is read from its first
stdout line.
"""
import atexit
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
EMULATOR = os.path.join(HERE, "emulator.py")
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
ACCOUNT = "123456789012"
REGION = "us-east-1"
FULL_KEY = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
READ_KEY = ("AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY")
TARGET_PREFIX = "AWSCognitoIdentityService."
NO_FILE = "/nonexistent/cognito-tui-emulator"
JSON_TYPE = "application/x-amz-json-1.1"

sys.path.insert(0, HERE)
import sigv4  # noqa: E402


class EmulatorError(RuntimeError):
    pass


def strip_ns(root):
    """The element tree with XML namespaces dropped from tag names (for find('Role/Arn'))."""
    if root is not None:
        for el in root.iter():
            el.tag = el.tag.rsplit("}", 1)[-1]
    return root


def xml_text(root):
    import xml.etree.ElementTree as ET

    return ET.tostring(root, encoding="unicode") if root is not None else None


_RUNNING = set()  # emulators started and not yet stopped, stopped at interpreter exit


def _stop_all():
    for emu in list(_RUNNING):
        emu.stop()


atexit.register(_stop_all)


class Emulator:
    """One emulator subprocess. Usable as a context manager.

    The emulator is tied to this process three ways, so no path leaves it running: stop()
    (the with block, or cls.addClassCleanup(emu.stop), which runs even when setUpClass fails),
    an atexit hook for any left at a normal exit, and a lifeline: it reads its stdin, a pipe
    whose write end only this process holds, and stops at end of file, so it also ends when
    this process is killed (a suite's timeout, SIGKILL)."""

    def __init__(self, *args, start_timeout=30):
        self.args = [str(a) for a in args]
        self.url = None
        self.host = None
        self.port = None
        self.proc = None
        self.start_timeout = start_timeout
        self.stderr_lines = []
        self.start()

    # -- life cycle -----------------------------------------------------
    def start(self):
        if self.proc is not None and self.proc.poll() is None:
            raise EmulatorError("this emulator is already running (harness.Emulator() starts it; do not call "
                                "start() again: the first process would be orphaned)")
        cmd = [PYTHON, EMULATOR, "--port", "0", "--exit-on-stdin-eof"] + self.args
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.PIPE
        )
        _RUNNING.add(self)
        got = {}
        done = threading.Event()

        def read_first():
            got["line"] = self.proc.stdout.readline()
            done.set()

        threading.Thread(target=read_first, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        if not done.wait(self.start_timeout):
            self.stop()
            raise EmulatorError("emulator did not print its listening line in time")
        line = got.get("line", "").strip()
        if not line.startswith("listening on "):
            self.stop()
            raise EmulatorError(f"emulator failed to start: {line!r} {''.join(self.stderr_lines)[-2000:]}")
        self.url = line[len("listening on ") :]
        u = urllib.parse.urlsplit(self.url)
        self.host, self.port = u.hostname, u.port
        threading.Thread(target=self._drain_stdout, daemon=True).start()
        return self

    def _drain_stderr(self):
        for line in self.proc.stderr:
            self.stderr_lines.append(line)

    def _drain_stdout(self):
        for _ in self.proc.stdout:
            pass

    def stop(self):
        _RUNNING.discard(self)
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stdin and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        return self.proc.returncode if self.proc else None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    # -- environment for child processes (aws CLI, the console) ------------
    def env(self, read_only=False, base=None):
        env = dict(os.environ if base is None else base)
        key = READ_KEY if read_only else FULL_KEY
        # A proxy from the developer's shell would take the emulator's traffic
        # (libcurl and botocore do not exempt loopback); tests that want one set it.
        for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE", "AWS_CA_BUNDLE", "http_proxy",
                  "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"):
            env.pop(k, None)
        env.update(
            {
                "AWS_ACCESS_KEY_ID": key[0],
                "AWS_SECRET_ACCESS_KEY": key[1],
                "AWS_DEFAULT_REGION": REGION,
                "AWS_REGION": REGION,
                # Paths that do not exist, as tests/run.sh uses (the console refuses /dev/null).
                "AWS_CONFIG_FILE": NO_FILE + "/config",
                "AWS_SHARED_CREDENTIALS_FILE": NO_FILE + "/credentials",
                "AWS_ENDPOINT_URL_COGNITO_IDENTITY": self.url,
                # STS too (assumed roles, the account id of tag ARNs): no
                # test may reach the real service.
                "AWS_ENDPOINT_URL_STS": self.url,
                # IAM (the audit) and the user pools' keys (the doctor) are the emulator's too.
                "AWS_ENDPOINT_URL_IAM": self.url,
                "AWS_ENDPOINT_URL_COGNITO_IDP": self.url,
                "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_PAGER": "",
            }
        )
        return env

    # -- raw HTTP ---------------------------------------------------------
    def connection(self, timeout=30):
        if self.url.startswith("https"):
            import ssl

            ctx = ssl._create_unverified_context()  # test-only client for a self-signed test cert
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout, context=ctx)
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, body=b"", headers=None, conn=None):
        """Returns (status, headers dict with lowercase names, body bytes)."""
        own = conn is None
        conn = conn or self.connection()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            if own:
                conn.close()

    def control(self, method, path, payload=None):
        body = b"" if payload is None else json.dumps(payload).encode()
        status, _, data = self.request(method, path, body, {"Content-Type": "application/json"})
        if status != 200:
            raise EmulatorError(f"{method} {path}: {status} {data[:300]!r}")
        return json.loads(data) if data else {}

    # -- Cognito calls ------------------------------------------------------
    def call(self, operation, payload=None, sign=True, key=FULL_KEY, session_token=None, when=None,
             region=REGION, service="cognito-identity", conn=None, raw_body=None, extra_headers=None):
        """One Cognito Identity call. Returns (status, headers, parsed JSON or None)."""
        body = raw_body if raw_body is not None else json.dumps(payload if payload is not None else {}).encode()
        headers = {"Content-Type": JSON_TYPE, "X-Amz-Target": TARGET_PREFIX + operation}
        if extra_headers:
            headers.update(extra_headers)
        if sign:
            headers = sigv4.sign("POST", self.url + "/", headers, body, key[0], key[1], region, service,
                                 session_token=session_token, when=when)
        status, h, data = self.request("POST", "/", body, headers, conn=conn)
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = None
        return status, h, parsed

    def ok(self, operation, payload=None, **kw):
        """call() that must succeed; returns the parsed body."""
        status, h, body = self.call(operation, payload, **kw)
        if status != 200:
            raise EmulatorError(f"{operation}: {status} {body}")
        return body or {}

    def query(self, service, action, params=None, key=FULL_KEY, region=REGION, version=None, session_token=None,
              sign=True):
        """One query-protocol call (IAM: service "iam", version 2010-05-08; STS: "sts").
        Returns (status, headers, parsed XML root as xml.etree.ElementTree.Element or None)."""
        import xml.etree.ElementTree as ET

        form = {"Action": action, "Version": version or {"iam": "2010-05-08", "sts": "2011-06-15"}[service]}
        form.update(params or {})
        body = urllib.parse.urlencode(form).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        if sign:
            headers = sigv4.sign("POST", self.url + "/", headers, body, key[0], key[1], region, service,
                                 session_token=session_token)
        status, h, data = self.request("POST", "/", body, headers)
        try:
            root = ET.fromstring(data) if data else None
        except ET.ParseError:
            root = None
        return status, h, root

    def iam(self, action, params=None, **kw):
        """query("iam", ...) that must succeed; returns the XML root with its namespace removed."""
        status, _, root = self.query("iam", action, params, **kw)
        if status != 200:
            raise EmulatorError(f"iam {action}: {status} {xml_text(root)}")
        return strip_ns(root)

    # -- control helpers ------------------------------------------------------
    def requests(self):
        return self.control("GET", "/_emulator/requests")["requests"]

    def reset_log(self):
        self.control("POST", "/_emulator/reset-log")

    def reset(self):
        self.control("POST", "/_emulator/reset")

    def set_faults(self, spec):
        return self.control("POST", "/_emulator/faults", {"spec": spec})

    def faults(self):
        return self.control("GET", "/_emulator/faults")["faults"]

    def clock(self, offset_seconds):
        return self.control("POST", "/_emulator/clock", {"offset_seconds": offset_seconds})

    def settings(self, **kw):
        return self.control("POST", "/_emulator/settings", kw)

    def cognito_role(self, name, pool_id=None, amr=None, tag_session=True):
        """Creates (or re-trusts) IAM role NAME trusting cognito-identity.amazonaws.com, for POOL_ID
        only when given, for AMR ("authenticated"/"unauthenticated") only when given, with
        sts:TagSession unless told not. Returns its ARN (GetCredentialsForIdentity needs it)."""
        cond = {}
        if pool_id:
            cond["StringEquals"] = {"cognito-identity.amazonaws.com:aud": pool_id}
        if amr:
            cond["ForAnyValue:StringLike"] = {"cognito-identity.amazonaws.com:amr": amr}
        stmt = {"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                "Action": ["sts:AssumeRoleWithWebIdentity"] + (["sts:TagSession"] if tag_session else [])}
        if cond:
            stmt["Condition"] = cond
        doc = json.dumps({"Version": "2012-10-17", "Statement": [stmt]})
        status, _, _ = self.query("iam", "CreateRole", {"RoleName": name, "AssumeRolePolicyDocument": doc})
        if status != 200:
            self.iam("UpdateAssumeRolePolicy", {"RoleName": name, "PolicyDocument": doc})
        return f"arn:aws:iam::{ACCOUNT}:role/{name}"

    def idp_token(self, user_pool_id, client_id, username, token_use="id", claims=None, expires_in=3600):
        """A user-pool ID or access token from POST /_emulator/idp/token."""
        return self.control("POST", "/_emulator/idp/token", {
            "UserPoolId": user_pool_id, "ClientId": client_id, "Username": username, "TokenUse": token_use,
            "Claims": claims or {}, "ExpiresIn": expires_in})["Token"]

    def caller_arn(self, credentials):
        """The ARN STS GetCallerIdentity gives for GetCredentialsForIdentity's Credentials (which role)."""
        c = credentials
        status, _, root = self.query("sts", "GetCallerIdentity", key=(c["AccessKeyId"], c["SecretKey"]),
                                     session_token=c["SessionToken"])
        if status != 200:
            raise EmulatorError(f"GetCallerIdentity: {status} {xml_text(root)}")
        return strip_ns(root).findtext("GetCallerIdentityResult/Arn")

    def pool_id(self, name):
        token = None
        while True:
            req = {"MaxResults": 60}
            if token:
                req["NextToken"] = token
            out = self.ok("ListIdentityPools", req)
            for p in out.get("IdentityPools", []):
                if p["IdentityPoolName"] == name:
                    return p["IdentityPoolId"]
            token = out.get("NextToken")
            if not token:
                raise EmulatorError(f"no pool named {name!r}")
