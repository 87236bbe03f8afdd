#!/usr/bin/env bash
# Installs the Debian 12 packages that building, testing, the demo and the
# benchmarks need, when any is missing. As root it runs apt-get; otherwise it
# prints the exact command to run and stops (exit 1).
set -euo pipefail
packages=(
    gcc make pkg-config
    libncurses-dev libcurl4-openssl-dev libjson-c-dev libssl-dev libpcre2-dev
    libsqlite3-dev libexpat1-dev sqlite3
    clang clang-format libclang-rt-14-dev
    python3 python3-botocore python3-boto3 awscli valgrind
    tmux openssl time locales jq
)
missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "cognito-tui: missing Debian packages: ${missing[*]}" >&2
    echo "run as root:  $cmd" >&2
    exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
