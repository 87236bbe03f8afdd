"""`cognito-tui prune` against the emulator: matching, refusals, dry run,
batches and their journal lines, faults in both phases, lost answers,
kill-and-resume, Ctrl-C, the typed count at a terminal, identities changed
between the listing and the deletes, one job a pool."""
import json
import math
import os
import pty
import random
import select
import shutil
import signal
import subprocess
import time
import unittest

from clitools import BIN, EmulatorCase, all_pages, one_error_line

N = 1200
CUTOFF = "2024-01-01T03:00:00Z"
CUTOFF_EPOCH = 1704067200 + 3 * 3600
FAST = ("--rate-share", "1000")  # 10× the published rates: the tests stay quick


class PruneCase(EmulatorCase):
    IDENTITIES = N

    def setUp(self):
        super().setUp()
        self.emu.control("POST", "/_emulator/seed", {"seed": "demo", "identities": N})
        self.pool = self.emu.pool_id("big-pool")
        self.emu.reset_log()
        shutil.rmtree(os.path.join(self.cli.state, "cognito-tui"), ignore_errors=True)

    # -- the pool as the emulator holds it --------------------------------
    def identities(self):
        for p in self.emu.control("GET", "/_emulator/state")["pools"]:
            if p["IdentityPoolId"] == self.pool:
                return p["identities"]
        raise AssertionError("big-pool is gone")

    def expected(self, pred):
        return {i for i, x in self.identities().items() if pred(x)}

    def guests_before_cutoff(self, x):
        return not x["logins"] and x["created"] < CUTOFF_EPOCH

    def listing_order(self):
        return [x["IdentityId"] for x in all_pages(self.emu, "ListIdentities",
                                                    {"IdentityPoolId": self.pool}, "Identities")]

    def prune_args(self, *extra):
        return ("prune", "--pool", self.pool, "--unauthenticated", "--created-before", CUTOFF) + FAST + extra

    def ops(self):
        return [e["operation"] for e in self.emu.requests()]

    def checkpoint(self):
        return os.path.join(self.cli.state, "cognito-tui", "jobs",
                            "prune-" + self.pool.replace(":", "_") + ".sqlite")

    def assert_clean(self, r):
        self.assertNotIn("AddressSanitizer", r.err)
        self.assertNotIn("runtime error", r.err)

    def spawn(self, *args, **popen):
        return subprocess.Popen([BIN] + list(args), env=self.cli.env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)

    def wait_for(self, cond, what, timeout=60):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if cond():
                return
            time.sleep(0.02)
        self.fail(f"timed out waiting for {what}")


class TestPruneRefusals(PruneCase):
    def test_at_least_one_filter_and_bad_arguments(self):
        cases = [
            (("prune", "--pool", "POOL"), "at least one filter"),
            (("prune", "--pool", "POOL", "--created-before", "2024-02-30"), "no such date"),
            (("prune", "--pool", "POOL", "--modified-before", "2024-01-01T10:00:00"), "zone"),
            (("prune", "--pool", "POOL", "--modified-before", "2999-01-01"), "in the future"),
            (("prune", "--pool", "POOL", "--idle-days", "0"), "--idle-days"),
            (("prune", "--pool", "POOL", "--idle-days", "9", "--modified-before", "2024-01-01"),
             "same filter"),
            (("prune", "--pool", "POOL", "--unauthenticated", "--provider", "x"), "match nothing"),
            (("prune", "--pool", "POOL", "--disabled", "--rate-share", "0"), "--rate-share"),
            (("prune", "--pool", "POOL", "--disabled", "--limit", "-3"), "--limit"),
            (("prune", "--pool", "POOL", "--disabled", "--format", "csv"), "text or json"),
            (("prune", "--disabled"), "needs --pool"),
            (("prune", "--pool", "bad/pool", "--disabled", "--yes"), "IdentityPoolId"),
        ]
        for args, needle in cases:
            args = tuple(self.pool if a == "POOL" else a for a in args)
            r = self.cli.run(*args)
            one_error_line(self, r, 2, needle)
        self.assertEqual(self.ops(), [])

    def test_read_only_refused_before_anything_is_listed(self):
        for extra in (("--read-only",), ()):
            env = self.cli.env(extra={"COGNITO_TUI_READ_ONLY": "1"} if not extra else None)
            r = self.cli.run(*extra, *self.prune_args("--yes"), env=env)
            one_error_line(self, r, 3, "read-only")
        self.assertEqual(self.ops(), [])
        lines = self.cli.journal()
        self.assertEqual(len(lines), 2)
        for line in lines:
            self.assertEqual(line["outcome"], "refused")
            self.assertEqual(line["operation"], "DeleteIdentities")
        # A dry run only lists: allowed in read-only mode.
        r = self.cli.run("--read-only", *self.prune_args("--dry-run"))
        self.assertEqual(r.rc, 0, r)

    def test_no_terminal_refused_without_yes(self):
        r = self.cli.run(*self.prune_args())
        one_error_line(self, r, 2, "no terminal", "--yes")
        self.assertEqual(self.ops(), [])
        self.assertEqual(self.cli.journal(), [])


class TestPruneRuns(PruneCase):
    def test_dry_run_sends_nothing(self):
        want = self.expected(self.guests_before_cutoff)
        self.assertGreater(len(want), 200)
        before = set(self.identities())
        r = self.cli.run(*self.prune_args("--dry-run", "--format", "json"))
        self.assertEqual(r.rc, 0, r)
        out = r.json()
        self.assertTrue(out["dry_run"])
        self.assertEqual(out["matched"], len(want))
        self.assertEqual(out["would_delete"], len(want))
        self.assertEqual(out["deleted"], 0)
        self.assertEqual(len(out["sample"]), 10)
        self.assertTrue(set(out["sample"]) <= want)
        self.assertEqual(set(self.ops()), {"ListIdentities"})
        self.assertEqual(set(self.identities()), before)
        self.assertFalse(os.path.exists(self.checkpoint()))
        self.assertEqual(self.cli.journal(), [])
        # The text form says the same.
        r = self.cli.run(*self.prune_args("--dry-run"))
        self.assertIn(f"dry run: {len(want)} identities match", r.out)

    def test_deletes_exactly_the_matching_in_journalled_batches(self):
        want = self.expected(self.guests_before_cutoff)
        before = set(self.identities())
        r = self.cli.run(*self.prune_args("--yes", "--format", "json"))
        self.assertEqual(r.rc, 0, r)
        self.assert_clean(r)
        out = json.loads(r.out)  # one object, the last thing on stdout
        for key in ("matched", "deleted", "unprocessed", "skipped", "elapsed_s", "list_requests",
                    "delete_requests", "throttled"):
            self.assertIn(key, out)
        self.assertEqual(out["matched"], len(want))
        self.assertEqual(out["deleted"], len(want))
        self.assertEqual(out["unprocessed"], 0)
        self.assertEqual(out["skipped"], 0)
        self.assertEqual(out["delete_requests"], math.ceil(len(want) / 60))
        self.assertEqual(set(self.identities()), before - want)
        deletes = [e for e in self.emu.requests() if e["operation"] == "DeleteIdentities"]
        self.assertEqual(len(deletes), math.ceil(len(want) / 60))
        sent = [i for e in deletes for i in e["input"]["IdentityIdsToDelete"]]
        self.assertEqual(len(sent), len(set(sent)))
        self.assertTrue(all(len(e["input"]["IdentityIdsToDelete"]) <= 60 for e in deletes))
        journal = [j for j in self.cli.journal() if j["operation"] == "DeleteIdentities"]
        self.assertEqual(len(journal), len(deletes))
        self.assertTrue(all(j["outcome"] == "ok" for j in journal))
        self.assertEqual({i for j in journal for i in j["targets"]["IdentityIdsToDelete"]}, want)
        self.assertFalse(os.path.exists(self.checkpoint()))
        # Run again: nothing matches any more.
        r = self.cli.run(*self.prune_args("--yes", "--format", "json"))
        self.assertEqual((r.rc, r.json()["matched"]), (0, 0), r)

    def test_limit_takes_the_first_in_listing_order(self):
        want = self.expected(self.guests_before_cutoff)
        order = [i for i in self.listing_order() if i in want]
        r = self.cli.run(*self.prune_args("--yes", "--limit", "100", "--format", "json"))
        self.assertEqual(r.rc, 0, r)
        out = r.json()
        self.assertEqual((out["deleted"], out["skipped"]), (100, len(want) - 100))
        gone = want - set(self.identities())
        self.assertEqual(gone, set(order[:100]))

    def test_disabled_filter_uses_the_hide_disabled_listing(self):
        want = self.expected(lambda x: x["disabled"] and x["created"] < CUTOFF_EPOCH)
        self.assertGreater(len(want), 2)
        r = self.cli.run("prune", "--pool", self.pool, "--disabled", "--created-before", CUTOFF,
                         *FAST, "--yes", "--format", "json")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.json()["deleted"], len(want))
        self.assertFalse(want & set(self.identities()))
        self.assertEqual(len(self.identities()), N - len(want))
        hidden = [e for e in self.emu.requests()
                  if e["operation"] == "ListIdentities" and e["input"].get("HideDisabled")]
        self.assertGreater(len(hidden), 0)

    def test_throttling_and_5xx_in_both_phases(self):
        want = self.expected(self.guests_before_cutoff)
        before = set(self.identities())
        self.emu.set_faults("throttle@0.2/ListIdentities,5xx:503@0.1/ListIdentities,"
                            "throttle@0.2/DeleteIdentities,5xx@0.15/DeleteIdentities")
        r = self.cli.run(*self.prune_args("--yes", "--format", "json"), timeout=180)
        self.assertEqual(r.rc, 0, r)
        out = r.json()
        self.assertEqual((out["deleted"], out["unprocessed"]), (len(want), 0))
        self.assertGreater(out["throttled"], 0)
        self.assertEqual(set(self.identities()), before - want)
        log = self.emu.requests()
        throttled = [e for e in log if e["error_code"] == "TooManyRequestsException"]
        self.assertEqual(out["throttled"], len(throttled))
        # Failed batches are journalled as failed, applied ones as ok.
        # One journal line a call (its retries are inside it), with its real outcome.
        journal = [j for j in self.cli.journal() if j["operation"] == "DeleteIdentities"]
        deletes = [e for e in log if e["operation"] == "DeleteIdentities"]
        self.assertLessEqual(len(journal), len(deletes))
        self.assertEqual(sum(j["outcome"] == "ok" for j in journal),
                         sum(e["status"] == 200 for e in deletes))

    def test_lost_answers_are_reconciled(self):
        """A batch applied whose answer is cut off: sent again (DeleteIdentities
        is safe to repeat), the ids it already deleted come back AccessDenied,
        and DescribeIdentity settles them as deleted."""
        want = self.expected(self.guests_before_cutoff)
        before = set(self.identities())
        self.emu.set_faults("drop*2/DeleteIdentities")
        r = self.cli.run(*self.prune_args("--yes", "--format", "json"), timeout=120)
        self.assertEqual(r.rc, 0, r)
        out = r.json()
        self.assertEqual((out["deleted"], out["unprocessed"]), (len(want), 0), out)
        self.assertGreater(out["describe_requests"], 0)
        self.assertEqual(set(self.identities()), before - want)
        journal = [j for j in self.cli.journal() if j["operation"] == "DeleteIdentities"]
        # The batch sent again after its lost answer says so in its line.
        self.assertTrue(any(j.get("repeated_after_unknown") or j["outcome"] == "unknown"
                            for j in journal), journal)

    def test_idle_filter_fixed_at_creation(self):
        # Everything in the demo pool was modified in 2024: nothing has been
        # idle for a century, everything for a year.
        r = self.cli.run("prune", "--pool", self.pool, "--idle-days", "36500", *FAST, "--yes",
                         "--format", "json")
        self.assertEqual((r.rc, r.json()["matched"]), (0, 0), r)
        r = self.cli.run("prune", "--pool", self.pool, "--idle-days", "365", "--provider",
                         "login.demo.app", *FAST, "--dry-run", "--format", "json")
        want = self.expected(lambda x: "login.demo.app" in x["logins"])
        self.assertEqual(r.json()["matched"], len(want))


class TestPruneResume(PruneCase):
    def uninterrupted_result(self):
        return set(self.identities()) - self.expected(self.guests_before_cutoff)

    def test_kill_at_random_points_then_resume(self):
        seed = int(os.environ.get("PRUNE_SEED", random.randrange(1 << 30)))
        rng = random.Random(seed)
        want_remaining = self.uninterrupted_result()
        n_delete = len(self.expected(self.guests_before_cutoff))
        # Slow enough that a kill lands mid-phase; the operation runs before the delay.
        self.emu.set_faults("delay:120@1/DeleteIdentities,delay:20@1/ListIdentities")
        kills = 0
        for attempt in range(30):
            self.emu.reset_log()
            p = self.spawn(*self.prune_args("--yes", "--format", "json"))
            if attempt == 0:  # the first run is always cut (20 pages, 5 batches)
                target_op, target_n = rng.choice([("ListIdentities", rng.randint(1, 19)),
                                                  ("DeleteIdentities", rng.randint(1, 4))])
            else:
                target_op = rng.choice(["ListIdentities", "DeleteIdentities", "DeleteIdentities"])
                target_n = rng.randint(1, 6)
            deadline = time.monotonic() + 60
            while p.poll() is None and time.monotonic() < deadline:
                if sum(1 for e in self.emu.requests() if e["operation"] == target_op) >= target_n:
                    time.sleep(rng.uniform(0, 0.15))
                    p.kill()
                    kills += 1
                    break
                time.sleep(0.02)
            out, err = p.communicate(timeout=60)
            if p.returncode == 0:
                break
            self.assertEqual(p.returncode, -signal.SIGKILL, f"seed {seed}: {err}")
            try:  # killed once its result was out: the job is over, the user has it
                if json.loads(out).get("complete"):
                    break
            except ValueError:
                pass
        else:
            self.fail(f"seed {seed}: never finished")
        self.assertGreater(kills, 0, f"seed {seed}")
        self.assertEqual(set(self.identities()), want_remaining, f"seed {seed}, {kills} kills")
        final = json.loads(out)
        self.assertEqual(final["deleted"], n_delete, f"seed {seed}: {final}")
        self.assertEqual(final["unprocessed"], 0, f"seed {seed}: {final}")
        if p.returncode == 0:  # a kill between the result and the checkpoint's removal may keep it
            self.assertFalse(os.path.exists(self.checkpoint()))

    def test_ctrl_c_stops_after_the_batch_in_flight(self):
        guests = self.expected(lambda x: not x["logins"])
        want_remaining = set(self.identities()) - guests
        n_delete = len(guests)
        self.assertGreater(n_delete, 7 * 60)  # more batches than can be in flight at once
        args = ("prune", "--pool", self.pool, "--unauthenticated") + FAST
        self.emu.set_faults("delay:400@1/DeleteIdentities")
        p = self.spawn(*args, "--yes")
        self.wait_for(lambda: "DeleteIdentities" in self.ops(), "the first batch")
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("run the same command to continue", err)
        self.assertTrue(os.path.exists(self.checkpoint()))
        # Every batch that was sent got its answer and its real outcome.
        deletes = [e for e in self.emu.requests() if e["operation"] == "DeleteIdentities"]
        journal = [j for j in self.cli.journal() if j["operation"] == "DeleteIdentities"]
        self.assertEqual(len(journal), len(deletes))
        self.assertTrue(all(j["outcome"] == "ok" for j in journal), journal)
        self.assertGreater(len(set(self.identities()) - want_remaining), 0)  # not done yet

        # Another prune of the pool is refused while this one is unfinished.
        r = self.cli.run("prune", "--pool", self.pool, "--disabled", *FAST, "--yes")
        one_error_line(self, r, 2, "unfinished prune", "(unauthenticated;")

        self.emu.set_faults("")
        r = self.cli.run(*args, "--yes", "--format", "json")
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(set(self.identities()), want_remaining)
        # The figures are the whole job's, over both runs.
        self.assertEqual((r.json()["matched"], r.json()["deleted"]), (n_delete, n_delete))

    def test_one_job_a_pool(self):
        self.emu.set_faults("delay:300@1/ListIdentities")
        p = self.spawn(*self.prune_args("--yes"))
        try:
            self.wait_for(lambda: "ListIdentities" in self.ops(), "the first page")
            r = self.cli.run(*self.prune_args("--yes"))
            one_error_line(self, r, 2, "another job", "prune, pid")
            r = self.cli.run("inventory", "--pool", self.pool)
            one_error_line(self, r, 2, "another job")
            # A dry run takes no lock.
            self.emu.set_faults("")
            r = self.cli.run(*self.prune_args("--dry-run"))
            self.assertEqual(r.rc, 0, r)
        finally:
            p.send_signal(signal.SIGINT)
            p.communicate(timeout=60)


class TestPruneAtTerminal(PruneCase):
    """The typed count, through a pseudo-terminal (the job asks on /dev/tty)."""

    def run_at_terminal(self, args, on_prompt):
        out_path = os.path.join(self.cli.state, "out.json")
        err_path = os.path.join(self.cli.state, "err.txt")
        env = self.cli.env()
        pid, fd = pty.fork()
        if pid == 0:
            try:
                o = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                e = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.dup2(o, 1)
                os.dup2(e, 2)
                os.execve(BIN, [BIN] + list(args), env)
            finally:
                os._exit(127)
        screen = b""
        answered = False
        try:
            end = time.monotonic() + 90
            while time.monotonic() < end:
                r, _, _ = select.select([fd], [], [], 0.5)
                if r:
                    try:
                        chunk = os.read(fd, 4096)
                    except OSError:
                        break
                    if not chunk:
                        break
                    screen += chunk
                if not answered and b"to confirm: " in screen:
                    answered = True
                    os.write(fd, on_prompt(screen.decode("utf-8", "replace")).encode() + b"\r")
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    break
            else:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                self.fail(f"no end: {screen!r}")
            if not done:
                _, status = os.waitpid(pid, 0)
        finally:
            os.close(fd)
        with open(out_path) as f, open(err_path) as g:
            return os.waitstatus_to_exitcode(status), f.read(), g.read(), screen.decode("utf-8", "replace")

    def test_wrong_count_deletes_nothing(self):
        want = self.expected(self.guests_before_cutoff)
        rc, out, err, screen = self.run_at_terminal(self.prune_args(), lambda s: "1")
        self.assertEqual(rc, 2, (out, err, screen))
        self.assertIn(f"{len(want)} identities of pool {self.pool}", screen)
        self.assertIn("There is no undo", screen)
        self.assertIn(f"Type {len(want)} to confirm", screen)
        self.assertIn("nothing was deleted", err)
        self.assertNotIn("DeleteIdentities", self.ops())
        self.assertTrue(os.path.exists(self.checkpoint()))

    def test_identities_changed_between_listing_and_deleting(self):
        """At the prompt the listing is over. Meanwhile: a developer identity
        created before the cutoff loses its only login (it would match now,
        but did not when listed), and a matching guest is deleted by someone
        else. Only what matched when listed is deleted; the other delete is
        reported, not hidden."""
        idents = self.identities()
        dev = next(i for i, x in sorted(idents.items(), key=lambda kv: kv[1]["created"])
                   if list(x["logins"]) == ["login.demo.app"] and x["created"] < CUTOFF_EPOCH)
        dev_user = idents[dev]["logins"]["login.demo.app"][0]
        want = self.expected(self.guests_before_cutoff)
        gone = sorted(want)[0]

        def meanwhile(screen):
            self.emu.ok("UnlinkDeveloperIdentity", {
                "IdentityId": dev, "IdentityPoolId": self.pool,
                "DeveloperProviderName": "login.demo.app", "DeveloperUserIdentifier": dev_user})
            self.emu.ok("DeleteIdentities", {"IdentityIdsToDelete": [gone]})
            return str(len(want))

        rc, out, err, screen = self.run_at_terminal(self.prune_args("--format", "json"), meanwhile)
        self.assertEqual(rc, 1, (out, err))  # one identity could not be deleted
        result = json.loads(out)
        self.assertEqual(result["matched"], len(want))
        self.assertEqual(result["deleted"], len(want) - 1)
        self.assertEqual(result["unprocessed_ids"], [{"IdentityId": gone, "ErrorCode": "AccessDenied"}])
        remaining = self.identities()
        self.assertIn(dev, remaining)                 # now a guest, but not one when listed
        self.assertEqual(remaining[dev]["logins"], {})
        self.assertFalse(want & set(remaining))
        journal = [j for j in self.cli.journal() if j["operation"] == "DeleteIdentities"]
        self.assertIn("partial", [j["outcome"] for j in journal])


if __name__ == "__main__":
    unittest.main()
