"""AWS Signature Version 4: verification for the emulator and a small signer for tests.

Written from the AWS General Reference, "Create a signed AWS API request"
(canonical request -> string to sign -> signing key -> signature). The error
codes and messages are the ones AWS JSON services answer with (see README.md).
Standard library only (hmac, hashlib).
"""
import datetime
import hashlib
import hmac
import urllib.parse

ALGORITHM = "AWS4-HMAC-SHA256"
SKEW_SECONDS = 300  # X-Amz-Date must lie within 5 minutes of the server clock


class AuthError(Exception):
    """A request that fails authentication. code is the AWS error code."""

    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def _hmac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret, date, region, service):
    k = _hmac(("AWS4" + secret).encode("utf-8"), date)
    k = _hmac(k, region)
    k = _hmac(k, service)
    return _hmac(k, "aws4_request")


def _quote(s):
    return urllib.parse.quote(s, safe="-_.~")


def canonical_query(raw_query, drop=()):
    pairs = []
    if raw_query:
        for part in raw_query.split("&"):
            if not part:
                continue
            k, _, v = part.partition("=")
            k = urllib.parse.unquote(k)
            v = urllib.parse.unquote(v)
            if k in drop:
                continue
            pairs.append((_quote(k), _quote(v)))
    pairs.sort()
    return "&".join(f"{k}={v}" for k, v in pairs)


def normalize_path(path):
    """RFC 3986 dot-segment removal plus empty-segment collapsing, as non-S3 services do."""
    out = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(seg)
    norm = "/" + "/".join(out)
    if path.endswith("/") and norm != "/":
        norm += "/"
    return norm


def canonical_uri(raw_path, normalize=True):
    # Non-S3 services: the path as sent (already percent-encoded), normalized, is encoded once more.
    path = raw_path or "/"
    if normalize:
        path = normalize_path(path)
    return urllib.parse.quote(path, safe="/~")


def _trim(value):
    return " ".join(value.strip().split())


def canonical_request(method, raw_path, raw_query, headers, signed, payload_hash, drop_query=(), normalize=True):
    """headers: dict of lowercase name -> list of values."""
    lines = []
    for name in signed:
        vals = headers.get(name, [])
        lines.append(f"{name}:{','.join(_trim(v) for v in vals)}\n")
    return "\n".join(
        [
            method,
            canonical_uri(raw_path, normalize),
            canonical_query(raw_query, drop_query),
            "".join(lines),
            ";".join(signed),
            payload_hash,
        ]
    )


def string_to_sign(amz_date, scope, creq):
    return "\n".join([ALGORITHM, amz_date, scope, sha256_hex(creq.encode("utf-8"))])


def _parse_amz_date(s):
    try:
        return datetime.datetime.strptime(s, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    except (ValueError, TypeError):
        return None


def fmt_amz_date(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def parse_authorization(value):
    """Splits `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`."""
    algo, _, rest = value.strip().partition(" ")
    if algo != ALGORITHM:
        raise AuthError(
            "IncompleteSignatureException",
            f"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            f"Unsupported authorization type: '{algo}'",
        )
    fields = {}
    for part in rest.split(","):
        k, eq, v = part.strip().partition("=")
        if eq:
            fields[k.strip()] = v.strip()
    missing = [k for k in ("Credential", "SignedHeaders", "Signature") if not fields.get(k)]
    if missing:
        msg = " ".join(f"Authorization header requires '{k}' parameter." for k in missing)
        raise AuthError("IncompleteSignatureException", f"{msg} Authorization={value}")
    return fields["Credential"], fields["SignedHeaders"], fields["Signature"]


def credential_scope(headers, raw_query):
    """(access key id, date, region, service) from a request's Authorization header or presigned
    query, without checking anything else; None when the request names no well-formed scope.
    Used to route (IAM vs STS on one port) and to key rate quotas by Region."""
    auth = headers.get("authorization", [None])[0]
    cred = None
    if auth and "Credential=" in auth:
        cred = auth.split("Credential=", 1)[1].split(",", 1)[0].strip()
    elif raw_query and "X-Amz-Credential=" in raw_query:
        cred = urllib.parse.parse_qs(raw_query).get("X-Amz-Credential", [None])[0]
    parts = (cred or "").split("/")
    if len(parts) != 5 or parts[4] != "aws4_request":
        return None
    return tuple(parts[:4])


def verify(method, raw_path, raw_query, headers, body, now, region, service, lookup_key, normalize=True):
    """Checks one request's signature.

    headers: dict lowercase name -> list of values. now: epoch seconds (the
    emulator clock). lookup_key(access_key_id) -> dict with "secret" and
    optional "session_token"/"expires", or None. Returns that key dict; raises
    AuthError with the code AWS would send.
    """
    query = urllib.parse.parse_qs(raw_query or "", keep_blank_values=True)
    auth = headers.get("authorization", [None])[0]
    presigned = "X-Amz-Algorithm" in query
    if auth is None and not presigned:
        raise AuthError("MissingAuthenticationTokenException", "Missing Authentication Token")
    if presigned:
        q = {k: v[0] for k, v in query.items()}
        if q.get("X-Amz-Algorithm") != ALGORITHM:
            raise AuthError("IncompleteSignatureException", "X-Amz-Algorithm only supports AWS4-HMAC-SHA256")
        missing = [
            k for k in ("X-Amz-Credential", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Date") if not q.get(k)
        ]
        if missing:
            raise AuthError(
                "IncompleteSignatureException",
                " ".join(f"AWS query-string parameters must include '{k}'." for k in missing),
            )
        credential, signed_list, signature = q["X-Amz-Credential"], q["X-Amz-SignedHeaders"], q["X-Amz-Signature"]
        amz_date = q["X-Amz-Date"]
        token = q.get("X-Amz-Security-Token")
        drop = ("X-Amz-Signature",)
    else:
        credential, signed_list, signature = parse_authorization(auth)
        amz_date = headers.get("x-amz-date", [None])[0]
        if amz_date is None:
            raise AuthError(
                "IncompleteSignatureException",
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                f"Authorization={auth}",
            )
        token = headers.get("x-amz-security-token", [None])[0]
        drop = ()
    parts = credential.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request":
        raise AuthError(
            "IncompleteSignatureException",
            f"Credential should have exactly five parts: AKID/DATE/REGION/SERVICE/aws4_request. "
            f"Credential={credential}",
        )
    akid, scope_date, scope_region, scope_service, _ = parts
    key = lookup_key(akid)
    if key is None:
        raise AuthError("UnrecognizedClientException", "The security token included in the request is invalid.")
    if key.get("session_token") is not None and token != key["session_token"]:
        raise AuthError("UnrecognizedClientException", "The security token included in the request is invalid.")
    if key.get("session_token") is None and token is not None:
        raise AuthError("UnrecognizedClientException", "The security token included in the request is invalid.")
    when = _parse_amz_date(amz_date)
    if when is None:
        raise AuthError(
            "IncompleteSignatureException",
            f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See http://en.wikipedia.org/wiki/ISO_8601",
        )
    if scope_date != amz_date[:8]:
        raise AuthError(
            "InvalidSignatureException",
            f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{scope_date}' != '{amz_date[:8]}', from '{amz_date}'.",
        )
    if region is not None and scope_region != region:
        raise AuthError(
            "InvalidSignatureException",
            f"Credential should be scoped to a valid region. Credential scope region '{scope_region}' "
            f"is not '{region}'.",
        )
    if scope_service != service:
        raise AuthError("InvalidSignatureException", f"Credential should be scoped to correct service: '{service}'. ")
    t = when.timestamp()
    if t < now - SKEW_SECONDS:
        raise AuthError(
            "InvalidSignatureException",
            f"Signature expired: {amz_date} is now earlier than {fmt_amz_date(now - SKEW_SECONDS)} "
            f"({fmt_amz_date(now)} - 5 min.)",
        )
    if t > now + SKEW_SECONDS:
        raise AuthError(
            "InvalidSignatureException",
            f"Signature not yet current: {amz_date} is still later than {fmt_amz_date(now + SKEW_SECONDS)} "
            f"({fmt_amz_date(now)} + 5 min.)",
        )
    signed = signed_list.split(";")
    if "host" not in signed:
        raise AuthError("InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.")
    if signed != sorted(signed) or any(h != h.lower() for h in signed):
        raise AuthError("InvalidSignatureException", "SignedHeaders must be lowercase and sorted.")
    body_hash = sha256_hex(body)
    claimed = headers.get("x-amz-content-sha256", [None])[0]
    if claimed is not None and claimed != "UNSIGNED-PAYLOAD" and claimed != body_hash:
        raise AuthError(
            "InvalidSignatureException",
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        )
    creq = canonical_request(method, raw_path, raw_query, headers, signed, body_hash, drop, normalize)
    scope = f"{scope_date}/{scope_region}/{scope_service}/aws4_request"
    sts = string_to_sign(amz_date, scope, creq)
    k = signing_key(key["secret"], scope_date, scope_region, scope_service)
    expect = hmac.new(k, sts.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expect, signature):
        raise AuthError(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. Check your AWS "
            "Secret Access Key and signing method. Consult the service documentation for details.\n\n"
            f"The Canonical String for this request should have been\n'{creq}'\n\n"
            f"The String-to-Sign should have been\n'{sts}'\n",
        )
    if key.get("expires") is not None and now >= key["expires"]:
        raise AuthError("ExpiredTokenException", "The security token included in the request is expired")
    key = dict(key)
    key["access_key_id"] = akid
    return key


def sign(method, url, headers, body, access_key, secret, region, service, session_token=None, when=None):
    """Returns a new header dict with X-Amz-Date, (token) and Authorization added.

    For tests and the harness. headers: dict name -> value; Host is added from url.
    when: epoch seconds (default now).
    """
    import time

    u = urllib.parse.urlsplit(url)
    amz_date = fmt_amz_date(when if when is not None else time.time())
    out = dict(headers)
    out["Host"] = u.netloc
    out["X-Amz-Date"] = amz_date
    if session_token is not None:
        out["X-Amz-Security-Token"] = session_token
    lower = {}
    for k, v in out.items():
        lower.setdefault(k.lower(), []).append(v)
    signed = sorted(lower)
    creq = canonical_request(method, u.path or "/", u.query, lower, signed, sha256_hex(body))
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    sts = string_to_sign(amz_date, scope, creq)
    sig = hmac.new(signing_key(secret, amz_date[:8], region, service), sts.encode("utf-8"), hashlib.sha256).hexdigest()
    out["Authorization"] = (
        f"{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders={';'.join(signed)}, Signature={sig}"
    )
    return out
