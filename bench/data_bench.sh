# The data benchmark (SPEC "Performance targets, wave 2"; bench/README.md, "Data"): sourced by
# bench/run.sh, which provides the servers, measure, median and record.
#
#   copy SQLite -> PostgreSQL of DATA_ROWS mixed-type rows   vs the pipe `sqlite3 -csv | psql
#                                                            \copy FROM` (primary key added after
#                                                            the load), target <= 1.0x
#   the same copy                                            vs Debian's pgloader, target: migpkg
#                                                            at least 2.5x faster (ratio <= 0.4)
#   export PostgreSQL -> NDJSON                              vs `psql \copy TO` CSV, <= 1.2x
#                                                            (both files on disk: fsync'd)
#   peak RSS of the copy, DATA_SMALL_ROWS vs DATA_ROWS       flat (<= 1.2x)
#   peak RSS of the export, DATA_SMALL_ROWS vs DATA_ROWS     flat (<= 1.2x)
#   SQLite -> PostgreSQL -> SQLite                           every value kept (a check, no time)
# shellcheck shell=bash

DATA_ROWS=${BENCH_DATA_ROWS:-5000000}
DATA_SMALL_ROWS=${BENCH_DATA_SMALL_ROWS:-100000}
COPY_PIPE_LIMIT=1.0
COPY_PGLOADER_LIMIT=0.4 # "at least 2.5x faster than pgloader"
EXPORT_LIMIT=1.2

# The source: plugin bench.data's one table, created by migpkg itself (so that its declared
# types are the ones migpkg gives each portable type), filled by SQLite from a recursive CTE.
data_source() { # data_source FILE ROWS
  local file=$1 rows=$2
  rm -f -- "$file"
  "$GEN" data-plugin "$WORK/data-plugin"
  "$MIGPKG" install "$WORK/data-plugin" --db "sqlite:$file" >"$LOGS/data-source-$rows.log" 2>&1 ||
    die "installing the data benchmark's plugin failed (see $LOGS/data-source-$rows.log)"
  "$GEN" data-rows sqlite "$rows" | sqlite3 -init /dev/null -batch -bail "$file"
}

# One line summarising the table, the same for every correct copy of it (types may print
# differently between engines, so only what survives a correct copy unchanged is compared).
data_fingerprint() { # data_fingerprint ENGINE DB
  local sql
  if [[ "$1" == sqlite ]]; then
    sql="SELECT COUNT(*), SUM(qty), printf('%.2f', SUM(price)), SUM(active), MIN(created_at), MAX(created_at), COUNT(payload), SUM(length(payload)), COUNT(note), SUM(length(name)) FROM bench_items"
  else
    # Casts, so that a copy with other column types (pgloader makes the timestamp text) compares.
    sql="SELECT COUNT(*), SUM(qty), to_char(SUM(price::numeric), 'FM999999999999990.00'), SUM(active::int), MIN(created_at::text), MAX(created_at::text), COUNT(payload), SUM(length(payload)), COUNT(note), SUM(length(name)) FROM bench_items"
  fi
  query "$1" "$2" "$sql"
}

# The baseline target table: the plugin's own PostgreSQL table, without its primary key (added
# after the load, as a bulk load is done by hand).
data_baseline_table() { # data_baseline_table DB
  "$MIGPKG" compile "$WORK/data-plugin" --dialect postgresql |
    grep -v -E '^(BEGIN|COMMIT);$|CONSTRAINT "pk_bench_items"' |
    sed -e 's/"note" TEXT,$/"note" TEXT/' >"$WORK/data-baseline-table.sql"
  psql -q -X -v ON_ERROR_STOP=1 -d "$(pg_db_url "$1")" -f "$WORK/data-baseline-table.sql" >/dev/null
}

# The pipe: sqlite3 prints CSV (blobs as PostgreSQL's \x hex so that bytea reads them, NULL as
# an empty field, which COPY's csv format reads as NULL), psql copies it in, then the key.
data_pipe() { # data_pipe SQLITE_FILE DB
  sqlite3 -init /dev/null -batch -bail -csv "$1" \
    "SELECT id, qty, name, price, active, created_at, CASE WHEN payload IS NULL THEN NULL ELSE '\\x' || hex(payload) END, note FROM bench_items" |
    psql -q -X -v ON_ERROR_STOP=1 -d "$(pg_db_url "$2")" \
      -c "\\copy bench_items (id, qty, name, price, active, created_at, payload, note) FROM STDIN WITH (FORMAT csv)"
  psql -q -X -v ON_ERROR_STOP=1 -d "$(pg_db_url "$2")" \
    -c 'ALTER TABLE bench_items ADD CONSTRAINT pk_bench_items PRIMARY KEY (id)'
}

# pgloader as its documentation loads one SQLite table: it creates the table (its own type
# casts), copies the rows, then builds the primary key.
data_pgloader() { # data_pgloader SQLITE_FILE DB
  local cmd="$WORK/data-pgloader.load" url
  url=$(pg_db_url "$2")
  cat >"$cmd" <<EOF
LOAD DATABASE
  FROM sqlite://$1
  INTO ${url/postgresql:/pgsql:}
  WITH include drop, create tables, create indexes, reset sequences
  INCLUDING ONLY TABLE NAMES LIKE 'bench_items';
EOF
  pgloader --on-error-stop "$cmd"
}

# psql's export, durable inside its timing as migpkg's data set is (export fsyncs each file
# before renaming the data set into place; the crypto benchmark treats age the same way): a file
# still in the page cache is not an export yet, and its write-back, left to the kernel, was paid
# by whichever run came next.
data_psql_export() { # data_psql_export DB FILE
  psql -q -X -v ON_ERROR_STOP=1 -d "$(pg_db_url "$1")" \
    -c "\\copy bench_items TO '$2' WITH (FORMAT csv)" && sync -- "$2"
}

bench_data() {
  [[ -n "$PG_URL" ]] || die "the data benchmark needs PostgreSQL (BENCH_ENGINES with postgresql)"
  local src="$WORK/data-src.db" small="$WORK/data-small.db" back="$WORK/data-back.db"
  log "data: generating $DATA_ROWS and $DATA_SMALL_ROWS source rows in SQLite"
  data_source "$src" "$DATA_ROWS"
  data_source "$small" "$DATA_SMALL_ROWS"
  local want
  want=$(data_fingerprint sqlite "$src")

  local cm=() cp=() cl=() em=() ep=() rs=() rb=() es=() eb=() rep who
  for ((rep = 1; rep <= REPEAT; rep++)); do
    log "data: copy and export of $DATA_ROWS rows, run $rep/$REPEAT"
    local order=(migpkg pipe pgloader)
    ((rep % 2)) || order=(pgloader pipe migpkg)
    for who in "${order[@]}"; do
      pg_fresh "data_$who"
      sync # each run starts with the earlier runs' write-back done (see the exports below)
      case $who in
        migpkg)
          measure "postgresql-data-copy-migpkg-$rep" --rss -- "$MIGPKG" copy --from "sqlite:$src" --to "$(pg_db_url data_migpkg)" --create
          cm+=("$ELAPSED")
          rb+=("$PEAK_KB")
          ;;
        pipe)
          data_baseline_table data_pipe
          measure "postgresql-data-copy-pipe-$rep" -- data_pipe "$src" data_pipe
          cp+=("$ELAPSED")
          ;;
        pgloader)
          measure "postgresql-data-copy-pgloader-$rep" -- data_pgloader "$src" data_pgloader
          cl+=("$ELAPSED")
          ;;
      esac
      same_or_die "data copy ($who): the rows in PostgreSQL" "$(data_fingerprint postgresql "data_$who")" "$want"
    done

    # Export of the rows just copied: NDJSON by migpkg, CSV by psql, in alternating order, each
    # after `sync`. The copies leave gigabytes of WAL and table pages to write back, and the
    # export that always ran first (migpkg's) paid for them: its fsync waited behind them.
    rm -rf -- "$WORK/data-export" "$WORK/data-export.csv"
    local exporters=(migpkg psql)
    ((rep % 2)) || exporters=(psql migpkg)
    for who in "${exporters[@]}"; do
      sync
      case $who in
        migpkg)
          measure "postgresql-data-export-migpkg-$rep" --rss -- "$MIGPKG" export --db "$(pg_db_url data_migpkg)" -o "$WORK/data-export" --tables bench_items
          em+=("$ELAPSED")
          eb+=("$PEAK_KB")
          ;;
        psql)
          measure "postgresql-data-export-psql-$rep" -- data_psql_export data_migpkg "$WORK/data-export.csv"
          ep+=("$ELAPSED")
          ;;
      esac
    done
    local exported
    exported=$(find "$WORK/data-export" -name 'bench_items.*' -exec cat {} + | wc -l)
    same_or_die "data export: NDJSON lines" "$exported" "$DATA_ROWS"
    rm -rf -- "$WORK/data-export" "$WORK/data-export.csv"

    # Peak memory of the same copy at the small row count.
    pg_fresh data_small
    measure "postgresql-data-copy-small-$rep" --rss -- "$MIGPKG" copy --from "sqlite:$small" --to "$(pg_db_url data_small)" --create
    rs+=("$PEAK_KB")
    rm -rf -- "$WORK/data-export"
    measure "postgresql-data-export-small-$rep" --rss -- "$MIGPKG" export --db "$(pg_db_url data_small)" -o "$WORK/data-export" --tables bench_items
    es+=("$PEAK_KB")
    rm -rf -- "$WORK/data-export"
    for who in migpkg pipe pgloader; do pg_drop "data_$who"; done
  done

  # SQLite -> PostgreSQL -> SQLite keeps every value: the small table copied back, compared
  # row by row with the original (both directions of EXCEPT empty).
  rm -f -- "$back"
  "$MIGPKG" copy --from "$(pg_db_url data_small)" --to "sqlite:$back" --create >"$LOGS/data-back.log" 2>&1 ||
    die "copy PostgreSQL -> SQLite failed (see $LOGS/data-back.log)"
  local diff
  diff=$(sqlite3 -init /dev/null -batch -bail "$back" "ATTACH '$small' AS a;
    SELECT (SELECT COUNT(*) FROM (SELECT * FROM main.bench_items EXCEPT SELECT * FROM a.bench_items))
         + (SELECT COUNT(*) FROM (SELECT * FROM a.bench_items EXCEPT SELECT * FROM main.bench_items));")
  same_or_die "data round trip SQLite -> PostgreSQL -> SQLite: rows that differ" "$diff" 0
  pg_drop data_small

  local big small
  big=$(human_rows "$DATA_ROWS")
  small=$(human_rows "$DATA_SMALL_ROWS")
  record time "copy sqlite->pg $big rows, vs pipe" postgresql "$(median "${cm[@]}")" "$(median "${cp[@]}")" "$COPY_PIPE_LIMIT"
  record time "copy sqlite->pg $big rows, vs pgloader" postgresql "$(median "${cm[@]}")" "$(median "${cl[@]}")" "$COPY_PGLOADER_LIMIT"
  record time "export pg->ndjson $big rows, vs psql csv" postgresql "$(median "${em[@]}")" "$(median "${ep[@]}")" "$EXPORT_LIMIT"
  record rss "peak RSS copy $small vs $big rows" postgresql "$(median "${rs[@]}")" "$(median "${rb[@]}")" "$RSS_FLAT_LIMIT"
  record rss "peak RSS export $small vs $big rows" postgresql "$(median "${es[@]}")" "$(median "${eb[@]}")" "$RSS_FLAT_LIMIT"
  record info "pipe vs pgloader (context)" postgresql "$(median "${cp[@]}")" "$(median "${cl[@]}")" ""
}
