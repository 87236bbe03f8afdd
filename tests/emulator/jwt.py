"""RS256/RS512 JSON Web Tokens with the standard library (RFC 7515/7518, RSASSA-PKCS1-v1_5 from RFC 8017).

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

# DER prefixes of DigestInfo for SHA-256 and SHA-512 (RFC 8017 section 9.2, note 1).
_SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")
_DIGESTS = {
    "RS256": (hashlib.sha256, _SHA256_PREFIX),
    "RS512": (hashlib.sha512, bytes.fromhex("3051300d060960864801650304020305000440")),
}


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
    """One RSA key (made on first use) that signs with ALG under key id KID."""

    def __init__(self, kid=None, alg="RS256"):
        self._lock = threading.Lock()
        self._key = None
        self.kid = kid or "emulator-" + secrets.token_hex(4)
        self.alg = alg

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

    def jwk(self):
        n, e, _ = self.key()
        return {"kty": "RSA", "alg": self.alg, "use": "sig", "kid": self.kid, "n": b64url(_int_bytes(n)),
                "e": b64url(_int_bytes(e))}

    def jwks(self):
        return {"keys": [self.jwk()]}

    def sign(self, claims, typ="JWS"):
        n, _, d = self.key()
        header = {"kid": self.kid, "typ": typ, "alg": self.alg} if typ else {"kid": self.kid, "alg": self.alg}
        signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "."
                         + b64url(json.dumps(claims, separators=(",", ":")).encode()))
        k = (n.bit_length() + 7) // 8
        digest, prefix = _DIGESTS[self.alg]
        t = prefix + digest(signing_input.encode("ascii")).digest()
        em = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
        sig = pow(int.from_bytes(em, "big"), d, n).to_bytes(k, "big")
        return signing_input + "." + b64url(sig)

    def verify(self, token):
        """Returns the claims of a token this signer made (its alg in the header), or None."""
        header = unverified_header(token)
        if header is None or header.get("alg") != self.alg:
            return None
        n, e, _ = self.key()
        return verify_rsa(token, n, e, self.alg)


def verify_rsa(token, n, e, alg):
    """The claims of TOKEN when its RSASSA-PKCS1-v1_5 signature (ALG RS256 or RS512) verifies, else None."""
    try:
        head, payload, sig = token.split(".")
        digest, prefix = _DIGESTS[alg]
        k = (n.bit_length() + 7) // 8
        s = int.from_bytes(b64url_decode(sig), "big")
        if s >= n:
            return None
        em = pow(s, e, n).to_bytes(k, "big")
        t = prefix + digest((head + "." + payload).encode("ascii")).digest()
        if em != b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t:
            return None
        claims = json.loads(b64url_decode(payload))
        return claims if isinstance(claims, dict) else None
    except (ValueError, TypeError, UnicodeError, KeyError, OverflowError):
        return None


def verify_rs256(token, n, e):
    return verify_rsa(token, n, e, "RS256")


def unverified_header(token):
    """The JOSE header of a JWT-looking string, or None."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        return None
    try:
        header = json.loads(b64url_decode(parts[0]))
    except (ValueError, TypeError, UnicodeError):
        return None
    return header if isinstance(header, dict) else None


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
