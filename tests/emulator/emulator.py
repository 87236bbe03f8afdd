#!/usr/bin/env python3
"""A Cognito Identity emulator (and the credential endpoints around it) for tests and the demo.

Usage: python3 tests/emulator/emulator.py [--host 127.0.0.1] [--port N] [--region us-east-1]
       [--seed none|demo] [--identities N] [--state FILE] [--keys FILE] [--faults SPEC]
       [--tls-cert F --tls-key F]
See README.md in this folder. Standard library only.
"""
import argparse
import email.utils
import json
import os
import re
import signal
import socket
import ssl
import struct
import sys
import tempfile
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import cognito  # noqa: E402
import credentials  # noqa: E402
import faults  # noqa: E402
import iam  # noqa: E402
import jwt  # noqa: E402
import metadata  # noqa: E402
import model  # noqa: E402
import quotas  # noqa: E402
import seed  # noqa: E402
import sigv4  # noqa: E402
import sso  # noqa: E402
import sts  # noqa: E402
import userpools  # noqa: E402
from responses import JSON_TYPE, Request, Response, aws_json_error, json_response  # noqa: E402

TARGET_PREFIX = "AWSCognitoIdentityService."
MAX_BODY = 1 << 20  # a guard against runaway clients; no Cognito input comes near it
MAX_LOG = 100000
TLS_HANDSHAKE_TIMEOUT = 10  # seconds a client has to finish the TLS handshake
REGION_NAME = re.compile(r"[a-z]{2}(-[a-z]+)+-\d")
JWKS_PATH = re.compile(r"/(" + userpools.POOL_ID.pattern + r")/\.well-known/jwks\.json")


class App:
    """Everything the handlers share: data, keys, faults, clock, log, settings."""

    def __init__(self, args):
        self.args = args
        self.region = args.region
        self.regions = [args.region] + [r for r in args.regions if r != args.region]
        self.quotas = quotas.Quotas(args.quotas)
        self.account = credentials.ACCOUNT
        self.model = model.Model()
        self.offset = 0.0
        self.keys = credentials.load_keys(args.keys) if args.keys else None
        self.creds = credentials.CredentialStore(self.keys)
        self.faults = faults.Faults()
        self.faults.set(faults.parse(args.faults or ""))
        # GetOpenIdToken tokens: RS512 with a kid shaped like AWS's ("us-east-11"), as a real
        # cognito-identity token decoded in public material shows (aws-sdk-net#420).
        self.signer = jwt.Signer(kid=f"{args.region}1", alg="RS512")
        self.user_pools = userpools.UserPools()
        self.settings = {}
        self.reset_settings()
        self.store = cognito.Store(self.region, self.account, self.now, self.signer, self.creds, self.settings,
                                   self.user_pools)
        self.log = []
        self.log_lock = threading.Lock()
        self.conn_counter = 0
        self.conn_lock = threading.Lock()
        self.state_lock = threading.Lock()
        self.sso = sso.SSO(self)
        self.metadata = metadata.Metadata(self)
        self.sts = sts.STS(self)
        self.iam = iam.IAM(self)
        self.load_initial()
        if args.state:
            self.store.on_change = self.save_state

    def reset_settings(self):
        self.settings.clear()
        self.settings.update({"credential_duration_seconds": 3600, "sts_duration_override": False,
                              "imds_allow_v1": False})

    def now(self):
        return time.time() + self.offset

    def next_conn_id(self):
        with self.conn_lock:
            self.conn_counter += 1
            return self.conn_counter

    def load_initial(self):
        if self.args.state and os.path.exists(self.args.state):
            try:
                with open(self.args.state, encoding="utf-8") as f:
                    data = json.load(f)
                if not isinstance(data, dict) or not isinstance(data.get("pools"), list):
                    raise ValueError("no 'pools' list")
                if "iam" not in data:
                    # A state file from before IAM: the seed's roles (its pools kept their ids).
                    data["iam"] = seed.build(self.args.seed, self.region, 0)["iam"]
                self.store.load(data)
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
                raise ValueError(f"cannot load state file {self.args.state}: not an emulator state "
                                 f"({type(e).__name__}: {e}); delete it to start from --seed") from None
        else:
            self.store.load(seed.build(self.args.seed, self.region, self.args.identities))

    def save_state(self):
        path = self.args.state
        if not path:
            return
        # The store's lock is held through the write too: changes come from
        # several connection threads and the control endpoints, and a save
        # made from an older snapshot must never land after a newer one.
        with self.store.lock, self.state_lock:
            data = self.store.dump()
            d = os.path.dirname(os.path.abspath(path))
            os.makedirs(d, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".emulator-state-", dir=d)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
                os.replace(tmp, path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise

    def record(self, entry):
        with self.log_lock:
            self.log.append(entry)
            if len(self.log) > MAX_LOG:
                del self.log[: MAX_LOG // 10]

    # -- Cognito Identity -----------------------------------------------------------
    def cognito_route(self, req):
        target = req.header("x-amz-target", "")
        op = target[len(TARGET_PREFIX):] if target.startswith(TARGET_PREFIX) else None
        if op not in self.model.operations:
            msg = f"Unknown operation {target!r}"
            return target or "Unknown", lambda: aws_json_error("UnknownOperationException", msg)
        return op, lambda: self.cognito_call(req, op)

    def request_region(self, req, op, params):
        """The Region a Cognito request is for: its SigV4 scope's (signed operations), else the
        Region prefix of the pool or identity it names (the unsigned public ones), else --region.
        Quotas are kept per (Region, operation), as AWS keeps them per account and Region."""
        scope = sigv4.credential_scope(req.headers, req.raw_query)
        if scope is not None and not self.model.is_unsigned(op):
            return scope[2]
        for key in ("IdentityPoolId", "IdentityId"):
            v = params.get(key) if isinstance(params, dict) else None
            if isinstance(v, str) and v.split(":", 1)[0] in self.regions:
                return v.split(":", 1)[0]
        return self.region

    def denied(self, caller, op, params, region):
        """IAM's deny, as the service sends it: AccessDeniedException with a capital `Message`
        naming the pool's ARN (`...:identitypool/` for ListIdentityPools), as in
        aws-samples/resource-control-policy-examples#18 and terraform-provider-aws#15773."""
        arn = f"arn:aws:cognito-identity:{region}:{self.account}:identitypool/"
        if isinstance(params.get("ResourceArn"), str):
            resource = params["ResourceArn"]
        elif isinstance(params.get("IdentityPoolId"), str):
            resource = arn + params["IdentityPoolId"]
        elif op in ("ListIdentityPools", "CreateIdentityPool"):
            resource = arn
        else:
            ids = [params.get("IdentityId")] + list(params.get("IdentityIdsToDelete") or [])
            pools = [self.store.identity_pool.get(i) for i in ids if isinstance(i, str)]
            resource = arn + next((p for p in pools if p), "*")
        return aws_json_error("AccessDeniedException", f"User: {caller['arn']} is not authorized to perform: "
                              f"cognito-identity:{op} on resource: {resource}", message_key="Message")

    def cognito_call(self, req, op):
        try:
            params = json.loads(req.body.decode("utf-8")) if req.body.strip() else {}
        except (ValueError, UnicodeDecodeError):
            params = None
        region = self.request_region(req, op, params)
        if not self.quotas.take(region, op):
            req.quota_throttled = True
            return aws_json_error("TooManyRequestsException", "Rate exceeded")
        caller = None
        if not self.model.is_unsigned(op):
            scope = sigv4.credential_scope(req.headers, req.raw_query)
            try:
                caller = sigv4.verify(req.method, req.path, req.raw_query, req.headers, req.body, self.now(),
                                      region if scope and scope[2] in self.regions else self.region,
                                      "cognito-identity", self.creds.lookup)
            except sigv4.AuthError as e:
                return aws_json_error(e.code, e.message, e.status)
            req.access_key_id = caller["access_key_id"]
            p = params if isinstance(params, dict) else {}
            # Credentials vended by GetCredentialsForIdentity carry the identity's role, which has
            # no cognito-identity rights here (c6fc/npk#105); the read-only key has the reads only;
            # a pool id given where an ARN belongs is denied as a resource nobody may touch
            # (aws-sdk-ruby#2173: ListTagsForResource with a pool id).
            if (caller.get("source") == "cognito" or (caller["access"] != "full" and op not in cognito.READS)
                    or (isinstance(p.get("ResourceArn"), str) and not p["ResourceArn"].startswith("arn:"))):
                return self.denied(caller, op, p, region)
        if params is None:
            return aws_json_error("SerializationException", "The request body is not valid JSON.")
        req.input = params
        try:
            errors = self.model.validate(op, params)
        except model.SerializationError as e:
            return aws_json_error("SerializationException", str(e))
        if errors:
            msg = model.validation_message(errors)
            return aws_json_error("ValidationException", msg)
        try:
            result = self.store.call(op, params, caller, region)
        except cognito.ServiceError as e:
            return aws_json_error(e.code, e.message, e.status)
        return json_response(result)

    # -- control endpoints -------------------------------------------------------------
    def control(self, req):
        name = req.path[len("/_emulator/"):].strip("/")
        try:
            payload = json.loads(req.body) if req.body.strip() else {}
            if not isinstance(payload, dict):
                raise ValueError("expected a JSON object")
        except ValueError as e:
            return json_response({"error": f"bad JSON body: {e}"}, 400, "application/json")
        m = req.method
        try:
            if name == "reset" and m == "POST":
                self.faults.set(faults.parse(self.args.faults or ""))
                with self.log_lock:
                    self.log.clear()
                self.offset = 0.0
                self.reset_settings()
                self.sso.reset()
                self.metadata.reset()
                self.creds.clear_temporary()
                self.quotas.set(*quotas.parse(self.args.quotas))
                self.store.load(seed.build(self.args.seed, self.region, self.args.identities))
                self.save_state()
                return json_response({"ok": True}, 200, "application/json")
            if name == "faults" and m == "GET":
                return json_response({"faults": self.faults.list()}, 200, "application/json")
            if name == "faults" and m == "POST":
                self.faults.set_from_json(payload)
                return json_response({"faults": self.faults.list()}, 200, "application/json")
            if name == "requests" and m == "GET":
                with self.log_lock:
                    entries = list(self.log)
                return json_response({"requests": entries}, 200, "application/json")
            if name == "reset-log" and m == "POST":
                with self.log_lock:
                    self.log.clear()
                return json_response({"ok": True}, 200, "application/json")
            if name == "seed" and m == "POST":
                n = payload.get("identities", self.args.identities)
                if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                    raise ValueError("'identities' must be a non-negative integer")
                self.store.load(seed.build(payload.get("seed", "demo"), self.region, n))
                self.save_state()
                return json_response({"ok": True}, 200, "application/json")
            if name == "clock" and m in ("GET", "POST"):
                if m == "POST":
                    off = payload.get("offset_seconds")
                    if isinstance(off, bool) or not isinstance(off, (int, float)):
                        raise ValueError("'offset_seconds' must be a number")
                    self.offset = float(off)
                return json_response({"now": self.now(), "offset_seconds": self.offset}, 200, "application/json")
            if name == "settings" and m in ("GET", "POST"):
                if "credential_duration_seconds" in payload:
                    d = payload["credential_duration_seconds"]
                    if isinstance(d, bool) or not isinstance(d, (int, float)) or d < 1:
                        raise ValueError("'credential_duration_seconds' must be a positive number")
                    self.settings["credential_duration_seconds"] = d
                    self.settings["sts_duration_override"] = True
                if "imds_allow_v1" in payload:
                    if not isinstance(payload["imds_allow_v1"], bool):
                        raise ValueError("'imds_allow_v1' must be true or false")
                    self.settings["imds_allow_v1"] = payload["imds_allow_v1"]
                return json_response(dict(self.settings), 200, "application/json")
            if name == "sso-tokens" and m == "POST":
                tok = payload.get("token")
                if not isinstance(tok, str) or not tok:
                    raise ValueError("'token' must be a non-empty string")
                exp = payload.get("expires_in")
                if exp is not None and (isinstance(exp, bool) or not isinstance(exp, (int, float))):
                    raise ValueError("'expires_in' must be a number of seconds")
                self.sso.register(tok, exp)
                return json_response({"ok": True}, 200, "application/json")
            if name == "jwks" and m == "GET":
                return json_response(self.signer.jwks(), 200, "application/json")
            if name == "state" and m == "GET":
                return json_response(self.store.dump(), 200, "application/json")
            if name == "quotas" and m in ("GET", "POST"):
                if m == "POST":
                    self.quotas.set(payload.get("mode", "aws"), payload.get("scale", 1))
                return json_response(self.quotas.describe(), 200, "application/json")
            if name == "idp/token" and m == "POST":
                return json_response({"Token": self.user_pools.mint(payload, self.now())}, 200, "application/json")
            if name == "iam/role" and m == "POST":
                return json_response(self.iam.put_raw_role(payload), 200, "application/json")
        except (ValueError, faults.FaultError) as e:
            return json_response({"error": str(e)}, 400, "application/json")
        return json_response({"error": f"no control endpoint {m} /_emulator/{name}"}, 404, "application/json")

    # -- routing --------------------------------------------------------------------
    def route(self, req):
        """Returns (operation name, function producing the Response)."""
        if req.method == "POST" and req.path == "/" and req.header("x-amz-target"):
            return self.cognito_route(req)
        m = JWKS_PATH.fullmatch(req.path)
        if m and req.method == "GET":
            return "UserPoolJwks", lambda: json_response(self.user_pools.jwks(m.group(1)), 200, "application/json")
        r = self.iam.route(req, sigv4.credential_scope(req.headers, req.raw_query))
        if r is not None:
            return r
        for part in (self.sts, self.sso, self.metadata):
            r = part.route(req)
            if r is not None:
                return r
        if req.method == "POST" and req.path == "/":
            return "Unknown", lambda: aws_json_error("UnknownOperationException", "Missing X-Amz-Target header")
        return "Unknown", lambda: json_response({"message": f"Not found: {req.method} {req.path}"}, 404,
                                                "application/json")


def fault_response(rule, op, produce, query_error=None):
    """Applies a fault. Returns (Response, mode) where mode is None, 'drop' or 'delay'.
    query_error(code, message, status): the XML error of a query-protocol service (IAM), which
    then answers throttle, 5xx:500 and error faults in its own shape."""
    kind, arg = rule["kind"], rule["arg"]
    if query_error and kind == "throttle":
        return query_error("Throttling", "Rate exceeded", 400), None
    if query_error and kind == "5xx" and int(arg) == 500:
        return query_error("ServiceFailure", "Request processing has failed due to an unknown error.", 500), None
    if query_error and kind == "error":
        return query_error(arg, "Injected error.", 400), None
    if kind == "throttle":
        return aws_json_error("TooManyRequestsException", "Rate exceeded"), None
    if kind == "5xx":
        n = int(arg)
        if n == 500:
            return aws_json_error("InternalErrorException", "An internal error occurred.", 500), None
        return Response(n, b"", None, error_code=str(n)), None
    if kind == "error":
        return aws_json_error(arg, "Injected error."), None
    if kind == "status":
        return Response(int(arg), b"", None, error_code=str(arg)), None
    if kind == "badjson":
        return Response(200, b'{"IdentityPools": [{"IdentityPoolId": ', JSON_TYPE), None
    if kind == "html":
        n = int(arg)
        page = (f"<html>\r\n<head><title>{n} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>{n} Bad Gateway"
                "</h1></center>\r\n</body>\r\n</html>\r\n")
        return Response(n, page, "text/html", error_code=str(n)), None
    if kind == "xml403":
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<AccessDeniedException>\n  <Message>Access denied by '
                'policy</Message>\n</AccessDeniedException>\n')
        return Response(403, body, "text/xml", error_code="AccessDeniedException"), None
    if kind == "oversize":
        n = max(int(arg), 16)
        body = b'{"pad":"' + b"x" * (n - 10) + b'"}'
        return Response(200, body, JSON_TYPE), None
    resp = produce()
    if kind == "delay":
        return resp, "delay"
    if kind in ("drop", "reset"):
        return resp, kind
    if kind == "truncate":
        resp.body = resp.body[: len(resp.body) // 2]
        return resp, None
    if kind == "content-type":
        resp.content_type = "text/plain"
        return resp, None
    return resp, None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes; Nagle would add ~40 ms
    app = None

    def setup(self):
        # TLS: the handshake runs here, in the connection's own thread, so a
        # client that connects and says nothing holds up no one else.
        self.tls_failed = False
        if isinstance(self.request, ssl.SSLSocket):
            try:
                self.request.settimeout(TLS_HANDSHAKE_TIMEOUT)
                self.request.do_handshake()
                self.request.settimeout(None)
            except (OSError, ssl.SSLError):
                self.tls_failed = True
        super().setup()
        self.conn_id = self.app.next_conn_id()

    def handle(self):
        if not self.tls_failed:
            super().handle()

    def version_string(self):
        return "Server"

    def log_message(self, fmt, *args):
        pass

    def do_POST(self):
        self.handle_one()

    do_GET = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_POST

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        if n < 0 or n > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(n) if n else b""

    def handle_one(self):
        app = self.app
        started = time.monotonic()
        request_id = str(uuid.uuid4())
        try:
            body = self.read_body()
        except ValueError:
            self.close_connection = True
            self.send(aws_json_error("SerializationException", "Request body too large or malformed."), request_id)
            return
        req = Request(self.command, self.path, self.headers, body, self.conn_id)
        req.access_key_id = None
        if req.path.startswith("/_emulator/"):
            self.send(app.control(req), request_id)
            return
        op, route_produce = app.route(req)

        def produce():
            try:
                return route_produce()
            except Exception:  # an emulator bug: answer as the service does for its own faults, and say so
                traceback.print_exc(file=sys.stderr)
                return aws_json_error("InternalErrorException", "The emulator failed on this request.", 500)

        rule = app.faults.pick(op)
        mode = None
        if rule:
            is_iam = getattr(req, "service", None) == "iam"
            resp, mode = fault_response(rule, op, produce, app.iam.error if is_iam else None)
        else:
            resp = produce()
        if mode == "delay":
            time.sleep(int(rule["arg"]) / 1000.0)
        if req.access_key_id is None:
            akid = None
            auth = req.header("authorization", "")
            if "Credential=" in auth:
                akid = auth.split("Credential=", 1)[1].split("/", 1)[0]
            req.access_key_id = akid
        app.record({
            "time": round(app.now(), 3), "connection_id": self.conn_id, "operation": op, "status": resp.status,
            "duration_ms": round((time.monotonic() - started) * 1000, 3), "request_id": request_id,
            "method": req.method, "path": req.path, "access_key_id": req.access_key_id,
            "fault": rule["kind"] if rule else None, "quota": getattr(req, "quota_throttled", False),
            "error_code": resp.error_code, "input": req.input,
        })
        if mode == "reset":
            self.reset_connection()
            return
        self.send(resp, request_id, drop=(mode == "drop"))

    def reset_connection(self):
        """The `reset` fault: the operation ran, and the connection ends with no answer at all
        (SO_LINGER 0: the close sends a TCP RST, as a load balancer dropping a connection does)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass

    def send(self, resp, request_id, drop=False):
        chunked_cut = drop and not resp.body
        self.send_response_only(resp.status)
        self.send_header("x-amzn-RequestId", request_id)
        self.send_header("Date", email.utils.formatdate(self.app.now(), usegmt=True))
        if resp.content_type:
            self.send_header("Content-Type", resp.content_type)
        for k, v in resp.headers.items():
            self.send_header(k, v)
        if chunked_cut:
            # Nothing to cut in the body, so promise one: a chunked answer whose last chunk never
            # comes. A client must never read this as an empty success (issue 11:
            # DeleteIdentityPool, UntagResource... answer with no body).
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(resp.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        if drop:
            self.wfile.write(resp.body[: len(resp.body) // 2])  # empty for the chunked cut
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.wfile.write(resp.body)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    ssl_context = None  # set for --tls-cert: each accepted socket is wrapped, handshake deferred

    def get_request(self):
        sock, addr = self.socket.accept()
        if self.ssl_context is not None:
            try:
                sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
            except (OSError, ssl.SSLError):
                sock.close()
                raise
        return sock, addr


def parse_args(argv):
    p = argparse.ArgumentParser(description="Cognito Identity emulator (tests and demo)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--region", default="us-east-1")
    p.add_argument("--regions", default="", help="more Regions to answer for, comma-separated")
    p.add_argument("--quotas", default="off", help="off | aws | aws:SCALE")
    p.add_argument("--seed", choices=["none", "demo"], default="none")
    p.add_argument("--identities", type=int, default=10000)
    p.add_argument("--state")
    p.add_argument("--keys")
    p.add_argument("--faults", default="")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--exit-on-stdin-eof", action="store_true",
                   help="stop when standard input reaches end of file (its starter holds the other end of a pipe)")
    a = p.parse_args(argv)
    if a.identities < 0:
        p.error("--identities must be >= 0")
    if not 0 <= a.port <= 65535:
        p.error("--port must be 0-65535")
    if bool(a.tls_cert) != bool(a.tls_key):
        p.error("--tls-cert and --tls-key go together")
    try:
        faults.parse(a.faults)
    except faults.FaultError as e:
        p.error(f"--faults: {e}")
    try:
        quotas.parse(a.quotas)
    except ValueError as e:
        p.error(f"--quotas: {e}")
    a.regions = [r.strip() for r in a.regions.split(",") if r.strip()]
    for r in [a.region] + a.regions:
        if not REGION_NAME.fullmatch(r):
            p.error(f"--region/--regions: {r!r} is not a Region name such as us-east-1")
    return a


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        app = App(args)
    except (OSError, ValueError) as e:
        print(f"emulator: {e}", file=sys.stderr)
        return 2
    Handler.app = app
    try:
        server = Server((args.host, args.port), Handler)
    except OSError as e:
        print(f"emulator: cannot listen on {args.host}:{args.port}: {e}", file=sys.stderr)
        return 2
    scheme = "http"
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        try:
            ctx.load_cert_chain(args.tls_cert, args.tls_key)
        except (OSError, ssl.SSLError) as e:
            print(f"emulator: cannot load TLS certificate/key: {e}", file=sys.stderr)
            return 2
        server.ssl_context = ctx
        scheme = "https"
    host, port = server.server_address[:2]
    if ":" in host:
        host = f"[{host}]"

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.exit_on_stdin_eof:
        # The lifeline: whoever started us holds the write end of our stdin pipe. However it ends
        # (a test failing, a timeout, SIGKILL), the pipe closes and we stop: no orphaned emulator.
        def watch_stdin():
            try:
                while os.read(0, 4096):  # the raw descriptor: a buffered reader's lock would abort the exit
                    pass
            except OSError:
                pass
            stop(None, None)

        threading.Thread(target=watch_stdin, daemon=True, name="stdin-lifeline").start()
    print(f"listening on {scheme}://{host}:{port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        # Connection threads are daemons: let a state save in progress finish,
        # and start no other, before the process ends (held until exit).
        app.state_lock.acquire(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
