#!/usr/bin/env bash
# Generates the benchmark's inputs: migration sources and SQL files. Needs only bash and awk.
#
# Usage:
#   bench/gen.sh migrations DIR N          N small migrations of plugin bench.small, one file each:
#                                          DIR/0000.json .. (versions 1.0.0 .. 1.0.N-1). Each one
#                                          creates a table, an index and inserts 10 rows; its down
#                                          drops the table.
#   bench/gen.sh inserts DIR N             N migrations of plugin bench.rows that leave the schema
#                                          as it is after the first: 0000 creates bench_rows, each
#                                          later one inserts 10 rows into it (down: deletes them).
#   bench/gen.sh transform DIR BATCH       DIR/copy.json: plugin bench.transform, one transform
#                                          step bench_src -> bench_dst (function, expression,
#                                          table lookup with default, filter). BATCH 0 = no
#                                          batchSize member.
#   bench/gen.sh seed ENGINE ROWS          SQL creating bench_countries (200 rows), bench_src
#                                          (ROWS rows, generated in SQL) and an empty bench_dst.
#   bench/gen.sh hand ENGINE               the hand-written INSERT ... SELECT with the same
#                                          semantics as the transform (no BEGIN/COMMIT).
#   bench/gen.sh fingerprint ENGINE        one query summarising bench_dst, to prove that migpkg
#                                          and the hand-written statement produced the same rows.
#   bench/gen.sh data-plugin DIR           DIR/items.mig: plugin bench.data, one table bench_items
#                                          of mixed types (int64 key, int32, string, decimal, bool,
#                                          timestamp, bytes, text; NULLs in the last two).
#   bench/gen.sh data-rows sqlite ROWS     SQL filling bench_items with ROWS rows (some names
#                                          non-ASCII, timestamps from 1966 to 2067).
# ENGINE is sqlite or postgresql.
set -euo pipefail

die() { printf 'gen.sh: %s\n' "$*" >&2; exit 2; }

engine_ok() { [[ "$1" == sqlite || "$1" == postgresql ]] || die "unknown engine '$1'"; }

gen_migrations() {
  local dir=$1 n=$2
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer"
  mkdir -p "$dir"
  awk -v dir="$dir" -v n="$n" 'BEGIN {
    q = sprintf("%c", 39)  # single quote
    for (i = 0; i < n; i++) {
      file = sprintf("%s/%04d.json", dir, i)
      values = ""
      for (r = 1; r <= 10; r++)
        values = values (r > 1 ? ", " : "") sprintf("(%d, %sitem %d-%d%s, %d)", r, q, i, r, q, r * i)
      printf "{\"format\": \"portable-migration-v1\", \"migration\": {\n" > file
      printf "  \"id\": \"m%04d\", \"pluginId\": \"bench.small\", \"version\": \"1.0.%d\",\n", i, i > file
      printf "  \"name\": \"small migration %d\", \"type\": \"schema\",\n", i > file
      printf "  \"steps\": {\n    \"up\": [\n" > file
      printf "      {\"id\": \"table\", \"name\": \"create table\", \"sql\": {\"universal\": \"CREATE TABLE bench_t%d (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, qty INTEGER NOT NULL)\"}},\n", i > file
      printf "      {\"id\": \"index\", \"name\": \"create index\", \"sql\": {\"universal\": \"CREATE INDEX bench_t%d_name ON bench_t%d (name)\"}},\n", i, i > file
      printf "      {\"id\": \"rows\", \"name\": \"insert rows\", \"sql\": {\"universal\": \"INSERT INTO bench_t%d (id, name, qty) VALUES %s\"}}\n", i, values > file
      printf "    ],\n    \"down\": [\n" > file
      printf "      {\"id\": \"drop\", \"name\": \"drop table\", \"sql\": {\"universal\": \"DROP TABLE bench_t%d\"}}\n", i > file
      printf "    ]\n  }\n}}\n" > file
      close(file)
    }
  }'
}

gen_inserts() {
  local dir=$1 n=$2
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer"
  mkdir -p "$dir"
  awk -v dir="$dir" -v n="$n" 'BEGIN {
    q = sprintf("%c", 39)  # single quote
    for (i = 0; i < n; i++) {
      file = sprintf("%s/%04d.json", dir, i)
      if (i == 0) {
        up = "CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)"
        down = "DROP TABLE bench_rows"
      } else {
        values = ""
        for (r = 1; r <= 10; r++)
          values = values (r > 1 ? ", " : "") sprintf("(%d, %sitem %d-%d%s)", i * 10 + r, q, i, r, q)
        up = "INSERT INTO bench_rows (id, name) VALUES " values
        down = sprintf("DELETE FROM bench_rows WHERE id > %d AND id <= %d", i * 10, i * 10 + 10)
      }
      printf "{\"format\": \"portable-migration-v1\", \"migration\": {\n" > file
      printf "  \"id\": \"r%04d\", \"pluginId\": \"bench.rows\", \"version\": \"1.0.%d\",\n", i, i > file
      printf "  \"name\": \"rows %d\", \"type\": \"%s\",\n", i, (i == 0 ? "schema" : "data") > file
      printf "  \"steps\": {\n    \"up\": [{\"id\": \"up\", \"name\": \"up\", \"sql\": {\"universal\": \"%s\"}}],\n", up > file
      printf "    \"down\": [{\"id\": \"down\", \"name\": \"down\", \"sql\": {\"universal\": \"%s\"}}]\n", down > file
      printf "  }\n}}\n" > file
      close(file)
    }
  }'
}

gen_transform() {
  local dir=$1 batch=$2 batch_member=""
  [[ "$batch" =~ ^[0-9]+$ ]] || die "BATCH must be an integer (0 = none)"
  ((batch == 0)) || batch_member="\"batchSize\": $batch,"
  mkdir -p "$dir"
  cat >"$dir/copy.json" <<EOF
{"format": "portable-migration-v1", "migration": {
  "id": "copy-orders", "pluginId": "bench.transform", "version": "1.0.0",
  "name": "copy orders into bench_dst", "type": "data",
  "steps": {
    "up": [
      {"id": "copy", "name": "copy orders", "transform": {
        "source": "bench_src", "target": "bench_dst", $batch_member
        "filter": "status <> 'deleted'",
        "mapping": [
          {"source": "id", "target": "id"},
          {"source": "email", "target": "email", "transform": {"type": "function", "definition": "upper"}},
          {"target": "amount", "transform": {"type": "expression", "definition": "amount_cents / 100.0"}},
          {"source": "country_code", "target": "country", "defaultValue": "Unknown",
           "transform": {"type": "lookup", "definition": "bench_countries(code, name)"}},
          {"source": "status", "target": "status", "transform": {"type": "function", "definition": "lower"}}
        ]}}
    ],
    "down": [
      {"id": "clear", "name": "empty bench_dst", "sql": {"universal": "DELETE FROM bench_dst"}}
    ]
  }
}}
EOF
}

# Rows: every 50th has no country (NULL key), codes C200..C219 are not in the lookup table
# (both give the default 'Unknown'), every 10th row is 'deleted' and filtered out.
gen_seed() {
  local engine=$1 rows=$2
  engine_ok "$engine"
  [[ "$rows" =~ ^[1-9][0-9]*$ ]] || die "ROWS must be a positive integer"
  cat <<'EOF'
CREATE TABLE bench_countries (code TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE bench_src (id INTEGER PRIMARY KEY, email TEXT NOT NULL, country_code TEXT,
  amount_cents INTEGER NOT NULL, status TEXT NOT NULL);
CREATE TABLE bench_dst (id INTEGER PRIMARY KEY, email TEXT NOT NULL, amount NUMERIC NOT NULL,
  country TEXT NOT NULL, status TEXT NOT NULL);
EOF
  if [[ "$engine" == sqlite ]]; then
    cat <<EOF
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 199)
INSERT INTO bench_countries (code, name) SELECT printf('C%03d', i), 'Country ' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
INSERT INTO bench_src (id, email, country_code, amount_cents, status)
SELECT i, 'user' || i || '@Example.com',
  CASE WHEN i % 50 = 0 THEN NULL ELSE printf('C%03d', i % 220) END,
  (i * 7919) % 100000,
  CASE i % 10 WHEN 0 THEN 'deleted' WHEN 1 THEN 'Pending' ELSE 'Active' END
FROM n;
COMMIT;
ANALYZE;
EOF
  else
    cat <<EOF
INSERT INTO bench_countries (code, name)
SELECT 'C' || lpad(i::text, 3, '0'), 'Country ' || i FROM generate_series(0, 199) AS i;
INSERT INTO bench_src (id, email, country_code, amount_cents, status)
SELECT i, 'user' || i || '@Example.com',
  CASE WHEN i % 50 = 0 THEN NULL ELSE 'C' || lpad((i % 220)::text, 3, '0') END,
  (i::bigint * 7919) % 100000,
  CASE i % 10 WHEN 0 THEN 'deleted' WHEN 1 THEN 'Pending' ELSE 'Active' END
FROM generate_series(1, $rows) AS i;
EOF
  fi
}

# The same semantics as the transform: LEFT JOIN on the lookup table, COALESCE with the default,
# the filter on the source row. Written the way a person would, without migpkg's derived table.
gen_hand() {
  engine_ok "$1"
  cat <<'EOF'
INSERT INTO bench_dst (id, email, amount, country, status)
SELECT s.id, UPPER(s.email), (s.amount_cents / 100.0), COALESCE(c.name, 'Unknown'), LOWER(s.status)
FROM bench_src AS s
LEFT JOIN bench_countries AS c ON c.code = s.country_code
WHERE s.status <> 'deleted';
EOF
}

gen_fingerprint() {
  engine_ok "$1"
  local unknown="SUM(CASE WHEN country = 'Unknown' THEN 1 ELSE 0 END)"
  printf '%s\n' "SELECT COUNT(*), SUM(LENGTH(email)), SUM(amount), $unknown, COUNT(DISTINCT country), MIN(status), MAX(status), SUM(CASE WHEN email = UPPER(email) THEN 1 ELSE 0 END) FROM bench_dst;"
}

gen_data_plugin() {
  mkdir -p "$1"
  cat >"$1/items.mig" <<'EOF'
plugin bench.data

migration items-001 {
  version 1.0.0
  name "Mixed-type rows for the data benchmark"
  up {
    create table bench_items (
      id int64 primary key,
      qty int32 not null,
      name string(60) not null,
      price decimal(12, 2) not null,
      active bool not null,
      created_at timestamp not null,
      payload bytes,
      note text
    )
  }
}
EOF
}

gen_data_rows() {
  [[ "$1" == sqlite ]] || die "data-rows: only sqlite"
  [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "ROWS must be a positive integer"
  cat <<EOF
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO bench_items (id, qty, name, price, active, created_at, payload, note)
SELECT i,
       (i * 7919) % 100000 - 50000,
       CASE WHEN i % 10 = 0 THEN 'Ünïcødé ✓ ' ELSE 'item ' END || i,
       printf('%d.%02d', (i * 31) % 1000000, i % 100),
       i % 2,
       strftime('%Y-%m-%d %H:%M:%S', -100000000 + i * 617, 'unixepoch'),
       CASE WHEN i % 5 = 0 THEN NULL ELSE randomblob(16 + i % 48) END,
       CASE WHEN i % 3 = 0 THEN NULL ELSE 'note ' || hex(randomblob(8)) END
FROM n;
COMMIT;
EOF
}

case "${1:-}" in
  migrations) (($# == 3)) || die "usage: gen.sh migrations DIR N"; gen_migrations "$2" "$3" ;;
  inserts) (($# == 3)) || die "usage: gen.sh inserts DIR N"; gen_inserts "$2" "$3" ;;
  transform) (($# == 3)) || die "usage: gen.sh transform DIR BATCH"; gen_transform "$2" "$3" ;;
  seed) (($# == 3)) || die "usage: gen.sh seed ENGINE ROWS"; gen_seed "$2" "$3" ;;
  hand) (($# == 2)) || die "usage: gen.sh hand ENGINE"; gen_hand "$2" ;;
  fingerprint) (($# == 2)) || die "usage: gen.sh fingerprint ENGINE"; gen_fingerprint "$2" ;;
  data-plugin) (($# == 2)) || die "usage: gen.sh data-plugin DIR"; gen_data_plugin "$2" ;;
  data-rows) (($# == 3)) || die "usage: gen.sh data-rows sqlite ROWS"; gen_data_rows "$2" "$3" ;;
  *) die "usage: gen.sh migrations|inserts|transform|seed|hand|fingerprint|data-plugin|data-rows ..." ;;
esac
