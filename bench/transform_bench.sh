# The transform benchmark (bench/README.md): sourced by bench/run.sh, which provides the
# servers, the generator, measure, median and record. Defines bench_transform ENGINE.
# ---------------------------------------------------------------------------------------------
# 2 and 3. Transform of ROWS rows, and peak RSS at SMALL_ROWS vs ROWS

"$GEN" transform "$WORK/transform-nobatch" 0
"$GEN" transform "$WORK/transform-batch" "$BATCH"
for d in transform-nobatch transform-batch; do
  "$MIGPKG" validate "$WORK/$d" 2>"$LOGS/validate-$d.log" || {
    cat "$LOGS/validate-$d.log" >&2
    die "the generated transform migration ($d) does not validate"
  }
done

human_rows() { # 1000000 -> 1M, 100000 -> 100k
  awk -v n="$1" 'BEGIN { if (n % 1000000 == 0) printf "%dM", n / 1000000; else if (n % 1000 == 0) printf "%dk", n / 1000; else printf "%d", n }'
}

# Seeds one database per row count; every timed run starts from an identical copy of it.
seed() { # seed ENGINE ROWS -> prints the seed database handle
  local engine=$1 rows=$2 dir="$WORK/$1-transform"
  mkdir -p "$dir"
  "$GEN" seed "$engine" "$rows" >"$dir/seed-$rows.sql"
  if [[ "$engine" == sqlite ]]; then
    sqlite3 -init /dev/null -batch -bail "$dir/seed-$rows.db" <"$dir/seed-$rows.sql" >"$LOGS/seed-$engine-$rows.log" 2>&1 ||
      die "seeding $engine with $rows rows failed (see $LOGS/seed-$engine-$rows.log)"
    printf '%s\n' "$dir/seed-$rows.db"
  else
    pg_fresh "bench_seed_$rows"
    {
      psql -1 -q -X -v ON_ERROR_STOP=1 -d "$(pg_db_url "bench_seed_$rows")" -f "$dir/seed-$rows.sql" &&
        psql -q -X -v ON_ERROR_STOP=1 -d "$(pg_db_url "bench_seed_$rows")" -c 'VACUUM ANALYZE'
    } >"$LOGS/seed-$engine-$rows.log" 2>&1 || die "seeding $engine with $rows rows failed (see $LOGS/seed-$engine-$rows.log)"
    printf '%s\n' "bench_seed_$rows"
  fi
}

# A fresh copy of the seed database, ready for one timed run.
copy_seed() { # copy_seed ENGINE SEED NAME -> prints the copy's handle
  local engine=$1 seed=$2 name=$3
  if [[ "$engine" == sqlite ]]; then
    local copy="$WORK/$engine-transform/$name.db"
    rm -f -- "$copy" "$copy.migpkg-lock"
    cp -- "$seed" "$copy"
    sync -- "$copy" 2>/dev/null || sync
    printf '%s\n' "$copy"
  else
    pg_fresh "$name" "$seed"
    pg_admin "CHECKPOINT"
    printf '%s\n' "$name"
  fi
}
drop_copy() { # drop_copy ENGINE HANDLE
  if [[ "$1" == sqlite ]]; then rm -f -- "$2" "$2.migpkg-lock" "$2-journal"; else pg_drop "$2"; fi
}

bench_transform() {
  local engine=$1 dir="$WORK/$1-transform"
  mkdir -p "$dir"
  "$GEN" hand "$engine" >"$dir/hand.sql"
  "$GEN" fingerprint "$engine" >"$dir/fingerprint.sql"
  # For the reader: the SQL migpkg runs (compare with hand.sql).
  "$MIGPKG" compile "$WORK/transform-nobatch" --dialect "$engine" -o "$dir/migpkg.sql"
  local fp_sql
  fp_sql=$(cat "$dir/fingerprint.sql")

  log "$engine: seeding $ROWS and $SMALL_ROWS source rows"
  local seed_big seed_small
  seed_big=$(seed "$engine" "$ROWS")
  seed_small=$(seed "$engine" "$SMALL_ROWS")

  local tn=() tb=() th=() rn=() rb=() rn_small=() rb_small=() rep who db fp_hand fp_nobatch fp_batch
  # One untimed run first, so that no timed run pays for cold caches.
  db=$(copy_seed "$engine" "$seed_big" "bench_t_warmup")
  measure "$engine-transform-warmup" -- run_sql_file "$engine" "$db" "$dir/hand.sql"
  drop_copy "$engine" "$db"
  for ((rep = 1; rep <= REPEAT; rep++)); do
    log "$engine: transform of $ROWS rows, run $rep/$REPEAT"
    local order=(hand nobatch batch)
    case $((rep % 3)) in # rotate who goes first
      2) order=(nobatch batch hand) ;;
      0) order=(batch hand nobatch) ;;
    esac
    for who in "${order[@]}"; do
      db=$(copy_seed "$engine" "$seed_big" "bench_t_${who}_$rep")
      case $who in
        hand)
          measure "$engine-transform-hand-$rep" -- run_sql_file "$engine" "$db" "$dir/hand.sql"
          th+=("$ELAPSED")
          fp_hand=$(query "$engine" "$db" "$fp_sql")
          ;;
        nobatch)
          measure "$engine-transform-nobatch-$rep" --rss -- "$MIGPKG" install "$WORK/transform-nobatch" --db "$(db_url "$engine" "$db")"
          tn+=("$ELAPSED")
          rn+=("$PEAK_KB")
          fp_nobatch=$(query "$engine" "$db" "$fp_sql")
          ;;
        batch)
          measure "$engine-transform-batch-$rep" --rss -- "$MIGPKG" install "$WORK/transform-batch" --db "$(db_url "$engine" "$db")"
          tb+=("$ELAPSED")
          rb+=("$PEAK_KB")
          fp_batch=$(query "$engine" "$db" "$fp_sql")
          ;;
      esac
      drop_copy "$engine" "$db"
    done
    same_or_die "$engine transform (no batchSize): rows in bench_dst" "$fp_nobatch" "$fp_hand"
    same_or_die "$engine transform (batchSize $BATCH): rows in bench_dst" "$fp_batch" "$fp_hand"
  done
  log "$engine: fingerprint of bench_dst (count|sum(len(email))|sum(amount)|unknown|countries|min status|max status|upper emails): $fp_hand"

  for ((rep = 1; rep <= REPEAT; rep++)); do
    log "$engine: peak RSS at $SMALL_ROWS rows, run $rep/$REPEAT"
    db=$(copy_seed "$engine" "$seed_small" "bench_s_nobatch_$rep")
    measure "$engine-transform-small-nobatch-$rep" --rss -- "$MIGPKG" install "$WORK/transform-nobatch" --db "$(db_url "$engine" "$db")"
    rn_small+=("$PEAK_KB")
    drop_copy "$engine" "$db"
    db=$(copy_seed "$engine" "$seed_small" "bench_s_batch_$rep")
    measure "$engine-transform-small-batch-$rep" --rss -- "$MIGPKG" install "$WORK/transform-batch" --db "$(db_url "$engine" "$db")"
    rb_small+=("$PEAK_KB")
    drop_copy "$engine" "$db"
  done
  if [[ "$engine" == postgresql ]]; then
    pg_drop "$seed_big"
    pg_drop "$seed_small"
  else
    rm -f -- "$seed_big" "$seed_small"
  fi

  local big small
  big=$(human_rows "$ROWS")
  small=$(human_rows "$SMALL_ROWS")
  record time "transform $big rows, no batchSize" "$engine" "$(median "${tn[@]}")" "$(median "${th[@]}")" "$TRANSFORM_LIMIT"
  record time "transform $big rows, batchSize $BATCH" "$engine" "$(median "${tb[@]}")" "$(median "${th[@]}")" "$TRANSFORM_LIMIT"
  record rss "peak RSS $small vs $big, no batchSize" "$engine" "$(median "${rn_small[@]}")" "$(median "${rn[@]}")" "$RSS_FLAT_LIMIT"
  record rss "peak RSS $small vs $big, batch $BATCH" "$engine" "$(median "${rb_small[@]}")" "$(median "${rb[@]}")" "$RSS_FLAT_LIMIT"
}
