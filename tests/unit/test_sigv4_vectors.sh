#!/usr/bin/env bash
# Suite: the SigV4 signer over the repository's copy of the published test
# cases (tests/vectors: classic and aws-c-auth formats). sigv4-vectors prints
# one `ok`/`not ok` line a case and `N passed, N failed`; its exit status is
# the suite's. Usage: tests/unit/test_sigv4_vectors.sh BUILD_DIR
build=${1:?usage: test_sigv4_vectors.sh BUILD_DIR}
cd "$(dirname "$0")/../.." || exit 2
tool="$build/sigv4-vectors"
if [ ! -x "$tool" ]; then
    echo "not ok - sigv4 vectors: $tool is not built"
    exit 1
fi
exec "$tool" tests/vectors
