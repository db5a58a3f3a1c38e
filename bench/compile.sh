#!/usr/bin/env bash
# Compile benchmark: N generated DSL migrations (default 10,000) compiled to every registered
# dialect in one process, against the 2 s target of SPEC.md ("Performance"), and the same
# migrations through the JSON front end. See bench/README.md, "Compile benchmark".
#
# Usage: bench/compile.sh [N] [RUNS]      (defaults 10000 and 3; the median of RUNS is reported)
# Environment: MIGPKG_BUILD_DIR (default <repo>/build), MIGPKG_BENCH_DIR (inputs; default
#              <build>/bench-compile, regenerated when N changes)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
N=${1:-10000}
RUNS=${2:-3}
BUILD_DIR=${MIGPKG_BUILD_DIR:-$ROOT/build}
WORK=${MIGPKG_BENCH_DIR:-$BUILD_DIR/bench-compile}
TARGET=2.0

log() { printf '[bench] %s\n' "$*" >&2; }

bash scripts/build.sh "$BUILD_DIR" >&2
cmake --build "$BUILD_DIR" --target migpkg_compile_bench >&2
DRIVER="$BUILD_DIR/migpkg_compile_bench"

# Inputs: the DSL files, and the same migrations as portable-migration-v1 documents written by
# `migpkg convert` (so both front ends see exactly the same migrations).
if [[ "$(cat "$WORK/.n" 2>/dev/null || true)" != "$N" ]]; then
  log "generating $N DSL migrations and their JSON documents in $WORK"
  rm -rf "$WORK"
  bench/gen_dsl.sh "$WORK/dsl" "$N"
  mkdir -p "$WORK/json"
  for f in "$WORK"/dsl/*.mig; do
    "$BUILD_DIR/migpkg" convert "$f" --to json -o "$WORK/json" 2>/dev/null
  done
  echo "$N" >"$WORK/.n"
fi
log "inputs: $(ls "$WORK/dsl" | wc -l) .mig files ($(du -sh "$WORK/dsl" | cut -f1)), $(ls "$WORK/json" | wc -l) .json files ($(du -sh "$WORK/json" | cut -f1))"

# Runs the driver RUNS times on one input; prints the median of each phase as "phase seconds".
measure() {
  local input=$1 run out
  for ((run = 1; run <= RUNS; run++)); do
    if ! out=$("$DRIVER" "$input" 2>"$WORK/error.txt"); then
      printf 'FAILED\n'
      return
    fi
    printf '%s\n' "$out"
  done | awk '$1 == "FAILED" { print; exit } { t[$1] = t[$1] " " $2 } END {
    for (phase in t) {
      n = split(substr(t[phase], 2), v, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
      print phase, v[int((n + 1) / 2)]
    }
  }' | sort
}

printf '%-34s %10s %10s %9s  %s\n' "benchmark ($N migrations)" "seconds" "target" "ratio" ""
for front in dsl json; do
  result=$(measure "$WORK/$front")
  if [[ "$result" == FAILED* ]]; then
    printf '%-34s %10s\n' "$front: compile to every dialect" "FAILED"
    sed 's/^/    /' "$WORK/error.txt" | head -n 8
    continue
  fi
  while read -r phase seconds; do
    [[ "$phase" == total ]] && continue
    printf '%-34s %10.3f\n' "$front: $phase" "$seconds"
  done <<<"$result"
  total=$(awk '$1 == "total" { print $2 }' <<<"$result")
  dialects=$(grep -c '^plan:' <<<"$result")
  verdict=$(awk -v t="$total" -v l="$TARGET" 'BEGIN { print (t <= l ? "OK" : "MISSED") }')
  printf '%-34s %10.3f %9ss %8.2fx  %s\n' "$front: total, $dialects dialects" "$total" "< $TARGET" \
    "$(awk -v t="$total" -v l="$TARGET" 'BEGIN { print t / l }')" "$verdict"
done
