#!/usr/bin/env bash
# The README's "main job", end to end on SQLite, for every example package:
#   validate -> compile to SQLite SQL -> check with 200 generated rows per table (sqlite::memory:)
#   -> plan, install, status, history, rollback on a demo database (build/demo/demo.db)
# then packages: a publisher key (keygen), a signed package of the first example (pack), verify,
# inspect, and install from the package on a second demo database (build/demo/from-package.db).
# Each command is echoed ("+ migpkg ...") before it runs; the first failure stops the demo with
# that command's exit code.
#
# Usage: scripts/demo.sh
# Environment:
#   MIGPKG_BUILD_DIR    build directory (default: <repo>/build); outputs go to <build>/demo
#   MIGPKG_BIN          run this migpkg instead of building one
#   MIGPKG_DEMO_DIR     where the outputs go instead of <build>/demo
#
# To add a step (install/status/rollback...), add a `migpkg ...` line to demo_package.
set -euo pipefail

log() { printf '[migpkg] %s\n' "$*" >&2; }

# Paths below are relative to the repo root, so the echoed commands are short and copy-pasteable.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD_DIR=${MIGPKG_BUILD_DIR:-build}

# MIGPKG_BIN names a migpkg to run instead of building one (scripts/deb-smoke.sh: the packaged
# /usr/bin/migpkg).
if [[ -z "${MIGPKG_BIN:-}" ]]; then
  bash scripts/build.sh "$BUILD_DIR"
  MIGPKG_BIN="$BUILD_DIR/migpkg"
fi
[[ -x "$MIGPKG_BIN" ]] || { log "error: $MIGPKG_BIN was not built"; exit 1; }
DEMO_OUT=${MIGPKG_DEMO_DIR:-$BUILD_DIR/demo}
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

DEMO_DB="sqlite:$DEMO_OUT/demo.db"
rm -f "$DEMO_OUT/demo.db" "$DEMO_OUT/demo.db.migpkg-lock"
rm -rf "$DEMO_OUT/demo.db.backups"

demo_package() {
  local dir=$1 name=$2 plugin
  migpkg validate "$dir"
  migpkg compile "$dir" --dialect sqlite --format sql -o "$DEMO_OUT/$name.sqlite.sql"
  migpkg check "$dir" --seed 200
  migpkg plan "$dir" --db "$DEMO_DB" >"$DEMO_OUT/$name.plan.sql"
  migpkg install "$dir" --db "$DEMO_DB"
  migpkg status --db "$DEMO_DB"
  # The plugin id: from a JSON source's "pluginId", else from a DSL source's `plugin` line.
  plugin=$(cat "$dir"/*.json 2>/dev/null | grep -o '"pluginId": *"[^"]*"' | head -n1 |
    sed 's/.*: *"\(.*\)"/\1/' || true)
  if [[ -z "$plugin" ]]; then
    plugin=$(cat "$dir"/*.mig | grep -io '^ *plugin  *[^ ]*' | head -n1 | awk '{print $2}' || true)
  fi
  migpkg rollback "$plugin" --db "$DEMO_DB"
  migpkg status --db "$DEMO_DB"
  migpkg history --db "$DEMO_DB"
  # Uninstall what is left: the DSL twins of the examples (crm-dsl, search-dsl) create the same
  # tables, so the next package must start from an empty schema.
  migpkg rollback "$plugin" --all --db "$DEMO_DB"
}

# The C collation, so the order (and the package signed below, the first) is the same in every
# locale: en_US sorts crm/ before crm-dsl/, C the other way round.
shopt -s nullglob
package_dirs=()
while IFS= read -r d; do [[ -z "$d" ]] || package_dirs+=("$d"); done < <(printf '%s\n' packages/examples/*/ | LC_ALL=C sort)
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
# Signed packages: the publisher makes a key and packs the plugin; the installer trusts the
# public key and installs from the package alone.
first=${package_dirs[0]%/}
name=$(basename "$first")
log "== signed package of $first"
rm -f "$DEMO_OUT/publisher.key" "$DEMO_OUT/publisher.pub" "$DEMO_OUT/$name.migpkg"
rm -f "$DEMO_OUT/from-package.db" "$DEMO_OUT/from-package.db.migpkg-lock"
rm -rf "$DEMO_OUT/from-package.db.backups"
migpkg keygen -o "$DEMO_OUT/publisher" --no-password
migpkg pack "$first" -o "$DEMO_OUT/$name.migpkg" --key "$DEMO_OUT/publisher.key"
migpkg verify "$DEMO_OUT/$name.migpkg" --trust "$DEMO_OUT/publisher.pub"
migpkg inspect "$DEMO_OUT/$name.migpkg" --trust "$DEMO_OUT/publisher.pub"
migpkg install "$DEMO_OUT/$name.migpkg" --db "sqlite:$DEMO_OUT/from-package.db" \
  --trust "$DEMO_OUT/publisher.pub"
migpkg status --db "sqlite:$DEMO_OUT/from-package.db"

# Data: acme.currencies ships its rows (load steps); they are exported to a data set, imported
# into a second database that has the plugin at the same version (the rows its own load steps
# put there are kept: --on-conflict skip), and copied with their tables into an empty third.
data_src=$ROOT/packages/examples/currencies-dsl
log "== data: export, import, copy of acme.currencies"
for db in data-source imported copied; do rm -f "$DEMO_OUT/$db.db" "$DEMO_OUT/$db.db.migpkg-lock"; done
rm -rf "$DEMO_OUT/currencies.migdata"
migpkg install "$data_src" --db "sqlite:$DEMO_OUT/data-source.db"
migpkg export acme.currencies --db "sqlite:$DEMO_OUT/data-source.db" -o "$DEMO_OUT/currencies.migdata"
migpkg install "$data_src" --db "sqlite:$DEMO_OUT/imported.db"
migpkg import "$DEMO_OUT/currencies.migdata" acme.currencies --db "sqlite:$DEMO_OUT/imported.db" --on-conflict skip
migpkg copy --from "sqlite:$DEMO_OUT/data-source.db" --to "sqlite:$DEMO_OUT/copied.db" acme.currencies --create
log "demo OK: ${#package_dirs[@]} example package(s); compiled SQL in $DEMO_OUT/; signed package $DEMO_OUT/$name.migpkg; data set $DEMO_OUT/currencies.migdata"
