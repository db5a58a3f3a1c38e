// SQLite's table rebuild at run time (runtime/executor/sqlite_rebuild.hpp): what the scenarios
// rebuild-* (cascade, referenced, violation, raw-objects) cannot say because it is SQLite's alone,
// the message naming the rows that violate a foreign key, `check` keeping raw-SQL objects, the
// connection's foreign keys after a run, and how a rebuild step is recognized.
#include <catch2/catch.hpp>

#include "runtime/executor/sqlite_rebuild.hpp"
#include "runtime/executor/step_runner.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using migpkg::runtime::open_sqlite;

namespace {

const std::string kFixtures = "tests/scenarios/fixtures/";

std::string count(migpkg::runtime::Connection& db, const std::string& sql) {
  return db.query(sql).rows.at(0).at(0).value_or("NULL");
}

migpkg::plan::Step step_with(std::vector<std::string> statements) {
  migpkg::plan::Step step;
  step.id = "s";
  step.statements = std::move(statements);
  return step;
}

}  // namespace

TEST_CASE("a rebuild that leaves a foreign-key violation fails naming the table and rowid",
          "[sqlite][rebuild]") {
  std::string dir = make_temp_dir();
  for (const std::string mode : {"", " --single-transaction", " --commit-interval 60000"}) {
    INFO("install" << mode);
    std::string db = "sqlite:" + dir + "/v" + std::to_string(mode.size()) + ".db";
    REQUIRE(
        run_cli("install " + kFixtures + "rebuild-violation/001-base.mig --db " + db).exit_code ==
        0);
    auto failed = run_cli("install " + kFixtures + "rebuild-violation --db " + db + mode);
    CHECK(failed.exit_code == 1);
    CHECK_THAT(failed.err, Catch::Contains("step add-constraint-child.fk_child_parent failed: rows "
                                           "violate foreign keys (PRAGMA foreign_key_check): "
                                           "table \"child\" rowid 30 references no row of "
                                           "\"parent\""));
    CHECK_THAT(failed.err, !Catch::Contains("FOREIGN KEY constraint failed"));
  }
}

TEST_CASE("check keeps the raw-SQL index and trigger of a table it rebuilds",
          "[sqlite][rebuild][check]") {
  auto checked = run_cli("check " + kFixtures + "rebuild-raw-objects");
  INFO(checked.out << checked.err);
  CHECK(checked.exit_code == 0);
  CHECK_THAT(checked.out, Catch::Contains("o2 1.1.0: up ok, down ok"));
  CHECK_THAT(checked.out, Catch::Contains("o3 1.2.0: up ok, down ok"));
}

TEST_CASE("run_steps switches foreign keys off for a rebuild and on again after it",
          "[sqlite][rebuild]") {
  migpkg::plan::Plan plan = plan_for(kFixtures + "rebuild-cascade", "sqlite");
  REQUIRE(plan.migrations.size() == 2);
  std::string dir = make_temp_dir();
  auto db = open_sqlite(dir + "/c.db");
  migpkg::runtime::RunOptions options;
  migpkg::runtime::run_steps(*db, plan.migrations[0].up, options);
  migpkg::runtime::run_steps(*db, plan.migrations[1].up, options);
  CHECK(count(*db, "SELECT COUNT(*) FROM child") == "2");
  CHECK(count(*db, "PRAGMA foreign_keys") == "1");
  migpkg::runtime::run_steps(*db, plan.migrations[1].down, options);
  CHECK(count(*db, "SELECT COUNT(*) FROM child") == "2");
  CHECK(count(*db, "PRAGMA foreign_keys") == "1");
  // The key and its cascade survived both rebuilds.
  db->execute("DELETE FROM parent WHERE id = 1");
  CHECK(count(*db, "SELECT COUNT(*) FROM child") == "1");

  SECTION("a rebuild step run on its own with foreign keys on is refused, and deletes nothing") {
    db->begin();
    CHECK_THROWS_WITH(migpkg::runtime::run_step(*db, plan.migrations[1].up.at(0), options),
                      Catch::Contains("a table rebuild must run with foreign keys off"));
    db->rollback();
    CHECK(count(*db, "SELECT COUNT(*) FROM child") == "1");
  }
}

TEST_CASE("a rebuild step is recognized by the compiler's rename statement", "[rebuild]") {
  using migpkg::runtime::rebuilt_tables;
  CHECK(rebuilt_tables(step_with({"CREATE TABLE \"migpkg_rebuild_t\" (x INTEGER)",
                                  "ALTER TABLE \"migpkg_rebuild_t\" RENAME TO \"t\""})) ==
        std::vector<std::string>{"t"});
  // Names holding quotes, dots and spaces, as the dialect quotes them.
  CHECK(rebuilt_tables(
            step_with({"ALTER TABLE \"migpkg_rebuild_a\"\"b.c d\" RENAME TO \"a\"\"b.c d\""})) ==
        std::vector<std::string>{"a\"b.c d"});
  CHECK(
      rebuilt_tables(step_with({"ALTER TABLE \"migpkg_rebuild_s\".\"t\" RENAME TO \"s\".\"t\""})) ==
      std::vector<std::string>{"t"});
  // Anything else is not a rebuild.
  CHECK(rebuilt_tables(step_with({"ALTER TABLE \"t\" RENAME TO \"u\"",
                                  "alter table migpkg_rebuild_t rename to t",
                                  "ALTER TABLE \"migpkg_rebuild_t\" ADD COLUMN x INTEGER",
                                  "ALTER TABLE \"migpkg_rebuild_t"}))
            .empty());
}

TEST_CASE("a rebuild that cannot restore a raw-SQL object fails naming it", "[sqlite][rebuild]") {
  auto db = open_sqlite(":memory:");
  db->execute(
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT); INSERT INTO t VALUES (1, 'x', "
      "'y'), (2, 'x', 'z'); CREATE INDEX t_b ON t (b); CREATE UNIQUE INDEX t_a_b ON t (a, b)");
  // A rebuild that drops column b: the index on b goes, as PostgreSQL drops the indexes of a
  // dropped column; the unique index over (a, b) has lost its column too.
  auto rebuild_without_b =
      step_with({"CREATE TABLE \"migpkg_rebuild_t\" (id INTEGER PRIMARY KEY, a TEXT)",
                 "INSERT INTO \"migpkg_rebuild_t\" (id, a) SELECT id, a FROM t", "DROP TABLE \"t\"",
                 "ALTER TABLE \"migpkg_rebuild_t\" RENAME TO \"t\""});
  migpkg::runtime::RunOptions options;
  migpkg::runtime::run_steps(*db, {rebuild_without_b}, options);
  CHECK(count(*db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'") == "0");
  CHECK(count(*db, "SELECT COUNT(*) FROM t") == "2");

  // A unique index that the copied rows no longer satisfy cannot come back: the step fails,
  // names it, and the table is as it was.
  db->execute("DELETE FROM t; INSERT INTO t VALUES (1, 'X'), (2, 'x')");
  db->execute("CREATE UNIQUE INDEX t_a_raw ON t (a)");
  auto rebuild_lowercase =
      step_with({"CREATE TABLE \"migpkg_rebuild_t\" (id INTEGER PRIMARY KEY, a TEXT)",
                 "INSERT INTO \"migpkg_rebuild_t\" (id, a) SELECT id, lower(a) FROM t",
                 "DROP TABLE \"t\"", "ALTER TABLE \"migpkg_rebuild_t\" RENAME TO \"t\""});
  CHECK_THROWS_WITH(migpkg::runtime::run_steps(*db, {rebuild_lowercase}, options),
                    Catch::Contains("the rebuild of table \"t\" dropped its index \"t_a_raw\"") &&
                        Catch::Contains("UNIQUE constraint failed"));
  CHECK(count(*db, "SELECT group_concat(a) FROM t") == "X,x");
  CHECK(count(*db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 't_a_raw'") == "1");
  CHECK(count(*db, "PRAGMA foreign_keys") == "1");
}

TEST_CASE("a view that was broken before a rebuild does not fail it", "[sqlite][rebuild]") {
  auto db = open_sqlite(":memory:");
  db->execute(
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); INSERT INTO t VALUES (1, 'x'); "
      "CREATE TABLE t_gone (x); CREATE VIEW t_stale AS SELECT x FROM t_gone; DROP TABLE t_gone; "
      "CREATE VIEW t_live AS SELECT a FROM t");
  // As the compiler writes it: the rename under legacy_alter_table, which re-checks no view.
  auto rebuild = step_with({"CREATE TABLE \"migpkg_rebuild_t\" (id INTEGER PRIMARY KEY, a TEXT)",
                            "INSERT INTO \"migpkg_rebuild_t\" (id, a) SELECT id, a FROM t",
                            "DROP TABLE \"t\"", "PRAGMA legacy_alter_table = ON",
                            "ALTER TABLE \"migpkg_rebuild_t\" RENAME TO \"t\"",
                            "PRAGMA legacy_alter_table = OFF"});
  migpkg::runtime::RunOptions options;
  migpkg::runtime::run_steps(*db, {rebuild}, options);
  CHECK(count(*db, "SELECT a FROM t_live") == "x");

  // The live view breaks when the rebuild drops its column: refused, and nothing changes.
  auto drop_a = step_with({"CREATE TABLE \"migpkg_rebuild_t\" (id INTEGER PRIMARY KEY)",
                           "INSERT INTO \"migpkg_rebuild_t\" (id) SELECT id FROM t",
                           "DROP TABLE \"t\"", "PRAGMA legacy_alter_table = ON",
                           "ALTER TABLE \"migpkg_rebuild_t\" RENAME TO \"t\"",
                           "PRAGMA legacy_alter_table = OFF"});
  CHECK_THROWS_WITH(migpkg::runtime::run_steps(*db, {drop_a}, options),
                    Catch::Contains("view \"t_live\" no longer works after the rebuild of table "
                                    "\"t\": no such column: a"));
  CHECK(count(*db, "SELECT a FROM t_live") == "x");
}
