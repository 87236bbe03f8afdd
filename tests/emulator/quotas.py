"""Request-rate quotas: a token bucket per (Region, operation), as AWS throttles Cognito.

"Each Amazon Cognito quota represents a maximum volume of requests in one AWS
Region in one AWS account" (the Cognito developer guide's "Quotas" page, which
also gives the identity pool rates below; operations it does not list get 25).
A bucket holds one second's worth (at least one request) and refills
continuously; a request that finds it empty is answered 400
TooManyRequestsException "Rate exceeded" before the operation runs.
Modes: `off` (default) or `aws` with a SCALE multiplying every rate (`aws:4`
makes the tests quick while keeping the proportions).
"""
import threading
import time

RATES = {
    "GetId": 25, "GetOpenIdToken": 200, "GetCredentialsForIdentity": 200, "GetOpenIdTokenForDeveloperIdentity": 50,
    "ListIdentities": 5, "DeleteIdentities": 10, "TagResource": 5, "UntagResource": 5, "ListTagsForResource": 10,
}
DEFAULT_RATE = 25


def parse(spec):
    """`off`, `aws` or `aws:SCALE` -> (mode, scale). Raises ValueError naming what is wrong."""
    spec = (spec or "off").strip()
    if spec == "off":
        return "off", 1.0
    if spec == "aws":
        return "aws", 1.0
    if spec.startswith("aws:"):
        try:
            scale = float(spec[4:])
        except ValueError:
            scale = 0
        if scale > 0:
            return "aws", scale
    raise ValueError(f"quotas {spec!r}: expected off, aws or aws:SCALE with SCALE a number above 0")


class Quotas:
    def __init__(self, spec="off", clock=time.monotonic):
        self._lock = threading.Lock()
        self._clock = clock
        self.set(*parse(spec))

    def set(self, mode, scale=1.0):
        if mode not in ("off", "aws"):
            raise ValueError("'mode' must be \"off\" or \"aws\"")
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0:
            raise ValueError("'scale' must be a number above 0")
        with self._lock:
            self.mode, self.scale = mode, float(scale)
            self._buckets = {}

    def rate(self, operation):
        return RATES.get(operation, DEFAULT_RATE) * self.scale

    def describe(self):
        with self._lock:
            return {"mode": self.mode, "scale": self.scale,
                    "rates": {op: r * self.scale for op, r in RATES.items()},
                    "default_rate": DEFAULT_RATE * self.scale}

    def take(self, region, operation):
        """True when a request of OPERATION in REGION may run now (and counts it)."""
        with self._lock:
            if self.mode == "off":
                return True
            rate = self.rate(operation)
            capacity = max(1.0, rate)
            now = self._clock()
            key = (region, operation)
            tokens, last = self._buckets.get(key, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate)
            ok = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if ok else tokens, now)
            return ok
