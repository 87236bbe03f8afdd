"""e2e: Esc on a form asks before discarding only when something was really
changed (an edit undone is no change), and asks as a question: discarding a
form destroys nothing on the service, so no "There is no undo." line there,
while destructive confirmations keep it.
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmux_driver import Console, harness  # noqa: E402


class Discard(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "60")

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def test_discard_question_only_for_real_changes(self):
        with Console(self.emu) as con:
            con.wait_for("big-pool")
            con.keys("c")
            con.wait_for("Create identity pool")
            con.type("ab")
            con.keys("BSpace", "BSpace")  # typed and erased: nothing changed
            con.keys("Escape")
            s = con.wait_for("Create identity pool", gone=True)
            self.assertNotIn("Discard the form?", s)
            con.keys("c")
            con.wait_for("Create identity pool")
            con.type("kept")
            con.keys("Escape")
            s = con.wait_for("Discard the form?")
            self.assertNotIn("There is no undo", s)
            con.keys("Enter")  # starts on Cancel: the form stays
            s = con.wait_for("Discard the form?", gone=True)
            self.assertIn("kept", s)
            con.keys("Escape")
            con.wait_for("Discard the form?")
            con.keys("Tab", "Enter")
            s = con.wait_for("Create identity pool", gone=True)
            # A destructive confirmation still says it.
            con.keys("/", "C-u")
            con.type("empty-pool")
            con.keys("Enter", "Home", "D")
            s = con.wait_for("There is no undo")
            con.keys("Escape")
            con.wait_for("There is no undo", gone=True)
        self.assertEqual([r for r in self.emu.requests()
                          if r["operation"] in ("CreateIdentityPool", "DeleteIdentityPool")], [])


if __name__ == "__main__":
    unittest.main()
