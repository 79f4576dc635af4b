#!/bin/sh
# tools/test.sh - run every test suite (unit, golden, cli, corpus, ...) on
# the build made by tools/setup.sh. Exits non-zero when any test fails.
set -eu

cd "$(dirname "$0")/.."

if [ ! -f build/build.ninja ]; then
    echo "test.sh: build/ is missing or not configured: run 'sh tools/setup.sh' first" >&2
    exit 1
fi

# meson test rebuilds what changed before it runs the tests
exec meson test -C build --print-errorlogs "$@"
