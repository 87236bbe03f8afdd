#!/usr/bin/env bash
# Runs libFuzzer harnesses and reports each as a test line.
#
# Usage: fuzz/run.sh FUZZ_BUILD SECONDS [NAME...]   (no NAME: every fuzz/*.c)
#
# Each FUZZ_BUILD/fuzz-NAME runs SECONDS over FUZZ_BUILD/corpus/NAME (what
# earlier runs found; new inputs go there) and fuzz/corpus/NAME (the
# committed seeds, never written), two harnesses at a time. A crash, leak,
# sanitizer report, failed property (abort), input slower than 10 s or over
# 2 GiB is a finding: the input is saved as FUZZ_BUILD/findings/NAME-*, and
# the line says `not ok`. Prints `ok - fuzz NAME: RUNS runs in S s (E/s),
# corpus N` otherwise, and keeps the figures in $FUZZ_STATS/NAME (default
# FUZZ_BUILD/stats; one line: name seconds runs runs_per_second
# corpus_units) for the README's Reliability section. Exit status: 0 when
# nothing was found, 1 otherwise.
set -u
build=${1:?usage: fuzz/run.sh FUZZ_BUILD SECONDS [NAME...]}
seconds=${2:?usage: fuzz/run.sh FUZZ_BUILD SECONDS [NAME...]}
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for f in fuzz/*.c; do names+=("$(basename "$f" .c)"); done
fi
stats=${FUZZ_STATS:-$build/stats}
mkdir -p "$build/findings" "$stats" "$build/logs"

run_one() {
    local n=$1 bin="$build/fuzz-$1" log="$build/logs/$1.log" rc
    rm -f "$stats/$n"
    if [ ! -x "$bin" ]; then
        echo "not ok - fuzz $n: $bin is not built (make fuzz-build)" >"$build/logs/$n.line"
        return
    fi
    mkdir -p "$build/corpus/$n" "fuzz/corpus/$n"
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -error_exitcode=77 -timeout_exitcode=77 -print_final_stats=1 \
        -artifact_prefix="$build/findings/$n-" "$build/corpus/$n" "fuzz/corpus/$n" >"$log" 2>&1
    rc=$?
    local runs rate units
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    units=$(find "$build/corpus/$n" "fuzz/corpus/$n" -type f | wc -l)
    if [ "$rc" -ne 0 ]; then
        local what
        what=$(grep -m1 -E 'ERROR: |runtime error|==[0-9]+==|deadly signal|Test unit written' "$log" |
            cut -c1-200)
        echo "not ok - fuzz $n: exit $rc: ${what:-see $log}; input saved in $build/findings/" \
            >"$build/logs/$n.line"
        return
    fi
    echo "$n $seconds ${runs:-0} ${rate:-0} $units" >"$stats/$n"
    echo "ok - fuzz $n: ${runs:-0} runs in $seconds s (${rate:-0}/s), corpus $units" \
        >"$build/logs/$n.line"
}

running=0
for n in "${names[@]}"; do
    run_one "$n" &
    running=$((running + 1))
    if [ "$running" -ge 2 ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait
failed=0
for n in "${names[@]}"; do
    cat "$build/logs/$n.line"
    grep -q '^not ok' "$build/logs/$n.line" && failed=1
done
exit $failed
