"""IAM Identity Center on the emulator's port: the portal's GetRoleCredentials and OIDC CreateToken.

Shapes from botocore's sso 2019-06-10 and sso-oidc 2019-06-10 models (rest-json):
GET /federation/credentials?role_name=&account_id= with header
x-amz-sso_bearer_token -> {"roleCredentials": {accessKeyId, secretAccessKey,
sessionToken, expiration (epoch milliseconds)}}; UnauthorizedException is 401.
POST /token {clientId, clientSecret, grantType, refreshToken} -> {accessToken,
tokenType, expiresIn, refreshToken}; OIDC errors carry `error` and
`error_description` (InvalidGrantException 400, InvalidClientException 401).
"""
import json
import secrets
import threading

from responses import Response

DEFAULT_ACCESS_TOKEN = "emulator-sso-token"
DEFAULT_REFRESH_TOKEN = "emulator-refresh-token"


def _json(obj, status=200, code=None):
    r = Response(status, json.dumps(obj), "application/json", error_code=code)
    if code:
        r.headers["x-amzn-ErrorType"] = f"{code}:"
    return r


class SSO:
    def __init__(self, app):
        self.app = app
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self.access = {DEFAULT_ACCESS_TOKEN: None}  # token -> expiry (epoch) or None
            self.refresh = {DEFAULT_REFRESH_TOKEN}

    def register(self, token, expires_in=None):
        with self._lock:
            self.access[token] = None if expires_in is None else self.app.now() + expires_in

    def _valid(self, token):
        with self._lock:
            if token not in self.access:
                return False
            exp = self.access[token]
            return exp is None or exp > self.app.now()

    def route(self, req):
        if req.path == "/federation/credentials" and req.method == "GET":
            req.input = dict(req.query)
            return "GetRoleCredentials", lambda: self.get_role_credentials(req)
        if req.path == "/token" and req.method == "POST":
            return "CreateToken", lambda: self.create_token(req)
        return None

    def get_role_credentials(self, req):
        role, account = req.query.get("role_name"), req.query.get("account_id")
        token = req.header("x-amz-sso_bearer_token")
        if not role or not account:
            return _json({"message": "role_name and account_id are required"}, 400, "InvalidRequestException")
        if not token or not self._valid(token):
            return _json({"message": "Session token not found or invalid"}, 401, "UnauthorizedException")
        if account != self.app.account:
            return _json({"message": "No access"}, 403, "ForbiddenException")
        if not all(c.isalnum() or c in "+=,.@_-" for c in role):
            return _json({"message": "Could not find role"}, 404, "ResourceNotFoundException")
        arn = f"arn:aws:iam::{account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_{role}_0123456789abcdef"
        expires = self.app.now() + self.app.settings["credential_duration_seconds"]
        c = self.app.creds.issue(arn, "sso-user", expires)
        return _json({"roleCredentials": {"accessKeyId": c["access_key_id"], "secretAccessKey": c["secret"],
                                          "sessionToken": c["session_token"], "expiration": int(expires * 1000)}})

    def create_token(self, req):
        try:
            body = json.loads(req.body or b"{}")
            if not isinstance(body, dict):
                raise ValueError
        except ValueError:
            return _json({"error": "invalid_request", "error_description": "Body is not a JSON object"}, 400,
                         "InvalidRequestException")
        req.input = {k: ("***" if k in ("clientSecret", "refreshToken", "code", "deviceCode") else v)
                     for k, v in body.items()}
        for k in ("clientId", "clientSecret", "grantType"):
            if not isinstance(body.get(k), str) or not body.get(k):
                return _json({"error": "invalid_request", "error_description": f"{k} is required"}, 400,
                             "InvalidRequestException")
        if body["clientSecret"] == "invalid":
            return _json({"error": "invalid_client", "error_description": "Invalid client secret"}, 401,
                         "InvalidClientException")
        if body["grantType"] != "refresh_token":
            return _json({"error": "unsupported_grant_type", "error_description": "Unsupported grant type"}, 400,
                         "UnsupportedGrantTypeException")
        rt = body.get("refreshToken")
        with self._lock:
            ok = isinstance(rt, str) and rt in self.refresh
        if not ok:
            return _json({"error": "invalid_grant", "error_description": "Invalid refresh token provided"}, 400,
                         "InvalidGrantException")
        access = "emulator-access-" + secrets.token_urlsafe(24)
        refresh = "emulator-refresh-" + secrets.token_urlsafe(24)
        expires_in = int(self.app.settings["credential_duration_seconds"])
        with self._lock:
            self.access[access] = self.app.now() + expires_in
            self.refresh.add(refresh)
        return _json({"accessToken": access, "tokenType": "Bearer", "expiresIn": expires_in, "refreshToken": refresh})
