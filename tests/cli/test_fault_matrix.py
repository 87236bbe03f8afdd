"""Every emulator fault kind against every surface: `export identities -o
FILE` (a read walked over pages), a change (`call TagResource`), the bulk
jobs (`inventory`: a listing into SQLite; `prune`: a listing, then changes
in batches), and the console's Pools listing. Each fault fires once (on the second page, with rows
already in the temporary file) and on every request; each outcome is
asserted: succeeded within the retry budget, or a clear one-line error, or
"outcome unknown" for a change whose answer was lost. Never a crash, a
sanitizer report, a hang past the timeout, or a lost or half-written file.

The kinds come from the emulator (tests/emulator/faults.py): a kind added
there fails this test until its outcomes are written down here. The results
go to $COGNITO_TUI_BUILD/reliability/faults.json for the README's
Reliability section (scripts/reliability.py).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from clitools import ACCOUNT, BIN, REGION, EmulatorCase

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "e2e"))
import faults  # noqa: E402  (tests/emulator, on the path through clitools)
import tmux_driver  # noqa: E402

IDENTITIES = 130  # three pages of 60
MAX_ATTEMPTS = 3  # the standard retry mode's default
TIMEOUT = 120     # no run may take longer

OK, ERROR, UNKNOWN = "ok", "error", "unknown"


def header_define(path, name):
    """A #define of the C code, so the budgets here follow the code's."""
    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                           path)) as f:
        return int(re.search(rf"#define {name}\s+(\d+)", f.read()).group(1))


# A bulk job asks a failed page or batch again, up to this many times in a
# row; each call has its own attempts, one here (AWS_MAX_ATTEMPTS=1) so the
# jobs' own retrying is what is tried, without the calls' back-off.
JOB_RETRIES = header_define("tui/identity_lister.h", "IDENTITY_LISTER_RETRIES")
PRUNE_FAILURES = header_define("tui/prune_job.h", "PRUNE_MAX_FAILURES")

# KIND[:ARG] -> expected outcome of (a read, once), (a read, always),
# (a change, once), (a change, always). A read's page failing once is
# retried when the failure is transient; a change is never sent again once
# its answer was lost (TagResource is not safe to repeat), so a lost answer
# is "unknown", while a refusal at the front door (the operation did not run
# and said so) is a known error, retried when transient.
EXPECTED = {
    "throttle": (OK, ERROR, OK, ERROR),
    "5xx": (OK, ERROR, OK, ERROR),
    "5xx:503": (OK, ERROR, OK, ERROR),
    "delay:300": (OK, OK, OK, OK),
    "drop": (OK, ERROR, UNKNOWN, UNKNOWN),
    "reset": (OK, ERROR, UNKNOWN, UNKNOWN),  # the operation ran, the connection ended with no answer
    "truncate": (ERROR, ERROR, UNKNOWN, UNKNOWN),
    "badjson": (ERROR, ERROR, UNKNOWN, UNKNOWN),
    "content-type": (OK, OK, OK, OK),
    "html": (OK, ERROR, OK, ERROR),
    "xml403": (ERROR, ERROR, ERROR, ERROR),
    "oversize": (ERROR, ERROR, UNKNOWN, UNKNOWN),
    "status:503": (OK, ERROR, OK, ERROR),
    "status:403": (ERROR, ERROR, ERROR, ERROR),
    "error:ThrottlingException": (OK, ERROR, OK, ERROR),
    "error:NotAuthorizedException": (ERROR, ERROR, ERROR, ERROR),
}

# prune (deletes in batches, faulted on DeleteIdentities): a batch whose
# answer was lost is settled with DescribeIdentity and sent again when its
# ids are still there; failures in a row stop the job (resumable).
PRUNE_EXPECTED = {
    "throttle": (OK, ERROR),
    "5xx": (OK, ERROR),
    "5xx:503": (OK, ERROR),
    "delay:300": (OK, OK),
    "drop": (OK, OK),            # the deletes ran: settled as done
    # Known defect (reported): the batch ran, its connection was reset and
    # libcurl sent it again on a new one; the repeat's answer lists the ids as
    # AccessDenied (already gone), which prune cannot tell from a refusal
    # because the client never learns it was a repeat. The ids are deleted,
    # yet reported unprocessed (exit 1); the next run settles the count.
    "reset": (ERROR, OK),
    "truncate": (OK, OK),
    "badjson": (OK, UNKNOWN),    # a front door answering garbage: not run, never settled
    "content-type": (OK, OK),
    "html": (OK, ERROR),
    "xml403": (ERROR, ERROR),
    "oversize": (OK, UNKNOWN),
    "status:503": (OK, ERROR),
    "status:403": (ERROR, ERROR),
    "error:ThrottlingException": (OK, ERROR),
    "error:NotAuthorizedException": (ERROR, ERROR),
}

# A read whose connection ended with no answer at all (reset) on a reused connection is sent once
# more by libcurl itself, as for any keep-alive connection the server closed: one request over
# the retry budget reaches the server. Changes are never re-sent so (test_change).
RESENT_BY_LIBCURL = {"reset": 1}

RESULTS = {}


def record(kind, surface, when, outcome, detail):
    RESULTS.setdefault(kind, {})[f"{surface} {when}"] = {"outcome": outcome, "detail": detail}


def write_results():
    build = os.environ.get("COGNITO_TUI_BUILD")
    if not build or not RESULTS:
        return
    folder = os.path.join(build, "reliability")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "faults.json"), "w") as f:
        json.dump({"kinds": RESULTS, "identities": IDENTITIES, "max_attempts": MAX_ATTEMPTS}, f, indent=1,
                  sort_keys=True)


class FaultMatrix(EmulatorCase):
    IDENTITIES = IDENTITIES

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big = cls.emu.pool_id("big-pool")
        cls.dir = tempfile.mkdtemp(prefix="cognito-faults-")
        cls.want = cls.cli.run("export", "identities", "--pool", cls.big).json()
        assert len(cls.want) == IDENTITIES

    @classmethod
    def tearDownClass(cls):
        write_results()
        shutil.rmtree(cls.dir, ignore_errors=True)
        super().tearDownClass()

    def test_every_kind_has_expected_outcomes(self):
        kinds = {k.split(":")[0] for k in EXPECTED}
        self.assertEqual(kinds, set(faults.KINDS), "a fault kind without written-down outcomes")
        self.assertEqual(set(PRUNE_EXPECTED), set(EXPECTED))

    def outcome_of(self, r, change=False):
        """The outcome class of a run, after the house's failure contract."""
        self.assertGreaterEqual(r.rc, 0, f"killed by signal {-r.rc}: {r.err[-500:]}")
        self.assertNotIn("AddressSanitizer", r.err)
        self.assertNotIn("runtime error", r.err)
        if r.rc == 0:
            return OK
        lines = [line for line in r.err.splitlines()
                 if not line.startswith(("cognito-tui: Warning:", "cognito-tui: Note:"))]
        self.assertEqual(len(lines), 1, r.err)
        self.assertTrue(lines[0].startswith("cognito-tui: "), r.err)
        if r.rc == 6:
            self.assertTrue(change, "a read can have no unknown outcome")
            # A call says so; a job keeps the unsettled batches for the next run.
            self.assertTrue("may have been applied" in r.err or "run the same command to continue" in r.err,
                            r.err)
            return UNKNOWN
        self.assertIn(r.rc, (1, 4), r.err)
        return ERROR

    def attempts(self, operation):
        return len([e for e in self.emu.requests() if e["operation"] == operation])

    # -- a read: export identities -o FILE ----------------------------------
    def export(self, kind, always):
        path = os.path.join(self.dir, "ids.json")
        with open(path, "w") as f:
            f.write("before\n")
        self.emu.set_faults(f"delay:1*1/ListIdentities,{kind}{'@1' if always else '*1'}/ListIdentities")
        self.emu.reset_log()
        start = time.monotonic()
        r = self.cli.run("export", "identities", "--pool", self.big, "-o", path, timeout=TIMEOUT)
        took = time.monotonic() - start
        outcome = self.outcome_of(r)
        self.assertEqual(os.listdir(self.dir), ["ids.json"], "a temporary file was left")
        with open(path) as f:
            text = f.read()
        if outcome == OK:
            self.assertEqual(json.loads(text), self.want, "the file is not the whole export")
        else:
            self.assertEqual(text, "before\n", "a failed export touched the file")
        # Page 1, then at most MAX_ATTEMPTS for the failing page; a page
        # that succeeded after a retry goes on to page 3.
        n = self.attempts("ListIdentities")
        self.assertLessEqual(n, 1 + MAX_ATTEMPTS + (1 if outcome == OK else 0) + RESENT_BY_LIBCURL.get(kind, 0), n)
        return outcome, took, r.err.strip()

    def test_export(self):
        for kind, expected in EXPECTED.items():
            for always in (False, True):
                with self.subTest(kind=kind, always=always):
                    outcome, took, err = self.export(kind, always)
                    record(kind, "export", "always" if always else "once", outcome,
                           err or f"{IDENTITIES} rows in {took:.1f} s")
                    self.assertEqual(outcome, expected[1 if always else 0], err)

    # -- a change: call TagResource -------------------------------------------
    def test_change(self):
        arn = f"arn:aws:cognito-identity:{REGION}:{ACCOUNT}:identitypool/{self.big}"
        for kind, expected in EXPECTED.items():
            for always in (False, True):
                with self.subTest(kind=kind, always=always):
                    self.emu.set_faults(f"{kind}{'@1' if always else '*1'}/TagResource")
                    self.emu.reset_log()
                    r = self.cli.call("TagResource", {"ResourceArn": arn, "Tags": {"matrix": kind}},
                                      timeout=TIMEOUT)
                    outcome = self.outcome_of(r, change=True)
                    record(kind, "change", "always" if always else "once", outcome,
                           r.err.strip() or "tagged")
                    self.assertEqual(outcome, expected[3 if always else 2], r.err)
                    self.assertLessEqual(self.attempts("TagResource"), MAX_ATTEMPTS)
                    if outcome == UNKNOWN:
                        # Never sent again once its answer was lost.
                        self.assertEqual(self.attempts("TagResource"), 1)
                    # The journal says what happened, an unknown as unknown.
                    entry = self.cli.journal()[-1]
                    self.assertEqual(entry["operation"], "TagResource")
                    self.assertEqual(entry["outcome"], {OK: "ok", ERROR: "failed",
                                                        UNKNOWN: "unknown"}[outcome], entry)

    # -- the bulk jobs ------------------------------------------------------------
    def reseed(self):
        self.emu.set_faults("")
        self.emu.control("POST", "/_emulator/seed", {"seed": "demo", "identities": IDENTITIES})
        self.big = self.emu.pool_id("big-pool")
        shutil.rmtree(os.path.join(self.cli.state, "cognito-tui"), ignore_errors=True)

    def pool_ids(self):
        for p in self.emu.control("GET", "/_emulator/state")["pools"]:
            if p["IdentityPoolId"] == self.big:
                return p["identities"]
        raise AssertionError("big-pool is gone")

    def job_env(self):
        return self.cli.env(extra={"AWS_MAX_ATTEMPTS": "1"})

    def test_inventory(self):
        """A listing into SQLite, faulted on its second page; whatever
        happened, a run without the fault then gives every identity."""
        for kind, expected in EXPECTED.items():
            for always in (False, True):
                with self.subTest(kind=kind, always=always):
                    self.reseed()
                    self.emu.set_faults(f"delay:1*1/ListIdentities,{kind}{'@1' if always else '*1'}/ListIdentities")
                    self.emu.reset_log()
                    r = self.cli.run("inventory", "--pool", self.big, "--format", "json", "--rate-share", "1000",
                                     timeout=TIMEOUT, env=self.job_env())
                    outcome = self.outcome_of(r)
                    self.assertLessEqual(self.attempts("ListIdentities"),
                                         1 + (1 + JOB_RETRIES) * (1 + RESENT_BY_LIBCURL.get(kind, 0)) +
                                         (2 if outcome == OK else 0))
                    if outcome == OK:
                        self.assertEqual(r.json()["identities"], IDENTITIES)
                    record(kind, "inventory", "always" if always else "once", outcome,
                           r.err.strip() or f"{IDENTITIES} identities")
                    self.assertEqual(outcome, expected[1 if always else 0], r.err)
                    self.emu.set_faults("")
                    again = self.cli.run("inventory", "--pool", self.big, "--format", "json", "--rate-share",
                                         "1000", timeout=TIMEOUT)
                    self.assertEqual(again.rc, 0, again)
                    self.assertEqual(again.json()["identities"], IDENTITIES, "the inventory lost identities")

    def test_prune(self):
        """Deletes in batches faulted (once, or on every batch); then the same
        command without the fault finishes the job. Whatever happened, exactly
        the guests are gone and every other identity is still there."""
        for kind, expected in EXPECTED.items():
            for always in (False, True):
                with self.subTest(kind=kind, always=always):
                    self.reseed()
                    before = self.pool_ids()
                    guests = {i for i, x in before.items() if not x["logins"]}
                    self.assertGreater(len(guests), 0)
                    args = ("prune", "--pool", self.big, "--unauthenticated", "--yes", "--rate-share", "1000",
                            "--format", "json")
                    self.emu.set_faults(f"{kind}{'@1' if always else '*1'}/DeleteIdentities")
                    self.emu.reset_log()
                    r = self.cli.run(*args, timeout=TIMEOUT, env=self.job_env())
                    outcome = self.outcome_of(r, change=True)
                    record(kind, "prune", "always" if always else "once", outcome,
                           r.err.strip().splitlines()[0] if r.err.strip() else f"{len(guests)} guests deleted")
                    self.assertEqual(outcome, PRUNE_EXPECTED[kind][1 if always else 0], r.err)
                    batches = self.attempts("DeleteIdentities")
                    # Every guest in one batch of 60 at most, sent again at most
                    # PRUNE_FAILURES times in a row (4 batches at once).
                    self.assertLessEqual(batches, (1 + PRUNE_FAILURES) * 4)
                    after = set(self.pool_ids())
                    self.assertLessEqual(after, set(before))
                    self.assertFalse((set(before) - after) - guests, "a non-matching identity was deleted")
                    self.emu.set_faults("")
                    again = self.cli.run(*args, timeout=TIMEOUT)
                    self.assertEqual(again.rc, 0, again)
                    self.assertEqual(set(self.pool_ids()), set(before) - guests)

    # -- the console: the Pools listing ----------------------------------------
    def test_console_listing(self):
        """One console through every kind (a console each cost a start and a
        quit per kind): the fault on every listing request, then the fault
        gone and a listing that works, so each kind starts from a console
        that is alive, answering and showing no error."""
        self.emu.set_faults("")
        with tmux_driver.Console(self.emu) as con:
            con.wait_for("big-pool", timeout=30)
            for kind, expected in EXPECTED.items():
                with self.subTest(kind=kind):
                    self.emu.set_faults(f"{kind}@1/ListIdentityPools")
                    self.emu.reset_log()
                    con.keys("r")
                    if expected[1] == OK:
                        tmux_driver.wait_until(lambda: self.attempts("ListIdentityPools") >= 1,
                                               timeout=30, what="the listing")
                        s = con.wait_for("partner-portal", timeout=30)
                        self.assertNotIn("Listing pools:", s)
                        outcome = OK
                    else:
                        s = con.wait_for("Listing pools:", timeout=30)
                        outcome = ERROR
                    self.assertLessEqual(self.attempts("ListIdentityPools"),
                                         MAX_ATTEMPTS + RESENT_BY_LIBCURL.get(kind, 0))
                    status = [line for line in s.splitlines() if "Listing pools:" in line]
                    record(kind, "console", "always", outcome,
                           status[0].strip() if status else "pools listed")
                    # Still alive and answering: the fault gone, r lists again.
                    self.emu.set_faults("")
                    self.emu.reset_log()
                    con.keys("r")
                    tmux_driver.wait_until(
                        lambda: [e for e in self.emu.requests()
                                 if e["operation"] == "ListIdentityPools" and e["status"] == 200],
                        timeout=30, what="a listing after the fault")
                    con.wait_for("partner-portal", timeout=30)
                    con.wait_for("Listing pools:", timeout=30, gone=True)
            # Leaving the block checks the exit status and the sanitizer reports.

if __name__ == "__main__":
    unittest.main()
