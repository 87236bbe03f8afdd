"""STS on the emulator's port: AssumeRole, AssumeRoleWithWebIdentity, GetCallerIdentity.

Query protocol (form-encoded POST, or GET with the query), XML answers and
<ErrorResponse> errors shaped as in botocore's sts 2011-06-15 model
(resultWrapper, Credentials, AssumedRoleUser) and the STS API reference.
AssumeRole and GetCallerIdentity are SigV4-signed with service `sts`;
AssumeRoleWithWebIdentity is unsigned (botocore: signature_version UNSIGNED for it).
"""
import datetime
import re
import urllib.parse
from xml.sax.saxutils import escape

import jwt
import sigv4
from responses import Response

NS = "https://sts.amazonaws.com/doc/2011-06-15/"
ACTIONS = ("AssumeRole", "AssumeRoleWithWebIdentity", "GetCallerIdentity")
ROLE_ARN = re.compile(r"arn:aws[\w-]*:iam::(\d{12}):role/([\w+=,.@/-]+)")
SESSION_NAME = re.compile(r"[\w+=,.@-]{2,64}", re.ASCII)
MFA_CODE = "123456"
EXTERNAL_ID = "emulator-external-id"
# Query-protocol codes for the SigV4 failures (the JSON services' names differ).
AUTH_CODES = {
    "MissingAuthenticationTokenException": ("MissingAuthenticationToken", 403),
    "IncompleteSignatureException": ("IncompleteSignature", 400),
    "UnrecognizedClientException": ("InvalidClientTokenId", 403),
    "InvalidSignatureException": ("SignatureDoesNotMatch", 403),
    "ExpiredTokenException": ("ExpiredToken", 400),
}


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class STS:
    def __init__(self, app):
        self.app = app

    def route(self, req):
        if req.path != "/" or req.method not in ("POST", "GET"):
            return None
        params = dict(req.query)
        if req.method == "POST":
            ctype = req.header("content-type", "")
            if "x-www-form-urlencoded" not in ctype and not req.body.startswith(b"Action="):
                return None
            try:
                form = urllib.parse.parse_qs(req.body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                form = {}
            params.update({k: v[0] for k, v in form.items()})
        action = params.get("Action")
        if action is None:
            return None
        req.input = params
        if action not in ACTIONS:
            return action, lambda: self.error("InvalidAction", f"Could not find operation {action} for version "
                                              f"{params.get('Version')}", 400)
        return action, lambda: self.call(req, action, params)

    # -- answers ---------------------------------------------------------------
    def xml(self, action, result):
        body = (f'<{action}Response xmlns="{NS}">\n  <{action}Result>\n{result}  </{action}Result>\n'
                f"  <ResponseMetadata>\n    <RequestId>{_rid()}</RequestId>\n  </ResponseMetadata>\n"
                f"</{action}Response>\n")
        return Response(200, body, "text/xml")

    def error(self, code, message, status, sender=True):
        body = (f'<ErrorResponse xmlns="{NS}">\n  <Error>\n    <Type>{"Sender" if sender else "Receiver"}</Type>\n'
                f"    <Code>{escape(code)}</Code>\n    <Message>{escape(message)}</Message>\n  </Error>\n"
                f"  <RequestId>{_rid()}</RequestId>\n</ErrorResponse>\n")
        return Response(status, body, "text/xml", error_code=code)

    def _validation(self, field, value, constraint):
        return self.error("ValidationError", f"1 validation error detected: Value '{value}' at '{field}' failed to "
                          f"satisfy constraint: {constraint}", 400)

    def _credentials_xml(self, c):
        return (f"    <Credentials>\n      <AccessKeyId>{c['access_key_id']}</AccessKeyId>\n"
                f"      <SecretAccessKey>{escape(c['secret'])}</SecretAccessKey>\n"
                f"      <SessionToken>{escape(c['session_token'])}</SessionToken>\n"
                f"      <Expiration>{iso(c['expires'])}</Expiration>\n    </Credentials>\n"
                f"    <AssumedRoleUser>\n      <AssumedRoleId>{escape(c['user_id'])}</AssumedRoleId>\n"
                f"      <Arn>{escape(c['arn'])}</Arn>\n    </AssumedRoleUser>\n")

    # -- operations ---------------------------------------------------------------
    def call(self, req, action, params):
        app = self.app
        caller = None
        if action != "AssumeRoleWithWebIdentity":
            try:
                caller = sigv4.verify(req.method, req.path, req.raw_query, req.headers, req.body, app.now(), None,
                                      "sts", app.creds.lookup)
            except sigv4.AuthError as e:
                code, status = AUTH_CODES.get(e.code, (e.code, 400))
                return self.error(code, e.message, status)
            req.access_key_id = caller["access_key_id"]
        if action == "GetCallerIdentity":
            user_id = caller.get("user_id") or ("AIDA" + caller["access_key_id"][4:])
            return self.xml(action, f"    <Arn>{escape(caller['arn'])}</Arn>\n    <UserId>{escape(user_id)}</UserId>\n"
                                    f"    <Account>{app.account}</Account>\n")
        role_arn = params.get("RoleArn")
        session = params.get("RoleSessionName")
        if not role_arn:
            return self._validation("roleArn", "null", "Member must not be null")
        if not session:
            return self._validation("roleSessionName", "null", "Member must not be null")
        if not SESSION_NAME.fullmatch(session):
            return self._validation("roleSessionName", session,
                                    "Member must satisfy regular expression pattern: [\\w+=,.@-]* and length 2-64")
        duration = params.get("DurationSeconds", "3600")
        try:
            duration = int(duration)
        except ValueError:
            return self.error("MalformedInput", f"DurationSeconds '{duration}' is not a number", 400)
        if duration < 900:
            return self._validation("durationSeconds", duration, "Member must have value greater than or equal to 900")
        if duration > 43200:
            return self._validation("durationSeconds", duration, "Member must have value less than or equal to 43200")
        m = ROLE_ARN.fullmatch(role_arn)
        if not m:
            return self.error("ValidationError", f"{role_arn} is invalid", 400)
        if m.group(1) != app.account:
            return self.error("AccessDenied", f"User: {caller['arn'] if caller else 'web identity'} is not authorized "
                              f"to perform: sts:{action} on resource: {role_arn}", 403)
        role_name = m.group(2).rsplit("/", 1)[-1]
        extra = ""
        if action == "AssumeRole":
            denied = self.error("AccessDenied", f"User: {caller['arn']} is not authorized to perform: sts:AssumeRole "
                                f"on resource: {role_arn}", 403)
            if role_name.endswith("-external") and params.get("ExternalId") != EXTERNAL_ID:
                return denied
            if "mfa" in role_name.lower() and not params.get("SerialNumber"):
                return denied
            if params.get("SerialNumber") or params.get("TokenCode"):
                if not params.get("SerialNumber") or params.get("TokenCode") != MFA_CODE:
                    return self.error("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time "
                                      "pass code. ", 403)
        else:
            token = params.get("WebIdentityToken")
            if not token:
                return self._validation("webIdentityToken", "null", "Member must not be null")
            claims = jwt.unverified_claims(token) or {}
            if token == "invalid":
                return self.error("InvalidIdentityToken", "The web identity token that was passed could not be "
                                  "validated by AWS. Get a new identity token from the identity provider and then "
                                  "retry the request.", 400)
            exp = claims.get("exp")
            if token == "expired" or (isinstance(exp, (int, float)) and exp < app.now()):
                return self.error("ExpiredTokenException", "Token expired: current date/time must be before the "
                                  "expiration date/time.", 400)
            sub = claims.get("sub") or "web-identity-subject"
            aud = claims.get("aud") or "emulator-client"
            if isinstance(aud, list):
                aud = aud[0] if aud else "emulator-client"
            iss = claims.get("iss") or "https://oidc.emulator.example"
            provider = params.get("ProviderId") or urllib.parse.urlsplit(str(iss)).netloc or str(iss)
            extra = (f"    <SubjectFromWebIdentityToken>{escape(str(sub))}</SubjectFromWebIdentityToken>\n"
                     f"    <Audience>{escape(str(aud))}</Audience>\n    <Provider>{escape(provider)}</Provider>\n")
        if app.settings.get("sts_duration_override"):
            duration = app.settings["credential_duration_seconds"]
        c = app.creds.issue(role_arn, session, app.now() + duration)
        return self.xml(action, self._credentials_xml(c) + extra)


def _rid():
    import uuid

    return str(uuid.uuid4())
