#!/usr/bin/env bash
# Suite: the dependency rules of DESIGN.md ("The house").
cd "$(dirname "$0")/.." || exit 2
rule() { # name, offending files (empty = ok)
    if [ -z "$2" ]; then echo "ok - $1"; else echo "not ok - $1: $(echo $2)"; fi
}
rule "api/ includes no curses" \
    "$(grep -lE '#include[[:space:]]*[<"](n?curses|ncursesw/|panel|form\.h|menu\.h)' api/*.[ch] 2>/dev/null)"
rule "api/ never exits or aborts" \
    "$(grep -lE '(^|[^_a-z])(exit|abort|_exit)[[:space:]]*\(' api/*.c 2>/dev/null)"
rule "widgets/ names no AWS concept" \
    "$(grep -liE 'cognito|identity.?pool|IdentityPool|aws_|sigv4|amazon' widgets/*.[ch] 2>/dev/null)"
rule "widgets/ does not include api/" \
    "$(grep -lE '#include[[:space:]]*"(\.\./)?api/' widgets/*.[ch] 2>/dev/null)"
rule "no secret test key in the product" \
    "$(git grep -lE 'wJalrXUtnFEMI|je7MtGbClwBF' -- api widgets tui 2>/dev/null)"
