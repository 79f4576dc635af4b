#!/bin/sh
# tests/plugins/plugins.sh - plugins from the command line (suite
# "plugins"): --plugin, the ABI checks and their messages (exit code 4),
# plugins named in .pgsafe.yaml and the runner's permission, severity
# overrides and ignore comments on plugin rules, --plugin-option, and
# plugin rules in `pgsafe rules`, `pgsafe explain` and `pgsafe lsp`, and the
# walkthrough of docs/plugins.md. The golden cases in
# plugins/examples/*/testdata and tests/plugins/testdata cover the findings.
#
#   tests/plugins/plugins.sh PGSAFE SRCDIR EXAMPLE_DIR TEST_PLUGIN_DIR
#
# Prints "ok NAME" or "FAIL NAME: why" per check, then "N passed, M failed";
# exits non-zero when a check failed.
set -u

if [ $# -ne 4 ]; then
    echo "usage: $0 PGSAFE SRCDIR EXAMPLE_DIR TEST_PLUGIN_DIR" >&2
    exit 2
fi
pgsafe=$1 src=$2 ex=$3 tp=$4
abs() { case $1 in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; }
pgsafe=$(abs "$pgsafe") src=$(abs "$src") ex=$(abs "$ex") tp=$(abs "$tp")

passed=0 failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgsafe-plugins.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
out=$tmp/out err=$tmp/err
export NO_COLOR=1
unset PGSAFE_PLUGIN_PATH PGSAFE_ALLOW_PLUGINS PGSAFE_PROTECTED_TABLES

pass() {
    passed=$((passed + 1))
    echo "ok   $1"
}

fail() {
    failed=$((failed + 1))
    echo "FAIL $1: $2"
    for f in "$out" "$err"; do
        [ -s "$f" ] && head -n 10 "$f" | sed "s/^/    $(basename "$f"): /"
    done
    return 0
}

# run DIR ARGS...: runs pgsafe in DIR; sets $rc, stdout in $out, stderr in $err
run() {
    dir=$1
    shift
    rc=0
    (cd "$dir" && "$pgsafe" "$@") >"$out" 2>"$err" </dev/null || rc=$?
}

# check NAME WANT_RC [PATTERN]...: exit code, and each grep -E PATTERN in stdout or stderr
check() {
    name=$1 want=$2
    shift 2
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit code $rc, expected $want"
        return 0
    fi
    for pat in "$@"; do
        if ! cat "$out" "$err" | grep -Eq -- "$pat"; then
            fail "$name" "no line matches /$pat/"
            return 0
        fi
    done
    pass "$name"
}

# absent NAME PATTERN: no line of stdout or stderr matches
absent() {
    if cat "$out" "$err" | grep -Eq -- "$2"; then
        fail "$1" "a line matches /$2/"
    else
        pass "$1"
    fi
}

# A migration for the example plugins.
mkdir -p "$tmp/proj/db"
cat >"$tmp/proj/db/001.sql" <<'EOF'
SET lock_timeout = '2s';
SET statement_timeout = '5min';
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_cust ON orders (customer_id);
EOF
cp "$ex/naming.so" "$tmp/proj/naming.so"

# --- the command line ------------------------------------------------

run "$tmp/proj" lint --plugin "$ex/naming.so" db/001.sql
check "--plugin loads a plugin" 0 'warning\[naming/index-name\]: index "idx_orders_cust"'

run "$tmp/proj" lint --plugin ./naming.so db/001.sql
check "--plugin with a relative path" 0 'naming/index-name'

run "$tmp/proj" lint --plugin naming.so db/001.sql
check "--plugin with a bare file name in the current directory" 0 'naming/index-name'

rc=0
(cd "$tmp/proj" && PGSAFE_PLUGIN_PATH="$ex" "$pgsafe" lint --plugin protected_tables \
    --plugin-option protected-tables.tables=orders db/001.sql) >"$out" 2>"$err" || rc=$?
check "--plugin NAME found in PGSAFE_PLUGIN_PATH" 0 'pgsafe: 1 file'

run "$tmp/proj" lint --plugin nowhere.so db/001.sql
check "a missing plugin is exit 4" 4 'cannot find plugin "nowhere.so"'

run "$tmp/proj" lint --plugin ./nowhere.so db/001.sql
check "a missing plugin path is exit 4" 4 'cannot load plugin "./nowhere.so": No such file or directory'
absent "nothing is reported after a plugin error" '"diagnostics"|pgsafe: 1 file'

run "$tmp/proj" lint --plugin "$tp/test_bad_major.so" db/001.sql
check "another ABI major is exit 4 with both versions" 4 \
    'plugin ".*test_bad_major.so" was built for plugin ABI 2; this pgsafe \(.*\) loads ABI 1 plugins \(it provides 1\.0\)'

run "$tmp/proj" lint --plugin "$tp/test_bad_grammar.so" db/001.sql
check "another grammar is exit 4 with both versions" 4 \
    'test_bad_grammar.so" was built against the PostgreSQL 16 grammar .* PostgreSQL 15 grammar'

run "$tmp/proj" lint --plugin "$tp/test_small_manifest.so" db/001.sql
check "a short manifest is exit 4" 4 'its manifest is 8 bytes'

run "$tmp/proj" lint --plugin "$tp/not_a_plugin.so" db/001.sql
check "a shared object that is no plugin is exit 4" 4 \
    '"[^"]*not_a_plugin.so" is not a pgsafe plugin: it does not export pgsafe_plugin_manifest\(\)'

run "$tmp/proj" lint --plugin "$src/README.md" db/001.sql
check "a file that is no shared object is exit 4" 4 'cannot load plugin ".*README.md"'

run "$tmp/proj" lint --plugin "$tp/test_bad_id.so" db/001.sql
check "a rule outside its namespace is exit 4" 4 'rule id "not-namespaced" is not "variant/"'

run "$tmp/proj" lint --plugin "$ex/naming.so" --plugin "$tp/test_clash.so" db/001.sql
check "two plugins of one name are exit 4" 4 'are both named "naming"'

run "$tmp/proj" lint --plugin "$tp/test_future_minor.so" db/001.sql
check "a plugin of a newer minor version loads" 0 'hint\[future/api\]'

run "$tmp/proj" lint --plugin "$tp/test_misuse.so" db/001.sql
check "a rule that breaks the API contract stops the run with exit 4" 4 \
    'plugin rule "variant/rule" \(.*test_misuse.so\) reported a message that is not one line of UTF-8'

run "$tmp/proj" lint --plugin "$tp/test_fails.so" db/001.sql
check "a failing rule stops the run with exit 4" 4 'plugin rule "variant/rule" .* failed: the rule reported a failure'

run "$tmp/proj" lint --plugin "$ex/protected_tables.so" db/001.sql
check "a rule that cannot work says why, exit 4" 4 'no protected tables are configured'

rc=0
(cd "$tmp/proj" && PGSAFE_PROTECTED_TABLES=orders "$pgsafe" lint --plugin "$ex/protected_tables.so" \
    db/001.sql) >"$out" 2>"$err" || rc=$?
check "PGSAFE_PROTECTED_TABLES configures protected-tables" 0 'pgsafe: 1 file'

run "$tmp/proj" lint --plugin "$ex/protected_tables.so" --plugin-option protected-tables.tables=a.b.c db/001.sql
check "a malformed protected table list is exit 4" 4 'not a comma-separated list'

run "$tmp/proj" lint --plugin "$ex/naming.so" --plugin-option naming.style=x db/001.sql
check "an option the plugin does not declare is exit 2" 2 'plugin "naming" has no option "style"'

run "$tmp/proj" lint --plugin-option naming.style=x db/001.sql
check "an option for a plugin not loaded is exit 2" 2 'names plugin "naming", which is not loaded'

run "$tmp/proj" lint --plugin-option nodot db/001.sql
check "a malformed option is exit 2" 2 'is not PLUGIN.NAME=VALUE'

# --- rules and explain -------------------------------------------------

run "$tmp/proj" rules --plugin "$ex/naming.so"
check "pgsafe rules lists plugin rules" 0 '^naming/constraint-name +warning' '^naming/index-name +warning' \
    '^require-concurrent-index '

run "$tmp/proj" rules
absent "pgsafe rules without plugins lists none" '^naming/'

run "$tmp/proj" rules --plugin "$tp/test_bad_major.so"
check "pgsafe rules refuses a bad plugin" 4 'plugin ABI 2'

run "$tmp/proj" explain --plugin "$ex/naming.so" naming/index-name
check "pgsafe explain explains a plugin rule" 0 '^naming/index-name \(warning\)' 'From plugin: .*naming.so' \
    'CREATE INDEX CONCURRENTLY orders_customer_id_idx'

run "$tmp/proj" explain naming/index-name --plugin "$ex/naming.so"
check "pgsafe explain with the option after the id" 0 '^naming/index-name \(warning\)'

run "$tmp/proj" explain --plugin "$ex/protected_tables.so" protected-tables/lock-too-strong
check "pgsafe explain shows a plugin's options" 0 'Plugin options:' \
    '--plugin-option protected-tables.tables=VALUE'

run "$tmp/proj" explain --plugin "$ex/naming.so" naming/nothing
check "pgsafe explain of an unknown plugin rule is exit 2" 2 'unknown rule "naming/nothing"'

run "$tmp/proj" explain --plugin "$ex/naming.so" --sql "CREATE INDEX i ON t (a)"
check "pgsafe explain --sql runs plugin rules" 0 'warning\[naming/index-name\]'

# --- configuration files: untrusted -------------------------------------

cat >"$tmp/proj/.pgsafe.yaml" <<'EOF'
plugins:
  - ./naming.so
rules:
  naming/index-name: error
EOF
run "$tmp/proj" lint db/001.sql
check "a configuration's plugins are refused without permission, exit 4" 4 \
    'configuration "\.pgsafe\.yaml" names a plugin that was not loaded: "\./naming\.so"' \
    '--allow-plugins or PGSAFE_ALLOW_PLUGINS=1'
absent "nothing is reported when plugins are refused" 'naming/index-name|pgsafe: 1 file'

run "$tmp/proj" lint --config .pgsafe.yaml db/001.sql
check "--config does not make a configuration trusted" 4 'names a plugin that was not loaded'

run "$tmp/proj" lint --plugin ./naming.so db/001.sql
check "--plugin of the same file does not allow the configuration's plugins" 4 'was not loaded'

run "$tmp/proj" lint --allow-plugins db/001.sql
check "--allow-plugins loads them, and the configuration sets their severity" 1 \
    'error\[naming/index-name\]'

rc=0
(cd "$tmp/proj" && PGSAFE_ALLOW_PLUGINS=1 "$pgsafe" lint db/001.sql) >"$out" 2>"$err" || rc=$?
check "PGSAFE_ALLOW_PLUGINS=1 loads them" 1 'error\[naming/index-name\]'

rc=0
(cd "$tmp/proj" && PGSAFE_ALLOW_PLUGINS=yes "$pgsafe" lint db/001.sql) >"$out" 2>"$err" || rc=$?
check "PGSAFE_ALLOW_PLUGINS other than 1 does not" 4 'was not loaded'

run "$tmp/proj/db" lint --allow-plugins 001.sql
check "a configuration's plugin path is relative to its directory" 1 'naming/index-name'

run "$tmp/proj" lint --allow-plugins --plugin "$ex/naming.so" db/001.sql
check "a copy of a loaded plugin is a name clash, exit 4" 4 'are both named "naming"'

printf 'plugins:\n  - %s\n' "$ex/naming.so" >"$tmp/proj/db/.pgsafe.yaml"
run "$tmp/proj" lint --allow-plugins --plugin "$ex/naming.so" db/001.sql
check "one file named on the command line and in a configuration loads once" 0 'naming/index-name'
rm "$tmp/proj/db/.pgsafe.yaml"

run "$tmp/proj" lint --no-config db/001.sql
check "--no-config reads no plugins" 0 'pgsafe: 1 file'

cat >"$tmp/proj/.pgsafe.yaml" <<'EOF'
plugins:
  - ./naming.so
rules:
  naming/index-name: off
EOF
run "$tmp/proj" lint --allow-plugins db/001.sql
check "a configuration turns a plugin rule off" 0 'pgsafe: 1 file'
absent "  ...and it is not reported" 'naming/index-name'

cat >"$tmp/proj/.pgsafe.yaml" <<'EOF'
plugins:
  - ./naming.so
rules:
  naming/idx-name: error
EOF
run "$tmp/proj" lint --allow-plugins db/001.sql
check "an unknown plugin rule in a configuration is exit 2" 2 '\.pgsafe\.yaml: unknown rule "naming/idx-name"'

cat >"$tmp/proj/.pgsafe.yaml" <<'EOF'
plugins:
  - ./test_bad_major.so
EOF
cp "$tp/test_bad_major.so" "$tmp/proj/"
run "$tmp/proj" lint --allow-plugins db/001.sql
check "a bad plugin in a configuration names the configuration, exit 4" 4 \
    '\.pgsafe\.yaml: plugin "\./test_bad_major\.so"' 'plugin ABI 2'
rm "$tmp/proj/.pgsafe.yaml"

mkdir -p "$tmp/optin"
cp "$tmp/proj/db/001.sql" "$tmp/optin/"
run "$tmp/optin" lint --plugin "$tp/test_opt_in.so" 001.sql
check "an opt-in plugin rule is off by default" 0 'pgsafe: 1 file'
absent "  ...and does not run" 'the opt-in rule ran'
printf 'enable: [variant/rule]\n' >"$tmp/optin/.pgsafe.yaml"
run "$tmp/optin" lint --plugin "$tp/test_opt_in.so" 001.sql
check "a configuration enables an opt-in plugin rule" 0 'warning\[variant/rule\]: the opt-in rule ran'

# --- ignore comments ---------------------------------------------------

cat >"$tmp/proj/db/002.sql" <<'EOF'
SET lock_timeout = '2s';
SET statement_timeout = '5min';
-- pgsafe:ignore naming/index-name legacy name kept for the dashboards
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_cust ON orders (customer_id);
EOF
run "$tmp/proj" lint --plugin ./naming.so db/002.sql
check "an ignore comment silences a plugin rule" 0 'pgsafe: 1 file'
absent "  ...with no finding left" 'naming/index-name|unused-ignore|unknown-rule'

run "$tmp/proj" lint db/002.sql
check "an ignore comment for a plugin rule that is not loaded is reported" 0 'unknown-rule-in-ignore'

# --- pgsafe lsp --plugin -----------------------------------------------

if command -v python3 >/dev/null 2>&1; then
    rc=0
    timeout 60 python3 "$src/tests/plugins/lsp_plugin.py" "$pgsafe" "$ex/naming.so" >"$out" 2>"$err" || rc=$?
    check "pgsafe lsp --plugin publishes the plugin's findings" 0 "naming/index-name" '^exit 0$'
fi
run "$tmp/proj" lsp --plugin "$tp/test_bad_major.so"
check "pgsafe lsp refuses a bad plugin, exit 4" 4 'plugin ABI 2'

# --- docs/plugins.md: the walkthrough's plugin, built as the page says ----

cc=${CC:-cc}
if command -v "$cc" >/dev/null 2>&1; then
    mkdir -p "$tmp/walk"
    # the first C block of the page is the plugin's source
    sed -n '/^```c$/,/^```$/p' "$src/docs/plugins.md" | awk '/^```$/ { exit } NR > 1' \
        >"$tmp/walk/require_schema.c"
    pcflags=$(pkg-config --cflags libprotobuf-c 2>/dev/null)
    if "$cc" -std=c11 -Wall -Wextra -Werror -O2 -fPIC -shared -I"$src/plugins" $pcflags \
        -o "$tmp/walk/require_schema.so" "$tmp/walk/require_schema.c" 2>"$err"; then
        pass "the walkthrough's plugin compiles"
    else
        fail "the walkthrough's plugin compiles" "$cc failed"
    fi
    printf 'CREATE TABLE IF NOT EXISTS invoices (id bigint PRIMARY KEY);\nCREATE TABLE IF NOT EXISTS app.receipts (id bigint PRIMARY KEY);\n' \
        >"$tmp/walk/migration.sql"
    run "$tmp/walk" --plugin ./require_schema.so migration.sql
    check "the walkthrough's output is the page's" 0 \
        '^migration.sql:1:28: warning\[acme/require-schema\]: table "invoices" is created without a schema$' \
        '^   = help: write CREATE TABLE app.invoices \(\.\.\.\)$' \
        '^pgsafe: 1 file, 2 statements analyzed, 0 not modeled; 0 errors, 1 warning, 0 hints$'
    run "$tmp/walk" rules --plugin ./require_schema.so
    check "the walkthrough's rule is listed" 0 '^acme/require-schema +warning +CREATE TABLE without a schema name$'
else
    echo "skip the walkthrough's plugin: no C compiler ($cc)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
