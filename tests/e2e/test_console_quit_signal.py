"""e2e: ^\\ (SIGQUIT) in the console leaves like ^C: the terminal is given
back (the console's screen is gone, the shell's terminal modes restored),
exit status 128 + the signal as for ^C (131), no core dump and no sanitizer
report. It used to dump core (with the credentials in it) and leave the
terminal raw.
"""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmux_driver import Console, harness  # noqa: E402


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


if __name__ == "__main__":
    unittest.main()
