#!/usr/bin/env bash
# Make sure PostgreSQL (database "test") and Redis answer on loopback for the test run.
# Where they already run (developer machines, CI) nothing happens. Where they do not, Debian's
# packages are installed and private instances are started in a temporary folder, on the
# standard ports, and stopped again when the sourcing script exits.
# Source it: it exports TEAMLINE_TEST_DATABASE_URL and TEAMLINE_TEST_REDIS_URL.

PG_PORT=${PG_PORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}
export TEAMLINE_TEST_DATABASE_URL=${TEAMLINE_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:${PG_PORT}/test}
export TEAMLINE_TEST_REDIS_URL=${TEAMLINE_TEST_REDIS_URL:-redis://127.0.0.1:${REDIS_PORT}/0}
_private_dir=""

_pg_up() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; }
_redis_up() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

_stop_private() {
    [ -n "$_private_dir" ] || return 0
    if [ -f "$_private_dir/pg/postmaster.pid" ]; then
        _as_postgres "$_pgbin/pg_ctl" -D "$_private_dir/pg" -m fast stop >/dev/null 2>&1 || true
    fi
    if [ -f "$_private_dir/redis.pid" ]; then
        local pid
        pid=$(cat "$_private_dir/redis.pid")
        kill "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    fi
    rm -rf "$_private_dir"
}

_as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

_start_private_pg() {
    command -v pg_isready >/dev/null && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
        || scripts/apt-install.sh postgresql
    _pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    mkdir -p "$_private_dir/pg"
    [ "$(id -u)" -eq 0 ] && chown -R postgres "$_private_dir"
    _as_postgres "$_pgbin/initdb" -D "$_private_dir/pg" -A trust -U postgres >/dev/null
    _as_postgres "$_pgbin/pg_ctl" -D "$_private_dir/pg" -l "$_private_dir/pg.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $_private_dir" start >/dev/null
    createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres test
    echo "started a private PostgreSQL on 127.0.0.1:$PG_PORT"
}

_start_private_redis() {
    command -v redis-server >/dev/null || scripts/apt-install.sh redis-server
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
        --daemonize yes --pidfile "$_private_dir/redis.pid" --dir "$_private_dir" \
        --logfile "$_private_dir/redis.log"
    for _ in $(seq 50); do _redis_up && break; sleep 0.1; done
    echo "started a private Redis on 127.0.0.1:$REDIS_PORT"
}

if ! _pg_up || ! _redis_up; then
    command -v pg_isready >/dev/null || scripts/apt-install.sh postgresql-client
    command -v redis-cli >/dev/null || scripts/apt-install.sh redis-tools
    _private_dir=$(mktemp -d /tmp/teamline-services.XXXXXX)
    chmod 755 "$_private_dir"
    trap _stop_private EXIT
    _pg_up || _start_private_pg
    _redis_up || _start_private_redis
fi
