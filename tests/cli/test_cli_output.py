"""Where the verbs' output goes, when it is not a plain file or a working
stdout: `export -o` never replaces what is not a regular file (a FIFO or a
character device is written into, a symbolic link's target is replaced, a
socket is refused), and a closed standard descriptor never turns into a
silent success (nor into libcurl's socket)."""
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import threading
import time

from clitools import ACCOUNT, BIN, REGION, EmulatorCase, one_error_line


class OutputTargetTest(EmulatorCase):
    def setUp(self):
        super().setUp()
        self.dir = tempfile.mkdtemp(prefix="cognito-cli-output-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def pools(self):
        return self.cli.run("export", "pools").json()

    def test_fifo_is_written_into(self):
        fifo = os.path.join(self.dir, "pools.fifo")
        os.mkfifo(fifo)
        got = []

        def reader():
            with open(fifo, "rb") as f:  # waits for the export to open it
                got.append(f.read())

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        r = self.cli.run("export", "pools", "-o", fifo)
        t.join(timeout=30)
        if t.is_alive():  # the export did not write into the FIFO: free the reader
            with open(fifo, "wb"):
                pass
            t.join(timeout=5)
        self.assertEqual((r.rc, r.err), (0, ""), r)
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced")
        self.assertEqual(json.loads(got[0]), self.pools())
        self.assertEqual(os.listdir(self.dir), ["pools.fifo"])

    def test_character_device_is_written_into(self):
        dev = os.path.join(self.dir, "null")
        try:
            os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            self.skipTest("mknod needs root (the system's /dev/null is not risked)")
        before = os.stat(dev)
        r = self.cli.run("export", "pools", "--format", "csv", "-o", dev)
        self.assertEqual((r.rc, r.err), (0, ""), r)
        after = os.lstat(dev)
        self.assertTrue(stat.S_ISCHR(after.st_mode), "the device was replaced by a regular file")
        self.assertEqual((before.st_ino, before.st_rdev), (after.st_ino, after.st_rdev))
        self.assertEqual(os.listdir(self.dir), ["null"])

    def test_symlink_target_is_replaced(self):
        real = os.path.join(self.dir, "real.json")
        link = os.path.join(self.dir, "latest.json")
        with open(real, "w") as f:
            f.write("old\n")
        os.chmod(real, 0o640)
        os.symlink("real.json", link)
        r = self.cli.run("export", "pools", "-o", link)
        self.assertEqual((r.rc, r.err), (0, ""), r)
        self.assertTrue(os.path.islink(link), "the link was replaced by a file")
        self.assertEqual(os.readlink(link), "real.json")
        with open(real) as f:
            self.assertEqual(json.load(f), self.pools())
        self.assertEqual(stat.S_IMODE(os.stat(real).st_mode), 0o640)
        self.assertEqual(sorted(os.listdir(self.dir)), ["latest.json", "real.json"])

    def test_socket_is_refused(self):
        path = os.path.join(self.dir, "sock")
        s = socket.socket(socket.AF_UNIX)
        try:
            s.bind(path)
            r = self.cli.run("export", "pools", "-o", path)
            one_error_line(self, r, 2, path, "is a socket", "only a regular file is replaced")
            self.assertTrue(stat.S_ISSOCK(os.lstat(path).st_mode))
            self.assertEqual(self.emu.requests(), [])  # refused before anything was asked
        finally:
            s.close()

    def test_directory_is_refused(self):
        r = self.cli.run("export", "pools", "-o", self.dir)
        one_error_line(self, r, 2, "is a directory")

    def test_audit_follows_the_same_rule(self):
        """audit -o writes through the same code: a device written into, a
        link's target replaced, a socket refused."""
        pool = self.emu.pool_id("big-pool")
        dev = os.path.join(self.dir, "null")
        try:
            os.mknod(dev, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            dev = None
        if dev:
            r = self.cli.run("audit", "--pool", pool, "--format", "json", "-o", dev)
            self.assertEqual(r.rc, 0, r)
            self.assertTrue(stat.S_ISCHR(os.lstat(dev).st_mode), "the device was replaced by a regular file")
            os.unlink(dev)
        real, link = os.path.join(self.dir, "real.json"), os.path.join(self.dir, "audit.json")
        with open(real, "w") as f:
            f.write("old\n")
        os.symlink("real.json", link)
        r = self.cli.run("audit", "--pool", pool, "--format", "json", "-o", link)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(os.readlink(link), "real.json")
        with open(real) as f:
            self.assertIn("findings", json.load(f))
        sock = os.path.join(self.dir, "sock")
        s = socket.socket(socket.AF_UNIX)
        try:
            s.bind(sock)
            r = self.cli.run("audit", "--pool", pool, "--format", "json", "-o", sock)
            one_error_line(self, r, 2, sock, "is a socket")
            self.assertTrue(stat.S_ISSOCK(os.lstat(sock).st_mode))
        finally:
            s.close()
        self.assertEqual(sorted(os.listdir(self.dir)), ["audit.json", "real.json", "sock"])

def run_closed(args, fds, env, stdin=None):
    """Runs the binary with the descriptors in `fds` closed."""
    def close():
        for fd in fds:
            os.close(fd)
    return subprocess.run([BIN] + args, env=env, capture_output=2 not in fds or None, stdin=stdin,
                          preexec_fn=close, timeout=60)


class ClosedDescriptorsTest(EmulatorCase):
    """With fd 1 closed, a socket libcurl opens would become "stdout": the
    rows went to the emulator and the exit code was 0."""

    def closed_stdout(self, *args):
        r = subprocess.run([BIN] + list(args), env=self.cli.env(), stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1), timeout=60)
        return r.returncode, r.stderr.decode()

    def test_export_to_a_closed_stdout_fails(self):
        rc, err = self.closed_stdout("export", "pools")
        self.assertEqual(rc, 1, err)
        self.assertIn("cognito-tui: Output: cannot write to stdout", err)
        self.assertEqual(len(err.splitlines()), 1, err)
        # Nothing reached the service but the listing itself.
        self.assertEqual({e["operation"] for e in self.emu.requests()}, {"ListIdentityPools"})

    def test_call_to_a_closed_stdout_fails(self):
        rc, err = self.closed_stdout("call", "ListIdentityPools", '{"MaxResults": 5}')
        self.assertEqual(rc, 1, err)
        self.assertIn("cognito-tui: Output: ", err)
        rc, err = self.closed_stdout("call", "ListIdentityPools", '{"MaxResults": 5}', "--dry-run")
        self.assertEqual(rc, 1, err)

    def test_version_help_and_list_to_a_closed_stdout_fail(self):
        for args in (["--version"], ["--help"], ["call", "--list"]):
            with self.subTest(args=args):
                rc, err = self.closed_stdout(*args)
                self.assertEqual(rc, 1, err)
                self.assertIn("cannot write to standard output", err)

    def test_closed_stderr_and_stdin_are_no_trouble(self):
        r = subprocess.run([BIN, "export", "pools"], env=self.cli.env(), stdout=subprocess.PIPE,
                           preexec_fn=lambda: (os.close(0), os.close(2)), timeout=60)
        self.assertEqual(r.returncode, 0)
        self.assertEqual(json.loads(r.stdout), self.cli.run("export", "pools").json())
        # A missing pool with stderr closed: the message is lost, the exit code is not.
        r = subprocess.run([BIN, "export", "identities", "--pool",
                            "us-east-1:00000000-0000-0000-0000-000000000000"], env=self.cli.env(),
                           stdout=subprocess.PIPE, preexec_fn=lambda: os.close(2), timeout=60)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, b"")


class SignalTest(EmulatorCase):
    """An export killed part-way by any fatal signal leaves the old file and
    no temporary one, and ends as the signal says."""
    IDENTITIES = 130

    def setUp(self):
        super().setUp()
        self.dir = tempfile.mkdtemp(prefix="cognito-cli-signal-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_every_fatal_signal(self):
        big = self.emu.pool_id("big-pool")
        path = os.path.join(self.dir, "ids.json")
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGPIPE,
                    signal.SIGUSR1, signal.SIGUSR2, signal.SIGALRM, signal.SIGSEGV, signal.SIGABRT):
            with self.subTest(signal=sig.name):
                with open(path, "w") as f:
                    f.write("before\n")
                self.emu.set_faults("delay:1*1/ListIdentities,delay:3000*1/ListIdentities")
                self.emu.reset_log()
                p = subprocess.Popen([BIN, "export", "identities", "--pool", big, "-o", path],
                                     env=self.cli.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                try:
                    for _ in range(400):  # until page 1 is answered (logged after its delay)
                        if self.emu.requests():
                            break
                        time.sleep(0.05)
                    time.sleep(0.3)  # rows are in the temporary file; page 2 is held back
                    p.send_signal(sig)
                    _, err = p.communicate(timeout=30)
                finally:
                    if p.poll() is None:
                        p.kill()
                        p.wait()
                # A sanitizer's SEGV handler reports and exits 1 instead.
                self.assertTrue(p.returncode == -sig or (sig == signal.SIGSEGV and p.returncode == 1),
                                (p.returncode, err[-300:]))
                self.assertEqual(os.listdir(self.dir), ["ids.json"])
                with open(path) as f:
                    self.assertEqual(f.read(), "before\n")

class StateFilesTest(EmulatorCase):
    """The files the verbs keep in the state folder (the journal, an
    inventory, a prune checkpoint, a pool's lock) are never opened blocking
    when they are not regular files: a FIFO there hung the verb forever."""
    IDENTITIES = 5

    def state_path(self, *parts):
        path = os.path.join(self.cli.state, "cognito-tui", *parts)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return path

    def fifo_at(self, *parts):
        path = self.state_path(*parts)
        if os.path.lexists(path):
            os.unlink(path)
        os.mkfifo(path)
        return path

    def test_journal_fifo(self):
        path = self.fifo_at("journal.jsonl")
        arn = f"arn:aws:cognito-identity:{REGION}:{ACCOUNT}:identitypool/{self.emu.pool_id('big-pool')}"
        r = self.cli.call("TagResource", {"ResourceArn": arn, "Tags": {"k": "v"}}, timeout=30)
        self.assertEqual(r.rc, 0, r)  # the change was made; only its journal line is missing
        self.assertIn("not journaled", r.err)
        self.assertIn("FIFO", r.err)
        self.assertTrue(stat.S_ISFIFO(os.lstat(path).st_mode), "the FIFO was replaced")

    def test_inventory_and_its_lock(self):
        pool = self.emu.pool_id("big-pool")
        name = pool.replace(":", "_")
        for parts in (("inventory", name + ".sqlite"), ("locks", name + ".lock")):
            with self.subTest(path="/".join(parts)):
                shutil.rmtree(os.path.join(self.cli.state, "cognito-tui"), ignore_errors=True)
                path = self.fifo_at(*parts)
                r = self.cli.run("inventory", "--pool", pool, "--format", "json", timeout=30)
                self.assertNotEqual(r.rc, 0, r)
                self.assertIn("FIFO", r.err)
                self.assertEqual(len(r.err.splitlines()), 1, r.err)
                self.assertTrue(stat.S_ISFIFO(os.lstat(path).st_mode), "the FIFO was replaced")

    def test_prune_checkpoint(self):
        pool = self.emu.pool_id("big-pool")
        path = self.fifo_at("jobs", "prune-" + pool.replace(":", "_") + ".sqlite")
        r = self.cli.run("prune", "--pool", pool, "--unauthenticated", "--yes", timeout=30)
        self.assertNotEqual(r.rc, 0, r)
        self.assertIn("FIFO", r.err)
        self.assertTrue(stat.S_ISFIFO(os.lstat(path).st_mode), "the FIFO was replaced")
        self.assertNotIn("DeleteIdentities", {e["operation"] for e in self.emu.requests()})
