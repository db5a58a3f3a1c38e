#!/usr/bin/env bash
# serve benchmark: GET /status throughput and latency over loopback against a running
# `migpkg serve` on a SQLite database with a plugin installed, with CONNECTIONS keep-alive
# connections (bench/serve_bench.cpp, one thread each) for SECONDS; then the same while a long
# install (2,000 generated migrations, bench/gen.sh) runs on the same database, to show whether
# reads stall behind it. Target (issue 19): 2,000 requests/s with p99 under 10 ms on 2 cores.
#
# Usage: bench/serve_bench.sh [CONNECTIONS] [SECONDS]    (defaults 8, 10)
# Environment: MIGPKG_BUILD_DIR (default <repo>/build); MIGPKG_BENCH_DIR (default
#              <build>/bench-serve)
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

bash scripts/build.sh "$BUILD_DIR" >&2
cmake --build "$BUILD_DIR" --target migpkg_serve_bench >&2
MIGPKG="$BUILD_DIR/migpkg"
CLIENT="$BUILD_DIR/migpkg_serve_bench"

rm -rf "$WORK"
mkdir -p "$WORK"
DB="sqlite:$WORK/bench.db"
"$MIGPKG" install tests/scenarios/fixtures/shop --db "$DB" >/dev/null 2>&1
TOKEN=$("$MIGPKG" token add bench --role viewer --tokens "$WORK/tokens.json" 2>/dev/null)
bash bench/gen.sh migrations "$WORK/long" 2000 >/dev/null

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

# The same while a long install writes to the database.
"$MIGPKG" install "$WORK/long" --db "$DB" >"$WORK/install.out" 2>&1 &
INSTALL=$!
sleep 0.5
BUSY=$("$CLIENT" 127.0.0.1 "$PORT" "$TOKEN" /status "$CONNECTIONS" "$SECONDS_EACH" || true)
if kill -0 "$INSTALL" 2>/dev/null; then
  STILL="the install was still running at the end"
else
  STILL="the install finished before the end"
fi
wait "$INSTALL" || log "the long install failed: $(tail -3 "$WORK/install.out")"
row "GET /status, during a 2,000-migration install" "$BUSY"
log "$STILL"
