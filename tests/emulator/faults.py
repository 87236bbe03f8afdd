"""Fault rules: parsing the SPEC syntax (README.md) and picking the rule for a request."""
import random
import re
import threading

KINDS = {
    "throttle": None,
    "5xx": "500",
    "delay": "2000",
    "drop": None,
    "reset": None,
    "truncate": None,
    "badjson": None,
    "content-type": None,
    "html": "502",
    "xml403": None,
    "oversize": str(17 * 1024 * 1024),
    "status": None,
    "error": None,
}
# KIND[:ARG][@RATE|*COUNT][/OPERATION]
_RULE = re.compile(r"^(?P<kind>[a-z0-9-]+)(?::(?P<arg>[^@*/]+))?"
                   r"(?:@(?P<rate>[0-9.]+)|\*(?P<count>\d+))?(?:/(?P<op>[A-Za-z]+))?$")


class FaultError(ValueError):
    pass


def _check(rule):
    kind = rule.get("kind")
    if kind not in KINDS:
        raise FaultError(f"unknown fault kind {kind!r} (known: {', '.join(sorted(KINDS))})")
    arg = rule.get("arg")
    if arg is None:
        arg = KINDS[kind]
    if kind in ("status", "error") and not arg:
        raise FaultError(f"fault {kind!r} needs an argument, e.g. {kind}:{'403' if kind == 'status' else 'Code'}")
    if kind in ("5xx", "html", "status", "delay", "oversize"):
        try:
            n = int(str(arg))
        except ValueError:
            raise FaultError(f"fault {kind!r}: {arg!r} is not a number") from None
        if kind in ("5xx", "html", "status") and not 100 <= n <= 599:
            raise FaultError(f"fault {kind!r}: status {n} out of range")
        if n < 0:
            raise FaultError(f"fault {kind!r}: negative value")
    rate, count = rule.get("rate"), rule.get("count")
    if rate is not None and count is not None:
        raise FaultError("a fault has either a rate or a count, not both")
    if rate is not None:
        rate = float(rate)
        if not 0 <= rate <= 1:
            raise FaultError(f"fault rate {rate} is not between 0 and 1")
    elif count is None:
        count = 1
    else:
        count = int(count)
        if count < 0:
            raise FaultError("fault count must be >= 0")
    return {"kind": kind, "arg": None if arg is None else str(arg), "rate": rate, "count": count,
            "operation": rule.get("operation") or None}


def parse(spec):
    rules = []
    for part in (spec or "").split(","):
        part = part.strip()
        if not part:
            continue
        m = _RULE.match(part)
        if not m:
            raise FaultError(f"bad fault rule {part!r}: expected KIND[:ARG][@RATE|*COUNT][/OPERATION]")
        rules.append(_check({"kind": m["kind"], "arg": m["arg"], "rate": m["rate"], "count": m["count"],
                             "operation": m["op"]}))
    return rules


def _spec_of(rule):
    s = rule["kind"]
    if rule["arg"] is not None and rule["arg"] != KINDS.get(rule["kind"]):
        s += ":" + rule["arg"]
    s += f"@{rule['rate']}" if rule["rate"] is not None else f"*{rule['count']}"
    if rule["operation"]:
        s += "/" + rule["operation"]
    return s


class Faults:
    def __init__(self, seed=None):
        self._lock = threading.Lock()
        self._rules = []
        self._rng = random.Random(seed)

    def set(self, rules):
        with self._lock:
            self._rules = [dict(r) for r in rules]

    def set_from_json(self, payload):
        if not isinstance(payload, dict):
            raise FaultError("expected a JSON object with 'spec' or 'faults'")
        if "spec" in payload:
            if not isinstance(payload["spec"], str):
                raise FaultError("'spec' must be a string")
            self.set(parse(payload["spec"]))
        elif "faults" in payload and isinstance(payload["faults"], list):
            self.set([_check(r if isinstance(r, dict) else {}) for r in payload["faults"]])
        else:
            raise FaultError("expected a JSON object with 'spec' or 'faults'")

    def list(self):
        with self._lock:
            return [dict(r, spec=_spec_of(r)) for r in self._rules if r["count"] is None or r["count"] > 0]

    def pick(self, operation):
        """The rule that fires for this request, or None. Counted rules are spent here."""
        with self._lock:
            for r in self._rules:
                if r["operation"] and r["operation"] != operation:
                    continue
                if r["rate"] is not None:
                    if self._rng.random() < r["rate"]:
                        return dict(r)
                    continue
                if r["count"] > 0:
                    r["count"] -= 1
                    return dict(r)
            return None
