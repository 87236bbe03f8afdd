"""Container (ECS) and EC2 instance metadata (IMDSv2) credential endpoints on the emulator's port.

ECS: GET /_ecs/creds (AWS_CONTAINER_CREDENTIALS_FULL_URI) with the Authorization
header `emulator-ecs-token`; JSON {AccessKeyId, SecretAccessKey, Token,
Expiration (ISO 8601), RoleArn} as the ECS agent answers (AWS SDK reference,
"Container credential provider"). `?role=NAME` picks the role name.
IMDSv2 per the EC2 user guide ("Use IMDSv2"): PUT /latest/api/token with
X-aws-ec2-metadata-token-ttl-seconds 1-21600 (else 400; X-Forwarded-For: 403),
then GETs with X-aws-ec2-metadata-token (missing/expired/unknown: 401).
"""
import json
import secrets
import threading

from responses import Response
from sts import iso

ECS_TOKEN = "emulator-ecs-token"
EC2_ROLE = "emulator-ec2-role"
CREDS_PATH = "/latest/meta-data/iam/security-credentials/"


class Metadata:
    def __init__(self, app):
        self.app = app
        self._lock = threading.Lock()
        self.tokens = {}

    def reset(self):
        with self._lock:
            self.tokens = {}

    def route(self, req):
        if req.path == "/_ecs/creds":
            req.input = dict(req.query)
            return "ContainerCredentials", lambda: self.ecs(req)
        if req.path == "/latest/api/token":
            return "IMDSToken", lambda: self.imds_token(req)
        if req.path == CREDS_PATH:
            return "IMDSRoleList", lambda: self.imds_get(req, None)
        if req.path.startswith(CREDS_PATH):
            return "IMDSCredentials", lambda: self.imds_get(req, req.path[len(CREDS_PATH):])
        return None

    def _creds(self, role_arn, session):
        expires = self.app.now() + self.app.settings["credential_duration_seconds"]
        return self.app.creds.issue(role_arn, session, expires)

    def ecs(self, req):
        if req.method != "GET":
            return Response(405, b"", None, error_code="405")
        auth = req.header("authorization")
        if auth is None:
            return Response(401, json.dumps({"code": "AccessDenied", "message": "Authorization header missing"}),
                            "application/json", error_code="AccessDenied")
        if auth != ECS_TOKEN:
            return Response(403, json.dumps({"code": "AccessDenied", "message": "Invalid authorization token"}),
                            "application/json", error_code="AccessDenied")
        role = req.query.get("role", "emulator-ecs-task-role")
        arn = f"arn:aws:iam::{self.app.account}:role/{role}"
        c = self._creds(arn, "ecs-task")
        return Response(200, json.dumps({"AccessKeyId": c["access_key_id"], "SecretAccessKey": c["secret"],
                                         "Token": c["session_token"], "Expiration": iso(c["expires"]),
                                         "RoleArn": arn}), "application/json")

    def imds_token(self, req):
        if req.method != "PUT":
            return Response(405, b"", "text/plain", error_code="405")
        if req.header("x-forwarded-for"):
            return Response(403, b"", "text/plain", error_code="403")
        ttl = req.header("x-aws-ec2-metadata-token-ttl-seconds")
        try:
            ttl = int(ttl)
        except (TypeError, ValueError):
            return Response(400, b"", "text/plain", error_code="400")
        if not 1 <= ttl <= 21600:
            return Response(400, b"", "text/plain", error_code="400")
        token = "AQAEA" + secrets.token_urlsafe(40)
        with self._lock:
            self.tokens[token] = self.app.now() + ttl
        return Response(200, token, "text/plain", {"X-aws-ec2-metadata-token-ttl-seconds": str(ttl)})

    def imds_get(self, req, role):
        if req.method != "GET":
            return Response(405, b"", "text/plain", error_code="405")
        token = req.header("x-aws-ec2-metadata-token")
        with self._lock:
            exp = self.tokens.get(token) if token else None
        v1 = token is None and self.app.settings.get("imds_allow_v1")
        if not v1 and (exp is None or exp <= self.app.now()):
            return Response(401, b"", "text/plain", error_code="401")
        if role is None:
            return Response(200, EC2_ROLE, "text/plain")
        if role != EC2_ROLE:
            return Response(404, b"", "text/plain", error_code="404")
        c = self._creds(f"arn:aws:iam::{self.app.account}:role/{EC2_ROLE}", "i-0123456789abcdef0")
        return Response(200, json.dumps({"Code": "Success", "LastUpdated": iso(self.app.now()), "Type": "AWS-HMAC",
                                         "AccessKeyId": c["access_key_id"], "SecretAccessKey": c["secret"],
                                         "Token": c["session_token"], "Expiration": iso(c["expires"])}, indent=2),
                        "text/plain")
