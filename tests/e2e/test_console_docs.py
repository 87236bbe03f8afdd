"""The console's documentation does not drift: the man page names every
long option of --help and the files and variables the console reads. (Its
KEYS entries are generated from the action list and checked, with --help's
key list, by tests/unit/test_tui_keydoc.c.)"""
import os
import re
import subprocess
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("COGNITO_TUI_BIN") or os.path.join(TOP, "build", "cognito-tui")


def man_text():
    with open(os.path.join(TOP, "man", "cognito-tui.1")) as f:
        # roff escapes: \- is a hyphen, \e a backslash.
        return f.read().replace("\\-", "-").replace("\\e", "\\")


class Docs(unittest.TestCase):
    def test_man_page_covers_options_files_environment(self):
        man = man_text()
        out = subprocess.run([BIN, "--help"], stdout=subprocess.PIPE, text=True, timeout=10,
                             env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0")).stdout
        usage = out.split("Replaying")[0].split("Console keys")[0]
        opts = set(re.findall(r"(--[a-z][a-z-]+)", usage))
        self.assertIn("--read-only", opts)
        for opt in opts:
            self.assertTrue(opt in man, f"man page lacks {opt}")
        for word in ("journal.jsonl", "cognito-tui/config", "themes", "READ-ONLY",
                     "COGNITO_TUI_READ_ONLY", "cognito_tui_read_only", "XDG_STATE_HOME",
                     "XDG_CONFIG_HOME", "NO_COLOR", "AWS_ACCOUNT_ID", "AWS_CA_BUNDLE",
                     "AWS_ENDPOINT_URL_COGNITO_IDENTITY", "AWS_PROFILE", "AWS_MAX_ATTEMPTS",
                     ":profile", ":region", "bind", "KEY ACTION", "unbind"):
            self.assertTrue(word in man, f"man page lacks {word}")


class NoTerminal(unittest.TestCase):
    def test_console_without_a_terminal_says_so(self):
        r = subprocess.run([BIN], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=10)
        self.assertEqual(r.returncode, 2)
        self.assertIn("needs a terminal", r.stderr)
        self.assertEqual(r.stdout, "")


if __name__ == "__main__":
    unittest.main()
