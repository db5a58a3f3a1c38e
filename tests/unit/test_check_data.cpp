// `check --seed` and `check --against`: the property "an up keeps every row, a down brings back
// every row and value not declared lost, and foreign keys hold after every step" over every
// example and declarative case on SQLite and PostgreSQL, with generated rows in every table;
// failing cases that show the checks can fail; and rehearsals on copies of populated databases
// that leave the originals untouched.
#include <catch2/catch.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>

#include <chrono>

#include "compiler/dialects/dialect.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/sources.hpp"
#include "compiler/util/sha256.hpp"
#include "runtime/check/check_runner.hpp"
#include "runtime/check/migration_facts.hpp"
#include "runtime/check/row_generator.hpp"
#include "runtime/check/schema_snapshot.hpp"
#include "runtime/check/table_rows.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using migpkg::runtime::Connection;

namespace {

bool seeded_case(const std::string& dir) {
  return dir.rfind("packages/examples/", 0) == 0 || dir.rfind("tests/cases/ddl-", 0) == 0;
}

bool pgvector_missing(Connection& connection) {
  return connection.query("SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")
             .rows.at(0)
             .at(0) == std::optional<std::string>("0");
}

migpkg::runtime::CheckResult check_seeded(Connection& connection, const std::string& dir,
                                          const std::string& dialect, std::int64_t rows) {
  migpkg::Diagnostics diagnostics;
  auto program = migpkg::load_and_validate({source_dir() + "/" + dir}, diagnostics);
  REQUIRE_FALSE(diagnostics.has_errors());
  auto plan = migpkg::build_plan(program, *migpkg::find_dialect(dialect), diagnostics);
  REQUIRE_FALSE(diagnostics.has_errors());
  migpkg::runtime::CheckOptions options;
  options.seed_rows = rows;
  options.program = &program;
  return migpkg::runtime::run_check(connection, plan, options);
}

std::int64_t seeded_rows(const migpkg::runtime::CheckResult& result) {
  std::int64_t total = 0;
  for (const auto& [table, rows] : result.seeded_before_downs) total += rows;
  for (const auto& m : result.migrations)
    for (const auto& [table, rows] : m.seeded) total += rows;
  return total;
}

}  // namespace

TEST_CASE("check --seed 1000 passes for every example and declarative case",
          "[check][seed][sqlite][postgresql]") {
  for (const auto& dir : valid_source_dirs()) {
    if (!seeded_case(dir)) continue;
    DYNAMIC_SECTION(dir) {
      for_each_engine([&](Connection& connection, const std::string& dialect) {
        if (dir == "tests/cases/ddl-vector" && dialect == "postgresql" &&
            pgvector_missing(connection)) {
          WARN("ddl-vector not checked on PostgreSQL: the pgvector extension is not installed");
          return;
        }
        if (path_exists(source_dir() + "/" + dir + "/expected/" + dialect + ".error")) return;
        if (!written_for(dir, dialect)) return;
        auto start = std::chrono::steady_clock::now();
        auto result = check_seeded(connection, dir, dialect, 1000);
        double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        // One readable failure: where the run stopped, and why.
        std::string report;
        for (const auto& m : result.migrations) {
          report += dialect + " " + m.plugin_id + "/" + m.id + ": up " + m.up + ", down " + m.down +
                    (m.error.empty() ? "" : ": " + m.error) + "\n";
          for (const auto& line : m.data_problems) report += "    " + line + "\n";
          for (const auto& line : m.difference) report += "    " + line + "\n";
        }
        INFO(report);
        CHECK(result.ok);
        // The checks ran over data: the generator filled the tables each up found.
        CHECK(seeded_rows(result) > 0);
        INFO(dir << " on " << dialect << " took " << seconds << " s");
        CHECK(seconds < 30);
      });
    }
  }
}

TEST_CASE("the row generator is deterministic and fills every table to the requested count",
          "[check][seed][sqlite]") {
  auto first = migpkg::runtime::open_sqlite(":memory:");
  auto second = migpkg::runtime::open_sqlite(":memory:");
  auto a = check_seeded(*first, "tests/cases/ddl-foreign-keys", "sqlite", 200);
  auto b = check_seeded(*second, "tests/cases/ddl-foreign-keys", "sqlite", 200);
  REQUIRE(a.ok);
  REQUIRE(a.migrations.size() == b.migrations.size());
  for (std::size_t i = 0; i < a.migrations.size(); ++i)
    CHECK(a.migrations[i].seeded == b.migrations[i].seeded);
  // After the downs the generated rows are what is left: the same rows in both databases.
  CHECK(migpkg::runtime::snapshot_rows(*first) == migpkg::runtime::snapshot_rows(*second));
}

TEST_CASE("check --seed fails when a down does not bring back rows it does not declare lost",
          "[check][seed][sqlite][postgresql]") {
  for_each_engine([&](Connection& connection, const std::string& dialect) {
    auto result = check_seeded(connection, "tests/check-failures/down-loses-rows", dialect, 300);
    CHECK_FALSE(result.ok);
    REQUIRE(result.migrations.size() == 2);
    const auto& archive = result.migrations[1];
    CHECK(archive.up == "ok");
    CHECK(archive.down == "failed");
    REQUIRE_FALSE(archive.data_problems.empty());
    // Named by table and key: a negative amount the down's filter left behind.
    CHECK(archive.data_problems[0].find("table \"lr_ledger\" row (id=") != std::string::npos);
    CHECK(archive.data_problems[0].find("is missing") != std::string::npos);
  });
}

TEST_CASE("check --seed fails when a down does not bring back values",
          "[check][seed][sqlite][postgresql]") {
  for_each_engine([&](Connection& connection, const std::string& dialect) {
    auto result =
        check_seeded(connection, "tests/check-failures/down-truncates-values", dialect, 200);
    CHECK_FALSE(result.ok);
    REQUIRE(result.migrations.size() == 2);
    CHECK(result.migrations[1].down == "failed");
    REQUIRE_FALSE(result.migrations[1].data_problems.empty());
    // Named by table, key and column, with the value before and after.
    const std::string& first = result.migrations[1].data_problems[0];
    CHECK(first.find("table \"tv_memos\" row (id=") != std::string::npos);
    CHECK(first.find("column \"memo\" was '") != std::string::npos);
  });
}

TEST_CASE("check --seed fails when an up loses rows", "[check][seed][sqlite][postgresql]") {
  for_each_engine([&](Connection& connection, const std::string& dialect) {
    auto result = check_seeded(connection, "tests/check-failures/up-loses-rows", dialect, 300);
    CHECK_FALSE(result.ok);
    REQUIRE(result.migrations.size() == 2);
    CHECK(result.migrations[1].up == "failed");
    REQUIRE_FALSE(result.migrations[1].data_problems.empty());
    CHECK(result.migrations[1].data_problems[0].find("table \"ul_ledger\" had 300 rows") !=
          std::string::npos);
  });
}

TEST_CASE("check --seed on the CLI reports the failing table and key", "[check][seed][sqlite]") {
  auto result = run_cli("check tests/check-failures/down-loses-rows --seed 100");
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("FAILED") != std::string::npos);
  CHECK(result.out.find("table \"lr_ledger\" row (id=") != std::string::npos);
  auto usage = run_cli("check tests/cases/minimal --seed many");
  CHECK(usage.exit_code == 2);
  CHECK(usage.err.find("--seed") != std::string::npos);
}

TEST_CASE("a dropped column re-added last is a note and not a failure",
          "[check][seed][sqlite][postgresql]") {
  for_each_engine([&](Connection& connection, const std::string& dialect) {
    auto result = check_seeded(connection, "tests/check-passes/drop-middle-column", dialect, 100);
    REQUIRE(result.migrations.size() == 2);
    const auto& drop = result.migrations[1];
    INFO(drop.error);
    CHECK(result.ok);
    CHECK(drop.down == "ok");
    CHECK(drop.difference.empty());
    CHECK(drop.data_problems.empty());
    // PostgreSQL cannot put the column back in its place; SQLite's rebuild does.
    if (dialect == "postgresql") {
      REQUIRE(drop.notes.size() == 2);
      CHECK(drop.notes[0].find("column order") != std::string::npos);
      CHECK(drop.notes[0].find("legacy_code") != std::string::npos);
    }
  });
}

namespace {

std::string file_sha256(const std::string& path) {
  return migpkg::sha256_hex(read_file(path));
}

// Everything a user could see of a database: its schema and every row of every table,
// bookkeeping included.
std::string database_state(const std::string& url) {
  auto connection = migpkg::runtime::open_connection(migpkg::runtime::DatabaseUrl::parse(url));
  std::string state;
  for (const auto& line : migpkg::runtime::inspect_schema(*connection).objects)
    state += line + "\n";
  // Every table, migpkg's own included, as the engine lists them.
  std::vector<std::string> tables;
  for (const auto& row : migpkg::runtime::engine_of(*connection).list_objects(*connection).rows)
    if (row[0].value_or("") == "table") tables.push_back(row[1].value_or(""));
  std::sort(tables.begin(), tables.end());
  for (const std::string& table : tables) {
    auto rows = connection->query("SELECT * FROM \"" + table + "\" ORDER BY 1");
    state += table + ": " + std::to_string(rows.rows.size()) + " rows\n";
    for (const auto& r : rows.rows) {
      for (const auto& value : r) state += value.value_or("<null>") + "|";
      state += "\n";
    }
  }
  return state;
}

}  // namespace

TEST_CASE(
    "check --against rehearses the pending migrations on a copy and leaves the original "
    "untouched",
    "[check][against][sqlite][postgresql]") {
  for_each_database_url("migpkg_against", [&](const std::string& url) {
    // A populated database with the first migration of the case installed.
    auto installed = run_cli("install tests/cases/ddl-alter/001-base.json --db '" + url + "'");
    REQUIRE(installed.exit_code == 0);
    {
      auto connection = migpkg::runtime::open_connection(migpkg::runtime::DatabaseUrl::parse(url));
      // Rows the pending migrations can take (they add a unique key, a check, a foreign key):
      // the generator's tables for the first pending one.
      migpkg::Diagnostics diagnostics;
      auto program =
          migpkg::load_and_validate({source_dir() + "/tests/cases/ddl-alter"}, diagnostics);
      auto facts = migpkg::runtime::migration_facts(program);
      auto tables = facts.at("test.alter/alter-changes").tables_before;
      REQUIRE(tables.size() == 2);
      auto seeded = migpkg::runtime::seed_tables(*connection, tables, {500, 7, 0});
      REQUIRE_FALSE(seeded.inserted.empty());
    }
    std::string before = database_state(url);
    bool sqlite = url.rfind("sqlite:", 0) == 0;
    std::string file = sqlite ? url.substr(7) : "";
    std::string hash = sqlite ? file_sha256(file) : "";

    auto result = run_cli("check tests/cases/ddl-alter --against '" + url + "' --json");
    INFO(result.out << result.err);
    CHECK(result.exit_code == 0);
    auto report = nlohmann::json::parse(result.out);
    CHECK(report["ok"] == true);
    CHECK(report["against"] == true);
    REQUIRE(report["migrations"].size() == 2);  // 001 is installed: 002 and 003 are pending
    CHECK(report["migrations"][0]["id"] == "alter-changes");
    for (const auto& m : report["migrations"]) {
      CHECK(m["upData"]["rowsTouched"].get<std::int64_t>() >= 0);
      CHECK(m["upData"]["milliseconds"].get<double>() >= 0);
    }

    if (sqlite) CHECK(file_sha256(file) == hash);
    CHECK(database_state(url) == before);

    if (!sqlite) {
      // Another session on the original: no TEMPLATE copy, the tables are copied instead.
      auto other = migpkg::runtime::open_connection(migpkg::runtime::DatabaseUrl::parse(url));
      auto copied = run_cli("check tests/cases/ddl-alter --against '" + url + "'");
      INFO(copied.out << copied.err);
      CHECK(copied.exit_code == 0);
      CHECK(copied.out.find("a copy (table copy) of") != std::string::npos);
      CHECK(copied.out.find("2 pending migrations") != std::string::npos);
      CHECK(database_state(url) == before);
    }
  });
}

TEST_CASE("the row generator writes edge values and respects keys and foreign keys",
          "[check][seed][sqlite][postgresql]") {
  for_each_engine([&](Connection& connection, const std::string& dialect) {
    // SQLite's INTEGER is 64-bit (and INTEGER PRIMARY KEY the rowid); elsewhere that is BIGINT.
    std::string big = dialect == "sqlite" ? "INTEGER" : "BIGINT";
    connection.execute("CREATE TABLE gen_parent (id " + big +
                       " PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE)");
    connection.execute("CREATE TABLE gen_child (id " + big + " PRIMARY KEY, parent_id " + big +
                       " NOT NULL REFERENCES gen_parent (id), "
                       "manager_id " +
                       big +
                       " REFERENCES gen_child (id), small INTEGER NOT NULL, "
                       "amount " +
                       big + ", label VARCHAR(10), body TEXT, day DATE)");
    std::vector<migpkg::runtime::SeedTable> tables;
    for (const auto& name : migpkg::runtime::user_tables(connection))
      tables.push_back(*migpkg::runtime::seed_table_from_database(connection, name));
    REQUIRE(tables.size() == 2);
    auto outcome = migpkg::runtime::seed_tables(connection, tables, {200, 3, 0});
    auto count = [&](const std::string& sql) {
      return std::stoll(connection.query(sql).rows.at(0).at(0).value_or("-1"));
    };
    // SQLite's INTEGER PRIMARY KEY is the rowid: the child's ids are numbered by SQLite, so
    // both tables are filled completely.
    CHECK(count("SELECT count(*) FROM gen_parent") == 200);
    CHECK(count("SELECT count(*) FROM gen_child") == 200);
    CHECK(outcome.inserted["gen_child"] == 200);
    CHECK(count("SELECT count(DISTINCT code) FROM gen_parent") == 200);
    // Every reference points at a parent, some self references are set, some are NULL.
    CHECK(count("SELECT count(*) FROM gen_child c WHERE NOT EXISTS (SELECT 1 FROM gen_parent p "
                "WHERE p.id = c.parent_id)") == 0);
    CHECK(count("SELECT count(*) FROM gen_child WHERE manager_id IS NULL") > 0);
    // A self reference points at an earlier row when the generator writes the key itself (on
    // SQLite the rowid is numbered by SQLite, so only rows of an earlier round could be named).
    if (dialect != "sqlite")
      CHECK(count("SELECT count(*) FROM gen_child c JOIN gen_child m ON m.id = c.manager_id") > 0);
    // Edge values: integer limits, empty and full-length strings, non-ASCII text, NULLs.
    CHECK(count("SELECT count(*) FROM gen_child WHERE small = 2147483647") > 0);
    CHECK(count("SELECT count(*) FROM gen_child WHERE small = -2147483648") > 0);
    CHECK(count("SELECT count(*) FROM gen_child WHERE label = ''") > 0);
    CHECK(count("SELECT count(*) FROM gen_child WHERE length(label) = 10") > 0);
    CHECK(count("SELECT count(*) FROM gen_child WHERE body LIKE '%世界%'") > 0);
    CHECK(count("SELECT count(*) FROM gen_child WHERE length(body) >= 4000") > 0);
    CHECK(count("SELECT count(*) FROM gen_child WHERE amount IS NULL") > 0);
    CHECK(count("SELECT count(*) FROM gen_child WHERE day = '2000-02-29'") > 0);
    if (dialect != "sqlite")
      CHECK(count("SELECT count(*) FROM gen_child WHERE amount = 9223372036854775807") > 0);
    // A second seeding tops up to the count: nothing to add.
    auto again = migpkg::runtime::seed_tables(connection, tables, {200, 3, 1});
    CHECK(again.inserted.empty());
  });
}

TEST_CASE("check --against refuses on drift as install does and leaves the database untouched",
          "[check][against][sqlite]") {
  std::string dir = make_temp_dir();
  std::string db = dir + "/real.db";
  REQUIRE(run_cli("install tests/cases/ddl-alter/001-base.json --db sqlite:" + db).exit_code == 0);
  std::string hash = file_sha256(db);
  // The installed migration, changed since: a wider name column.
  write_file(dir + "/001-base.json", [&] {
    std::string text = read_file(source_dir() + "/tests/cases/ddl-alter/001-base.json");
    auto at = text.find("\"string(100)\"");
    REQUIRE(at != std::string::npos);
    return text.replace(at, 13, "\"string(120)\"");
  }());
  auto result = run_cli("check " + dir + "/001-base.json --against sqlite:" + db + " --json");
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  auto report = nlohmann::json::parse(result.out);
  CHECK(report["ok"] == false);
  CHECK(result.out.find("an applied migration must not change") != std::string::npos);
  CHECK(file_sha256(db) == hash);
}
