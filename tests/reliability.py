#!/usr/bin/python3
"""Writes the README's "Reliability" section from what the tests of the last
`make check` recorded, so no figure in it is typed by hand:

  BUILD/reliability/faults.json       tests/cli/test_fault_matrix.py
  BUILD/reliability/injection-*.json  tests/cli/test_cli_export.py
  BUILD/reliability/fuzz/NAME         fuzz/run.sh (tests/fuzz/test_fuzz.sh)

Usage: tests/reliability.py BUILD [README]
Prints the section; with README, replaces the text between the markers
<!-- reliability begin --> and <!-- reliability end --> in that file.
Exits 1 when a source is missing (run `make check` first).
"""
import glob
import json
import os
import sys

BEGIN = "<!-- reliability begin: written by `make reliability` from the last `make check`; do not edit -->"
END = "<!-- reliability end -->"


def visible(s):
    """A value as readable text: controls and invisible characters escaped."""
    out = []
    for ch in s:
        o = ord(ch)
        if o < 0x20 or o == 0x7F or 0x80 <= o <= 0x9F:
            out.append("\\x%02x" % o)
        elif o in (0x200E, 0x200F, 0x061C) or 0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069 or ch == "|":
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    return "".join(out).replace("`", "\\`")


def faults_table(path):
    with open(path) as f:
        data = json.load(f)
    cols = ["export once", "export always", "change once", "change always", "inventory once",
            "inventory always", "prune once", "prune always", "console always"]
    lines = [f"Every fault kind of the emulator, injected once (on the second of three pages) or on every "
             f"request, against `export identities -o FILE` ({data['identities']} identities), a change "
             f"(`call TagResource`), the bulk jobs (`inventory`, faulted on its listing; `prune "
             f"--unauthenticated`, faulted on its DeleteIdentities batches) and the console's Pools listing "
             f"(tests/cli/test_fault_matrix.py). "
             f"\"ok\": done within the retry budget ({data['max_attempts']} attempts a call; the jobs' own "
             f"page and batch budgets), the file complete; "
             f"\"error\": one clear line (exit 1 or 4) and the old file untouched; \"unknown\": the change "
             f"may have been applied (exit 6: journaled unknown, or a job to resume). After every inventory "
             f"and prune run, the same command without the fault lists every identity, or deletes exactly "
             f"the guests and nothing else. No run crashed, hung or left a temporary or half-written file.", "",
             "| fault | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for kind in sorted(data["kinds"]):
        row = data["kinds"][kind]
        cells = [row.get(c, {}).get("outcome", "—") for c in cols]
        lines.append(f"| `{kind}` | " + " | ".join(cells) + " |")
    return lines


def fuzz_table(folder):
    rows = []
    for path in sorted(glob.glob(os.path.join(folder, "*"))):
        with open(path) as f:
            parts = f.read().split()
        if len(parts) == 5:
            rows.append(parts)
    if not rows:
        raise FileNotFoundError(folder)
    lines = [f"libFuzzer harnesses (fuzz/, ASan and UBSan), {rows[0][1]} s each in `make check`, over the "
             f"committed seeds and what earlier runs found; a finding fails the check.", "",
             "| harness | seconds | executions | per second | corpus |", "|---|---:|---:|---:|---:|"]
    for name, seconds, runs, rate, units in rows:
        lines.append(f"| `{name}` | {seconds} | {int(runs):,} | {int(float(rate)):,} | {units} |")
    return lines


def injection_list(folder):
    files = sorted(glob.glob(os.path.join(folder, "injection-*.json")))
    if not files:
        raise FileNotFoundError(os.path.join(folder, "injection-*.json"))
    lines = ["Injection strings tried through the binary (shown escaped here):", ""]
    for path in files:
        with open(path) as f:
            d = json.load(f)
        values = ", ".join(f"`{visible(v)}`" for v in d["values"])
        lines.append(f"- {d['surface']}: {d['result']}. Tried: {values}.")
    return lines


def section(build):
    rel = os.path.join(build, "reliability")
    out = [BEGIN, "", "### Faults tried and survived", ""]
    out += faults_table(os.path.join(rel, "faults.json"))
    out += ["", "### Fuzzing", ""]
    out += fuzz_table(os.path.join(rel, "fuzz"))
    out += ["", "### Injection", ""]
    out += injection_list(rel)
    out += ["", END]
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    try:
        text = section(sys.argv[1])
    except FileNotFoundError as e:
        sys.exit(f"reliability: {e.filename or e} is missing: run `make check` first")
    if len(sys.argv) == 2:
        sys.stdout.write(text)
        return
    path = sys.argv[2]
    with open(path) as f:
        readme = f.read()
    if BEGIN not in readme or END not in readme:
        sys.exit(f"reliability: {path} has no reliability markers")
    head, rest = readme.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    with open(path, "w") as f:
        f.write(head + text.rstrip("\n") + tail)


if __name__ == "__main__":
    main()
