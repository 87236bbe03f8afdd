"""`cognito-tui call` of every change under the emulator's drop, reset,
delay, truncate and 5xx faults (issue 11): no duplicate resource, exit 6
where the outcome is unknown with one line saying how to check, the journal
line as it really ended; and Ctrl-C while a change is in flight."""
import json
import os
import signal
import subprocess
import time

from clitools import ACCOUNT, BIN, REGION, EmulatorCase, all_pages, one_error_line

DEV = "login.outcomes.test"
FB = "graph.facebook.com"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/outcomes-auth"
# Issue 11 / api/operations.h: never sent twice once the outcome is unknown.
NOT_REPEATABLE = {
    "CreateIdentityPool", "GetId", "GetOpenIdTokenForDeveloperIdentity", "MergeDeveloperIdentities",
    "UnlinkDeveloperIdentity", "UnlinkIdentity", "TagResource", "UntagResource",
}
# Changes whose answer has no body (the model gives them no output).
EMPTY_ANSWER = {"DeleteIdentityPool", "SetIdentityPoolRoles", "UnlinkDeveloperIdentity", "UnlinkIdentity"}
CHANGES = [
    "CreateIdentityPool", "DeleteIdentityPool", "DeleteIdentities", "UpdateIdentityPool",
    "SetIdentityPoolRoles", "SetPrincipalTagAttributeMap", "TagResource", "UntagResource", "GetId",
    "GetOpenIdTokenForDeveloperIdentity", "MergeDeveloperIdentities", "UnlinkDeveloperIdentity",
    "UnlinkIdentity",
]


class Fixture:
    """A fresh pool with two developer users, a Facebook login and a tag, made
    on the emulator directly, and the input of each change against it."""

    counter = 0

    def __init__(self, emu):
        Fixture.counter += 1
        self.emu = emu
        self.name = f"outcomes {Fixture.counter} {os.getpid()}"
        pool = emu.ok("CreateIdentityPool", {
            "IdentityPoolName": self.name, "AllowUnauthenticatedIdentities": True,
            "DeveloperProviderName": DEV, "SupportedLoginProviders": {FB: "1234567890"},
            "IdentityPoolTags": {"team": "a"}})
        self.pid = pool["IdentityPoolId"]
        self.pool = pool
        self.arn = f"arn:aws:cognito-identity:{REGION}:{ACCOUNT}:identitypool/{self.pid}"
        dev = lambda user: emu.ok("GetOpenIdTokenForDeveloperIdentity", {  # noqa: E731
            "IdentityPoolId": self.pid, "Logins": {DEV: user}})["IdentityId"]
        self.user_a, self.user_b = dev("user-a"), dev("user-b")
        self.fb = emu.ok("GetId", {"IdentityPoolId": self.pid, "Logins": {FB: "fb-1"}})["IdentityId"]
        self.new_name = self.name + " new"

    def input(self, op):
        p = self.pid
        return {
            "CreateIdentityPool": {"IdentityPoolName": self.new_name, "AllowUnauthenticatedIdentities": False},
            "DeleteIdentityPool": {"IdentityPoolId": p},
            "DeleteIdentities": {"IdentityIdsToDelete": [self.user_b, self.fb]},
            "UpdateIdentityPool": dict({k: v for k, v in self.pool.items() if k != "IdentityPoolTags"},
                                       AllowClassicFlow=True),
            "SetIdentityPoolRoles": {"IdentityPoolId": p, "Roles": {"authenticated": ROLE}},
            "SetPrincipalTagAttributeMap": {"IdentityPoolId": p, "IdentityProviderName": FB,
                                            "UseDefaults": False, "PrincipalTags": {"dept": "custom:dept"}},
            "TagResource": {"ResourceArn": self.arn, "Tags": {"env": "test"}},
            "UntagResource": {"ResourceArn": self.arn, "TagKeys": ["team"]},
            "GetId": {"IdentityPoolId": p, "AccountId": ACCOUNT},
            "GetOpenIdTokenForDeveloperIdentity": {"IdentityPoolId": p, "Logins": {DEV: "user-new"}},
            "MergeDeveloperIdentities": {"SourceUserIdentifier": "user-b", "DestinationUserIdentifier": "user-a",
                                         "DeveloperProviderName": DEV, "IdentityPoolId": p},
            "UnlinkDeveloperIdentity": {"IdentityId": self.user_a, "IdentityPoolId": p,
                                        "DeveloperProviderName": DEV, "DeveloperUserIdentifier": "user-a"},
            "UnlinkIdentity": {"IdentityId": self.fb, "Logins": {FB: "fb-1"}, "LoginsToRemove": [FB]},
        }[op]

    def identities(self):
        return self.emu.ok("ListIdentities", {"IdentityPoolId": self.pid, "MaxResults": 60})["Identities"]

    def pools_named(self, name):
        return [x for x in all_pages(self.emu, "ListIdentityPools", {}, "IdentityPools")
                if x["IdentityPoolName"] == name]

    def effects(self, op):
        """How many times the change shows on the service (0 or 1, never more)."""
        emu = self.emu
        if op == "CreateIdentityPool":
            return len(self.pools_named(self.new_name))
        if op == "GetId":  # each unauthenticated GetId makes one more identity
            return len(self.identities()) - 3
        if op == "GetOpenIdTokenForDeveloperIdentity":
            found = emu.call("LookupDeveloperIdentity", {"IdentityPoolId": self.pid,
                                                         "DeveloperUserIdentifier": "user-new"})
            return 1 if found[0] == 200 else 0
        if op == "DeleteIdentityPool":
            return 1 if emu.call("DescribeIdentityPool", {"IdentityPoolId": self.pid})[0] != 200 else 0
        if op == "DeleteIdentities":
            return 1 if len(self.identities()) == 1 else 0
        if op == "UpdateIdentityPool":
            return 1 if emu.ok("DescribeIdentityPool", {"IdentityPoolId": self.pid}).get("AllowClassicFlow") else 0
        if op == "SetIdentityPoolRoles":
            return 1 if emu.ok("GetIdentityPoolRoles", {"IdentityPoolId": self.pid}).get("Roles") else 0
        if op == "SetPrincipalTagAttributeMap":
            m = emu.ok("GetPrincipalTagAttributeMap", {"IdentityPoolId": self.pid, "IdentityProviderName": FB})
            return 1 if m.get("PrincipalTags") else 0
        if op in ("TagResource", "UntagResource"):
            tags = emu.ok("ListTagsForResource", {"ResourceArn": self.arn}).get("Tags", {})
            return 1 if ("env" in tags if op == "TagResource" else "team" not in tags) else 0
        if op == "MergeDeveloperIdentities":
            found = emu.ok("LookupDeveloperIdentity", {"IdentityPoolId": self.pid, "DeveloperUserIdentifier": "user-b"})
            return 1 if found.get("IdentityId") == self.user_a else 0
        if op == "UnlinkDeveloperIdentity":
            return 1 if emu.call("LookupDeveloperIdentity", {"IdentityPoolId": self.pid,
                                                             "DeveloperUserIdentifier": "user-a"})[0] != 200 else 0
        if op == "UnlinkIdentity":
            return 0 if emu.ok("DescribeIdentity", {"IdentityId": self.fb}).get("Logins") else 1
        raise AssertionError(op)


class FaultsOnEveryChange(EmulatorCase):
    def run_change(self, op, fault, **env):
        """Sets up, applies `fault` to the next request(s) of op, runs `call`.
        Returns (result, fixture, requests of op, the journal line of op)."""
        fx = Fixture(self.emu)
        before = len(self.cli.journal())
        self.emu.reset_log()
        self.emu.set_faults(f"{fault}/{op}")
        r = self.cli.call(op, fx.input(op), env=self.cli.env(extra=env) if env else None)
        self.emu.set_faults("")
        sent = [e for e in self.emu.requests() if e["operation"] == op]
        lines = [j for j in self.cli.journal()[before:] if j["operation"] == op]
        self.assertEqual(len(lines), 1, (op, fault, r, lines))
        self.assertNotIn("AddressSanitizer", r.err)
        return r, fx, sent, lines[0]

    def assert_unknown(self, op, r, fx, sent, line):
        one_error_line(self, r, 6, "OutcomeUnknown", op, "may have been applied", "Check with: cognito-tui")
        self.assertEqual(line["outcome"], "unknown", line)
        self.assertEqual(len(sent), 1, (op, sent))  # never sent a second time
        self.assertEqual(fx.effects(op), 1, op)     # it did happen, once

    def check_lost_answer(self, fault):
        """The change ran and its answer never came whole: a change not safe
        to repeat exits 6 and is journaled unknown, sent once; a repeatable
        one is sent again and its second answer counts."""
        for op in CHANGES:
            if op in EMPTY_ANSWER:
                continue  # until the emulator's drop never completes an empty answer
            with self.subTest(op=op, fault=fault):
                r, fx, sent, line = self.run_change(op, fault + "*1")
                if op in NOT_REPEATABLE:
                    self.assert_unknown(op, r, fx, sent, line)
                    continue
                self.assertEqual(len(sent), 2, (op, sent))
                self.assertEqual(fx.effects(op), 1, op)
                if op == "DeleteIdentityPool":
                    # The repeat finds no pool: that does not settle what the
                    # first sending did (it may never have existed): unknown.
                    one_error_line(self, r, 6, "OutcomeUnknown", "ResourceNotFoundException",
                                   "call DescribeIdentityPool")
                    self.assertEqual((line["outcome"], line["error"]), ("unknown", "ResourceNotFoundException"))
                    continue
                self.assertTrue(line.get("repeated_after_unknown"), line)
                if op == "DeleteIdentities":
                    # The second answer calls the deleted ids unprocessed: the
                    # first sending may have deleted them, so: unknown, exit 6.
                    one_error_line(self, r, 6, "OutcomeUnknown", "may have been deleted")
                    self.assertEqual(line["outcome"], "unknown", line)
                    self.assertEqual(len(line["result"]["UnprocessedIdentityIds"]), 2, line)
                else:
                    self.assertEqual(r.rc, 0, r)
                    self.assertEqual(line["outcome"], "ok", line)

    def test_drop(self):
        """Half the answer, then the connection closes (an answer without
        body: a chunked body that never ends)."""
        self.check_lost_answer("drop")

    def test_truncate(self):
        """A whole 200 whose body is cut: done, details lost: unknown, never resent."""
        for op in CHANGES:
            with self.subTest(op=op):
                r, fx, sent, line = self.run_change(op, "truncate*1")
                if op in EMPTY_ANSWER:  # half of nothing is the whole answer
                    self.assertEqual(r.rc, 0, r)
                    self.assertEqual(line["outcome"], "ok", line)
                    self.assertEqual(fx.effects(op), 1, op)
                    continue
                self.assert_unknown(op, r, fx, sent, line)

    def test_delay(self):
        """A slow answer is still an answer."""
        for op in CHANGES:
            with self.subTest(op=op):
                r, fx, sent, line = self.run_change(op, "delay:150*1")
                self.assertEqual(r.rc, 0, r)
                self.assertEqual(len(sent), 1)
                self.assertEqual(line["outcome"], "ok", line)
                self.assertEqual(fx.effects(op), 1, op)
                if op == "CreateIdentityPool":
                    self.assertEqual(line["result"]["IdentityPoolId"], fx.pools_named(fx.new_name)[0]["IdentityPoolId"])

    def test_5xx_once_then_ok(self):
        """A 500 the service sent is a known failure: retried, even for a
        change not safe to repeat, and applied once."""
        for op in CHANGES:
            with self.subTest(op=op):
                r, fx, sent, line = self.run_change(op, "5xx*1")
                self.assertEqual(r.rc, 0, r)
                self.assertEqual(len(sent), 2)
                self.assertEqual(line["outcome"], "ok", line)
                self.assertNotIn("repeated_after_unknown", line)
                self.assertEqual(fx.effects(op), 1, op)

    def test_5xx_every_attempt(self):
        """A 500 on every attempt (two, to keep the back-off short): failed,
        with the code, nothing applied, exit 1."""
        for op in CHANGES:
            with self.subTest(op=op):
                r, fx, sent, line = self.run_change(op, "5xx*2", AWS_MAX_ATTEMPTS="2")
                one_error_line(self, r, 1, "InternalErrorException")
                self.assertEqual(len(sent), 2)
                self.assertEqual(line["outcome"], "failed", line)
                self.assertEqual(line["error"], "InternalErrorException", line)
                self.assertEqual(fx.effects(op), 0, op)


class Interrupt(EmulatorCase):
    """Ctrl-C while a change is in flight."""

    def start(self, op, payload, delay_ms):
        self.emu.set_faults(f"delay:{delay_ms}*1/{op}")
        self.before = len(self.cli.journal())
        return subprocess.Popen([BIN, "call", op, json.dumps(payload)], env=self.cli.env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def wait_until(self, cond, what, timeout=30):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if cond():
                return
            time.sleep(0.02)
        raise AssertionError("timed out waiting for " + what)

    def finish(self, p):
        try:
            out, err = p.communicate(timeout=60)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        return p.returncode, out.decode(), err.decode()

    def pools_named(self, name):
        return [x for x in all_pages(self.emu, "ListIdentityPools", {}, "IdentityPools")
                if x["IdentityPoolName"] == name]

    @staticmethod
    def catches_sigint(pid):
        try:
            with open(f"/proc/{pid}/status") as f:
                caught = [line.split()[1] for line in f if line.startswith("SigCgt:")]
        except OSError:
            return False
        return bool(caught) and int(caught[0], 16) & (1 << (signal.SIGINT - 1)) != 0

    def test_answer_within_the_grace_is_reported(self):
        name = f"interrupt grace {os.getpid()}"
        p = self.start("CreateIdentityPool", {"IdentityPoolName": name, "AllowUnauthenticatedIdentities": False},
                       1000)
        try:
            # The emulator made the pool and sleeps before answering.
            self.wait_until(lambda: self.pools_named(name), "the pool")
            p.send_signal(signal.SIGINT)
        finally:
            rc, out, err = self.finish(p)
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["IdentityPoolName"], name)
        line = self.cli.journal()[self.before:]
        self.assertEqual([j["outcome"] for j in line], ["ok"])

    def test_no_answer_within_the_grace_is_unknown(self):
        name = f"interrupt unknown {os.getpid()}"
        p = self.start("CreateIdentityPool", {"IdentityPoolName": name, "AllowUnauthenticatedIdentities": False},
                       8000)
        try:
            self.wait_until(lambda: self.pools_named(name), "the pool")
            p.send_signal(signal.SIGINT)
        finally:
            rc, out, err = self.finish(p)
        self.assertEqual(rc, 6, err)
        self.assertEqual(out, "")
        lines = err.strip().split("\n")
        self.assertEqual(len(lines), 1, err)
        self.assertIn("may have been applied", lines[0])
        self.assertIn("no answer came within 2 s", lines[0])
        self.assertIn("call ListIdentityPools", lines[0])
        line = self.cli.journal()[self.before:]
        self.assertEqual([(j["operation"], j["outcome"]) for j in line], [("CreateIdentityPool", "unknown")])
        self.assertEqual(len(self.pools_named(name)), 1)

    def test_second_interrupt_stops_at_once(self):
        name = f"interrupt twice {os.getpid()}"
        p = self.start("CreateIdentityPool", {"IdentityPoolName": name, "AllowUnauthenticatedIdentities": False},
                       8000)
        try:
            self.wait_until(lambda: self.pools_named(name), "the pool")
            p.send_signal(signal.SIGINT)
            time.sleep(0.3)  # two signals sent at once may merge into one
            p.send_signal(signal.SIGINT)
        finally:
            rc, out, err = self.finish(p)
        self.assertEqual(rc, 6, err)
        self.assertIn("interrupted twice", err)
        self.assertEqual([j["outcome"] for j in self.cli.journal()[self.before:]], ["unknown"])

    def test_a_read_stops_at_once(self):
        p = self.start("ListIdentityPools", {"MaxResults": 1}, 8000)
        try:
            # Once the call is under way, Ctrl-C is caught (before, it kills as usual).
            self.wait_until(lambda: self.catches_sigint(p.pid), "the SIGINT handler")
            p.send_signal(signal.SIGINT)
        finally:
            rc, out, err = self.finish(p)
        self.assertEqual(rc, 128 + signal.SIGINT, err)
        self.assertIn("Interrupted", err)
        self.assertEqual(self.cli.journal()[self.before:], [])


class UnknownLine(EmulatorCase):
    def test_hint_is_a_runnable_check(self):
        """The exit-6 line names a read that, run as printed, answers."""
        fx = Fixture(self.emu)
        self.emu.set_faults("truncate*1/TagResource")
        r = self.cli.call("TagResource", fx.input("TagResource"))
        line = one_error_line(self, r, 6, "OutcomeUnknown")
        cmd = line.split("Check with: cognito-tui [same options] call ", 1)[1].split(" (look for", 1)[0]
        op, payload = cmd.split(" ", 1)
        self.assertEqual(op, "ListTagsForResource")
        self.assertTrue(payload.startswith("'") and payload.endswith("'"), payload)
        out = self.cli.ok(op, payload[1:-1])
        self.assertEqual(out["Tags"].get("env"), "test")

    def test_read_only_refusal_is_journaled_refused(self):
        before = len(self.cli.journal())
        self.emu.reset_log()
        r = self.cli.call("DeleteIdentityPool", {"IdentityPoolId": self.emu.pool_id("big-pool")}, "--read-only")
        one_error_line(self, r, 3, "DeleteIdentityPool")
        lines = self.cli.journal()[before:]
        self.assertEqual([(j["operation"], j["outcome"], j["error"]) for j in lines],
                         [("DeleteIdentityPool", "refused", "ReadOnly")])
        self.assertIn("read-only", lines[0]["reason"])
        self.assertEqual([e for e in self.emu.requests() if e["operation"] != "ListIdentityPools"], [])
        # A read refused nothing and journals nothing.
        self.cli.ok("DescribeIdentityPool", {"IdentityPoolId": self.emu.pool_id("big-pool")}, "--read-only")
        self.assertEqual(len(self.cli.journal()), before + 1)
