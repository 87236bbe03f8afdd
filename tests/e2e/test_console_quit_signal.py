"""e2e: ^\\ (SIGQUIT) in the console leaves like ^C: the terminal is given
back (the console's screen is gone, the shell's terminal modes restored),
exit status 128 + the signal as for ^C (131), no core dump and no sanitizer
report. It used to dump core (with the credentials in it) and leave the
terminal raw.
"""
import os
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmux_driver import BIN, Console, _quote, harness  # noqa: E402


class QuitSignal(unittest.TestCase):
    def test_ctrl_backslash_restores_the_terminal(self):
        with harness.Emulator("--seed", "demo", "--identities", "5") as emu:
            with Console(emu) as con:
                con.wait_for("partner-portal")
                con.keys("C-\\")
                status = con.wait_exit()
                con.closed = True
                # As ^C's 130: the status says which signal ended it; the
                # terminal given back and no core say it was handled.
                self.assertEqual(status, 131)
                screen = con.wait_for("partner-portal", gone=True)
                self.assertNotIn("Pools", screen)
                con.assert_clean(131)
                # The pane's shell has its terminal back: canonical mode and echo.
                tty = con.tmux("display-message", "-p", "#{pane_tty}").strip()
                with open(tty) as f:
                    modes = subprocess.run(["stty", "-a"], stdin=f, stdout=subprocess.PIPE,
                                           text=True, timeout=10).stdout
                self.assertRegex(modes, r"(^|\s)icanon(\s|$)")
                self.assertRegex(modes, r"(^|\s)echo(\s|$)")
                self.assertEqual([n for n in os.listdir(con.tmp) if n.startswith("core")], [])

    def test_terminal_gone_under_a_shell_that_traps_hangup(self):
        """An SSH session drops while the console runs under a shell that traps
        SIGHUP (make demo's script does): no signal reaches the console, its
        terminal only reads as hung up. It must leave, not spin."""
        with harness.Emulator("--seed", "demo", "--identities", "5") as emu:
            con = Console(emu, start=False)
            try:
                pid_file = os.path.join(con.tmp, "pid")
                cmd = (f"trap 'echo hangup' HUP; TERM=tmux-256color {_quote(BIN)} </dev/tty & "
                       f"echo $! > {_quote(pid_file)}; wait $!; wait $!; echo $? > {_quote(con.exit_file)}")
                con.tmux("new-session", "-d", "-x", "100", "-y", "30", "bash -c " + _quote(cmd))
                con.wait_for("partner-portal")
                with open(pid_file) as f:
                    pid = int(f.read())
                con.tmux("kill-server")
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline and _alive(pid):
                    time.sleep(0.05)
                alive = _alive(pid)
                if alive:
                    os.kill(pid, signal.SIGKILL)
                self.assertFalse(alive, "the console still ran 10 s after its terminal went away")
                con.closed = True
                self.assertEqual(con.asan_reports(), [])
            finally:
                con.kill()


def _alive(pid):
    """Whether pid runs (a zombie, reaped by nobody yet, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


if __name__ == "__main__":
    unittest.main()
