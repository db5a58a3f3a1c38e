// The readable SQL is real SQL: for every valid case the golden up and down scripts run, in
// that order, through the engines' own command-line clients (sqlite3, psql, and for the
// declarative cases mariadb) without error. For declarative cases the automatic down must also
// leave the database as empty as it found it. A case with expected/probes.json has rows inserted
// between its up and its down: each accepted or rejected by the constraints as the file says.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <cstdio>
#include <cstdlib>
#include <regex>

#include "compiler/dialects/dialect.hpp"
#include "runtime/drivers/connection.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

// stdout of a command, trimmed; "<failed>" when it exits non-zero.
bool runs_on(const std::string& expected_dir, const std::string& dialect) {
  return path_exists(expected_dir + dialect + ".up.sql");
}

// A new database whose default character set is latin1, as many servers still have it: the
// plans must not depend on the default (every character column pins utf8mb4).
std::string create_latin1_database(const std::string& client, const std::string& db) {
  return client + " -e 'DROP DATABASE IF EXISTS " + db + "; CREATE DATABASE " + db +
         " CHARACTER SET latin1 COLLATE latin1_swedish_ci'";
}

// The foreign keys of a MariaDB database that have an index named like them (the one migpkg
// gives a foreign key no other index covers) while another index of the table has the foreign
// key's columns as its leftmost columns: such an index of their own is one too many.
std::string redundant_foreign_key_indexes(const std::string& client, const std::string& db) {
  std::string fk_columns =
      "SELECT k.TABLE_NAME t, k.CONSTRAINT_NAME c, GROUP_CONCAT(k.COLUMN_NAME ORDER BY "
      "k.ORDINAL_POSITION) cols FROM information_schema.KEY_COLUMN_USAGE k WHERE "
      "k.TABLE_SCHEMA = '" +
      db + "' AND k.REFERENCED_TABLE_NAME IS NOT NULL GROUP BY k.TABLE_NAME, k.CONSTRAINT_NAME";
  std::string index_columns =
      "SELECT s.TABLE_NAME t, s.INDEX_NAME i, GROUP_CONCAT(s.COLUMN_NAME ORDER BY "
      "s.SEQ_IN_INDEX) cols FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = '" +
      db + "' GROUP BY s.TABLE_NAME, s.INDEX_NAME";
  return capture(
      client + " -N -B -e \"SELECT COUNT(*) FROM (" + fk_columns + ") f JOIN (" + index_columns +
      ") own ON own.t = f.t AND own.i = f.c WHERE EXISTS (SELECT 1 FROM (" + index_columns +
      ") other WHERE other.t = f.t AND other.i <> f.c AND LEFT(CONCAT(other.cols, ','), "
      "LENGTH(f.cols) + 1) = CONCAT(f.cols, ','))\"");
}

// expected/probes.json: {"table", "rows": [{"values": {column: value}, "accepted": bool}]}. Each
// row is one INSERT spelled for the dialect; after them the table holds the accepted rows only.
struct Probes {
  struct Insert {
    std::string sql;
    bool accepted = false;
  };
  std::vector<Insert> inserts;
  std::string count_sql;
  std::size_t accepted = 0;
};

std::optional<Probes> probes_for(const std::string& expected_dir, const std::string& dialect) {
  std::string path = expected_dir + "probes.json";
  if (!path_exists(path)) return std::nullopt;
  const migpkg::Dialect& d = *migpkg::find_dialect(dialect);
  auto document = nlohmann::json::parse(read_file(path));
  std::string table = d.quote_qualified(document.at("table").get<std::string>());
  Probes out;
  for (const auto& row : document.at("rows")) {
    std::string columns, values;
    for (const auto& [column, value] : row.at("values").items()) {
      columns += (columns.empty() ? "" : ", ") + d.quote_identifier(column);
      values += values.empty() ? "" : ", ";
      values += value.is_string() ? d.string_literal(value.get<std::string>())
                : value.is_null() ? std::string("NULL")
                                  : value.dump();
    }
    bool accepted = row.at("accepted").get<bool>();
    out.accepted += accepted;
    out.inserts.push_back(
        {"INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ");\n", accepted});
  }
  out.count_sql = "SELECT count(*) FROM " + table + ";\n";
  return out;
}

// Runs the probes through `client` (a command reading SQL on stdin; exit 0 = done).
void run_probes(const Probes& probes, const std::string& client, const std::string& scratch,
                const std::string& engine) {
  std::string file = scratch + "/probe.sql";
  for (const auto& insert : probes.inserts) {
    INFO(engine << ": " << insert.sql);
    write_file(file, insert.sql);
    CHECK((shell(client + " < '" + file + "' > /dev/null 2>&1") == 0) == insert.accepted);
  }
  write_file(file, probes.count_sql);
  INFO(engine << ": the rows the table holds");
  CHECK(capture(client + " < '" + file + "'") == std::to_string(probes.accepted));
}

}  // namespace

TEST_CASE("compiled SQL runs through sqlite3 and psql", "[golden][sqlite][postgresql]") {
  std::string scratch = make_temp_dir();
  for (const auto& name : list_dir(source_dir() + "/tests/cases", true)) {
    std::string expected = source_dir() + "/tests/cases/" + name + "/expected/";
    bool declarative = is_declarative_case(name);
    DYNAMIC_SECTION(name) {
      std::string db = scratch + "/" + name + ".db";
      std::string count_sqlite = "sqlite3 '" + db +
                                 "' \"SELECT count(*) FROM sqlite_master WHERE name NOT LIKE "
                                 "'sqlite_%'\"";
      // A dialect that cannot express a case has expected/<dialect>.error instead of SQL.
      for (const char* direction : {"up", "down"}) {
        if (!runs_on(expected, "sqlite")) break;
        INFO("sqlite3 " << direction);
        REQUIRE(shell("sqlite3 -bail '" + db + "' < '" + expected + "sqlite." + direction +
                      ".sql' > /dev/null") == 0);
        if (declarative)
          CHECK((capture(count_sqlite) == "0") == (std::string(direction) == "down"));
        if (auto probes = probes_for(expected, "sqlite"); probes && direction == std::string("up"))
          run_probes(*probes, "sqlite3 -bail '" + db + "'", scratch, "sqlite3");
      }
      if (!runs_on(expected, "postgresql")) return;
      std::string url = postgres_url();
      if (url.empty()) return;
      migpkg::runtime::TemporaryDatabase database(url, "migpkg_sql");
      std::string psql = "psql -q -X -v ON_ERROR_STOP=1 '" + database.url() + "'";
      // pgvector is not part of PostgreSQL: the vector case runs only where it is installed.
      if (name == "ddl-vector" &&
          capture(psql + " -tA -c \"SELECT count(*) FROM pg_available_extensions WHERE name = "
                         "'vector'\"") == "0") {
        WARN("ddl-vector not run on PostgreSQL: the pgvector extension is not installed");
        return;
      }
      std::string count_pg = psql +
                             " -tA -c \"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON "
                             "n.oid = c.relnamespace WHERE n.nspname = 'public'\"";
      for (const char* direction : {"up", "down"}) {
        INFO("psql " << direction);
        REQUIRE(shell(psql + " -f '" + expected + "postgresql." + direction +
                      ".sql' > /dev/null 2>&1") == 0);
        if (declarative) CHECK((capture(count_pg) == "0") == (std::string(direction) == "down"));
        if (auto probes = probes_for(expected, "postgresql");
            probes && direction == std::string("up"))
          run_probes(*probes, psql + " -tA", scratch, "psql");
      }
    }
  }
}

TEST_CASE("compiled MySQL SQL runs on MariaDB, up then down", "[golden][mysql]") {
  std::string scratch = make_temp_dir();
  std::string url = mysql_url();
  if (url.empty()) {
    WARN("MariaDB part skipped: MIGPKG_TEST_MYSQL_URL is not set");
    return;
  }
  std::string client = mariadb_client(url);
  REQUIRE_FALSE(client.empty());
  int ran = 0;
  for (const auto& name : list_dir(source_dir() + "/tests/cases", true)) {
    std::string expected = source_dir() + "/tests/cases/" + name + "/expected/";
    if (!is_declarative_case(name) || !runs_on(expected, "mysql")) continue;
    ++ran;
    DYNAMIC_SECTION(name) {
      std::string db = "migpkg_" + std::regex_replace(name, std::regex("[^A-Za-z0-9]"), "_");
      REQUIRE(shell(create_latin1_database(client, db)) == 0);
      std::string count = client +
                          " -N -B -e \"SELECT count(*) FROM information_schema.tables "
                          "WHERE table_schema = '" +
                          db + "'\"";
      // The up a migration at a time, so that the foreign-key indexes are checked after each.
      std::string up = read_file(expected + "mysql.up.sql");
      int migration = 0;
      for (std::size_t at = up.find("\n-- migration "); at != std::string::npos;) {
        std::size_t next = up.find("\n-- migration ", at + 1);
        std::string part = scratch + "/" + std::to_string(++migration) + ".sql";
        write_file(part, up.substr(at, next == std::string::npos ? std::string::npos : next - at));
        INFO("mariadb up, migration " << migration);
        CHECK(shell(client + " " + db + " < '" + part + "' > /dev/null") == 0);
        CHECK(redundant_foreign_key_indexes(client, db) == "0");
        at = next;
      }
      CHECK(capture(count) != "0");
      if (auto probes = probes_for(expected, "mysql"))
        run_probes(*probes, client + " -N -B " + db, scratch, "mariadb");
      // A transform case's rows, as on SQLite and PostgreSQL (test_transform_rows.cpp).
      if (path_exists(expected + "rows.json")) {
        auto rows = nlohmann::json::parse(read_file(expected + "rows.json"));
        std::string want;
        for (const auto& row : rows["rows"]) {
          std::string line;
          for (const auto& value : row)
            line += (line.empty() ? "" : "\t") +
                    (value.is_null() ? std::string("NULL") : value.get<std::string>());
          want += (want.empty() ? "" : "\n") + line;
        }
        CHECK(capture(client + " -N -B " + db + " -e \"" + rows["query"].get<std::string>() +
                      "\"") == want);
      }
      INFO("mariadb down");
      CHECK(shell(client + " " + db + " < '" + expected + "mysql.down.sql' > /dev/null") == 0);
      CHECK(capture(count) == "0");
      shell(client + " -e 'DROP DATABASE IF EXISTS " + db + "'");
    }
  }
  CHECK(ran >= 3);
}

TEST_CASE("MySQL character columns hold any Unicode text on a latin1 database", "[golden][mysql]") {
  std::string url = mysql_url();
  if (url.empty()) {
    WARN("MariaDB part skipped: MIGPKG_TEST_MYSQL_URL is not set");
    return;
  }
  std::string client = mariadb_client(url);
  std::string expected = source_dir() + "/tests/cases/ddl-unicode-text/expected/";
  std::string db = "migpkg_unicode_latin1";
  REQUIRE(shell(create_latin1_database(client, db)) == 0);
  // The table is created, a column added and another restated by MODIFY COLUMN: each keeps
  // utf8mb4 although the database's default is latin1.
  REQUIRE(shell(client + " " + db + " < '" + expected + "mysql.up.sql' > /dev/null") == 0);
  const std::string values[] = {"Stanisław 😀", "Ł😀", "Zażółć gęślą jaźń 🎉", "🎉", "Staś"};
  std::string insert =
      "INSERT INTO ut_people (id, name, initials, bio, mood, nickname) VALUES (1, '" + values[0] +
      "', '" + values[1] + "', '" + values[2] + "', '" + values[3] + "', '" + values[4] + "')";
  CHECK(shell(client + " " + db + " -e \"" + insert + "\"") == 0);
  std::string read = capture(client + " -N -B " + db +
                             " -e \"SELECT CONCAT_WS('|', name, initials, bio, mood, nickname) "
                             "FROM ut_people WHERE id = 1\"");
  CHECK(read == values[0] + "|" + values[1] + "|" + values[2] + "|" + values[3] + "|" + values[4]);
  CHECK(shell(client + " " + db + " < '" + expected + "mysql.down.sql' > /dev/null") == 0);
  shell(client + " -e 'DROP DATABASE IF EXISTS " + db + "'");
}
