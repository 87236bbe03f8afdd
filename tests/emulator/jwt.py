"""RS256 JSON Web Tokens with the standard library (RFC 7515/7518, RSASSA-PKCS1-v1_5 from RFC 8017).

The RSA key is made once per emulator run, on first use: `openssl genrsa 2048`
(the openssl binary comes with scripts/install-deps.sh) read back through
`openssl rsa -text`; without openssl, a pure-Python Miller-Rabin prime search.
"""
import base64
import hashlib
import json
import random
import re
import secrets
import shutil
import subprocess
import threading

# DER prefix of DigestInfo for SHA-256 (RFC 8017 section 9.2, note 1).
_SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    text = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(text.encode("ascii"))


def _int_bytes(n):
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


def _is_probable_prime(n, rounds=40):
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for _ in range(rounds):
        a = random.randrange(2, n - 1)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits):
    while True:
        c = secrets.randbits(bits) | (1 << (bits - 1)) | (1 << (bits - 2)) | 1
        if _is_probable_prime(c):
            return c


def _python_key(bits=2048):
    e = 65537
    while True:
        p, q = _prime(bits // 2), _prime(bits // 2)
        phi = (p - 1) * (q - 1)
        if p != q and phi % e != 0:
            return p * q, e, pow(e, -1, phi)


def _openssl_key(bits=2048):
    exe = shutil.which("openssl")
    if not exe:
        return None
    pem = subprocess.run([exe, "genrsa", str(bits)], capture_output=True, check=True).stdout
    text = subprocess.run([exe, "rsa", "-text", "-noout"], input=pem, capture_output=True, check=True).stdout
    text = text.decode("ascii", "replace")

    def field(name):
        m = re.search(name + r":\s*\n((?:\s+[0-9a-f:]+\n?)+)", text)
        return int(re.sub(r"[^0-9a-f]", "", m.group(1)), 16)

    e = int(re.search(r"publicExponent: (\d+)", text).group(1))
    return field("modulus"), e, field("privateExponent")


class Signer:
    def __init__(self):
        self._lock = threading.Lock()
        self._key = None
        self.kid = "emulator-" + secrets.token_hex(4)

    def key(self):
        with self._lock:
            if self._key is None:
                try:
                    self._key = _openssl_key()
                except (OSError, subprocess.CalledProcessError, AttributeError, ValueError):
                    self._key = None
                if self._key is None:
                    self._key = _python_key()
            return self._key

    def jwks(self):
        n, e, _ = self.key()
        return {"keys": [{"kty": "RSA", "alg": "RS256", "use": "sig", "kid": self.kid,
                          "n": b64url(_int_bytes(n)), "e": b64url(_int_bytes(e))}]}

    def sign(self, claims):
        n, _, d = self.key()
        header = {"kid": self.kid, "typ": "JWS", "alg": "RS256"}
        signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "."
                         + b64url(json.dumps(claims, separators=(",", ":")).encode()))
        k = (n.bit_length() + 7) // 8
        t = _SHA256_PREFIX + hashlib.sha256(signing_input.encode("ascii")).digest()
        em = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
        sig = pow(int.from_bytes(em, "big"), d, n).to_bytes(k, "big")
        return signing_input + "." + b64url(sig)

    def verify(self, token):
        """Returns the claims of a token this signer made, or None."""
        n, e, _ = self.key()
        return verify_rs256(token, n, e)


def verify_rs256(token, n, e):
    try:
        head, payload, sig = token.split(".")
        k = (n.bit_length() + 7) // 8
        s = int.from_bytes(b64url_decode(sig), "big")
        em = pow(s, e, n).to_bytes(k, "big")
        t = _SHA256_PREFIX + hashlib.sha256((head + "." + payload).encode("ascii")).digest()
        if em != b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t:
            return None
        return json.loads(b64url_decode(payload))
    except (ValueError, TypeError, UnicodeError):
        return None


def unverified_claims(token):
    """The payload of a JWT-looking string, or None (for third-party tokens the emulator cannot check)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(b64url_decode(parts[1]))
    except (ValueError, TypeError, UnicodeError):
        return None
    return claims if isinstance(claims, dict) else None
