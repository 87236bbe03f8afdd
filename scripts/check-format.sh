#!/usr/bin/env bash
# Suite: every C source and header is as clang-format (the committed .clang-format) leaves it.
# One clang-format run over every file (a run a file took minutes on a loaded machine); the
# files it would change are the ones it names in its -Wclang-format-violations lines.
cd "$(dirname "$0")/.." || exit 2
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h')
report=$(clang-format --style=file --dry-run -Wclang-format-violations "${files[@]}" 2>&1)
rc=$?
declare -A bad=()
while IFS= read -r line; do
    [[ "$line" == *"[-Wclang-format-violations]"* ]] && bad["${line%%:*}"]=1
done <<<"$report"
status=0
for f in "${files[@]}"; do
    if [ -n "${bad[$f]:-}" ]; then
        echo "not ok - format $f: differs from clang-format (run: make format)"
        status=1
    else
        echo "ok - format $f"
    fi
done
# clang-format itself failing (a file it cannot read, a bad .clang-format) is a failure too.
if [ "$rc" -ne 0 ] && [ ${#bad[@]} -eq 0 ]; then
    echo "not ok - format: clang-format failed: $(head -c 300 <<<"$report")"
    status=1
fi
exit $status
