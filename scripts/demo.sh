#!/usr/bin/env bash
# The README's "main job", end to end on SQLite, for every example package:
#   validate -> compile to SQLite SQL -> check (against sqlite::memory:)
# Each command is echoed ("+ migpkg ...") before it runs; the first failure stops the demo with
# that command's exit code.
#
# Usage: scripts/demo.sh
# Environment:
#   MIGPKG_BUILD_DIR    build directory (default: <repo>/build); outputs go to <build>/demo
#
# To add a step (install/status/rollback...), add a `migpkg ...` line to demo_package.
set -euo pipefail

log() { printf '[migpkg] %s\n' "$*" >&2; }

# Paths below are relative to the repo root, so the echoed commands are short and copy-pasteable.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD_DIR=${MIGPKG_BUILD_DIR:-build}

bash scripts/build.sh "$BUILD_DIR"

MIGPKG_BIN="$BUILD_DIR/migpkg"
[[ -x "$MIGPKG_BIN" ]] || { log "error: $MIGPKG_BIN was not built"; exit 1; }
DEMO_OUT="$BUILD_DIR/demo"
mkdir -p "$DEMO_OUT"

# Echo, then run, the migpkg CLI; on failure stop the whole demo with the command's exit code.
migpkg() {
  printf '+ migpkg'
  printf ' %q' "$@"
  printf '\n'
  local rc=0
  "$MIGPKG_BIN" "$@" || rc=$?
  if ((rc != 0)); then
    log "demo FAILED: migpkg $* (exit $rc)"
    exit "$rc"
  fi
}

demo_package() {
  local dir=$1 name=$2
  migpkg validate "$dir"
  migpkg compile "$dir" --dialect sqlite --format sql -o "$DEMO_OUT/$name.sqlite.sql"
  migpkg check "$dir"
}

shopt -s nullglob
package_dirs=(packages/examples/*/)
shopt -u nullglob
if ((${#package_dirs[@]} == 0)); then
  log "error: no example packages under packages/examples/: nothing to demo"
  exit 1
fi

for dir in "${package_dirs[@]}"; do
  dir=${dir%/}
  log "== example package: $dir"
  demo_package "$dir" "$(basename "$dir")"
done
log "demo OK: ${#package_dirs[@]} example package(s); compiled SQL in $DEMO_OUT/"
