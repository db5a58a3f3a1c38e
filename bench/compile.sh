#!/usr/bin/env bash
# Compile benchmark: N generated DSL migrations (default 10,000) compiled to every registered
# dialect in one process, against the 2 s target of SPEC.md ("Performance"), and the same
# migrations through the JSON front end. See bench/README.md, "Compile benchmark".
#
# Usage: bench/compile.sh [N] [RUNS] [SCALING_SIZES]
#   N              migrations (default 10000)
#   RUNS           runs per measurement; the median is reported (default 3)
#   SCALING_SIZES  smaller sizes the whole pipeline is also timed at, once each, to show how it
#                  scales (default "250 500 1000")
# Environment: MIGPKG_BUILD_DIR (default <repo>/build); MIGPKG_BENCH_DIR (inputs, default
#              <build>/bench-compile); MIGPKG_BENCH_TIMEOUT (seconds one whole-pipeline run may
#              take before it is stopped and reported as missed; default 120)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
N=${1:-10000}
RUNS=${2:-3}
SIZES=${3:-250 500 1000}
BUILD_DIR=${MIGPKG_BUILD_DIR:-$ROOT/build}
WORK=${MIGPKG_BENCH_DIR:-$BUILD_DIR/bench-compile}
TIMEOUT=${MIGPKG_BENCH_TIMEOUT:-120}
TARGET=2.0

log() { printf '[bench] %s\n' "$*" >&2; }

bash scripts/build.sh "$BUILD_DIR" >&2
cmake --build "$BUILD_DIR" --target migpkg_compile_bench >&2
DRIVER="$BUILD_DIR/migpkg_compile_bench"

# DIR/dsl: n DSL migrations; DIR/json: the same migrations as portable-migration-v1 documents
# written by `migpkg convert`, so both front ends read exactly the same migrations.
inputs() {
  local n=$1 dir=$WORK/$1
  if [[ "$(cat "$dir/.done" 2>/dev/null || true)" != "$n" ]]; then
    log "generating $n DSL migrations and their JSON documents in $dir"
    rm -rf "$dir"
    bench/gen_dsl.sh "$dir/dsl" "$n"
    mkdir -p "$dir/json"
    for f in "$dir"/dsl/*.mig; do
      "$BUILD_DIR/migpkg" convert "$f" --to json -o "$dir/json" 2>/dev/null
    done
    echo "$n" >"$dir/.done"
  fi
  printf '%s\n' "$dir"
}

# Median over RUNS of each phase the driver prints ("phase seconds ..."), as "phase seconds".
median_phases() {
  local run
  for ((run = 1; run <= RUNS; run++)); do
    "$DRIVER" "$@" 2>>"$WORK/error.txt" || { echo "FAILED"; return; }
  done | awk '$1 == "FAILED" { print; exit } { t[$1] = t[$1] " " $2 } END {
    for (phase in t) {
      n = split(substr(t[phase], 2), v, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
      print phase, v[int((n + 1) / 2)]
    }
  }'
}

ratio() { awk -v t="$1" -v l="$TARGET" 'BEGIN { printf "%.2fx  %s", t / l, (t <= l ? "OK" : "MISSED") }'; }

mkdir -p "$WORK"
: >"$WORK/error.txt"
big=$(inputs "$N")
log "inputs: $(ls "$big/dsl" | wc -l) .mig files ($(du -sh "$big/dsl" | cut -f1)), $(ls "$big/json" | wc -l) .json files ($(du -sh "$big/json" | cut -f1))"

printf '%-46s %9s  %s\n' "measurement" "seconds" "vs the 2 s target"
# 1. The front ends alone: text to IR (parse, build, normalize), median of RUNS.
for front in dsl json; do
  seconds=$(median_phases --front-end-only "$big/$front" | awk '$1 == "front-end" { print $2 }')
  printf '%-46s %9.3f\n' "front end only, $N migrations, $front" "$seconds"
done
# 2. The whole pipeline at N: front end, replay + automatic downs, validation, five plans.
for front in dsl json; do
  if out=$(timeout "$TIMEOUT" "$DRIVER" "$big/$front" 2>>"$WORK/error.txt"); then
    total=$(awk '$1 == "total" { print $2 }' <<<"$out")
    printf '%-46s %9.3f  %s\n' "whole pipeline, $N migrations, $front" "$total" "$(ratio "$total")"
  else
    printf '%-46s %9s  %s\n' "whole pipeline, $N migrations, $front" ">$TIMEOUT" \
      "stopped after ${TIMEOUT}s: MISSED"
  fi
done
# 3. How the whole pipeline scales (DSL), phase by phase, one run per size.
for n in $SIZES; do
  dir=$(inputs "$n")
  out=$("$DRIVER" "$dir/dsl" 2>>"$WORK/error.txt") || { printf 'size %s: FAILED\n' "$n"; continue; }
  printf '%-46s %9.3f  (%s)\n' "whole pipeline, $n migrations, dsl" \
    "$(awk '$1 == "total" { print $2 }' <<<"$out")" \
    "$(awk '$1 != "total" { printf "%s%s %.2f", sep, $1, $2; sep = ", " }' <<<"$out")"
done
if [[ -s "$WORK/error.txt" ]]; then
  log "errors (first lines):"
  head -n 8 "$WORK/error.txt" >&2
fi
