#!/usr/bin/env bash
# make bench: runs every benchmark and prints its figures. Figures, never
# pass/fail: the machine is shared and noisy, so each benchmark compares side
# by side within one run and reports medians.
#   BUILD/bench-*        C benchmarks (bench/NAME.c)
#   bench/*.sh, *.py     script benchmarks (get BUILD in the environment)
set -u
build=${BUILD:-build}
cd "$(dirname "$0")/.." || exit 2
export BUILD="$build" PYTHON=/usr/bin/python3
for b in "$build"/bench-*; do
    [ -x "$b" ] || continue
    echo "== $(basename "$b")"
    "$b"
done
for s in bench/*.sh bench/*.py; do
    [ -e "$s" ] || continue
    [ "$s" = bench/run.sh ] && continue
    echo "== $s"
    case "$s" in
    *.sh) bash "$s" ;;
    *.py) /usr/bin/python3 "$s" ;;
    esac
done
