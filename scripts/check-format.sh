#!/usr/bin/env bash
# Suite: every C source and header is as clang-format (the committed .clang-format) leaves it.
cd "$(dirname "$0")/.." || exit 2
status=0
while IFS= read -r f; do
    if clang-format --style=file "$f" | cmp -s - "$f"; then
        echo "ok - format $f"
    else
        echo "not ok - format $f: differs from clang-format (run: make format)"
        status=1
    fi
done < <(git ls-files -co --exclude-standard -- '*.c' '*.h')
exit $status
