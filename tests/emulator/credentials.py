"""The keys the emulator accepts: the static ones (defaults or --keys FILE) and the
temporary ones it hands out (Cognito, STS, SSO, ECS, IMDS), which need their session token."""
import json
import secrets
import string
import threading

ACCOUNT = "123456789012"
DEFAULT_KEYS = [
    {"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     "access": "full", "user": "admin"},
    {"access_key_id": "AKIAI44QH8DHBEXAMPLE", "secret_access_key": "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
     "access": "read-only", "user": "auditor"},
]
_UPPER = string.ascii_uppercase + string.digits
_SECRET = string.ascii_letters + string.digits + "+/"


def load_keys(path):
    """Reads a --keys FILE. Raises ValueError with a message naming what is wrong."""
    with open(path, encoding="utf-8") as f:
        try:
            data = json.load(f)
        except ValueError as e:
            raise ValueError(f"{path}: not JSON: {e}") from None
    if isinstance(data, dict):
        data = data.get("keys")
    if not isinstance(data, list) or not data:
        raise ValueError(f"{path}: expected a non-empty list of keys (or {{\"keys\": [...]}})")
    keys = []
    for i, k in enumerate(data):
        if not isinstance(k, dict) or not isinstance(k.get("access_key_id"), str) or not isinstance(
                k.get("secret_access_key"), str) or not k["access_key_id"] or not k["secret_access_key"]:
            raise ValueError(f"{path}: key {i}: needs string access_key_id and secret_access_key")
        access = k.get("access", "full")
        if access not in ("full", "read-only"):
            raise ValueError(f"{path}: key {i}: access must be 'full' or 'read-only', not {access!r}")
        keys.append({"access_key_id": k["access_key_id"], "secret_access_key": k["secret_access_key"],
                     "access": access, "user": str(k.get("user") or f"user{i}")})
    return keys


def access_for_role(role_arn):
    return "read-only" if "readonly" in (role_arn or "").lower() else "full"


class CredentialStore:
    def __init__(self, keys=None):
        self._lock = threading.Lock()
        self._static = {}
        self._temp = {}
        for k in keys or DEFAULT_KEYS:
            self._static[k["access_key_id"]] = {
                "secret": k["secret_access_key"], "access": k["access"], "user": k["user"],
                "arn": f"arn:aws:iam::{ACCOUNT}:user/{k['user']}", "session_token": None, "expires": None,
            }

    def lookup(self, akid):
        with self._lock:
            return self._static.get(akid) or self._temp.get(akid)

    def clear_temporary(self):
        with self._lock:
            self._temp.clear()

    def issue(self, role_arn, session_name, expires, access=None, source=None):
        """New temporary credentials for an assumed role. Returns the record (with access_key_id).
        source "cognito" marks credentials vended by GetCredentialsForIdentity: the emulator's
        Cognito and IAM refuse them (the identity's role has no cognito-identity or iam rights)."""
        akid = "ASIA" + "".join(secrets.choice(_UPPER) for _ in range(16))
        role_name = role_arn.rsplit("/", 1)[-1]
        rec = {
            "secret": "".join(secrets.choice(_SECRET) for _ in range(40)),
            "session_token": "IQoJb3JpZ2luX2VtdWxhdG9y" + secrets.token_urlsafe(96),
            "expires": expires,
            "access": access or access_for_role(role_arn),
            "user": session_name,
            "role_arn": role_arn,
            "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role_name}/{session_name}",
            "source": source,
            "user_id": "AROA" + "".join(secrets.choice(_UPPER) for _ in range(17)) + ":" + session_name,
        }
        with self._lock:
            if len(self._temp) > 50000:  # keep a long-running demo bounded
                self._temp.clear()
            self._temp[akid] = rec
        return dict(rec, access_key_id=akid)
