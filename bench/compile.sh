#!/usr/bin/env bash
# Compile benchmark: N generated DSL migrations (default 10,000) compiled to every registered
# dialect in one process, against the 2 s target of SPEC.md ("Performance", on one core), and
# the same migrations through the JSON front end; then once more with every processor. See bench/README.md, "Compile benchmark".
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
    "${ONE_CORE[@]}" "$DRIVER" "$@" 2>>"$WORK/error.txt" || { echo "FAILED"; return; }
  done | awk '$1 == "FAILED" { print; exit } { t[$1] = t[$1] " " $2 } END {
    for (phase in t) {
      n = split(substr(t[phase], 2), v, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
      print phase, v[int((n + 1) / 2)]
    }
  }'
}

ratio() { awk -v t="$1" -v l="$TARGET" 'BEGIN { printf "%.2fx  %s", t / l, (t <= l ? "OK" : "MISSED") }'; }

# SPEC's targets are for one core: the measured rows run with MIGPKG_JOBS=1 (migpkg's planner and
# front end use one thread) and, where taskset exists, pinned to one processor. The last row of
# part 2 shows what migpkg does with every processor, as `migpkg pack` runs by default.
ONE_CORE=(env MIGPKG_JOBS=1)
if command -v taskset >/dev/null; then
  cpu=$(awk '/^Cpus_allowed_list/ { split($2, a, /[,-]/); print a[1] }' /proc/self/status)
  ONE_CORE+=(taskset -c "${cpu:-0}")
fi

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
# 2. The whole pipeline at N: front end, replay + automatic downs, validation, five plans and
# their outputs, median of RUNS. "total" is the driver's own clock (sources read to the last
# plan written); "process" is the whole process as a shell sees it, start-up and exit included.
pipeline() {  # pipeline LABEL SOURCES TARGET(yes|no) RUNNER...: one row
  local label=$1 dir=$2 target=$3 run out began ended threads totals=() walls=()
  shift 3
  for ((run = 1; run <= RUNS; run++)); do
    began=$(date +%s%N)
    if ! out=$("$@" timeout "$TIMEOUT" "$DRIVER" "$dir" 2>>"$WORK/error.txt"); then
      printf '%-46s %9s  %s\n' "$label" ">$TIMEOUT" "failed or stopped after ${TIMEOUT}s: MISSED"
      return
    fi
    ended=$(date +%s%N)
    totals+=("$(awk '$1 == "total" { print $2 }' <<<"$out")")
    threads=$(awk '$1 == "plan+output" { print $(NF - 1) }' <<<"$out")
    walls+=("$(awk -v ns=$((ended - began)) 'BEGIN { print ns / 1e9 }')")
  done
  local total wall verdict="(no target: several cores)"
  total=$(printf '%s\n' "${totals[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  [[ $target == yes ]] && verdict=$(ratio "$total")
  printf '%-46s %9.3f  %s  (process %.3f s, %s thread%s)\n' "$label" "$total" "$verdict" \
    "$wall" "$threads" "$([[ $threads == 1 ]] || echo s)"
}
for front in dsl json; do
  pipeline "whole pipeline, $N migrations, $front" "$big/$front" yes "${ONE_CORE[@]}"
done
pipeline "whole pipeline, $N, dsl, every processor" "$big/dsl" no env
# 3. How the whole pipeline scales (DSL), phase by phase, one run per size.
for n in $SIZES; do
  dir=$(inputs "$n")
  out=$("${ONE_CORE[@]}" "$DRIVER" "$dir/dsl" 2>>"$WORK/error.txt") ||
    { printf 'size %s: FAILED\n' "$n"; continue; }
  printf '%-46s %9.3f  (%s)\n' "whole pipeline, $n migrations, dsl" \
    "$(awk '$1 == "total" { print $2 }' <<<"$out")" \
    "$(awk '$1 != "total" { printf "%s%s %.2f", sep, $1, $2; sep = ", " }' <<<"$out")"
done
if [[ -s "$WORK/error.txt" ]]; then
  log "errors (first lines):"
  head -n 8 "$WORK/error.txt" >&2
fi
