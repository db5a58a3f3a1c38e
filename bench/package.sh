#!/usr/bin/env bash
# migpkg package benchmark: pack and verify a ~100 MB package (an example plugin plus data/
# files), reported in MB/s against the SPEC's target for verify (>= 300 MB/s). See bench/README.md.
#
# Usage: bench/package.sh
# Environment (all optional):
#   BENCH_REPEAT=3          runs per measurement; the median is reported
#   BENCH_DATA_MB=100       megabytes of data/ files in the package
#   BENCH_TMPDIR            where the scratch files go (default $TMPDIR or /tmp)
#   BENCH_KEEP=1            keep the scratch directory
#   MIGPKG_SKIP_BUILD=1     use the existing build/migpkg instead of running scripts/build.sh
# Exit status: 0 when every measurement ran, even if the target was MISSED (this is a report);
# 1 when something failed to run (pack or verify failed, or two packs differed).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPEAT=${BENCH_REPEAT:-3}
DATA_MB=${BENCH_DATA_MB:-100}
VERIFY_TARGET=300 # MB/s, /work/shared/SPEC.md "Performance"

log() { printf '[bench] %s\n' "$*" >&2; }

if [[ "${MIGPKG_SKIP_BUILD:-0}" != 1 ]]; then
  bash "$ROOT/scripts/build.sh" >&2
fi
MIGPKG="$ROOT/build/migpkg"
[[ -x "$MIGPKG" ]] || { log "no $MIGPKG: build first"; exit 1; }

SCRATCH=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/migpkg-bench-package.XXXXXX")
cleanup() { if [[ "${BENCH_KEEP:-0}" == 1 ]]; then log "kept $SCRATCH"; else rm -rf "$SCRATCH"; fi; }
trap cleanup EXIT

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Two plugins that differ only in their data: incompressible bytes (the package is as large as
# the data: the worst case for reading) and generated CSV (compresses about 4:1).
make_plugin() { # DIR KIND
  local dir=$1 kind=$2 per_file=$((DATA_MB / 4)) i
  mkdir -p "$dir/data"
  cp "$ROOT"/packages/examples/crm/*.json "$dir/"
  for i in 1 2 3 4; do
    if [[ "$kind" == random ]]; then
      head -c "$((per_file * 1024 * 1024))" /dev/urandom >"$dir/data/blob-$i.bin"
    else
      awk -v bytes="$((per_file * 1024 * 1024))" -v seed="$i" 'BEGIN {
        srand(seed); n = 0; row = 0
        while (n < bytes) {
          line = sprintf("%d,user%d@example.com,%s,%.2f,%d\n", row, int(rand() * 1e6),
                         (rand() < 0.5 ? "active" : "inactive"), rand() * 1000, int(rand() * 220))
          printf "%s", line; n += length(line); row++
        }
      }' >"$dir/data/people-$i.csv"
    fi
  done
}

"$MIGPKG" keygen -o "$SCRATCH/bench" --no-password >/dev/null
printf '%-44s %10s %12s %10s %12s\n' "benchmark" "data MB" "package MB" "seconds" "MB/s"
status=0
for kind in random csv; do
  plugin="$SCRATCH/plugin-$kind"
  make_plugin "$plugin" "$kind"
  data_bytes=$(du -sb "$plugin/data" | cut -f1)
  data_mb=$(awk -v b="$data_bytes" 'BEGIN {printf "%.1f", b / 1e6}')
  pack_times=() verify_times=()
  for ((r = 1; r <= REPEAT; r++)); do
    start=$(now)
    "$MIGPKG" pack "$plugin" -o "$SCRATCH/$kind-$r.migpkg" --key "$SCRATCH/bench.key" >/dev/null ||
      { log "pack failed"; exit 1; }
    pack_times+=("$(awk -v a="$start" -v b="$(now)" 'BEGIN {print b - a}')")
    if [[ $r -gt 1 ]] && ! cmp -s "$SCRATCH/$kind-1.migpkg" "$SCRATCH/$kind-$r.migpkg"; then
      log "two packs of the same sources differ"; status=1
    fi
    start=$(now)
    "$MIGPKG" verify "$SCRATCH/$kind-$r.migpkg" --trust "$SCRATCH/bench.pub" >/dev/null ||
      { log "verify failed"; exit 1; }
    verify_times+=("$(awk -v a="$start" -v b="$(now)" 'BEGIN {print b - a}')")
  done
  package_bytes=$(stat -c %s "$SCRATCH/$kind-1.migpkg")
  package_mb=$(awk -v b="$package_bytes" 'BEGIN {printf "%.1f", b / 1e6}')
  pack_s=$(printf '%s\n' "${pack_times[@]}" | median)
  verify_s=$(printf '%s\n' "${verify_times[@]}" | median)
  # MB/s over the bytes a package holds (its members, uncompressed): what is read and hashed.
  pack_rate=$(awk -v b="$data_bytes" -v s="$pack_s" 'BEGIN {printf "%.0f", b / 1e6 / s}')
  verify_rate=$(awk -v b="$data_bytes" -v s="$verify_s" 'BEGIN {printf "%.0f", b / 1e6 / s}')
  verdict=$(awk -v r="$verify_rate" -v t="$VERIFY_TARGET" 'BEGIN {print (r >= t ? "OK" : "MISSED")}')
  printf '%-44s %10s %12s %10.2f %12s\n' "pack ($kind data)" "$data_mb" "$package_mb" "$pack_s" "$pack_rate"
  printf '%-44s %10s %12s %10.2f %12s   target >= %s MB/s %s\n' "verify ($kind data)" "$data_mb" \
    "$package_mb" "$verify_s" "$verify_rate" "$VERIFY_TARGET" "$verdict"
  rm -f "$SCRATCH"/"$kind"-*.migpkg
  rm -rf "$plugin"
done
exit "$status"
