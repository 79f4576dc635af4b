#!/bin/sh
# tests/install.sh - `meson install --destdir` into a temporary directory,
# and what lands there: the binary, both manual pages (rendered by man
# without warnings), the bash, zsh and fish completions where Debian's
# shells look for them (syntax-checked, and knowing every option and format
# of `pgsafe --help`), the JSON Schemas, and, when plugins/pgsafe_plugin.h
# exists, the plugin header with a pkg-config file a plugin compiles with.
#
#   tests/install.sh BUILDDIR SRCDIR
#
# Prints "ok NAME" or "FAIL NAME: why", then "N passed, M failed"; exits 1
# when a check failed.
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 BUILDDIR SRCDIR" >&2
    exit 2
fi
build=$1
src=$2
passed=0 failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgsafe-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
dest=$tmp/dest

ok() {
    passed=$((passed + 1))
    echo "ok   $1"
}

fail() {
    failed=$((failed + 1))
    echo "FAIL $1: $2"
}

# the one installed file matching a find -path PATTERN, or empty
installed() {
    find "$dest" -path "$1" -type f | head -n 1
}

if meson install -C "$build" --destdir "$dest" --no-rebuild >"$tmp/log" 2>&1; then
    ok "meson install --destdir"
else
    fail "meson install --destdir" "$(tail -n 5 "$tmp/log")"
    echo "$passed passed, $failed failed"
    exit 1
fi

bin=$(installed '*/bin/pgsafe')
if [ -n "$bin" ] && [ -x "$bin" ]; then
    ok "binary in bin/"
    if "$bin" --version | grep -Eq '^pgsafe [0-9.]+ \(PostgreSQL [0-9.]+ grammar'; then
        ok "installed pgsafe --version names the PostgreSQL grammar"
    else
        fail "pgsafe --version" "$("$bin" --version 2>&1)"
    fi
else
    fail "binary in bin/" "no executable */bin/pgsafe under $dest"
    bin=$build/pgsafe
fi

for page in man1/pgsafe.1 man5/pgsafe.yaml.5; do
    f=$(installed "*/share/man/$page")
    if [ -z "$f" ]; then
        fail "manual page $page" "not installed"
        continue
    fi
    ok "manual page $page installed"
    if command -v man >/dev/null 2>&1; then
        warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$f" 2>&1 >/dev/null)
        if [ -z "$warnings" ] && LC_ALL=C.UTF-8 man -l "$f" 2>/dev/null | grep -q 'NAME'; then
            ok "manual page $page renders without warnings"
        else
            fail "manual page $page renders" "$warnings"
        fi
    fi
done

# every option --help lists (at the start of a line) and every format it
# names must be known to each completion
help_opts=$("$bin" --help | sed -n 's/^ *\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' | sort -u)
help_formats=$("$bin" --help | sed -n '/^formats:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p')

check_completion() {
    name=$1 path=$2 syntax=$3
    f=$(installed "$path")
    if [ -z "$f" ]; then
        fail "$name completion" "not installed at $path"
        return
    fi
    ok "$name completion installed"
    missing=""
    for o in $help_opts; do
        grep -q -- "${o#--}" "$f" || missing="$missing $o"
    done
    if [ -z "$missing" ]; then
        ok "$name completion knows every option of --help"
    else
        fail "$name completion knows every option of --help" "missing:$missing"
    fi
    shell=${syntax%% *}
    if command -v "$shell" >/dev/null 2>&1; then
        if $syntax "$f" >"$tmp/syntax" 2>&1; then
            ok "$name completion parses ($syntax)"
        else
            fail "$name completion parses" "$(head -n 5 "$tmp/syntax")"
        fi
    else
        fail "$name completion parses" "$shell is not installed (sh tools/setup.sh installs it)"
    fi
}

check_completion bash '*/share/bash-completion/completions/pgsafe' 'bash -n'
check_completion zsh '*/share/zsh/vendor-completions/_pgsafe' 'zsh -n'
check_completion fish '*/share/fish/vendor_completions.d/pgsafe.fish' 'fish --no-execute'

# the completions at work: bash and fish offer every format after --format
mkdir -p "$tmp/path"
ln -s "$bin" "$tmp/path/pgsafe"
f=$(installed '*/share/bash-completion/completions/pgsafe')
if [ -n "$f" ]; then
    got=$(PATH="$tmp/path:$PATH" bash -c '. "$1"; COMP_WORDS=(pgsafe --format ""); COMP_CWORD=2; _pgsafe; echo "${COMPREPLY[*]}"' sh "$f")
    if [ "$got" = "$(echo $help_formats)" ]; then
        ok "bash completes --format with every format"
    else
        fail "bash completes --format" "got '$got', want '$(echo $help_formats)'"
    fi
fi
f=$(installed '*/share/fish/vendor_completions.d/pgsafe.fish')
if [ -n "$f" ] && command -v fish >/dev/null 2>&1; then
    got=$(PATH="$tmp/path:$PATH" fish -c "source '$f'; complete -C 'pgsafe --format '" | cut -f1 | sort | tr '\n' ' ')
    want=$(for x in $help_formats; do echo "$x"; done | sort | tr '\n' ' ')
    if [ "$got" = "$want" ]; then
        ok "fish completes --format with every format"
    else
        fail "fish completes --format" "got '$got', want '$want'"
    fi
fi

for schema in "$src"/schemas/*.json; do
    name=$(basename "$schema")
    f=$(installed "*/share/pgsafe/schemas/$name")
    if [ -n "$f" ] && cmp -s "$f" "$schema"; then
        ok "schema $name installed"
    else
        fail "schema $name" "not installed under share/pgsafe/schemas/"
    fi
done

if [ -f "$src/plugins/pgsafe_plugin.h" ]; then
    h=$(installed '*/include/pgsafe/pgsafe_plugin.h')
    pc=$(installed '*/pkgconfig/pgsafe.pc')
    if [ -n "$h" ] && [ -n "$pc" ]; then
        ok "plugin header and pgsafe.pc installed"
        # the .pc names the install prefix; point pkg-config into the destdir
        cflags=$(PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$dest pkg-config --cflags pgsafe 2>&1)
        version=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --modversion pgsafe 2>&1)
        printf '#include <pgsafe_plugin.h>\nint main(void) { return 0; }\n' >"$tmp/plugin.c"
        # shellcheck disable=SC2086  # cflags is a list of flags
        if cc -std=c11 -Wall -Werror $cflags -c "$tmp/plugin.c" -o "$tmp/plugin.o" 2>"$tmp/cc"; then
            ok "a plugin compiles with pkg-config --cflags pgsafe ($version)"
        else
            fail "a plugin compiles with pkg-config --cflags pgsafe" "$cflags: $(head -n 5 "$tmp/cc")"
        fi
    else
        fail "plugin header and pgsafe.pc installed" "header '$h', pc '$pc'"
    fi
else
    if [ -z "$(installed '*/pkgconfig/pgsafe.pc')" ]; then
        ok "no plugin header in the tree: no pgsafe.pc installed"
    else
        fail "pgsafe.pc" "installed without a plugin header"
    fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
