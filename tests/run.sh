#!/usr/bin/env bash
# Runs every test suite and prints `N passed, N failed` as its last line.
#
# A suite is one program that prints `ok - name` / `not ok - name: why` lines
# (tests/unit/check.h, tests/pytap.py and the shell suites all do). A suite
# that exits non-zero without printing a `not ok` line (a crash, a sanitizer
# report, a timeout) counts as one failure of its own.
#
# Usage: tests/run.sh BUILD_DIR [SUITE_FILTER]
# Suites: BUILD_DIR/tests/test_* (C), tests/**/test_*.py (unittest via
# pytap.py), tests/**/test_*.sh, plus the checks in scripts/check-*.sh.
set -u
build=${1:?usage: tests/run.sh BUILD_DIR [FILTER]}
filter=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
py=/usr/bin/python3
logs="$build/test-logs"
mkdir -p "$logs"

export COGNITO_TUI_BUILD="$top/$build"
export COGNITO_TUI_BIN="$top/$build/cognito-tui"
export PYTHON="$py"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# The tests must never reach real AWS or pick up the developer's own profile.
export AWS_CONFIG_FILE=/nonexistent/cognito-tui-tests/config
export AWS_SHARED_CREDENTIALS_FILE=/nonexistent/cognito-tui-tests/credentials
export AWS_EC2_METADATA_DISABLED=true
# Every process a suite starts inherits this marker; whatever still carries it at the end was
# left behind (see the end of this file).
marker="$$-$(date +%s%N)"
export COGNITO_TUI_TEST_RUN="$marker"
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL AWS_RETRY_MODE \
    AWS_ENDPOINT_URL_COGNITO_IDENTITY AWS_DEFAULT_PROFILE COGNITO_TUI_READ_ONLY

suites=()
for f in "$build"/tests/test_*; do [ -x "$f" ] && suites+=("$f"); done
while IFS= read -r f; do suites+=("$f"); done < <(find tests scripts -name 'test_*.py' -o -name 'test_*.sh' -o -name 'check-*.sh' | sort)

passed=0 failed=0
for s in "${suites[@]}"; do
    [ -n "$filter" ] && [[ "$s" != *"$filter"* ]] && continue
    name=$(basename "$s")
    log="$logs/$name.log"
    start=$(date +%s)
    case "$s" in
    *.py) timeout 600 "$py" tests/pytap.py "$s" >"$log.out" 2>"$log.err" ;;
    *.sh) timeout 600 bash "$s" "$build" >"$log.out" 2>"$log.err" ;;
    *) timeout 600 "$s" >"$log.out" 2>"$log.err" ;;
    esac
    rc=$?
    p=$(grep -c '^ok ' "$log.out")
    f=$(grep -c '^not ok ' "$log.out")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "not ok - $name: exited with status $rc (see $log.err)" >>"$log.out"
    fi
    if [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "not ok - $name: ran no test" >>"$log.out"
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    printf '%-40s %4d passed %3d failed %4ss\n' "$name" "$p" "$f" "$(($(date +%s) - start))"
    if [ "$f" -gt 0 ]; then
        grep '^not ok ' "$log.out" | head -20 | sed 's/^/    /'
        tail -n 30 "$log.err" | sed 's/^/    | /'
    fi
done
# Nothing a suite started may outlive it (issue 16: emulators were found running after a clean
# `make check`). A process still carrying this run's marker after a grace period is a leftover:
# named, counted as a failure, and stopped (it is ours: this run started it).
leftovers() {
    # One grep over every environment, listed before grep and sed start (they carry the marker
    # too); a process that ends meanwhile is simply not listed.
    local files=(/proc/[0-9]*/environ)
    grep -lzxF "COGNITO_TUI_TEST_RUN=$marker" "${files[@]}" 2>/dev/null | sed 's|^/proc/||; s|/environ$||'
}
left=$(leftovers)
for _ in $(seq 20); do
    [ -z "$left" ] && break
    sleep 0.5
    left=$(leftovers)
done
if [ -n "$left" ]; then
    failed=$((failed + 1))
    printf '%-40s %4d passed %3d failed\n' "processes left behind" 0 1
    for pid in $left; do
        printf '    not ok - left running: %s %s\n' "$pid" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-200)"
        kill -KILL "$pid" 2>/dev/null
    done
else
    passed=$((passed + 1))
    printf '%-40s %4d passed %3d failed\n' "processes left behind" 1 0
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
