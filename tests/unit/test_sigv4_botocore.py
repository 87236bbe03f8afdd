"""Cross-check: our SigV4 signer against botocore's SigV4Auth on generated requests.

Generates COUNT random requests from a fixed seed (printed; override with
SIGV4_CROSSCHECK_SEED), signs each with botocore (Debian python3-botocore)
at a fixed time, and with our signer through BUILD/sigv4-sign, all requests
in one process over a netstring batch (see tests/tools/sigv4-sign.c), and
compares the Authorization headers. Each test covers one feature of the
requests and fails naming every request where the two disagree.

The requests are made fair to both signers, which differ by design in a few
places (api/sigv4.h states ours):
  - botocore always normalizes the path, so we sign with normalization on;
    and it drops a trailing "." or ".." segment's slash ("/a/b/.." -> "/a")
    where RFC 3986 keeps it ("/a/"), so no path ends in a dot segment;
  - botocore takes the query from the URL verbatim and only sorts it, so the
    generated query is already in canonical form (each key and value
    percent-encoded with uppercase hex) and our decode/re-encode must give
    the same bytes back;
  - botocore signs every header but Expect, User-Agent and X-Amzn-Trace-Id
    (we also leave out Transfer-Encoding), and trims values with Python's
    str.split(), which knows Unicode whitespace: values use only ASCII
    spaces and tabs as whitespace;
  - botocore adds the session token itself, always signed, and sets
    X-Amz-Date itself: neither is among the generated headers;
  - botocore takes Host from the request when it is there: it always is.
Run as: /usr/bin/python3 tests/pytap.py tests/unit/test_sigv4_botocore.py
"""
import datetime
import hashlib
import os
import random
import subprocess
import sys
import types
import unittest
from urllib.parse import quote

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("COGNITO_TUI_BUILD", os.path.join(TOP, "build"))
SIGNER = os.path.join(BUILD, "sigv4-sign")
SEED = int(os.environ.get("SIGV4_CROSSCHECK_SEED", "20150830"))
COUNT = int(os.environ.get("SIGV4_CROSSCHECK_COUNT", "1200"))


class _FixedClock(datetime.datetime):
    """botocore asks datetime.datetime.utcnow() for the signing time."""

    now = datetime.datetime(2015, 8, 30, 12, 36, 0)

    @classmethod
    def utcnow(cls):
        return cls.now


# Only botocore.auth sees the fixed clock.
botocore.auth.datetime = types.SimpleNamespace(datetime=_FixedClock)

METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
WORDS = ["example", "a", "b", "Z9", "-_.~", "data", "x.y", "..a", ".hidden", "a..b"]
UTF8_WORDS = ["ሴ", "é", "日本語", "über", "ñandú", "😀"]
SPACE_WORDS = ["a b", "two  spaces", " lead", "trail "]
RESERVED_PATH = ["$delete", "a+b", "c,d", "e;f", "g=h", "i:j", "k@l", "m&n", "o!p", "q'r", "(s)",
                 "t*u", "v%20w", "x%2Fy", "back\\slash", "[z]", "pct%", "<>", "a|b", "{}", "^`"]
HOSTS = ["example.amazonaws.com", "cognito-identity.eu-west-1.amazonaws.com", "localhost:8443",
         "127.0.0.1:9000"]
HEADER_NAMES = ["Content-Type", "X-Amz-Target", "My-Header1", "my-header2", "X-Custom",
                "Accept", "Content-Length", "x-amz-meta-a", "X-Forwarded-For", "If-Match"]
VALUE_WORDS = ["value1", "application/x-amz-json-1.1", "AWSCognitoIdentityService.ListIdentities",
               "\"quoted\"", "a,b", "key=val;x", "é", "日本", "100", "~!@#$%^&*()_+{}|:<>?", "/path"]
QUERY_KEYS = ["Param1", "param1", "Action", "a", "b-c", "ሴ", "key with space", "k/e=y", "x&y", "+"]
QUERY_VALUES = ["value1", "Value1", "", "a b", "1+1=2", "/a/b", "ሴ", "%", "&=", "~._-", "x?y#z"]
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]
SERVICES = ["cognito-identity", "service", "execute-api"]
TIMES = [datetime.datetime(2015, 8, 30, 12, 36, 0), datetime.datetime(2024, 2, 29, 23, 59, 59),
         datetime.datetime(2026, 11, 24, 0, 0, 0)]


def _key(rng, n, alphabet):
    return "".join(rng.choice(alphabet) for _ in range(n))


def _credentials(rng):
    upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return [("AKIA" + _key(rng, 16, upper), _key(rng, 40, b64)) for _ in range(3)]


def _random_case(rng, name):
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in name)


def _path(rng, features):
    segs = []
    for _ in range(rng.randint(0, 6)):
        r = rng.random()
        if r < 0.35:
            segs.append(rng.choice(WORDS))
        elif r < 0.5:
            segs.append(rng.choice(UTF8_WORDS))
            features.add("utf8-path")
        elif r < 0.6:
            segs.append(rng.choice(SPACE_WORDS))
            features.add("space-path")
        elif r < 0.72:
            segs.append(rng.choice(RESERVED_PATH))
            features.add("reserved-path")
        elif r < 0.86:
            segs.append(rng.choice([".", ".."]))
            features.add("dot-segments")
        else:
            segs.append("")  # a repeated slash
            features.add("repeated-slashes")
    # No final dot segment: botocore and RFC 3986 disagree there (see the top).
    while segs and segs[-1] in (".", ".."):
        segs.pop()
    path = "/" + "/".join(segs)
    if segs and rng.random() < 0.3:
        path += "/"
    return path


def _query(rng, features):
    if rng.random() < 0.35:
        return ""
    pairs = []
    for _ in range(rng.randint(1, 6)):
        key = rng.choice(QUERY_KEYS)
        enc_key = quote(key, safe="-_.~")
        r = rng.random()
        if r < 0.12:
            pairs.append(enc_key)  # no '=': an empty value
            features.add("query-no-equals")
        else:
            pairs.append(enc_key + "=" + quote(rng.choice(QUERY_VALUES), safe="-_.~"))
        if enc_key != key:
            features.add("query-reserved")
    keys = [p.split("=")[0] for p in pairs]
    if len(set(keys)) < len(keys):
        features.add("query-repeated-keys")
    return "&".join(pairs)


def _header_value(rng):
    parts = [rng.choice(VALUE_WORDS) for _ in range(rng.randint(0, 3))]
    seps = ["  ", " ", "\t", " \t  "]
    value = ""
    for i, p in enumerate(parts):
        value += (rng.choice(seps) if i else "") + p
    if rng.random() < 0.3:
        value = rng.choice(seps) + value
    if rng.random() < 0.3:
        value += rng.choice(seps)
    return value


def _headers(rng, host, features):
    headers = [(_random_case(rng, "Host"), host)]
    for _ in range(rng.randint(0, 6)):
        name = _random_case(rng, rng.choice(HEADER_NAMES))
        value = _header_value(rng)
        if "  " in value or "\t" in value or value != value.strip():
            features.add("multi-space-headers")
        headers.append((name, value))
    if rng.random() < 0.15:
        headers.append((_random_case(rng, "User-Agent"), "cognito-tui/test  x"))
        features.add("user-agent")
    names = [n.lower() for n, _ in headers]
    if len(set(names)) < len(names):
        features.add("repeated-headers")
    rng.shuffle(headers)
    return headers


def generate(seed, count):
    rng = random.Random(seed)
    creds = _credentials(rng)
    token_b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    requests = []
    for i in range(count):
        features = set()
        akid, secret = rng.choice(creds)
        token = ""
        if rng.random() < 0.4:
            token = "IQoJb3JpZ2luX2Vj" + _key(rng, rng.randint(20, 300), token_b64) + "=="
            features.add("session-token")
        body = b""
        if rng.random() < 0.6:
            body = bytes(rng.randrange(256) for _ in range(rng.randint(1, 400)))
            features.add("body")
        host = rng.choice(HOSTS)
        req = {
            "index": i,
            "method": rng.choice(METHODS),
            "path": _path(rng, features),
            "query": _query(rng, features),
            "host": host,
            "headers": _headers(rng, host, features),
            "body": body,
            "akid": akid,
            "secret": secret,
            "token": token,
            "region": rng.choice(REGIONS),
            "service": rng.choice(SERVICES),
            "time": rng.choice(TIMES),
        }
        req["features"] = features or {"plain"}
        requests.append(req)
    return requests


def botocore_sign(req):
    """Returns (Authorization, canonical request) as botocore makes them."""
    url = "https://" + req["host"] + req["path"]
    if req["query"]:
        url += "?" + req["query"]
    aws_req = AWSRequest(method=req["method"], url=url, data=req["body"])
    for name, value in req["headers"]:
        aws_req.headers[name] = value  # appends: repeated headers stay repeated
    creds = Credentials(req["akid"], req["secret"], req["token"] or None)
    auth = botocore.auth.SigV4Auth(creds, req["service"], req["region"])
    _FixedClock.now = req["time"]
    auth.add_auth(aws_req)
    return aws_req.headers["Authorization"], auth.canonical_request(aws_req)


def _netstring(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return str(len(data)).encode() + b":" + data + b","


def encode_batch(requests, secret_of=lambda r: r["secret"]):
    out = []
    for r in requests:
        epoch = int(r["time"].replace(tzinfo=datetime.timezone.utc).timestamp())
        target = r["path"] + ("?" + r["query"] if r["query"] else "")
        fields = [r["akid"], secret_of(r), r["token"], r["region"], r["service"], str(epoch), "n",
                  r["method"], target, str(len(r["headers"]))]
        for name, value in r["headers"]:
            fields += [name, value]
        out.append(b"".join(_netstring(f) for f in fields) + _netstring(r["body"]))
    return b"".join(out)


def decode_netstrings(data):
    fields, pos = [], 0
    while pos < len(data):
        colon = data.index(b":", pos)
        n = int(data[pos:colon])
        fields.append(data[colon + 1:colon + 1 + n].decode("utf-8", "replace"))
        if data[colon + 1 + n:colon + 2 + n] != b",":
            raise ValueError("bad netstring at byte %d" % pos)
        pos = colon + 2 + n
    return fields


def our_sign(requests, **kw):
    """Signs all requests in one sigv4-sign process: [(status, auth, canonical), ...]."""
    proc = subprocess.run([SIGNER], input=encode_batch(requests, **kw), capture_output=True,
                          timeout=300)
    if proc.returncode != 0:
        raise AssertionError("sigv4-sign exited %d: %s" % (proc.returncode, proc.stderr.decode()))
    f = decode_netstrings(proc.stdout)
    if len(f) != 3 * len(requests):
        raise AssertionError("sigv4-sign answered %d fields for %d requests" % (len(f), len(requests)))
    return [tuple(f[i:i + 3]) for i in range(0, len(f), 3)]


def describe(req):
    return ("request #%d: %s %r query=%r headers=%r body=%d bytes token=%s region=%s service=%s "
            "time=%s" % (req["index"], req["method"], req["path"], req["query"], req["headers"],
                         len(req["body"]), "yes" if req["token"] else "no", req["region"],
                         req["service"], req["time"].isoformat()))


class BotocoreCrossCheck(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.access(SIGNER, os.X_OK):
            raise unittest.SkipTest("%s is not built" % SIGNER)
        print("# sigv4 cross-check: seed %d, %d requests (SIGV4_CROSSCHECK_SEED=%d to repeat)"
              % (SEED, COUNT, SEED), flush=True)
        cls.requests = generate(SEED, COUNT)
        cls.ours = our_sign(cls.requests)
        cls.theirs = [botocore_sign(r) for r in cls.requests]

    def _check(self, feature, minimum):
        chosen = [i for i, r in enumerate(self.requests) if feature is None or feature in r["features"]]
        self.assertGreaterEqual(len(chosen), minimum,
                                "too few generated requests with %s" % (feature or "any feature"))
        problems = []
        for i in chosen:
            status, auth, canonical = self.ours[i]
            their_auth, their_canonical = self.theirs[i]
            if status != "OK":
                problems.append("%s\n  our signer refused it: %s" % (describe(self.requests[i]), auth))
            elif auth != their_auth:
                problems.append("%s\n  ours:     %s\n  botocore: %s\n  our canonical request:\n%s\n"
                                "  botocore's:\n%s" % (describe(self.requests[i]), auth, their_auth,
                                                       canonical, their_canonical))
        if problems:
            sys.stderr.write("\n\n".join(problems) + "\n")
            self.fail("%d of %d requests (%s) differ from botocore; first: %s"
                      % (len(problems), len(chosen), feature or "all", problems[0].split("\n")[0]))

    def test_all_generated_requests(self):
        self.assertGreaterEqual(COUNT, 1000)
        self._check(None, COUNT)

    def test_utf8_paths(self):
        self._check("utf8-path", 50)

    def test_paths_with_spaces(self):
        self._check("space-path", 50)

    def test_paths_with_reserved_characters(self):
        self._check("reserved-path", 50)

    def test_dot_segments(self):
        self._check("dot-segments", 50)

    def test_repeated_slashes(self):
        self._check("repeated-slashes", 50)

    def test_repeated_headers(self):
        self._check("repeated-headers", 50)

    def test_multi_space_header_values(self):
        self._check("multi-space-headers", 50)

    def test_unsigned_user_agent(self):
        self._check("user-agent", 20)

    def test_query_repeated_keys(self):
        self._check("query-repeated-keys", 50)

    def test_query_reserved_characters(self):
        self._check("query-reserved", 50)

    def test_query_key_without_equals(self):
        self._check("query-no-equals", 20)

    def test_bodies(self):
        self._check("body", 50)

    def test_session_tokens(self):
        self._check("session-token", 50)

    def test_the_comparison_can_fail(self):
        # A wrong secret on our side must change every signature: the
        # comparison is not vacuous and the secret really reaches the signer.
        sample = self.requests[:20]
        wrong = our_sign(sample, secret_of=lambda r: r["secret"][::-1])
        for (status, auth, _), (their_auth, _) in zip(wrong, self.theirs[:20]):
            self.assertEqual(status, "OK")
            self.assertNotEqual(auth, their_auth)

    def test_suite_anchor(self):
        # Both signers reproduce a published answer (classic get-vanilla):
        # the fixed clock and the framing are right, not just consistent.
        with open(os.path.join(TOP, "tests/vectors/classic/get-vanilla/get-vanilla.authz")) as f:
            expected = f.read().strip()
        req = {"index": -1, "method": "GET", "path": "/", "query": "",
               "host": "example.amazonaws.com", "headers": [("Host", "example.amazonaws.com")],
               "body": b"", "akid": "AKIDEXAMPLE",
               "secret": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token": "",
               "region": "us-east-1", "service": "service",
               "time": datetime.datetime(2015, 8, 30, 12, 36, 0)}
        self.assertEqual(botocore_sign(req)[0], expected)
        self.assertEqual(our_sign([req])[0][:2], ("OK", expected))
        self.assertEqual(hashlib.sha256(b"").hexdigest(), our_sign([req])[0][2].split("\n")[-1])


if __name__ == "__main__":
    unittest.main()
