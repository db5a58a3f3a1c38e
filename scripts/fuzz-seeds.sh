#!/usr/bin/env bash
# Builds the fuzzers' seed corpora from the test data into OUT/<target>/ (nothing of it is
# committed: packages, data sets and age files are made here with the migpkg given).
#
# Usage: scripts/fuzz-seeds.sh OUT [TARGET...]    (default: every target below)
# Environment: MIGPKG   the migpkg to pack, export and encrypt with (default: <repo>/build/migpkg)
#   dsl_parser      every .mig of tests/ and packages/examples/ (valid ones and the error cases)
#   json_loader     every source .json of tests/cases, tests/errors, tests/check-*, the examples
#   package_reader  each example packed and signed with tests/fuzz/keys/fuzz.key
#   dataset_reader  test.shop (tests/data-move/shop) with rows in SQLite, exported as .migdata in
#                   NDJSON, CSV and zstd (first byte 0), and dataset.json + NUL + a table file
#                   (first byte 1): see tests/fuzz/dataset_reader_target.cpp
#   age_decoder     files of 0 to 140,000 bytes encrypted to tests/fuzz/keys/fuzz-age.txt's
#                   recipient, and the headers of age's testkit (tests/data/age-testkit)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: scripts/fuzz-seeds.sh OUT [TARGET...]}
shift
targets=("$@")
((${#targets[@]})) || targets=(dsl_parser json_loader package_reader dataset_reader age_decoder)
migpkg=${MIGPKG:-$ROOT/build/migpkg}
[[ -x "$migpkg" ]] || { echo "fuzz-seeds: $migpkg is not built (scripts/build.sh)" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Made afresh each time, so a second run (of scripts/fuzz.sh) finds no seed of the first in the
# way: `migpkg encrypt` will not overwrite a file, and sources may have changed since.
for target in "${targets[@]}"; do rm -rf "${out:?}/$target"; done
work=$(mktemp -d /tmp/migpkg-fuzz-seeds.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$ROOT"

# A seed's name: its path with '/' as '_', so seeds from different folders never collide.
copy_seeds() {
  local target=$1
  shift
  mkdir -p "$out/$target"
  local file
  for file in "$@"; do
    [[ -f "$file" ]] && cp "$file" "$out/$target/${file//\//_}"
  done
  return 0
}

# Runs a command with its output kept for when it fails.
quiet() {
  "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
}

shopt -s nullglob globstar
seeds_dsl_parser() {
  copy_seeds dsl_parser tests/**/*.mig packages/examples/*/*.mig
}

seeds_json_loader() {
  local json_sources=() file
for file in tests/cases/*/*.json tests/errors/**/*.json tests/check-*/**/*.json \
  packages/examples/*/*.json; do
  [[ "$file" == */expected/* ]] || json_sources+=("$file")
done
  copy_seeds json_loader "${json_sources[@]}"
}

seeds_package_reader() {
  mkdir -p "$out/package_reader"
  local example
  for example in packages/examples/*/; do
    quiet "$migpkg" pack "$example" -o "$out/package_reader/$(basename "$example").migpkg" \
      --key tests/fuzz/keys/fuzz.key
  done
}

seeds_dataset_reader() {
  mkdir -p "$out/dataset_reader"
  local db variant format compress label table file
  db="sqlite:$work/shop.db"
  quiet "$migpkg" install tests/data-move/shop --db "$db"
  sqlite3 "$work/shop.db" <<'SQL'
INSERT INTO shop_customers VALUES
  (1, 'Ada', 'ada@example.com', 1, 12.50, 1.5, '2024-01-02T03:04:05Z', '1990-05-06', X'00FF10',
   '123e4567-e89b-12d3-a456-426614174000', '{"a":[1,2]}'),
  (2, 'Bo "quoted", comma', NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (3, 'line
break', 'c@example.com', 0, -0.01, -2e10, '1970-01-01T00:00:00Z', '2000-02-29', X'', NULL, '[]');
INSERT INTO shop_orders (customer_id, total, note, status) VALUES
  (1, 10.00, 'first', 'new'), (1, 0.50, NULL, NULL), (3, 99999999.99, '', 'paid');
SQL
  for variant in "ndjson" "csv" "ndjson --compress zstd" "csv --compress zstd"; do
    read -r format compress <<<"$variant"
    label=${format}${compress:+-zstd}
    # shellcheck disable=SC2086  # --compress zstd is two words on purpose
    quiet "$migpkg" export test.shop --db "$db" -o "$work/$label.migdata" --format $format \
      ${compress:+--compress zstd}
    { printf '\0'; cat "$work/$label.migdata"; } >"$out/dataset_reader/$label.migdata"
    if [[ -z "$compress" ]]; then
      quiet "$migpkg" export test.shop --db "$db" -o "$work/$label-dir" --format "$format"
      for table in shop_customers shop_orders; do
        # The manifest's first table is decoded: put the table wanted first.
        python3 - "$work/$label-dir/dataset.json" "$table" >"$work/manifest.json" <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
manifest["tables"].sort(key=lambda t: t["name"] != sys.argv[2])
print(json.dumps(manifest), end="")
PY
        file=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tables"][0]["file"])' \
          "$work/manifest.json")
        { printf '\1'; cat "$work/manifest.json"; printf '\0'; cat "$work/$label-dir/$file"; } \
          >"$out/dataset_reader/$label-$table.decode"
      done
    fi
  done
}

seeds_age_decoder() {
  mkdir -p "$out/age_decoder"
  local recipient size file
  recipient=$(sed -n 's/^# public key: //p' tests/fuzz/keys/fuzz-age.txt)
  # Sizes around the 64 KiB chunk; the same bytes every run.
  for size in 0 1 100 65535 65536 65537 140000; do
    yes 'a row of plain text 0123456789' | head -c "$size" >"$work/plain-$size" || true
    quiet "$migpkg" encrypt -r "$recipient" -o "$out/age_decoder/x25519-$size.age" \
      "$work/plain-$size"
  done
  for file in tests/data/age-testkit/*; do
    [[ "$file" == *README* ]] && continue
    # The header follows the first blank line.
    sed '1,/^$/d' "$file" >"$out/age_decoder/testkit-$(basename "$file")"
  done
}

for target in "${targets[@]}"; do
  if ! declare -F "seeds_$target" >/dev/null; then
    echo "fuzz-seeds: unknown target $target" >&2
    exit 2
  fi
  "seeds_$target"
done

for target in "$out"/*/; do
  printf 'fuzz-seeds: %s: %s files\n' "$(basename "$target")" "$(ls "$target" | wc -l)" >&2
done
