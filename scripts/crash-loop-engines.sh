# Sourced by scripts/crash-loop.sh: per engine, a new scratch database (`db_new NAME` prints its
# URL; crash-loop.sh puts its process id in NAME, so runs sharing a server never meet), dropping
# it (`db_drop URL`), SQL through the engine's own client (`db_sql URL SQL`) and a dump of the
# user tables (`db_dump URL`: each table's definition and its rows, sorted, so that
# two databases holding the same schema and data dump the same, whatever order rows were written
# in). migpkg's own tables (migpkg_*) are left out of the dump: their times and audit rows differ
# between runs by design; scripts/crash-loop.sh compares the applied migrations through
# `migpkg status --json` instead.
# Needs: ENGINE, WORK (a scratch dir), PG_URL (postgresql://...:PORT/postgres) or MYSQL_URL
# (mysql://root@127.0.0.1:PORT) for the server engines.

mysql_client() {
  local rest=${MYSQL_URL#mysql://root@}
  mariadb --no-defaults --protocol=TCP -h "${rest%:*}" -P "${rest##*:}" -uroot \
    --default-character-set=utf8mb4 "$@"
}

db_new() {
  local name=$1
  case $ENGINE in
    sqlite)
      rm -rf "$WORK/$name.db" "$WORK/$name.db"-* "$WORK/$name.db.backups"
      printf 'sqlite:%s/%s.db\n' "$WORK" "$name"
      ;;
    postgresql)
      psql -q "$PG_URL" -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name" >/dev/null
      printf '%s/%s\n' "${PG_URL%/*}" "$name"
      ;;
    mysql)
      mysql_client -e "DROP DATABASE IF EXISTS $name; CREATE DATABASE $name"
      printf '%s/%s\n' "$MYSQL_URL" "$name"
      ;;
  esac
}

db_drop() {
  local url=$1
  case $ENGINE in
    sqlite) rm -rf "${url#sqlite:}" "${url#sqlite:}"-* "${url#sqlite:}.backups" ;;
    postgresql)
      psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS ${url##*/} WITH (FORCE)" >/dev/null 2>&1
      ;;
    mysql) mysql_client -e "DROP DATABASE IF EXISTS ${url##*/}" ;;
  esac
}

db_sql() {
  local url=$1 sql=$2
  case $ENGINE in
    sqlite) sqlite3 -batch "${url#sqlite:}" "$sql" ;;
    postgresql) psql -qAt -v ON_ERROR_STOP=1 "$url" -c "$sql" ;;
    mysql) mysql_client -N -B "${url##*/}" -e "$sql" ;;
  esac
}

db_tables() {
  local url=$1
  case $ENGINE in
    sqlite)
      db_sql "$url" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'migpkg%'
                     AND name NOT LIKE 'sqlite_%' ORDER BY name"
      ;;
    postgresql)
      db_sql "$url" "SELECT tablename FROM pg_tables WHERE schemaname = 'public'
                     AND tablename NOT LIKE 'migpkg%' ORDER BY 1"
      ;;
    mysql)
      db_sql "$url" "SELECT table_name FROM information_schema.tables
                     WHERE table_schema = DATABASE() AND table_name NOT LIKE 'migpkg%' ORDER BY 1"
      ;;
  esac
}

db_dump() {
  local url=$1 table
  case $ENGINE in
    sqlite)
      db_sql "$url" "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master
                     WHERE name NOT LIKE 'migpkg%' AND name NOT LIKE 'sqlite_%' ORDER BY type, name"
      ;;
    postgresql)
      # pg_dump wraps every dump in \restrict / \unrestrict lines with a random token.
      pg_dump --schema-only --no-owner --no-privileges --exclude-table='migpkg_*' "$url" |
        grep -v -e '^--' -e '^SET ' -e '^SELECT pg_catalog' -e '^\\restrict ' -e '^\\unrestrict ' |
        sed '/^$/d'
      ;;
    mysql)
      for table in $(db_tables "$url"); do
        # The AUTO_INCREMENT counter is not part of the schema (a rolled-back insert moves it).
        db_sql "$url" "SHOW CREATE TABLE \`$table\`" | sed -E 's/ AUTO_INCREMENT=[0-9]+//'
      done
      ;;
  esac
  for table in $(db_tables "$url"); do
    printf '== rows of %s\n' "$table"
    case $ENGINE in
      sqlite) sqlite3 -batch -quote "${url#sqlite:}" "SELECT * FROM \"$table\"" | LC_ALL=C sort ;;
      postgresql) db_sql "$url" "SELECT * FROM \"$table\"" | LC_ALL=C sort ;;
      mysql) db_sql "$url" "SELECT * FROM \`$table\`" | LC_ALL=C sort ;;
    esac
  done
}
