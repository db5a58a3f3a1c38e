#!/usr/bin/env bash
# Crash loops: runs a migpkg command, kills it with SIGKILL at a random moment, runs the same
# command again until it succeeds, and compares the database's schema, rows and applied
# migrations with a reference run that was never interrupted. Counts the trials whose result
# differs (divergent) and prints a summary. A trial whose reruns all fail is divergent unless the
# database already equals the reference (refused-after-done: the kill came after the work was
# done, and the command again refuses as documented: a finished copy or import meeting its own rows).
#
# Usage: scripts/crash-loop.sh [--engine sqlite|postgresql|mysql]... [--command
#        install|rollback|copy|import]... [--trials N] [--rows N] [--seed S] [--json]
#   --engine    repeatable; default all three
#   --command   repeatable; default all four:
#       install   test.ledger (tests/crash-loop/ledger: 4 migrations, load steps of 5,000 and
#                 --rows entries, a batched transform, a backfill, an index) into a new database
#       rollback  test.ledger, installed, rolled back to 1.0.0 (three downs, one deleting rows)
#       copy      test.shop (tests/data-move/shop) with --rows customers and --rows orders,
#                 copied into a database where test.shop is installed, 1,000 rows a batch
#       import    the same rows exported as a .migdata data set, imported likewise
#   --trials    per engine and command (default 20)
#   --rows      rows of the big table(s) (default 20000)
#   --seed      of the random kill moments (default: from the clock; printed, to rerun a trial)
#   --json      the summary as JSON on stdout (the log stays on stderr)
# The kill moment is uniform in [0, d) where d is the reference run's measured duration, so kills
# land before, inside and between steps and batches. A rerun that fails is retried (up to 5
# runs). Servers: MIGPKG_TEST_PG_URL / MIGPKG_TEST_MYSQL_URL when set (scratch databases are made
# and dropped there), else a throwaway server of our own (scripts/pg-test-server.sh,
# scripts/mariadb-test-server.sh) under the build dir. MIGPKG: the binary (default
# <build>/migpkg, built by scripts/build.sh). A divergent trial's dumps and logs are kept under
# <build>/crash-loop/ and named in the log. Exit 0 when no trial diverged, else 1.
set -euo pipefail

log() { printf '[crash-loop] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD_DIR=${MIGPKG_BUILD_DIR:-$ROOT/build}

engines=() commands=() trials=20 rows=20000 seed=$(($(date +%s%N) % 32768)) json=0
while (($#)); do
  case $1 in
    --engine) engines+=("${2:?--engine needs a value}"); shift 2 ;;
    --command) commands+=("${2:?--command needs a value}"); shift 2 ;;
    --trials) trials=${2:?}; shift 2 ;;
    --rows) rows=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    --json) json=1; shift ;;
    -h | --help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
((${#engines[@]})) || engines=(sqlite postgresql mysql)
((${#commands[@]})) || commands=(install rollback copy import)
for e in "${engines[@]}"; do [[ $e =~ ^(sqlite|postgresql|mysql)$ ]] || die "unknown engine $e"; done
for c in "${commands[@]}"; do
  [[ $c =~ ^(install|rollback|copy|import)$ ]] || die "unknown command $c"
done
[[ $trials =~ ^[0-9]+$ && $rows =~ ^[0-9]+$ ]] || die "--trials and --rows take numbers"
RANDOM=$seed
log "seed $seed"

MIGPKG=${MIGPKG:-$BUILD_DIR/migpkg}
if [[ -z "${MIGPKG_SKIP_BUILD:-}" && "$MIGPKG" == "$BUILD_DIR/migpkg" ]]; then
  bash scripts/build.sh "$BUILD_DIR" >&2
fi
[[ -x "$MIGPKG" ]] || die "$MIGPKG is not built"

WORK=$(mktemp -d /tmp/migpkg-crash-loop.XXXXXX)
KEEP="$BUILD_DIR/crash-loop"
own_pg=0 own_mariadb=0
cleanup() {
  rm -rf "$WORK"
  if ((own_pg)); then MIGPKG_PG_STATE="$BUILD_DIR/crash-loop-pg" bash scripts/pg-test-server.sh stop || true; fi
  if ((own_mariadb)); then
    MIGPKG_MARIADB_STATE="$BUILD_DIR/crash-loop-mariadb" bash scripts/mariadb-test-server.sh stop || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PG_URL=${MIGPKG_TEST_PG_URL:-}
MYSQL_URL=${MIGPKG_TEST_MYSQL_URL:-}
if [[ " ${engines[*]} " == *" postgresql "* && -z "$PG_URL" ]]; then
  export MIGPKG_PG_STATE="$BUILD_DIR/crash-loop-pg"
  bash scripts/pg-test-server.sh stop >&2
  own_pg=1
  bash scripts/pg-test-server.sh start >&2
  PG_URL=$(bash scripts/pg-test-server.sh url)
fi
if [[ " ${engines[*]} " == *" mysql "* && -z "$MYSQL_URL" ]]; then
  export MIGPKG_MARIADB_STATE="$BUILD_DIR/crash-loop-mariadb"
  bash scripts/mariadb-test-server.sh stop >&2
  own_mariadb=1
  bash scripts/mariadb-test-server.sh start >&2
  MYSQL_URL=$(bash scripts/mariadb-test-server.sh url)
fi

# shellcheck source=scripts/crash-loop-engines.sh
source scripts/crash-loop-engines.sh

# test.ledger with its data files (the same bytes every run, so its checksums never change).
LEDGER="$WORK/ledger"
mkdir -p "$LEDGER/data"
cp tests/crash-loop/ledger/ledger.mig "$LEDGER/"
python3 - "$LEDGER/data" "$rows" <<'PY'
import json, sys
out, rows = sys.argv[1], int(sys.argv[2])
with open(out + "/accounts.ndjson", "w") as f:
    for i in range(1, 5001):
        f.write(json.dumps({"id": i, "name": f"account {i}",
                            "balance": f"{(i * 37) % 1000}.{i % 100:02d}",
                            "opened": f"20{10 + i % 15}-0{1 + i % 9}-1{i % 9}"}) + "\n")
with open(out + "/entries.csv", "w") as f:
    f.write("id,account_id,amount,memo\n")
    for i in range(1, rows + 1):
        memo = "" if i % 7 == 0 else f"entry {i}"
        f.write(f"{i},{1 + i % 5000},{(i * 13) % 900}.{i % 100:02d},{memo}\n")
PY

source_db=""  # test.shop with rows, the copy source (one per engine)
dataset=""    # its export, the import input

shop_rows_sql() {
  local name_expr prefix=""
  case $ENGINE in
    # MariaDB stops a recursive WITH after 1,000 rows unless told otherwise.
    mysql) name_expr="CONCAT('customer ', i)" prefix="SET SESSION max_recursive_iterations = 10000000; " ;;
    *) name_expr="'customer ' || i" ;;
  esac
  printf '%s\n' \
    "${prefix}INSERT INTO shop_customers (id, name, vip, balance, score)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
       SELECT i, $name_expr, (i % 3 = 0), (i % 1000) + 0.25, i * 1.5 FROM n;" \
    "${prefix}INSERT INTO shop_orders (id, customer_id, total, note, status)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
       SELECT i, 1 + (i * 7) % $rows, (i % 500) + 0.5, NULL, 'new' FROM n;"
}

prepare_engine_sources() {
  source_db=$(db_new "crashloop_${$}_source")
  "$MIGPKG" install tests/data-move/shop --db "$source_db" >"$WORK/source.log" 2>&1 ||
    { cat "$WORK/source.log" >&2; die "could not install test.shop into the copy source"; }
  db_sql "$source_db" "$(shop_rows_sql)"
  dataset="$WORK/shop-$ENGINE.migdata"
  rm -f "$dataset"
  "$MIGPKG" export test.shop --db "$source_db" -o "$dataset" >"$WORK/export.log" 2>&1 ||
    { cat "$WORK/export.log" >&2; die "could not export the copy source"; }
}

# The database a command starts from.
prepare_target() {
  local url=$1
  case $COMMAND in
    install) ;;
    rollback) "$MIGPKG" install "$LEDGER" --db "$url" >"$WORK/prepare.log" 2>&1 ;;
    copy | import) "$MIGPKG" install tests/data-move/shop --db "$url" >"$WORK/prepare.log" 2>&1 ;;
  esac || { cat "$WORK/prepare.log" >&2; die "could not prepare $url for $COMMAND"; }
}

command_line() {
  local url=$1
  case $COMMAND in
    install) echo "$MIGPKG" install "$LEDGER" --db "$url" --lock-timeout 60 ;;
    rollback) echo "$MIGPKG" rollback test.ledger --to 1.0.0 --db "$url" --lock-timeout 60 ;;
    copy) echo "$MIGPKG" copy --from "$source_db" --to "$url" test.shop --batch-rows 1000 \
      --lock-timeout 60 ;;
    import) echo "$MIGPKG" import "$dataset" test.shop --db "$url" --batch-rows 1000 \
      --lock-timeout 60 ;;
  esac
}

# What must equal the reference: the user tables' schema and rows, and the applied migrations
# (ids, versions, checksums) and partial ones from `status --json`.
snapshot() {
  local url=$1
  db_dump "$url"
  printf '== applied migrations\n'
  "$MIGPKG" status --db "$url" --json | python3 -c '
import json, sys
status = json.load(sys.stdin)
for plugin in status["plugins"]:
    print(plugin["pluginId"], plugin["version"])
    for m in plugin["migrations"]:
        print(" ", m["id"], m["version"], m["checksum"])
print("partial:", json.dumps(status["partial"], sort_keys=True))'
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

results=()  # one JSON object per engine and command
failures=0
for ENGINE in "${engines[@]}"; do
  needs_source=0
  for COMMAND in "${commands[@]}"; do [[ $COMMAND == copy || $COMMAND == import ]] && needs_source=1; done
  ((needs_source)) && prepare_engine_sources
  for COMMAND in "${commands[@]}"; do
    url=$(db_new "crashloop_${$}_reference")
    prepare_target "$url"
    read -r -a cmd <<<"$(command_line "$url")"
    start=$(now_ms)
    "${cmd[@]}" >"$WORK/reference.log" 2>&1 || { cat "$WORK/reference.log" >&2; die "$ENGINE $COMMAND: the uninterrupted run failed"; }
    duration=$(($(now_ms) - start))
    snapshot "$url" >"$WORK/reference.snapshot"
    db_drop "$url"
    log "$ENGINE $COMMAND: reference run ${duration} ms, $(wc -l <"$WORK/reference.snapshot") snapshot lines"

    divergent=0 refused_done=0 finished_first=0 max_runs=0
    for ((trial = 1; trial <= trials; trial++)); do
      url=$(db_new "crashloop_${$}_trial")
      prepare_target "$url"
      read -r -a cmd <<<"$(command_line "$url")"
      delay=$(((RANDOM * 32768 + RANDOM) % (duration > 0 ? duration : 1)))
      "${cmd[@]}" >"$WORK/killed.log" 2>&1 &
      pid=$!
      sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
      kill -KILL "$pid" 2>/dev/null || true
      killed_rc=0
      wait "$pid" 2>/dev/null || killed_rc=$?
      # 137: SIGKILL ended it; anything else: it had finished (or failed) before the kill.
      ((killed_rc == 137)) || finished_first=$((finished_first + 1))
      runs=0 ok=0
      # A run that ended on its own before the kill is not run again (a second copy would meet
      # its own rows); it is compared like the others.
      ((killed_rc == 0)) && ok=1
      while ((!ok && runs < 5)); do
        runs=$((runs + 1))
        if "${cmd[@]}" >"$WORK/rerun-$runs.log" 2>&1; then ok=1; break; fi
        sleep 1
      done
      ((runs > max_runs)) && max_runs=$runs
      snapshot "$url" >"$WORK/trial.snapshot"
      outcome=same
      if ! cmp -s "$WORK/reference.snapshot" "$WORK/trial.snapshot"; then
        outcome=divergent
        divergent=$((divergent + 1))
      elif ((!ok)); then
        # The database already equals the reference and the same command again refuses, as
        # documented for a finished copy or import (its checkpoint is gone, so it starts afresh
        # and meets its own rows under --on-conflict fail): the kill came after the work was
        # done, before the process ended. (A rollback --to V at V is done with exit 0.)
        outcome=refused-after-done
        refused_done=$((refused_done + 1))
      fi
      if [[ $outcome != same ]]; then
        kept="$KEEP/$ENGINE-$COMMAND-seed$seed-trial$trial"
        mkdir -p "$kept"
        cp "$WORK"/reference.snapshot "$WORK"/killed.log "$WORK"/rerun-*.log "$kept/" 2>/dev/null || true
        [[ -f "$WORK/trial.snapshot" && $outcome == divergent ]] && cp "$WORK/trial.snapshot" "$kept/"
        log "$ENGINE $COMMAND trial $trial: $outcome after a kill at ${delay} ms ($runs run(s) after it: $(tail -n1 "$WORK/rerun-$runs.log" 2>/dev/null)); kept in $kept"
      fi
      rm -f "$WORK"/rerun-*.log "$WORK/trial.snapshot"
      db_drop "$url"
      ((trial % 10 == 0)) && log "$ENGINE $COMMAND: $trial/$trials trials, $divergent divergent"
    done
    log "$ENGINE $COMMAND: $trials trials, $divergent divergent, $finished_first finished before the kill, $refused_done killed after the work was done (rerun refused), at most $max_runs run(s) to converge"
    failures=$((failures + divergent))
    results+=("{\"engine\":\"$ENGINE\",\"command\":\"$COMMAND\",\"trials\":$trials,\"referenceMs\":$duration,\"divergent\":$divergent,\"finishedBeforeKill\":$finished_first,\"refusedAfterDone\":$refused_done,\"maxRunsToConverge\":$max_runs}")
  done
  [[ -n "$source_db" ]] && db_drop "$source_db" && source_db=""
done

if ((json)); then
  (IFS=,; printf '{"seed":%s,"rows":%s,"results":[%s]}\n' "$seed" "$rows" "${results[*]}")
else
  printf '%-10s %-8s %6s %10s %9s %8s %13s\n' engine command trials reference divergent \
    "<kill" refused-done
  for r in "${results[@]}"; do
    python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print("%-10s %-8s %6d %8dms %9d %8d %13d" % (r["engine"], r["command"], r["trials"], r["referenceMs"], r["divergent"], r["finishedBeforeKill"], r["refusedAfterDone"]))' "$r"
  done
fi
((failures == 0))
