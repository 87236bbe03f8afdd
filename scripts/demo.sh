#!/usr/bin/env bash
# make demo: the console against the bundled emulator, never against AWS.
#
#   scripts/demo.sh BIN [console arguments...]
#
# Starts tests/emulator/emulator.py with the demo data set on a free loopback
# port, with AWS's request-rate quotas (--quotas aws, so the demo feels like the
# service), keeping what the user changes in .state/emulator.json (delete it to
# start over), runs BIN with the demo's full-access keys and that endpoint (STS,
# IAM and the user pools' keys too: AWS_ENDPOINT_URL_STS, _IAM, _COGNITO_IDP, and
# AWS_ACCOUNT_ID, so nothing reaches AWS), and stops the emulator when the console
# exits. The emulator also stops if this script is killed: its stdin is a pipe
# only this script holds (--exit-on-stdin-eof). Installs nothing (make demo runs
# scripts/install-deps.sh first). The user's own AWS profile is never read:
# AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE point at paths that do not
# exist (as tests/run.sh does; the console refuses /dev/null, not a regular file).
# COGNITO_TUI_DEMO_STATE=DIR keeps the state elsewhere (the demo's own test uses it).
set -euo pipefail
bin=${1:?usage: scripts/demo.sh BIN [console arguments...]}
shift
top=$(cd "$(dirname "$0")/.." && pwd)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
if [ ! -x "$bin" ]; then
    echo "demo: $bin is not built yet (run: make)" >&2
    exit 1
fi

state_dir=${COGNITO_TUI_DEMO_STATE:-$top/.state}
mkdir -p "$state_dir"
fifo_dir=$(mktemp -d)
emu_pid=
cleanup() {
    exec 4>&- 2>/dev/null || true
    if [ -n "$emu_pid" ] && kill -0 "$emu_pid" 2>/dev/null; then
        kill -TERM "$emu_pid" 2>/dev/null || true
        wait "$emu_pid" 2>/dev/null || true
    fi
    rm -rf "$fifo_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

mkfifo "$fifo_dir/out" "$fifo_dir/lifeline"
# Its own session, so a Ctrl-C meant for the console never stops the emulator under it.
detach=()
command -v setsid >/dev/null && detach=(setsid)
"${detach[@]}" "$py" "$top/tests/emulator/emulator.py" --port 0 --seed demo --quotas aws --exit-on-stdin-eof \
    --state "$state_dir/emulator.json" <"$fifo_dir/lifeline" >"$fifo_dir/out" 2>"$state_dir/emulator.log" &
emu_pid=$!
# The lifeline's write end, held by this script alone (children get 4>&-).
exec 4>"$fifo_dir/lifeline"
# The first line says where it listens; wait for it (the emulator prints it once the socket accepts).
url=
exec 3<"$fifo_dir/out"
if IFS= read -r -t 60 line <&3; then
    case "$line" in "listening on "*) url=${line#listening on } ;; esac
fi
# Keep draining the emulator's stdout so it never blocks on a full pipe.
cat <&3 >/dev/null 4>&- &
exec 3<&-
if [ -z "$url" ]; then
    echo "demo: the emulator did not start; see $state_dir/emulator.log" >&2
    exit 1
fi

echo "demo: emulator at $url (data kept in $state_dir/emulator.json)" >&2
set +e
# No proxy from the user's shell: libcurl would send even loopback traffic to it.
env -u AWS_PROFILE -u AWS_SESSION_TOKEN -u AWS_DEFAULT_PROFILE -u AWS_ENDPOINT_URL \
    -u AWS_ENDPOINT_URL_COGNITO_IDENTITY -u AWS_CA_BUNDLE \
    -u http_proxy -u https_proxy -u HTTPS_PROXY -u all_proxy -u ALL_PROXY \
    AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
    AWS_CONFIG_FILE=/nonexistent/cognito-tui-demo/config \
    AWS_SHARED_CREDENTIALS_FILE=/nonexistent/cognito-tui-demo/credentials \
    AWS_EC2_METADATA_DISABLED=true \
    AWS_ENDPOINT_URL_STS="$url" AWS_ENDPOINT_URL_IAM="$url" AWS_ENDPOINT_URL_COGNITO_IDP="$url" \
    AWS_ACCOUNT_ID=123456789012 \
    "$bin" --endpoint-url "$url" --region us-east-1 "$@" 4>&-
rc=$?
set -e
exit $rc
