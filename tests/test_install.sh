#!/usr/bin/env bash
# Suite: `make install` with PREFIX and DESTDIR puts the binary, the man page
# and every theme where they belong, and the installed binary runs.
build=${1:?usage: test_install.sh BUILD_DIR}
cd "$(dirname "$0")/.." || exit 2
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fi; }
# -o: install the binary under test as it is; never rebuild it with other flags.
make -s --no-print-directory -o "$build/cognito-tui" install BUILD="$build" DESTDIR="$dest" \
    PREFIX=/opt/ct >"$dest.log" 2>&1
rc=$?
check "make install succeeds" '[ $rc -eq 0 ] || { tail -5 "$dest.log" >&2; false; }'
rm -f "$dest.log"
check "binary installed and executable" '[ -x "$dest/opt/ct/bin/cognito-tui" ]'
check "installed binary runs" '"$dest/opt/ct/bin/cognito-tui" --version | grep -q "^cognito-tui "'
check "man page installed" '[ -s "$dest/opt/ct/share/man/man1/cognito-tui.1" ]'
for t in themes/*; do
    check "theme $(basename "$t") installed" 'cmp -s "$t" "$dest/opt/ct/share/cognito-tui/themes/$(basename "$t")"'
done
check "nothing written outside DESTDIR" '[ ! -e /opt/ct ]'
