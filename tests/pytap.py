"""Runs Python unittest modules and prints one `ok - name` / `not ok - name: why`
line a test, the format tests/run.sh counts. Usage: pytap.py FILE.py [FILE.py ...]
Standard library only; run it with Debian's /usr/bin/python3."""
import importlib.util
import os
import sys
import unittest


class TapResult(unittest.TestResult):
    def addSuccess(self, test):
        super().addSuccess(test)
        print(f"ok - {test.id()}", flush=True)

    def _bad(self, test, err, kind):
        text = self._exc_info_to_string(err, test).strip().splitlines()
        why = text[-1] if text else kind
        print(f"not ok - {test.id()}: {kind}: {why}", flush=True)
        sys.stderr.write("\n".join(text) + "\n")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._bad(test, err, "failed")

    def addError(self, test, err):
        super().addError(test, err)
        self._bad(test, err, "error")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            kind = "failed" if issubclass(err[0], test.failureException) else "error"
            self._bad(subtest, err, kind)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        print(f"ok - {test.id()} # skip {reason}", flush=True)


def main(paths):
    suite = unittest.TestSuite()
    for path in paths:
        sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        suite.addTests(unittest.defaultTestLoader.loadTestsFromModule(module))
    result = TapResult()
    suite.run(result)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
