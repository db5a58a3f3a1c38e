#!/usr/bin/env bash
# The long fuzzing runs: builds the libFuzzer targets of tests/fuzz/ with clang, ASan and UBSan
# in their own build directory (the normal gcc build is untouched), builds the seed corpus from
# the test data (scripts/fuzz-seeds.sh) and runs each target for SECONDS at normal priority: under
# `nice -n 19` beside builds a target was starved, and libFuzzer's -timeout counts wall-clock
# time, so an input that takes 0.15 s was reported as a 133 s timeout (docs/testing.md).
#
# Usage: scripts/fuzz.sh [TARGET|all] [SECONDS] [libFuzzer options...]
#   TARGET   dsl_parser json_loader package_reader dataset_reader age_decoder (default: all)
#   SECONDS  per target (default 60)
# Environment:
#   MIGPKG_FUZZ_BUILD_DIR  the clang build (default <repo>/build-fuzz); its corpus/<target>/
#                          keeps what libFuzzer found between runs, artifacts/<target>/ the
#                          inputs that crashed (copy one to tests/fuzz/regressions/<target>/
#                          with its fix, and the suite replays it)
#   MIGPKG_BUILD_DIR       the gcc build whose migpkg makes the seeds (default <repo>/build)
#   MIGPKG_CMAKE_ARGS      extra configure arguments for both (e.g. ccache launchers)
#   MIGPKG_SKIP_BUILD=1    build neither (to run several targets side by side once built)
# Prints one summary line per target: executions, exec/s, coverage, corpus size, findings.
# Exits 1 when a target found a crash.
set -euo pipefail

log() { printf '[migpkg fuzz] %s\n' "$*" >&2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
all_targets=(dsl_parser json_loader package_reader dataset_reader age_decoder)
target=${1:-all}
seconds=${2:-60}
shift $(($# > 2 ? 2 : $#))
if [[ "$target" == all ]]; then
  targets=("${all_targets[@]}")
elif [[ " ${all_targets[*]} " == *" $target "* ]]; then
  targets=("$target")
else
  log "unknown target $target (one of: ${all_targets[*]}, all)"
  exit 2
fi

FUZZ_DIR=${MIGPKG_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
GCC_DIR=${MIGPKG_BUILD_DIR:-$ROOT/build}

MIGPKG_EXTRA_PACKAGES="clang-14 libclang-rt-14-dev" bash scripts/install-deps.sh
export MIGPKG_SKIP_DEPS=1
# MIGPKG_SKIP_BUILD=1: use both builds as they are (several targets run side by side).
if [[ -z "${MIGPKG_SKIP_BUILD:-}" ]]; then
  bash scripts/build.sh "$GCC_DIR" >&2
  extra_args=()
  [[ -n "${MIGPKG_CMAKE_ARGS:-}" ]] && read -r -a extra_args <<<"$MIGPKG_CMAKE_ARGS"
  if [[ ! -f "$FUZZ_DIR/build.ninja" ]]; then
    log "configuring $FUZZ_DIR (clang, -fsanitize=fuzzer,address,undefined)"
    CC=clang-14 CXX=clang++-14 cmake -S "$ROOT" -B "$FUZZ_DIR" -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMIGPKG_FUZZ=ON -DMIGPKG_BUILD_TESTS=OFF \
      "${extra_args[@]}" >&2
  fi
  cmake --build "$FUZZ_DIR" -j"$(nproc)" --target "${targets[@]/#/fuzz_}" >&2
fi

MIGPKG="$GCC_DIR/migpkg" bash scripts/fuzz-seeds.sh "$FUZZ_DIR/seeds" "${targets[@]}" 2>/dev/null

status=0
for t in "${targets[@]}"; do
  corpus="$FUZZ_DIR/corpus/$t"
  artifacts="$FUZZ_DIR/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  dirs=("$corpus" "$FUZZ_DIR/seeds/$t")
  [[ -d "tests/fuzz/regressions/$t" ]] && dirs+=("tests/fuzz/regressions/$t")
  run_log="$FUZZ_DIR/$t.log"
  log "$t: ${seconds}s (log: $run_log)"
  set +e
  "$FUZZ_DIR/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$@" "${dirs[@]}" >"$run_log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$run_log" | tail -n1)
  per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$run_log" | tail -n1)
  coverage=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$run_log" | tail -n1)
  findings=$(find "$artifacts" -type f | wc -l)
  printf '%s: exit %s, %s executions, %s exec/s, %s, %s finding(s) in %s\n' "$t" "$rc" \
    "${execs:-?}" "${per_second:-?}" "${coverage:-cov: ?}" "$findings" "$artifacts"
  ((rc == 0)) || status=1
done
exit "$status"
