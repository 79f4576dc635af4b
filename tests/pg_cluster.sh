#!/bin/bash
# throwaway postgresql cluster for the effects verifier
#
#   pg_cluster.sh start DIR   create a cluster in DIR, start it, print a
#                             libpq connection string on stdout
#   pg_cluster.sh stop DIR    stop the cluster in DIR and remove DIR
#
# the server listens on 127.0.0.1 only (first free port from 54329 up) and
# on a unix socket inside DIR; fsync is off. when run as root, the server runs
# as the system user pgsafe-test (created with useradd -r when missing),
# because postgres refuses to run as root. PG_BINDIR overrides the location of
# initdb/pg_ctl; PGSAFE_TEST_USER overrides the user name.
set -eu

prog=$(basename "$0")
test_user=${PGSAFE_TEST_USER:-pgsafe-test}

die() {
    echo "$prog: $*" >&2
    exit 1
}

usage() {
    echo "usage: $prog start|stop DIR" >&2
    exit 2
}

find_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then
        [ -x "$PG_BINDIR/pg_ctl" ] || die "no pg_ctl in PG_BINDIR=$PG_BINDIR"
        echo "$PG_BINDIR"
        return
    fi
    # prefer the newest /usr/lib/postgresql/N/bin (debian layout), then PATH
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
        if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ]; then
            echo "$d"
            return
        fi
    done
    p=$(command -v pg_ctl 2>/dev/null || true)
    [ -n "$p" ] || die "cannot find pg_ctl (set PG_BINDIR)"
    dirname "$p"
}

# run a command as the cluster owner (the test user when root, else ourselves)
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u "$test_user" -- "$@" </dev/null
        else
            su -s /bin/sh "$test_user" -c '"$0" "$@"' -- "$@" </dev/null
        fi
    else
        "$@" </dev/null
    fi
}

ensure_user() {
    [ "$(id -u)" -eq 0 ] || return 0
    if ! id "$test_user" >/dev/null 2>&1; then
        useradd -r -M -s /usr/sbin/nologin -d /nonexistent "$test_user" \
            || die "cannot create user $test_user"
    fi
}

port_in_use() {
    # a successful tcp connect means someone listens there
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
    dir=$1
    bindir=$(find_bindir)
    if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
        die "$dir exists and is not empty"
    fi
    ensure_user
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd -P)
    case $dir in
        *[[:space:]]*) die "directory path must not contain spaces: $dir" ;;
    esac
    # unix socket paths are limited to about 107 bytes
    [ ${#dir} -le 90 ] || die "directory path too long for a unix socket: $dir"
    : >"$dir/.pgsafe-cluster"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R "$test_user" "$dir"
        chmod 700 "$dir"
        as_owner test -w "$dir" \
            || die "user $test_user cannot reach $dir (check the parent directories' permissions)"
    fi

    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

    port=54329
    tries=0
    while :; do
        tries=$((tries + 1))
        [ $tries -le 200 ] || die "no free port found from 54329 up"
        if ! port_in_use "$port"; then
            cat >"$dir/data/postgresql.auto.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
autovacuum = off
max_prepared_transactions = 10
max_connections = 60
max_locks_per_transaction = 256
log_min_messages = warning
EOF
            if [ "$(id -u)" -eq 0 ]; then
                chown "$test_user" "$dir/data/postgresql.auto.conf"
            fi
            if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
                -w -t 60 start >/dev/null 2>&1; then
                break
            fi
            # maybe someone took the port in between; try the next one
            if grep -q "could not bind\|Address already in use" "$dir/server.log" 2>/dev/null; then
                :
            else
                cat "$dir/server.log" >&2 2>/dev/null || true
                die "pg_ctl start failed"
            fi
        fi
        port=$((port + 1))
    done
    echo "$port" >"$dir/port"
    echo "host=127.0.0.1 port=$port user=postgres dbname=postgres"
}

stop() {
    dir=$1
    [ -d "$dir" ] || return 0
    # only ever remove directories this script created
    [ -e "$dir/.pgsafe-cluster" ] || die "$dir was not created by $prog; not removing it"
    bindir=$(find_bindir)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
            || as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 \
            || die "pg_ctl stop failed"
    fi
    rm -rf "$dir"
}

[ $# -eq 2 ] || usage
case $1 in
    start) start "$2" ;;
    stop) stop "$2" ;;
    *) usage ;;
esac
