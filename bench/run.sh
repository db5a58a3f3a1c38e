#!/usr/bin/env bash
# migpkg performance benchmark: the SPEC's performance targets, each measured against its
# baseline in the same run and printed as a ratio. See bench/README.md.
#
# Usage: bench/run.sh
# Environment (all optional):
#   BENCH_REPEAT=5          runs per measurement; the median is reported
#   BENCH_MIGRATIONS=500    migrations in the install/rollback benchmark
#   BENCH_ROWS=1000000      source rows in the transform benchmark
#   BENCH_SMALL_ROWS=100000 source rows of the small transform (peak-RSS comparison)
#   BENCH_BATCH=50000       batchSize of the batched transform
#   BENCH_ENGINES="sqlite postgresql mysql"
#   BENCH_SUITES="install transform data crypto"  which benchmarks run (data needs postgresql)
#   BENCH_DATA_ROWS=5000000 BENCH_DATA_SMALL_ROWS=100000  rows of the data benchmark
#   BENCH_CRYPTO_MB=1024 BENCH_CRYPTO_SMALL_MB=100  file sizes (MiB) of the crypto benchmark
#   BENCH_CONTEXT=1         also time the per-migration-transaction baseline (0 = skip)
#   BENCH_TMPDIR            where the scratch files go (default $TMPDIR or /tmp). SQLite timings
#                           depend on it: fsync on a disk is slow, on tmpfs it is free.
#   BENCH_KEEP=1            keep the scratch directory (logs, databases, generated SQL)
#   BENCH_RSS_METHOD=proc-poll  read peak RSS from /proc even when GNU time is installed
#   MIGPKG_SKIP_BUILD=1     use the existing build/migpkg instead of running scripts/build.sh
#   MIGPKG_PG_BIN           PostgreSQL binaries (see scripts/pg-test-server.sh)
# MySQL means MariaDB here: a throwaway server (scripts/mariadb-test-server.sh) and the `mariadb`
# client as the baseline.
# Exit status: 0 when every measurement ran, even if a target was MISSED (this is a report);
# 1 when something failed to run or migpkg and a baseline did not produce the same result.
# shellcheck disable=SC2317  # cleanup and the run_sql_* helpers are called indirectly (trap, measure)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
GEN="$BENCH/gen.sh"

REPEAT=${BENCH_REPEAT:-5}
NMIG=${BENCH_MIGRATIONS:-500}
ROWS=${BENCH_ROWS:-1000000}
SMALL_ROWS=${BENCH_SMALL_ROWS:-100000}
BATCH=${BENCH_BATCH:-50000}
ENGINES=${BENCH_ENGINES:-sqlite postgresql mysql}
CONTEXT=${BENCH_CONTEXT:-1}
SUITES=${BENCH_SUITES:-install transform data crypto}

# Limits from /work/shared/SPEC.md, "Performance".
INSTALL_LIMIT=1.5
TRANSFORM_LIMIT=1.3
RSS_FLAT_LIMIT=1.2 # "memory bounded by the batch size, not the row count": 10x the rows, <= 1.2x RSS

log() { printf '[bench] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

for v in REPEAT NMIG ROWS SMALL_ROWS BATCH; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
for e in $ENGINES; do
  [[ "$e" == sqlite || "$e" == postgresql || "$e" == mysql ]] || die "unknown engine '$e' in BENCH_ENGINES (sqlite, postgresql, mysql)"
done
for b in $SUITES; do
  [[ "$b" == install || "$b" == transform || "$b" == data || "$b" == crypto ]] || die "unknown benchmark '$b' in BENCH_SUITES (install, transform, data, crypto)"
done
suite() { [[ " $SUITES " == *" $1 "* ]]; }
if suite data && [[ " $ENGINES " != *" postgresql "* ]]; then
  die "the data benchmark needs PostgreSQL: add postgresql to BENCH_ENGINES or leave data out of BENCH_SUITES"
fi

# ---------------------------------------------------------------------------------------------
# SPEC's targets are for one core, as the baselines (sqlite3, psql, mariadb) use one: migpkg reads its
# sources on one thread here (it would use every processor otherwise, compiler/util/parallel.hpp).
export MIGPKG_JOBS=1

# ---------------------------------------------------------------------------------------------
# Dependencies and build

# The data benchmark's peer tool (pgloader) and GNU time (peak RSS) are the benchmark's own
# packages, not the build's.
MIGPKG_EXTRA_PACKAGES="time$(suite data && echo ' pgloader')" bash "$ROOT/scripts/install-deps.sh"
if [[ "${MIGPKG_SKIP_BUILD:-0}" != 1 ]]; then
  MIGPKG_SKIP_DEPS=1 bash "$ROOT/scripts/build.sh" >&2 # stdout is for the report
fi
[[ -x "$ROOT/build/migpkg" && -f "$ROOT/build/migpkg-postgresql.so" ]] ||
  die "$ROOT/build/migpkg or its PostgreSQL module migpkg-postgresql.so not found (run scripts/build.sh)"
command -v sqlite3 >/dev/null || die "sqlite3 not found (scripts/install-deps.sh installs it)"
if [[ " $ENGINES " == *" postgresql "* ]]; then
  command -v psql >/dev/null || die "psql not found (scripts/install-deps.sh installs it)"
fi
if [[ " $ENGINES " == *" mysql "* ]]; then
  command -v mariadb >/dev/null || die "the mariadb client not found (scripts/install-deps.sh installs it)"
  [[ -f "$ROOT/build/migpkg-mysql.so" ]] ||
    die "$ROOT/build/migpkg-mysql.so (migpkg's MySQL engine module) not found; without it, run BENCH_ENGINES='sqlite postgresql' $0"
fi

# Peak RSS: GNU time (Debian package `time`) if it works, else VmHWM polled from /proc.
if [[ "${BENCH_RSS_METHOD:-}" != proc-poll ]] && [[ -x /usr/bin/time ]] &&
  /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
  RSS_METHOD=gnu-time
else
  RSS_METHOD=proc-poll
  log "peak RSS is read from /proc/PID/status (VmHWM) every 20 ms (GNU time, Debian package 'time', not used)"
fi

# ---------------------------------------------------------------------------------------------
# Scratch space, PostgreSQL and MariaDB servers, cleanup

WORK=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/migpkg-bench.XXXXXX")
PG_STARTED=0
PG_URL=""
MY_STARTED=0
MY_PORT=""

cleanup() {
  local rc=$?
  set +e
  if ((PG_STARTED)); then
    MIGPKG_PG_STATE="$WORK/pg" bash "$ROOT/scripts/pg-test-server.sh" stop >/dev/null 2>&1 ||
      log "warning: could not stop the PostgreSQL server in $WORK/pg"
  fi
  if ((MY_STARTED)); then
    MIGPKG_MARIADB_STATE="$WORK/mariadb" bash "$ROOT/scripts/mariadb-test-server.sh" stop >/dev/null 2>&1 ||
      log "warning: could not stop the MariaDB server in $WORK/mariadb"
  fi
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
    log "scratch directory kept: $WORK"
  else
    rm -rf -- "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

LOGS="$WORK/logs"
mkdir -p "$LOGS"
# Measure one fixed binary: a rebuild of build/ during the run must not swap it mid-way. Its
# PostgreSQL and MySQL engine modules go beside it, where migpkg looks for them (docs/architecture.md).
MIGPKG="$WORK/migpkg"
cp -- "$ROOT/build/migpkg" "$MIGPKG"
cp -- "$ROOT/build/migpkg-postgresql.so" "$WORK/migpkg-postgresql.so"
if [[ -f "$ROOT/build/migpkg-mysql.so" ]]; then cp -- "$ROOT/build/migpkg-mysql.so" "$WORK/migpkg-mysql.so"; fi
"$MIGPKG" --version >/dev/null || die "the copy of build/migpkg does not run (rebuilt while copying? run again)"

if [[ " $ENGINES " == *" postgresql "* ]]; then
  log "starting a throwaway PostgreSQL server"
  PG_STARTED=1
  MIGPKG_PG_STATE="$WORK/pg" bash "$ROOT/scripts/pg-test-server.sh" start 2>"$LOGS/pg-start.log" ||
    {
      cat "$LOGS/pg-start.log" >&2
      die "could not start PostgreSQL"
    }
  PG_URL=$(MIGPKG_PG_STATE="$WORK/pg" bash "$ROOT/scripts/pg-test-server.sh" url)
fi

if [[ " $ENGINES " == *" mysql "* ]]; then
  log "starting a throwaway MariaDB server"
  MY_STARTED=1
  MIGPKG_MARIADB_STATE="$WORK/mariadb" bash "$ROOT/scripts/mariadb-test-server.sh" start 2>"$LOGS/mariadb-start.log" ||
    {
      cat "$LOGS/mariadb-start.log" >&2
      die "could not start MariaDB"
    }
  MY_URL=$(MIGPKG_MARIADB_STATE="$WORK/mariadb" bash "$ROOT/scripts/mariadb-test-server.sh" url)
  MY_PORT=${MY_URL##*:}
fi

# ---------------------------------------------------------------------------------------------
# Helpers

pg_db_url() { printf '%s/%s\n' "${PG_URL%/*}" "$1"; }
pg_admin() { psql -X -q -v ON_ERROR_STOP=1 -d "$PG_URL" -c "$1" >/dev/null 2>>"$LOGS/pg-admin.log"; }
pg_fresh() { # pg_fresh NAME [TEMPLATE]: a new empty database (or a copy of TEMPLATE)
  pg_admin "DROP DATABASE IF EXISTS \"$1\""
  if [[ -n "${2:-}" ]]; then
    pg_admin "CREATE DATABASE \"$1\" TEMPLATE \"$2\" STRATEGY FILE_COPY"
  else
    pg_admin "CREATE DATABASE \"$1\" TEMPLATE template0"
  fi
}
pg_drop() { pg_admin "DROP DATABASE IF EXISTS \"$1\""; }

# The mariadb client as the baseline runs it: TCP to 127.0.0.1 as migpkg connects, no option
# files, batch mode (it stops at the first error), utf8mb4 as migpkg's sessions.
my_client() { mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$MY_PORT" -u root --batch --default-character-set=utf8mb4 "$@"; }
my_admin() { my_client -e "$1" >/dev/null 2>>"$LOGS/mariadb-admin.log"; }
my_fresh() { # my_fresh NAME: a new empty database
  my_admin "DROP DATABASE IF EXISTS \`$1\`; CREATE DATABASE \`$1\` CHARACTER SET utf8mb4"
}
my_drop() { my_admin "DROP DATABASE IF EXISTS \`$1\`"; }
# Writes InnoDB's dirty pages out and waits for it (at most 60 s), the counterpart of PostgreSQL's
# CHECKPOINT before a measurement: otherwise the page cleaner flushes what the previous command
# (the other side's run, dropping databases) left while the next one is timed.
my_settle() {
  local pct dirty i
  pct=$(my_client -N -e 'SELECT @@GLOBAL.innodb_max_dirty_pages_pct')
  my_admin "SET GLOBAL innodb_max_dirty_pages_pct = 0"
  for ((i = 0; i < 600; i++)); do
    dirty=$(my_client -N -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY'")
    [[ "$dirty" == 0 ]] && break
    sleep 0.1
  done
  my_admin "SET GLOBAL innodb_max_dirty_pages_pct = $pct"
}

# Runs an SQL query, prints the result rows (|-separated).
query() { # query ENGINE DB SQL
  if [[ "$1" == sqlite ]]; then
    sqlite3 -init /dev/null -batch -bail "$2" "$3"
  elif [[ "$1" == mysql ]]; then
    my_client -N "$2" -e "$3"
  else
    psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$(pg_db_url "$2")" -c "$3"
  fi
}

# A database handle as a migpkg URL.
db_url() { # db_url ENGINE DB
  case $1 in
    sqlite) printf 'sqlite:%s\n' "$2" ;;
    mysql) printf '%s/%s\n' "$MY_URL" "$2" ;;
    *) pg_db_url "$2" ;;
  esac
}

# Runs an SQL file the baseline way: one transaction, stop at the first error. MySQL has no
# such transaction (DDL commits implicitly): there the file runs as it is.
run_sql_file() { # run_sql_file ENGINE DB FILE   (FILE has no BEGIN/COMMIT of its own)
  if [[ "$1" == sqlite ]]; then
    { printf 'BEGIN;\n'; cat "$3"; printf 'COMMIT;\n'; } | sqlite3 -init /dev/null -batch -bail "$2"
  elif [[ "$1" == mysql ]]; then
    my_client "$2" <"$3"
  else
    psql -1 -q -X -v ON_ERROR_STOP=1 -d "$(pg_db_url "$2")" -f "$3"
  fi
}

# Runs an SQL file as it is (it holds its own BEGIN/COMMIT per migration).
run_sql_file_as_is() { # run_sql_file_as_is ENGINE DB FILE
  if [[ "$1" == sqlite ]]; then
    sqlite3 -init /dev/null -batch -bail "$2" <"$3"
  elif [[ "$1" == mysql ]]; then
    my_client "$2" <"$3"
  else
    psql -q -X -v ON_ERROR_STOP=1 -d "$(pg_db_url "$2")" -f "$3"
  fi
}

# measure NAME [--rss] -- CMD...: runs CMD once with its output in $LOGS/NAME.log; sets ELAPSED
# (seconds, wall clock) and, with --rss, PEAK_KB (max RSS of CMD). A failing CMD ends the run.
ELAPSED=0
PEAK_KB=0
measure() {
  local name=$1 rss=0
  shift
  if [[ "$1" == --rss ]]; then
    rss=1
    shift
  fi
  [[ "$1" == -- ]] && shift
  # Every PostgreSQL measurement starts from a settled server: without a checkpoint, the WAL
  # and dirty buffers of whatever ran before (creating the databases, the other side's run)
  # are flushed during the next one, which then took up to three times as long, whichever
  # side it was (untimed).
  [[ "$name" == postgresql-* ]] && pg_admin "CHECKPOINT"
  [[ "$name" == mysql-* ]] && my_settle
  local out="$LOGS/$name.log" start end rc=0
  if ((rss)) && [[ "$RSS_METHOD" == gnu-time ]]; then
    start=$(date +%s.%N)
    /usr/bin/time -f %M -o "$LOGS/$name.rss" "$@" >"$out" 2>&1 || rc=$?
    end=$(date +%s.%N)
    PEAK_KB=$(tail -n1 "$LOGS/$name.rss")
  elif ((rss)); then
    local pid hwm=0 key value _
    start=$(date +%s.%N)
    "$@" >"$out" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      while read -r key value _; do
        [[ "$key" == VmHWM: ]] && hwm=$value
      done <"/proc/$pid/status" 2>/dev/null || true
      sleep 0.02
    done
    wait "$pid" || rc=$?
    end=$(date +%s.%N)
    PEAK_KB=$hwm
  else
    start=$(date +%s.%N)
    "$@" >"$out" 2>&1 || rc=$?
    end=$(date +%s.%N)
  fi
  if ((rc != 0)); then
    log "'$name' failed (exit $rc): $*"
    tail -n 30 "$out" >&2
    exit 1
  fi
  ELAPSED=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f", e - s }')
  printf '%s %s\n' "$name" "$ELAPSED" >>"$LOGS/times.txt" # every run, for BENCH_KEEP=1
}

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.4f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# Results: one line per table row, printed at the end.
#   kind|benchmark|engine|migpkg|baseline|target
# kind: time (ratio = migpkg/baseline <= target), rss (ratio = 1M/100k <= target), info (no target)
RESULTS=()
record() { RESULTS+=("$1|$2|$3|$4|$5|$6"); }

same_or_die() { # same_or_die WHAT A B
  [[ "$2" == "$3" ]] && return 0
  log "$1: migpkg and the baseline disagree"
  log "  migpkg:   $2"
  log "  baseline: $3"
  exit 1
}

# ---------------------------------------------------------------------------------------------
# 1. Install and rollback of NMIG small migrations

MIGDIR="$WORK/migrations"
"$GEN" migrations "$MIGDIR" "$NMIG"
"$MIGPKG" validate "$MIGDIR" 2>"$LOGS/validate-migrations.log" ||
  {
    cat "$LOGS/validate-migrations.log" >&2
    die "the generated migrations do not validate"
  }

# The objects the migrations create, to check both sides did the same thing.
objects_sql() {
  if [[ "$1" == sqlite ]]; then
    echo "SELECT type, COUNT(*) FROM sqlite_master WHERE name LIKE 'bench_t%' GROUP BY type ORDER BY type;"
  elif [[ "$1" == mysql ]]; then
    echo "SELECT kind, COUNT(*) FROM (SELECT 'table' AS kind FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'bench_t%'" \
      "UNION ALL SELECT 'index' FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'bench_t%' AND INDEX_NAME <> 'PRIMARY') AS o" \
      "GROUP BY kind ORDER BY kind;"
  else
    echo "SELECT relkind, COUNT(*) FROM pg_class WHERE relname LIKE 'bench_t%' GROUP BY relkind ORDER BY relkind;"
  fi
}
rows_sql="SELECT SUM(qty) FROM bench_t$((NMIG - 1));"

# What one durable SQLite commit costs on the scratch filesystem right now (ms): 50 one-row
# transactions. SQLite install/rollback times follow it, and it can vary a lot on a shared disk.
COMMIT_PROBES=()
probe_commit() {
  local db="$WORK/probe.db" script="$WORK/probe.sql" start end i
  rm -f -- "$db"
  {
    echo "CREATE TABLE p (x INTEGER);"
    for ((i = 0; i < 50; i++)); do echo "BEGIN; INSERT INTO p VALUES ($i); COMMIT;"; done
  } >"$script"
  start=$(date +%s.%N)
  sqlite3 -init /dev/null -batch -bail "$db" <"$script"
  end=$(date +%s.%N)
  rm -f -- "$db"
  COMMIT_PROBES+=("$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) * 1000 / 51 }')")
}

# The same for one durable InnoDB commit (ms): 50 autocommitted one-row INSERTs, less the time of
# 50 SELECTs over the same connection (the round trips; 0 when the difference is below the noise).
MY_COMMIT_PROBES=()
probe_mysql_commit() {
  local script="$WORK/probe-mysql.sql" reads="$WORK/probe-mysql-reads.sql" t0 t1 t2 i
  my_fresh bench_probe
  my_client bench_probe -e "CREATE TABLE p (x INTEGER) ENGINE = InnoDB"
  for ((i = 0; i < 50; i++)); do echo "INSERT INTO p VALUES ($i);"; done >"$script"
  for ((i = 0; i < 50; i++)); do echo "SELECT $i;"; done >"$reads"
  t0=$(date +%s.%N)
  my_client bench_probe <"$reads" >/dev/null
  t1=$(date +%s.%N)
  my_client bench_probe <"$script" >/dev/null
  t2=$(date +%s.%N)
  my_drop bench_probe
  MY_COMMIT_PROBES+=("$(awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { x = ((c - b) - (b - a)) * 1000 / 50; printf "%.3f", (x > 0 ? x : 0) }')")
}

bench_install() {
  local engine=$1 dir="$WORK/$1-install"
  mkdir -p "$dir"
  # The exact statements migpkg runs, from its own compiler: as-is (one BEGIN/COMMIT per
  # migration) and without the BEGIN/COMMIT lines (the single-transaction baseline).
  "$MIGPKG" compile "$MIGDIR" --dialect "$engine" -o "$dir/up-per-migration.sql"
  "$MIGPKG" compile "$MIGDIR" --dialect "$engine" --direction down -o "$dir/down-per-migration.sql"
  grep -v -E '^(BEGIN|COMMIT);$' "$dir/up-per-migration.sql" >"$dir/up.sql"
  grep -v -E '^(BEGIN|COMMIT);$' "$dir/down-per-migration.sql" >"$dir/down.sql"
  # MySQL commits every DDL statement implicitly, so there is no one-transaction baseline, no
  # --single-transaction run (migpkg refuses it for such steps) and no separate
  # per-migration context: the baseline is the plan as 'migpkg compile' prints it (its
  # BEGIN/COMMIT wrap only the INSERT), run by the mariadb client. See bench/README.md.
  local base_up="$dir/up.sql" base_down="$dir/down.sql" group=1 per_migration=$CONTEXT
  if [[ "$engine" == mysql ]]; then
    base_up="$dir/up-per-migration.sql" base_down="$dir/down-per-migration.sql" group=0 per_migration=0
  fi

  local mi=() mr=() bi=() br=() ci=() cr=() gi=() gr=() kr=() rep db_m db_b db_c db_g
  for ((rep = 1; rep <= REPEAT; rep++)); do
    log "$engine: install/rollback of $NMIG migrations, run $rep/$REPEAT"
    if [[ "$engine" == sqlite ]]; then probe_commit; fi
    if [[ "$engine" == mysql ]]; then probe_mysql_commit; fi
    if [[ "$engine" == sqlite ]]; then
      db_m="$dir/migpkg-$rep.db" db_b="$dir/baseline-$rep.db" db_c="$dir/context-$rep.db"
      db_g="$dir/group-$rep.db"
    elif [[ "$engine" == mysql ]]; then
      db_m="bench_m$rep" db_b="bench_b$rep" db_c="bench_c$rep" db_g=""
      my_fresh "$db_m"
      my_fresh "$db_b"
      ((CONTEXT)) && my_fresh "$db_c"
    else
      db_m="bench_m$rep" db_b="bench_b$rep" db_c="bench_c$rep" db_g="bench_g$rep"
      pg_fresh "$db_g"
      pg_fresh "$db_m"
      pg_fresh "$db_b"
      ((CONTEXT)) && pg_fresh "$db_c"
    fi
    local order=(migpkg baseline) who
    ((rep % 2)) || order=(baseline migpkg) # alternate who goes first
    for who in "${order[@]}"; do
      if [[ "$who" == migpkg ]]; then
        measure "$engine-install-migpkg-$rep" -- "$MIGPKG" install "$MIGDIR" --db "$(db_url "$engine" "$db_m")"
        mi+=("$ELAPSED")
        local after_m rows_m
        after_m=$(query "$engine" "$db_m" "$(objects_sql "$engine")")
        rows_m=$(query "$engine" "$db_m" "$rows_sql")
        # The target rows run the same SQL as the baseline: no backup (the migrations' downs drop
        # tables holding rows, so a rollback backs up by default; that cost is the context row
        # "rollback with its automatic backup" below).
        measure "$engine-rollback-migpkg-$rep" -- "$MIGPKG" rollback bench.small --all --no-backup --db "$(db_url "$engine" "$db_m")"
        mr+=("$ELAPSED")
        local gone_m
        gone_m=$(query "$engine" "$db_m" "$(objects_sql "$engine")")
        if ((group)); then
          # The same with --single-transaction: every migration of the run in one transaction,
          # which is what the one-transaction baseline does.
          measure "$engine-install-group-$rep" -- "$MIGPKG" install "$MIGDIR" --single-transaction --db "$(db_url "$engine" "$db_g")"
          gi+=("$ELAPSED")
          [[ "$(query "$engine" "$db_g" "$rows_sql")" == "$rows_m" ]] || die "$engine: --single-transaction install differs"
          measure "$engine-rollback-group-$rep" -- "$MIGPKG" rollback bench.small --all --single-transaction --no-backup --db "$(db_url "$engine" "$db_g")"
          gr+=("$ELAPSED")
        fi
      else
        measure "$engine-install-baseline-$rep" -- run_sql_file "$engine" "$db_b" "$base_up"
        bi+=("$ELAPSED")
        local after_b rows_b
        after_b=$(query "$engine" "$db_b" "$(objects_sql "$engine")")
        rows_b=$(query "$engine" "$db_b" "$rows_sql")
        measure "$engine-rollback-baseline-$rep" -- run_sql_file "$engine" "$db_b" "$base_down"
        br+=("$ELAPSED")
        local gone_b
        gone_b=$(query "$engine" "$db_b" "$(objects_sql "$engine")")
      fi
    done
    same_or_die "$engine install: objects created" "$after_m" "$after_b"
    same_or_die "$engine install: rows inserted" "$rows_m" "$rows_b"
    same_or_die "$engine rollback: objects left" "$gone_m" "$gone_b"
    [[ -n "$after_m" && -z "$gone_m" ]] || die "$engine: unexpected objects after install ($after_m) or rollback ($gone_m)"
    if ((per_migration)); then
      measure "$engine-install-context-$rep" -- run_sql_file_as_is "$engine" "$db_c" "$dir/up-per-migration.sql"
      ci+=("$ELAPSED")
      measure "$engine-rollback-context-$rep" -- run_sql_file_as_is "$engine" "$db_c" "$dir/down-per-migration.sql"
      cr+=("$ELAPSED")
    fi
    if ((CONTEXT)); then
      # A rollback as a user gets it by default: a verified backup first, then the downs.
      "$MIGPKG" install "$MIGDIR" --db "$(db_url "$engine" "$db_c")" >/dev/null 2>&1 ||
        die "$engine: install for the rollback-with-backup row failed"
      measure "$engine-rollback-backup-$rep" -- "$MIGPKG" rollback bench.small --all --backup-dir "$WORK/backups-$engine-$rep" --db "$(db_url "$engine" "$db_c")"
      kr+=("$ELAPSED")
      rm -rf -- "$WORK/backups-$engine-$rep" "$db_c.backups"
    fi
    if [[ "$engine" == sqlite ]]; then
      rm -f -- "$db_m" "$db_b" "$db_c" "$db_g" "$db_m.migpkg-lock" "$db_g.migpkg-lock" "$db_c.migpkg-lock"
    elif [[ "$engine" == mysql ]]; then
      my_drop "$db_m"
      my_drop "$db_b"
      my_drop "$db_c"
    else
      pg_drop "$db_m"
      pg_drop "$db_b"
      pg_drop "$db_c"
      pg_drop "$db_g"
    fi
  done
  record time "install $NMIG migrations" "$engine" "$(median "${mi[@]}")" "$(median "${bi[@]}")" "$INSTALL_LIMIT"
  record time "rollback $NMIG migrations" "$engine" "$(median "${mr[@]}")" "$(median "${br[@]}")" "$INSTALL_LIMIT"
  if ((group)); then
    record time "install $NMIG, --single-transaction" "$engine" "$(median "${gi[@]}")" "$(median "${bi[@]}")" "$INSTALL_LIMIT"
    record time "rollback $NMIG, --single-transaction" "$engine" "$(median "${gr[@]}")" "$(median "${br[@]}")" "$INSTALL_LIMIT"
  fi
  if ((per_migration)); then
    record info "install $NMIG, vs 1 txn per migration" "$engine" "$(median "${mi[@]}")" "$(median "${ci[@]}")" ""
    record info "rollback $NMIG, vs 1 txn per migration" "$engine" "$(median "${mr[@]}")" "$(median "${cr[@]}")" ""
  fi
  if ((CONTEXT)); then
    record info "rollback $NMIG with its automatic backup" "$engine" "$(median "${kr[@]}")" "$(median "${br[@]}")" ""
  fi
}

# shellcheck source=bench/transform_bench.sh
source "$BENCH/transform_bench.sh"
# shellcheck source=bench/data_bench.sh
source "$BENCH/data_bench.sh"
# shellcheck source=bench/crypto_bench.sh
source "$BENCH/crypto_bench.sh"
CRYPTO_RSS_NOTE=""

# ---------------------------------------------------------------------------------------------
# Run

T0=$(date +%s)
if ((MY_STARTED)); then
  # The server settings both sides run under (they decide how much a commit costs).
  MY_SETTINGS=$(my_client -N -e "SELECT CONCAT('MariaDB ', @@version, ': innodb_flush_log_at_trx_commit=', @@innodb_flush_log_at_trx_commit,
    ', innodb_doublewrite=', @@innodb_doublewrite, ', innodb_flush_method=', @@innodb_flush_method,
    ', innodb_buffer_pool_size=', @@innodb_buffer_pool_size DIV 1048576, 'M, innodb_log_file_size=', @@innodb_log_file_size DIV 1048576,
    'M, innodb_file_per_table=', @@innodb_file_per_table, ', log_bin=', @@log_bin)")
  log "$MY_SETTINGS"
fi
log "$("$MIGPKG" --version 2>/dev/null || echo "migpkg ?"); $REPEAT runs each, median; scratch in $WORK"
if suite install; then
  for engine in $ENGINES; do bench_install "$engine"; done
fi
# No transform rows on MySQL: SPEC's transform target is for SQLite and PostgreSQL (bench/README.md).
if suite transform; then
  for engine in $ENGINES; do [[ "$engine" == mysql ]] || bench_transform "$engine"; done
fi
if suite data; then bench_data; fi
if suite crypto; then bench_crypto; fi
T1=$(date +%s)

# ---------------------------------------------------------------------------------------------
# Report

fmt_time() { awk -v s="$1" 'BEGIN { printf "%.2fs", s }'; }
fmt_kb() { awk -v k="$1" 'BEGIN { printf "%.1fMB", k / 1024 }'; }

missed=0
targets=0
line() { printf '%-40s %-11s %10s %10s %8s %9s  %s\n' "$@"; }
echo
echo "migpkg benchmark: $("$MIGPKG" --version 2>/dev/null || echo migpkg), $(uname -m), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), median of $REPEAT runs"
echo "scratch on $(df -P "$WORK" | awk 'NR == 2 { print $1 }') ($(stat -f -c %T "$WORK")), peak RSS by $RSS_METHOD, total $((T1 - T0))s"
if ((${#COMMIT_PROBES[@]})); then
  echo "one durable SQLite commit on the scratch filesystem: $(awk -v m="$(median "${COMMIT_PROBES[@]}")" 'BEGIN { printf "%.2f", m }') ms (probes: ${COMMIT_PROBES[*]} ms)"
fi
if ((MY_STARTED)); then
  echo "$MY_SETTINGS"
  echo "one durable InnoDB commit: $(awk -v m="$(median "${MY_COMMIT_PROBES[@]}")" 'BEGIN { printf "%.2f", m }') ms (probes: ${MY_COMMIT_PROBES[*]} ms)"
fi
echo
line benchmark engine migpkg baseline ratio target ""
line "----------------------------------------" "-----------" "----------" "----------" "--------" "---------" ""
for kind in time rss info; do
  [[ "$kind" == info ]] && {
    echo
    echo "context (no target): the same migrations run by sqlite3/psql with one transaction per migration (sqlite, postgresql), as 'migpkg compile' prints them,"
    echo "  and a rollback as a user gets it by default (a verified backup first, since the downs drop tables holding rows)"
  }
  for r in "${RESULTS[@]}"; do
    IFS='|' read -r k name engine a b limit <<<"$r"
    [[ "$k" == "$kind" ]] || continue
    if [[ "$k" == rss ]]; then
      exact=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.9f", (a > 0 ? b / a : 0) }')
      ma=$(fmt_kb "$a") mb=$(fmt_kb "$b") target="flat"
    else
      exact=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.9f", (b > 0 ? a / b : 0) }')
      ma=$(fmt_time "$a") mb=$(fmt_time "$b") target="<= ${limit}x"
    fi
    ratio=$(awk -v r="$exact" 'BEGIN { printf "%.2f", r }')
    verdict=""
    if [[ -n "$limit" ]]; then
      targets=$((targets + 1))
      # The verdict compares the unrounded ratio: 0.404 is printed 0.40 but misses 0.4.
      if awk -v r="$exact" -v l="$limit" 'BEGIN { exit !(r <= l) }'; then
        verdict=OK
      else
        verdict=MISSED
        missed=$((missed + 1))
      fi
    fi
    [[ "$k" == info ]] && target=info
    line "$name" "$engine" "$ma" "$mb" "${ratio}x" "$target" "$verdict"
  done
done
echo
echo "time rows: migpkg = the whole 'migpkg install/rollback' process (loading the sources, bookkeeping,"
echo "  lock, commit batching or --single-transaction included); baseline = the same SQL in ONE transaction by sqlite3 / psql -1;"
echo "  on mysql (no such transaction: DDL commits implicitly) the SQL as 'migpkg compile' prints it, run by the mariadb client;"
echo "  ratio = migpkg / baseline. peak RSS rows: migpkg column = max RSS of 'migpkg install' at the small"
echo "  row count, baseline column = at the large one; ratio = large / small ('flat' = <= ${RSS_FLAT_LIMIT}x)."
echo "  The PostgreSQL RSS is the migpkg client's only (the server does the work)."
if [[ -n "$CRYPTO_RSS_NOTE" ]]; then
  echo "crypto rows: the whole 'migpkg encrypt/decrypt' and 'age -e/-d' processes on the same file; CPU rows are user+sys"
  echo "  seconds (migpkg column, age column); $CRYPTO_RSS_NOTE."
fi
if ((missed)); then
  echo "RESULT: $missed of $targets targets MISSED"
else
  echo "RESULT: all $targets targets met"
fi
exit 0
