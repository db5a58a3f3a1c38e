#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the test suite.
#
# Usage: scripts/pg-test-server.sh start|stop|url|status
#   start   initdb a fresh cluster and start it on 127.0.0.1 on a random free port (20000-60000)
#   stop    fast-stop the server and delete all of its state
#   url     print postgresql://postgres@127.0.0.1:PORT/postgres
#   status  print whether the server is running (exit 0 when it is, 1 otherwise)
# Environment:
#   MIGPKG_PG_STATE   state directory (data dir, socket dir, log, port, pid); default
#                     <repo>/build/pg-test. Use different ones to run several servers at once.
#   MIGPKG_PG_BIN     PostgreSQL binaries; default /usr/lib/postgresql/15/bin
#
# The cluster trusts every local and 127.0.0.1 connection and runs with fsync off: it is only
# for tests and is deleted on `stop`.
set -euo pipefail

log() { printf '[migpkg] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=${MIGPKG_PG_BIN:-/usr/lib/postgresql/15/bin}

state=${MIGPKG_PG_STATE:-$ROOT/build/pg-test}
# Make the state path absolute (relative to the caller's cwd): pg_ctl/initdb run from / below.
[[ "$state" == /* ]] || state="${PWD%/}/$state"
state=${state%/}

data="$state/data"
run="$state/run"
server_log="$run/server.log"
# Marks a directory as ours, so `stop` never rm -rf's a directory it did not create.
marker="$state/.migpkg-pg-test"
START_ATTEMPTS=5

# Run a PostgreSQL binary as the cluster owner. PostgreSQL refuses to run as root, so as root we
# use the `postgres` system user. Run from / because that user may not be able to enter the
# caller's cwd (initdb and postgres complain about an unreadable cwd).
as_pg() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# The socket dir holds .s.PGSQL.PORT; Unix socket paths are limited to ~107 bytes, so a deep
# state dir gets a short socket dir under /tmp instead (recorded in $state/sockdir for `stop`).
socket_dir() {
  if [[ -f "$state/sockdir" ]]; then
    cat "$state/sockdir"
  else
    printf '%s\n' "$run"
  fi
}

is_running() {
  [[ -f "$data/postmaster.pid" ]] || return 1
  # A killed postmaster can linger as a zombie when the container's init does not reap it; pg_ctl
  # would then wait 60 s for it to "shut down". Treat a zombie (or vanished) pid as not running.
  local pid stat
  pid=$(head -n1 "$data/postmaster.pid" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null || true)
  [[ -n "$stat" && "${stat##*) }" != Z* ]] || return 1
  as_pg "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1
}

# shellcheck source=scripts/free-port.sh
source "$(dirname "${BASH_SOURCE[0]}")/free-port.sh"

# As root, the postgres user must be able to traverse every ancestor of the state dir
# (mktemp -d creates 0700 dirs). Only the x bit is needed; add it where it is missing.
make_traversable() {
  local dir=$1
  while [[ -n "$dir" && "$dir" != / ]]; do
    if ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
      log "making $dir traversable for the postgres user (chmod a+x)"
      chmod a+x "$dir"
    fi
    dir=$(dirname "$dir")
  done
}

remove_state() {
  local sockdir
  sockdir=$(socket_dir)
  if [[ "$sockdir" != "$run" && -d "$sockdir" ]]; then
    rm -rf -- "$sockdir"
  fi
  rm -rf -- "$state"
}

cmd_url() {
  [[ -f "$state/port" ]] || die "no test server state in $state (run: $0 start)"
  printf 'postgresql://postgres@127.0.0.1:%s/postgres\n' "$(cat "$state/port")"
}

cmd_status() {
  if [[ -f "$state/port" ]] && is_running; then
    log "running: $(cmd_url) (pid $(cat "$state/pid" 2>/dev/null || echo '?'), state $state)"
    return 0
  fi
  log "not running (state $state)"
  return 1
}

cmd_stop() {
  if [[ ! -e "$state" ]]; then
    log "no test server state in $state; nothing to stop"
    return 0
  fi
  [[ -f "$marker" ]] || die "refusing to stop/remove $state: it was not created by $0"
  if is_running; then
    log "stopping PostgreSQL test server (state $state)"
    if ! as_pg "$PGBIN/pg_ctl" -D "$data" -m fast -w -s stop; then
      log "fast shutdown failed; trying immediate shutdown"
      as_pg "$PGBIN/pg_ctl" -D "$data" -m immediate -w -s stop || true
    fi
  fi
  remove_state
  log "test server stopped and $state removed"
}

cmd_start() {
  [[ -x "$PGBIN/initdb" && -x "$PGBIN/pg_ctl" ]] ||
    die "PostgreSQL 15 binaries not found in $PGBIN (install postgresql-15: scripts/install-deps.sh)"
  if ((EUID == 0)) && ! id postgres >/dev/null 2>&1; then
    die "running as root but there is no 'postgres' user to own the cluster (install postgresql-15)"
  fi

  if [[ -e "$state" ]]; then
    [[ -f "$marker" ]] || die "$state exists and was not created by $0; set MIGPKG_PG_STATE to another dir"
    if [[ -f "$state/port" ]] && is_running; then
      log "already running: $(cmd_url) (state $state)"
      return 0
    fi
    # Left over from a crash or a failed start: a fresh cluster is what tests want anyway.
    log "removing stale state in $state"
    if is_running; then as_pg "$PGBIN/pg_ctl" -D "$data" -m immediate -w -s stop || true; fi
    remove_state
  fi

  mkdir -p "$state"
  chmod 755 "$state"
  touch "$marker"

  local sockdir="$run"
  # ".s.PGSQL.NNNNN.lock" is 20 bytes; stay well below the 107-byte sun_path limit.
  if ((${#run} + 21 > 100)); then
    sockdir=$(mktemp -d /tmp/migpkg-pg.XXXXXX)
    printf '%s\n' "$sockdir" >"$state/sockdir"
  fi
  # pg_ctl passes -o through /bin/sh: quote the path, and refuse the one character that breaks it.
  [[ "$sockdir" != *"'"* ]] || die "socket dir path must not contain a single quote: $sockdir"

  if ((EUID == 0)); then
    install -d -o postgres -g postgres -m 0700 "$data"
    install -d -o postgres -g postgres -m 0755 "$run"
    if [[ "$sockdir" != "$run" ]]; then
      chown postgres:postgres "$sockdir"
      chmod 755 "$sockdir"
    fi
    make_traversable "$state"
    make_traversable "$sockdir"
  else
    install -d -m 0700 "$data"
    install -d -m 0755 "$run"
  fi

  log "initdb $data"
  if ! as_pg "$PGBIN/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=trust \
    -E UTF8 --locale=C.UTF-8 --no-sync >"$state/initdb.log" 2>&1; then
    cat "$state/initdb.log" >&2
    remove_state
    die "initdb failed (output above)"
  fi

  local attempt port
  for ((attempt = 1; attempt <= START_ATTEMPTS; attempt++)); do
    port=$(pick_free_port)
    # A fresh log per attempt, so the port-race check below only sees this attempt.
    # Let pg_ctl create it (as the cluster owner), hence rm rather than truncate.
    rm -f "$server_log"
    log "starting PostgreSQL 15 on 127.0.0.1:$port (attempt $attempt/$START_ATTEMPTS)"
    if as_pg "$PGBIN/pg_ctl" -D "$data" -l "$server_log" -s -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k '$sockdir' -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
      start; then
      printf '%s\n' "$port" >"$state/port"
      head -n1 "$data/postmaster.pid" >"$state/pid"
      log "running: postgresql://postgres@127.0.0.1:$port/postgres (pid $(cat "$state/pid"), state $state)"
      return 0
    fi
    # Another process may have grabbed the port between our check and the bind: retry on a new
    # port. Any other failure is real: show the log and give up.
    if grep -qE 'could not bind|Address already in use|could not create any TCP/IP sockets' \
      "$server_log" 2>/dev/null; then
      log "port $port was taken before the server could bind it; retrying on another port"
      continue
    fi
    break
  done

  log "PostgreSQL failed to start; server log ($server_log):"
  cat "$server_log" >&2 2>/dev/null || log "(no server log was written)"
  # pg_ctl -w gives up after 60 s but may leave a slow server behind: do not orphan it.
  if is_running; then as_pg "$PGBIN/pg_ctl" -D "$data" -m immediate -w -s stop || true; fi
  remove_state
  die "could not start the PostgreSQL test server"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  url) cmd_url ;;
  status) cmd_status ;;
  *)
    printf 'usage: %s start|stop|url|status\n' "$0" >&2
    exit 2
    ;;
esac
