"""Cognito user pools as token issuers: ID and access tokens, and each pool's key set.

The emulator does not serve the cognito-idp API; it only mints the tokens a
user pool would hand out after sign-in, so tests (and the credential doctor)
can exercise identity pools with real ones. Shapes follow the Cognito
developer guide's "Understanding the identity (ID) token" and "... access
token" pages: RS256 with a `kid`; `iss` https://cognito-idp.REGION.amazonaws.com/POOL;
ID tokens carry `aud` (the app client id) and `cognito:username`, access tokens
carry `client_id`, `username` and `scope` and no `aud` (amazon-cognito-identity-js#12:
"Missing a required claim: aud" when an access token is sent to an identity pool).
A user pool has two keys, as real ones do (one signs ID tokens, the other
access tokens), published at GET /POOL/.well-known/jwks.json, the path where
cognito-idp serves them. Keys are made on first use of a pool id (any
well-formed id: the emulator has no user pool API to create them).
"""
import base64
import hashlib
import re
import threading
import uuid

import jwt

POOL_ID = re.compile(r"([a-z]{2}(?:-[a-z]+)+-\d)_[0-9a-zA-Z]+")
PROVIDER = re.compile(r"cognito-idp\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com/(" + POOL_ID.pattern + r")")
CLIENT_ID = re.compile(r"[\w+]{1,128}")


def issuer(pool_id):
    return f"https://cognito-idp.{pool_id.split('_', 1)[0]}.amazonaws.com/{pool_id}"


def provider_pool(provider):
    """The user pool id of an identity-pool provider name cognito-idp.REGION.amazonaws.com/POOL, or None."""
    m = PROVIDER.fullmatch(provider or "")
    if not m or m.group(1) != m.group(3):
        return None
    return m.group(2)


def _kid(pool_id, use):
    return base64.b64encode(hashlib.sha256(f"{pool_id}/{use}".encode()).digest()).decode()


class UserPools:
    def __init__(self):
        self._lock = threading.Lock()
        self._keys = {}

    def signers(self, pool_id):
        """{"id": Signer, "access": Signer} for a user pool, made on first use."""
        with self._lock:
            s = self._keys.get(pool_id)
            if s is None:
                s = {use: jwt.Signer(kid=_kid(pool_id, use), alg="RS256") for use in ("id", "access")}
                self._keys[pool_id] = s
            return s

    def jwks(self, pool_id):
        s = self.signers(pool_id)
        return {"keys": [s["id"].jwk(), s["access"].jwk()]}

    def verify(self, pool_id, token):
        """The claims of a token signed by one of this pool's keys (chosen by `kid`), else None."""
        header = jwt.unverified_header(token)
        if header is None:
            return None
        for signer in self.signers(pool_id).values():
            if header.get("kid") == signer.kid:
                return signer.verify(token)
        return None

    def mint(self, payload, now):
        """The token POST /_emulator/idp/token asks for. Raises ValueError naming what is wrong."""
        pool_id = payload.get("UserPoolId")
        client = payload.get("ClientId")
        username = payload.get("Username")
        use = payload.get("TokenUse", "id")
        claims = payload.get("Claims", {})
        expires_in = payload.get("ExpiresIn", 3600)
        if not isinstance(pool_id, str) or not POOL_ID.fullmatch(pool_id):
            raise ValueError("'UserPoolId' must be a user pool id such as us-east-1_AbCdEfGhI")
        if not isinstance(client, str) or not CLIENT_ID.fullmatch(client):
            raise ValueError("'ClientId' must be an app client id (letters, digits, _ and +, 1-128)")
        if not isinstance(username, str) or not username:
            raise ValueError("'Username' must be a non-empty string")
        if use not in ("id", "access"):
            raise ValueError("'TokenUse' must be \"id\" or \"access\"")
        if claims is None:
            claims = {}
        if not isinstance(claims, dict):
            raise ValueError("'Claims' must be an object")
        if isinstance(expires_in, bool) or not isinstance(expires_in, int):
            raise ValueError("'ExpiresIn' must be an integer number of seconds (negative: already expired)")
        now = int(now)
        exp = now + expires_in
        # An expired token was issued an hour before it expired, as a real one would have been.
        iat = now if expires_in > 0 else exp - 3600
        sub = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{pool_id}/{username}"))
        out = {"sub": sub, "iss": issuer(pool_id), "token_use": use, "auth_time": iat, "iat": iat, "exp": exp,
               "jti": str(uuid.uuid4()), "origin_jti": str(uuid.uuid4()), "event_id": str(uuid.uuid4())}
        if use == "id":
            out.update({"aud": client, "cognito:username": username})
        else:
            out.update({"client_id": client, "username": username, "scope": "aws.cognito.signin.user.admin"})
        out.update(claims)  # the caller's claims win, sub included (to reach a seeded identity)
        return self.signers(pool_id)[use].sign(out, typ=None)
