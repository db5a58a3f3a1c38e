#!/usr/bin/env bash
# A throwaway MariaDB server for the test suite: the MySQL dialect's golden SQL runs on it.
#
# Usage: scripts/mariadb-test-server.sh start|stop|url|status
#   start   mariadb-install-db a fresh data dir and start mariadbd on 127.0.0.1 on a random free
#           port (20000-60000), the socket in the state dir
#   stop    shut the server down and delete all of its state
#   url     print mysql://root@127.0.0.1:PORT
#   status  exit 0 when the server answers, 1 otherwise
# Environment:
#   MIGPKG_MARIADB_STATE   state directory; default <repo>/build/mariadb-test
#
# The server trusts root without a password on 127.0.0.1 and the socket: it is only for tests
# and is deleted on `stop`. As root it runs as the `mysql` system user (mariadbd refuses root).
set -euo pipefail

log() { printf '[migpkg] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=${MIGPKG_MARIADB_STATE:-$ROOT/build/mariadb-test}
[[ "$state" == /* ]] || state="${PWD%/}/$state"
state=${state%/}
data="$state/data"
run="$state/run"
marker="$state/.migpkg-mariadb-test"
START_SECONDS=60

server_user() { if ((EUID == 0)); then echo mysql; else id -un; fi; }

# Unix socket paths are limited to ~107 bytes: a deep state dir gets a short one under /tmp.
socket_path() {
  if [[ -f "$state/sockdir" ]]; then
    printf '%s/mysqld.sock\n' "$(cat "$state/sockdir")"
  else
    printf '%s/mysqld.sock\n' "$run"
  fi
}

# shellcheck source=scripts/free-port.sh
source "$(dirname "${BASH_SOURCE[0]}")/free-port.sh"

answers() {
  [[ -f "$state/port" ]] || return 1
  mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$(cat "$state/port")" -u root \
    --connect-timeout=2 -e 'SELECT 1' >/dev/null 2>&1
}

server_pid() {
  local pid
  pid=$(cat "$run/mariadbd.pid" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && printf '%s\n' "$pid"
}

cmd_stop() {
  [[ -d "$state" ]] || return 0
  [[ -f "$marker" ]] || die "$state was not created by this script; not touching it"
  local pid i
  if pid=$(server_pid); then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "mariadbd $pid did not stop within 10 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  if [[ -f "$state/sockdir" ]]; then rm -rf -- "$(cat "$state/sockdir")"; fi
  rm -rf -- "$state"
  log "MariaDB test server stopped and $state removed"
}

cmd_start() {
  command -v mariadbd >/dev/null 2>&1 || [[ -x /usr/sbin/mariadbd ]] ||
    die "mariadbd not found: install mariadb-server (scripts/install-deps.sh)"
  if answers; then
    log "MariaDB test server already running on port $(cat "$state/port")"
    return 0
  fi
  [[ ! -e "$state" || -f "$marker" ]] || die "$state exists and was not created by this script"
  rm -rf -- "$state"
  # Its own temporary directory: MariaDB keeps internal temporary tables there, and one deleted
  # from the shared /tmp by another program made the server crash dropping it.
  mkdir -p "$data" "$run" "$state/tmp"
  touch "$marker"
  if ((${#run} > 90)); then
    local short
    short=$(mktemp -d /tmp/migpkg-mariadb.XXXXXX)
    printf '%s\n' "$short" >"$state/sockdir"
  fi
  local user sock port pid i
  user=$(server_user)
  sock=$(socket_path)
  chown -R "$user" "$data" "$run" "$state/tmp" "$(dirname "$sock")"
  if ((EUID == 0)); then
    # The mysql user must be able to reach the state dir.
    local dir=$state
    while [[ -n "$dir" && "$dir" != / ]]; do
      runuser -u "$user" -- test -x "$dir" 2>/dev/null || chmod a+x "$dir"
      dir=$(dirname "$dir")
    done
  fi
  log "initializing MariaDB data dir $data"
  mariadb-install-db --no-defaults --user="$user" --datadir="$data" \
    --auth-root-authentication-method=normal --skip-test-db >"$run/install.log" 2>&1 ||
    { cat "$run/install.log" >&2; die "mariadb-install-db failed"; }
  port=$(pick_free_port)
  printf '%s\n' "$port" >"$state/port"
  # Its own session (setsid): a terminal's Ctrl-C must not reach it before scripts/test.sh stops it.
  setsid /usr/sbin/mariadbd --no-defaults --user="$user" --datadir="$data" --socket="$sock" \
    --port="$port" --bind-address=127.0.0.1 --skip-name-resolve --pid-file="$run/mariadbd.pid" \
    --log-error="$run/server.log" --innodb-buffer-pool-size=32M --innodb-log-file-size=8M \
    --skip-log-bin --tmpdir="$state/tmp" </dev/null >/dev/null 2>&1 &
  for ((i = 0; i < START_SECONDS * 5; i++)); do
    if answers; then
      log "MariaDB test server running on 127.0.0.1:$port (state $state)"
      return 0
    fi
    sleep 0.2
  done
  cat "$run/server.log" >&2 2>/dev/null || true
  die "MariaDB did not answer within $START_SECONDS s"
}

cmd_url() {
  [[ -f "$state/port" ]] || die "no MariaDB test server state in $state (run: $0 start)"
  printf 'mysql://root@127.0.0.1:%s\n' "$(cat "$state/port")"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  url) cmd_url ;;
  status) answers ;;
  *) die "usage: $0 start|stop|url|status" ;;
esac
