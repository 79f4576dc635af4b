#!/bin/sh
# tools/setup.sh - install what pgsafe needs, build it, and show it at work.
#
#   sh tools/setup.sh        (from the repository root, on Debian 12, as root
#                             or with sudo available)
#
# 1. installs the build and test dependencies with apt-get, unless every one
#    of them is already installed (checked with dpkg-query, so re-runs are
#    fast);
# 2. configures build/ with meson (or reconfigures it) and builds with ninja;
# 3. runs pgsafe on examples/add_column_and_index.sql and shows its report.
set -eu

cd "$(dirname "$0")/.."

packages="build-essential meson ninja-build pkg-config libpg-query-dev
libprotobuf-c-dev libjansson-dev libyaml-dev libcmocka-dev libpq-dev
postgresql-15 python3 python3-jsonschema valgrind time neovim git pre-commit zsh fish"

# npm fetches the SARIF 2.1.0 schema for the formats suite. Debian's npm
# conflicts with a nodejs from elsewhere (NodeSource's ships its own npm),
# so apt is asked for it only when no npm is on the PATH.
command -v npm >/dev/null 2>&1 || packages="$packages npm"

section() {
    printf '\n==> %s\n' "$*"
}

missing=""
for p in $packages; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || missing="$missing $p"
done

section "dependencies"
if [ -z "$missing" ]; then
    echo "all $(echo $packages | wc -w) packages already installed"
else
    echo "missing:$missing"
    if [ "$(id -u)" -eq 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "setup.sh: run as root (or install sudo) to install packages" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q
    # shellcheck disable=SC2086  # the list is meant to split
    $sudo apt-get install -y -q --no-install-recommends $packages
fi

section "configure build/"
if [ -f build/build.ninja ]; then
    meson setup --reconfigure build
else
    meson setup build
fi

section "build"
ninja -C build

example=examples/add_column_and_index.sql
section "pgsafe $example"
status=0
./build/pgsafe "$example" || status=$?
echo
case $status in
0)  echo "pgsafe exited 0: no findings at or above --fail-on (error)" ;;
1)  echo "pgsafe exited 1, as expected: the example has error-level findings (exit 1 means" \
         "'findings at or above --fail-on'; 2 usage, 3 input, 4 plugin, 70 internal error)" ;;
*)  echo "setup.sh: pgsafe exited $status on $example, which is not a findings result" >&2
    exit 1 ;;
esac

section "done"
echo "build/pgsafe is ready. Next: sh tools/test.sh"
