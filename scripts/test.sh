#!/usr/bin/env bash
# The project's test command: install deps, build, run the whole ctest suite against a throwaway
# PostgreSQL 15 and a throwaway MariaDB (for the MySQL dialect's SQL). Exits with ctest's exit code (or the build's, if the build fails).
#
# Usage: scripts/test.sh [extra ctest args...]     e.g. scripts/test.sh -R parser  /  -L pg
# Environment:
#   MIGPKG_BUILD_DIR    build directory (default: <repo>/build)
#   MIGPKG_CMAKE_ARGS   extra configure args, see build.sh (e.g. -DMIGPKG_SANITIZE=ON)
#   MIGPKG_PG_STATE     state dir of the test server (default: <build>/pg-test)
#   MIGPKG_MARIADB_STATE  state dir of the MariaDB test server (default: <build>/mariadb-test)
set -euo pipefail

log() { printf '[migpkg] %s\n' "$*" >&2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD_DIR=${MIGPKG_BUILD_DIR:-$ROOT/build}
[[ "$BUILD_DIR" == /* ]] || BUILD_DIR="$ROOT/$BUILD_DIR"

bash scripts/install-deps.sh
# Already checked just above: spare build.sh the second check.
export MIGPKG_SKIP_DEPS=1

build_rc=0
bash scripts/build.sh "$BUILD_DIR" || build_rc=$?
if ((build_rc != 0)); then
  log "SUMMARY: build FAILED (exit $build_rc); no tests were run"
  exit "$build_rc"
fi

export MIGPKG_PG_STATE=${MIGPKG_PG_STATE:-$BUILD_DIR/pg-test}
pg_started=0
stop_pg() {
  if ((pg_started)); then
    pg_started=0
    bash scripts/pg-test-server.sh stop || log "warning: could not stop the PostgreSQL test server"
  fi
}
# Never leave a server behind: on normal exit, on error, and on Ctrl-C / kill (the postmaster
# runs in its own session, so the terminal's SIGINT does not reach it).
mariadb_started=0
stop_mariadb() {
  if ((mariadb_started)); then
    mariadb_started=0
    bash scripts/mariadb-test-server.sh stop || log "warning: could not stop the MariaDB test server"
  fi
}
stop_servers() {
  stop_pg
  stop_mariadb
}
trap stop_servers EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# A server left by a run that was killed hard (SIGKILL) would be reused with old data: start clean.
bash scripts/pg-test-server.sh stop
pg_started=1
if ! bash scripts/pg-test-server.sh start; then
  log "SUMMARY: FAIL: could not start the PostgreSQL test server; no tests were run"
  exit 1
fi
MIGPKG_TEST_PG_URL=$(bash scripts/pg-test-server.sh url)
export MIGPKG_TEST_PG_URL
# The suite skips PostgreSQL cases when no URL is set; here a missing server must be a failure.
export MIGPKG_REQUIRE_PG=1
log "MIGPKG_TEST_PG_URL=$MIGPKG_TEST_PG_URL"

# MariaDB runs the MySQL dialect's golden SQL (tests/unit/test_sql_output.cpp).
export MIGPKG_MARIADB_STATE=${MIGPKG_MARIADB_STATE:-$BUILD_DIR/mariadb-test}
bash scripts/mariadb-test-server.sh stop
mariadb_started=1
if ! bash scripts/mariadb-test-server.sh start; then
  log "SUMMARY: FAIL: could not start the MariaDB test server; no tests were run"
  exit 1
fi
MIGPKG_TEST_MYSQL_URL=$(bash scripts/mariadb-test-server.sh url)
export MIGPKG_TEST_MYSQL_URL
log "MIGPKG_TEST_MYSQL_URL=$MIGPKG_TEST_MYSQL_URL"

# Keep a copy of ctest's output so the summary can be repeated as the very last lines, after the
# server shutdown messages. --no-tests=error: an empty suite must not count as a pass.
ctest_log="$BUILD_DIR/ctest.log"
set +e
ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error -j2 "$@" 2>&1 | tee "$ctest_log"
ctest_rc=${PIPESTATUS[0]}
set -e

stop_servers

# On stdout (not stderr like the progress messages) so it is the last line of captured output.
summary=$(grep -E '[0-9]+% tests passed' "$ctest_log" | tail -n1 || true)
if ((ctest_rc == 0)); then
  printf '[migpkg] SUMMARY: PASS: %s\n' "${summary:-ctest succeeded}"
else
  printf '[migpkg] SUMMARY: FAIL (ctest exit %s): %s\n' "$ctest_rc" "${summary:-see ctest output above}"
fi
exit "$ctest_rc"
