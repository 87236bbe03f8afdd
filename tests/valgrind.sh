#!/usr/bin/env bash
# `make valgrind`: every C unit test, and exports through the real binary
# against the emulator, under valgrind's memcheck, in a build without
# sanitizers (BUILD_DIR). A run passes when valgrind reports no error and no
# leak (definite, indirect or possible; memory a library keeps reachable
# until exit is not a leak). One `ok`/`not ok` line a run, then
# `N passed, N failed`; logs in BUILD_DIR/valgrind/.
#
# Usage: tests/valgrind.sh BUILD_DIR [FILTER]
set -u
build=${1:?usage: tests/valgrind.sh BUILD_DIR [FILTER]}
filter=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
logs="$build/valgrind"
mkdir -p "$logs"
export AWS_CONFIG_FILE=/nonexistent/cognito-tui-tests/config
export AWS_SHARED_CREDENTIALS_FILE=/nonexistent/cognito-tui-tests/credentials
export AWS_EC2_METADATA_DISABLED=true
export COGNITO_TUI_BUILD="$top/$build" COGNITO_TUI_BIN="$top/$build/cognito-tui"
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL \
    AWS_ENDPOINT_URL_COGNITO_IDENTITY AWS_DEFAULT_PROFILE COGNITO_TUI_READ_ONLY
VALGRIND=(valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 --track-origins=yes
    --child-silent-after-fork=yes --trace-children=no --num-callers=30)

passed=0 failed=0
judge() { # NAME LOG RC
    local errors
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$2" | sort -n | tail -1)
    if [ "$3" -eq 0 ] && [ "${errors:-1}" -eq 0 ]; then
        echo "ok - valgrind $1"
        passed=$((passed + 1))
    else
        echo "not ok - valgrind $1: exit $3, ${errors:-?} errors (see $2)"
        grep -m5 -E 'Invalid|uninitialised|definitely lost|indirectly lost|possibly lost' "$2" |
            sed 's/^/    | /'
        failed=$((failed + 1))
    fi
}

for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    [ -n "$filter" ] && [[ "$name" != *"$filter"* ]] && continue
    log="$logs/$name.log"
    timeout 1800 "${VALGRIND[@]}" --log-file="$log" "$t" >"$logs/$name.out" 2>&1
    rc=$?
    # The test's own verdict counts too.
    if grep -q '^not ok' "$logs/$name.out"; then
        echo "not ok - valgrind $name: the test itself failed (see $logs/$name.out)"
        failed=$((failed + 1))
        continue
    fi
    judge "$name" "$log" "$rc"
done

# Exports through the binary: JSON and CSV to a file, and to a pipe.
if [ -z "$filter" ] || [[ "export" == *"$filter"* ]]; then
    out=$(/usr/bin/python3 - "$top" "$build" "$logs" 2>&1 <<'PY'
import os, subprocess, sys
top, build, logs = sys.argv[1:4]
sys.path.insert(0, os.path.join(top, "tests", "emulator"))
import harness
binary = os.path.join(top, build, "cognito-tui")
vg = ["valgrind", "--tool=memcheck", "--leak-check=full", "--show-leak-kinds=definite,indirect,possible",
      "--errors-for-leak-kinds=definite,indirect,possible", "--error-exitcode=99", "--num-callers=30"]
runs = [("export-identities-json", ["export", "identities", "--pool", "POOL", "-o", os.path.join(logs, "ids.json")]),
        ("export-identities-csv", ["export", "identities", "--pool", "POOL", "--format", "csv"]),
        ("export-roles", ["export", "roles"]),
        ("export-tags-csv", ["export", "tags", "--format", "csv"]),
        ("export-pool-backup", ["export", "pool-backup", "--pool", "POOL"]),
        ("export-missing-pool", ["export", "identities", "--pool", "us-east-1:00000000-0000-0000-0000-000000000000"])]
with harness.Emulator("--seed", "demo", "--identities", "130") as emu:
    pool = emu.pool_id("big-pool")
    env = emu.env()
    env["AWS_ENDPOINT_URL_STS"] = emu.url
    for name, args in runs:
        log = os.path.join(logs, name + ".log")
        args = [pool if a == "POOL" else a for a in args]
        p = subprocess.run(vg + ["--log-file=" + log, binary] + args, env=env, capture_output=True, timeout=1800)
        with open(log) as f:
            text = f.read()
        errors = [l for l in text.splitlines() if "ERROR SUMMARY:" in l]
        clean = errors and all(" 0 errors" in l for l in errors)
        want = 1 if name == "export-missing-pool" else 0
        if p.returncode == want and clean:
            print(f"ok - valgrind {name}")
        else:
            print(f"not ok - valgrind {name}: exit {p.returncode} (want {want}), {errors[-1:] or 'no summary'} (see {log})")
PY
)
    echo "$out"
    passed=$((passed + $(grep -c '^ok ' <<<"$out")))
    failed=$((failed + $(grep -c '^not ok ' <<<"$out")))
    grep -q '^ok \|^not ok ' <<<"$out" || failed=$((failed + 1)) # the script itself broke
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
