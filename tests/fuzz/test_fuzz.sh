#!/usr/bin/env bash
# Every libFuzzer harness of fuzz/ for FUZZ_SECONDS (10 in `make check`),
# built by `make fuzz-build` (clang): one `ok`/`not ok` line each, a finding
# saved under build/fuzz/findings/. Figures go to BUILD/reliability/fuzz/
# for the README's Reliability section (tests/reliability.py).
set -u
build=${1:-build/check}
cd "$(dirname "$0")/../.." || exit 2
FUZZ_STATS="$build/reliability/fuzz" exec fuzz/run.sh build/fuzz "${FUZZ_SECONDS:-10}"
