#!/usr/bin/env bash
# serve benchmark: GET /status throughput and latency over loopback against a running
# `migpkg serve` on a SQLite database with a plugin installed, with CONNECTIONS keep-alive
# connections (bench/serve_bench.cpp, one thread each) for SECONDS; then reads of a response of
# fixed size while a long install of another plugin (2,000 generated migrations, bench/gen.sh)
# runs: into a second database (what the install's CPU takes from the server); into the
# server's own database with migrations that only insert rows (the schema stays as it is: what
# the install's transactions and commits cost the reads); and into the server's own database
# with migrations that each create a table and an index (the schema grows by 4,000 objects,
# which every request's new SQLite connection reads). Target (issue 19): 2,000 requests/s with
# p99 under 10 ms on 2 cores; during the install, reads keep flowing.
#
# Usage: bench/serve_bench.sh [CONNECTIONS] [SECONDS]    (defaults 8, 10)
# Environment: MIGPKG_BUILD_DIR (default <repo>/build); MIGPKG_BENCH_DIR (default
#              <build>/bench-serve); MIGPKG_SKIP_BUILD=1 uses the binaries already built
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
CONNECTIONS=${1:-8}
SECONDS_EACH=${2:-10}
BUILD_DIR=${MIGPKG_BUILD_DIR:-$ROOT/build}
WORK=${MIGPKG_BENCH_DIR:-$BUILD_DIR/bench-serve}
TARGET_RPS=2000
TARGET_P99_MS=10

log() { printf '[bench] %s\n' "$*" >&2; }

[[ "${MIGPKG_SKIP_BUILD:-0}" == 1 ]] || bash scripts/build.sh "$BUILD_DIR" >&2
cmake --build "$BUILD_DIR" --target migpkg_serve_bench >&2
MIGPKG="$BUILD_DIR/migpkg"
CLIENT="$BUILD_DIR/migpkg_serve_bench"

rm -rf "$WORK"
mkdir -p "$WORK"
DB="sqlite:$WORK/bench.db"
"$MIGPKG" install tests/scenarios/fixtures/shop --db "$DB" >/dev/null 2>&1
TOKEN=$("$MIGPKG" token add bench --role viewer --tokens "$WORK/tokens.json" 2>/dev/null)
bash bench/gen.sh migrations "$WORK/long" 2000 >/dev/null
bash bench/gen.sh inserts "$WORK/rows" 2000 >/dev/null

"$MIGPKG" serve --db "$DB" --tokens "$WORK/tokens.json" --listen 127.0.0.1:0 \
  >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q 'listening on' "$WORK/serve.out" 2>/dev/null && break
  sleep 0.1
done
PORT=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$WORK/serve.out")
[[ -n "$PORT" ]] || { log "the server did not start: $(cat "$WORK/serve.err")"; exit 1; }
log "migpkg serve on port $PORT; $CONNECTIONS connections, ${SECONDS_EACH}s per measurement"

row() {  # NAME JSON
  python3 - "$1" "$2" "$TARGET_RPS" "$TARGET_P99_MS" <<'PY'
import json, sys
name, figures, target_rps, target_p99 = sys.argv[1], json.loads(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
rps, p99 = figures["rps"], figures["p99_ms"]
print(f"| {name} | {figures['requests']} | {figures['errors']} | {rps:.0f} | {figures['p50_ms']:.2f} | {p99:.2f} | "
      f"{rps / target_rps:.2f}x of {target_rps:.0f}/s {'met' if rps >= target_rps else 'MISSED'}; "
      f"p99 {'met' if p99 < target_p99 else 'MISSED'} (< {target_p99:.0f} ms) |")
PY
}

echo "| measurement | requests | errors | req/s | p50 ms | p99 ms | against the target |"
echo "|---|---|---|---|---|---|---|"
"$CLIENT" 127.0.0.1 "$PORT" "$TOKEN" /healthz "$CONNECTIONS" 2 >/dev/null || true  # warm-up
IDLE=$("$CLIENT" 127.0.0.1 "$PORT" "$TOKEN" /status "$CONNECTIONS" "$SECONDS_EACH" || true)
row "GET /status, idle" "$IDLE"

# While a long install of another plugin runs, reads of a response that does not grow with it
# (the shop plugin's history): first into a second database, then into the server's own.
during_install() {  # NAME SOURCES DATABASE
  local name=$1 sources=$2 db=$3
  "$MIGPKG" install "$sources" --db "$db" >"$WORK/install.out" 2>&1 &
  local install=$!
  sleep 0.5
  local figures
  figures=$("$CLIENT" 127.0.0.1 "$PORT" "$TOKEN" "/history?plugin=acme.shop" "$CONNECTIONS" \
    "$SECONDS_EACH" || true)
  local still="the install finished before the end of the measurement"
  kill -0 "$install" 2>/dev/null && still="the install was still running at the end"
  wait "$install" || log "the long install failed: $(tail -3 "$WORK/install.out")"
  row "$name" "$figures"
  log "$name: $still"
}
"$MIGPKG" install tests/scenarios/fixtures/shop --db "sqlite:$WORK/other.db" >/dev/null 2>&1
during_install "GET /history?plugin=acme.shop, 2,000 migrations creating tables into another database" \
  "$WORK/long" "sqlite:$WORK/other.db"
during_install "GET /history?plugin=acme.shop, 2,000 migrations inserting rows into this database" \
  "$WORK/rows" "$DB"
during_install "GET /history?plugin=acme.shop, 2,000 migrations creating tables into this database" \
  "$WORK/long" "$DB"
log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
