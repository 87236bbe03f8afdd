"""The terminals admins reach over SSH: for each TERM the issue names, in a
UTF-8 and the C locale, the console starts, moves with the arrow keys, opens
a pane's rows and a detail view, and quits cleanly (status 0, no sanitizer
report). Line drawing is Unicode only in the UTF-8 locale."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tmux_driver import Console, harness  # noqa: E402

TERMS = ["xterm-256color", "xterm", "screen", "tmux-256color", "linux", "vt100"]
BOX = "\u2500"


class Terminals(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = harness.Emulator("--seed", "demo", "--identities", "70")  # started: no start() again

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def drive(self, term, lang):
        with Console(self.emu, term=term, lang=lang, width=80, height=24) as con:
            con.wait_for("big-pool")
            con.keys("Down", "Up", "Enter")  # arrows land back on big-pool; open it
            s = con.wait_for("Identity id")
            self.assertIn("big-pool", s)
            con.keys("Down", "Enter")  # an identity's detail view
            # "Last modified" is the detail view's own ("Linked logins" is
            # also the table's column title, so it matched too early).
            s = con.wait_for("Last modified")
            if lang == "C":
                self.assertNotIn(BOX, s)
                self.assertIn("+-", s)
            else:
                self.assertIn(BOX, s)
            con.keys("Escape")
            con.wait_for("Identity id")
            self.assertEqual(con.quit(), 0)
            con.assert_clean()

    def test_every_term_in_both_locales(self):
        for term in TERMS:
            for lang in ("C.UTF-8", "C"):
                with self.subTest(term=term, lang=lang):
                    self.drive(term, lang)


if __name__ == "__main__":
    unittest.main()
