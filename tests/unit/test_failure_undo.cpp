// A journalled migration (steps outside a transaction; on MySQL every DDL step) that fails is
// undone at once, newest step first, with the reverses of the steps it had committed: for every
// position of the failing step, every way it fails and every mix of steps inside and outside a
// transaction, the database afterwards equals the database before, schema and rows, and nothing
// is left half-done. Where the undo cannot be trusted (a step left part way) or fails itself,
// the migration is left PARTIAL with a journal that says exactly which steps are in effect, so
// install resumes it from there.
//
// The engines are listed once (kEngines): a new runtime engine is one more line there.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

#include "runtime/check/schema_snapshot.hpp"
#include "runtime/check/table_rows.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/history/bookkeeping.hpp"
#include "runtime/installer/migration_runner.hpp"
#include "runtime/installer/step_reverses.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using nlohmann::json;

namespace {

// A database of one engine for one test: its URL, and what must live as long as it is used.
struct TestDatabase {
  std::string url;
  std::shared_ptr<void> keep;
};

struct EngineUnderTest {
  const char* name;
  // A new, empty database; nullopt when the engine's test server is not configured (the helpers
  // in test_support then fail the test under CI=true or MIGPKG_REQUIRE_PG=1).
  std::function<std::optional<TestDatabase>()> database;
};

const std::vector<EngineUnderTest> kEngines = {
    {"sqlite",
     [] {
       return std::optional<TestDatabase>({"sqlite:" + make_temp_dir() + "/undo.db", {}});
     }},
    {"postgresql",
     []() -> std::optional<TestDatabase> {
       std::string server = postgres_url();
       if (server.empty()) return std::nullopt;
       auto scratch = std::make_shared<migpkg::runtime::TemporaryDatabase>(server, "migpkg_undo");
       return TestDatabase{scratch->url(), scratch};
     }},
    {"mysql",
     []() -> std::optional<TestDatabase> {
       std::string server = mysql_url();
       if (server.empty()) return std::nullopt;
       auto scratch = std::make_shared<migpkg::runtime::TemporaryDatabase>(server, "migpkg_undo");
       return TestDatabase{scratch->url(), scratch};
     }},
};

void for_each_engine_database(const std::function<void(const std::string& url)>& body) {
  for (const auto& engine : kEngines) {
    auto database = engine.database();
    if (!database) {
      WARN(std::string(engine.name) + " part skipped: its test server is not configured");
      continue;
    }
    INFO("engine: " << engine.name);
    body(database->url);
  }
}

std::unique_ptr<migpkg::runtime::Connection> connect(const std::string& url) {
  return migpkg::runtime::open_connection(migpkg::runtime::DatabaseUrl::parse(url));
}

// Everything a user could see of the database: its schema and the rows of every table (sorted:
// PostgreSQL may return rows in another order after the undo touched their table).
struct Snapshot {
  migpkg::runtime::SchemaSnapshot schema;
  migpkg::runtime::DataSnapshot rows;
};

Snapshot snapshot(const std::string& url) {
  auto c = connect(url);
  Snapshot out{migpkg::runtime::inspect_schema(*c), migpkg::runtime::snapshot_rows(*c)};
  for (auto& [table, rows] : out.rows) std::sort(rows.rows.begin(), rows.rows.end());
  return out;
}

void require_same(const Snapshot& before, const Snapshot& after) {
  std::string difference;
  for (const auto& line : migpkg::runtime::diff_schema(before.schema, after.schema))
    difference += line + "\n";
  INFO("schema difference:\n" << difference);
  CHECK(before.schema == after.schema);
  for (const auto& [table, rows] : before.rows) {
    INFO("table " << table);
    auto now = after.rows.find(table);
    REQUIRE(now != after.rows.end());
    CHECK(rows.columns == now->second.columns);
    CHECK(rows.rows == now->second.rows);
  }
  CHECK(before.rows.size() == after.rows.size());
}

std::string scalar(const std::string& url, const std::string& sql) {
  auto result = connect(url)->query(sql);
  return result.rows.empty() ? "" : result.rows[0][0].value_or("NULL");
}

// The base: two tables holding rows, NULLs among them.
json base_migration() {
  std::string items = "INSERT INTO prop_items (id, name, qty) VALUES ";
  for (int i = 1; i <= 20; ++i)
    items += (i > 1 ? ", (" : "(") + std::to_string(i) + ", 'item " + std::to_string(i) + "', " +
             std::to_string(i * 7 % 11 - 3) + ")";
  auto column = [](const char* name, const char* type, bool nullable) {
    return json{{"name", name}, {"type", type}, {"nullable", nullable}};
  };
  auto table = [](const char* name, json columns) {
    return json{{"createTable",
                 {{"table", name},
                  {"columns", columns},
                  {"constraints", json::array({{{"kind", "primaryKey"}, {"columns", {"id"}}}})}}}};
  };
  return {{"format", "portable-migration-v1"},
          {"migration",
           {{"id", "prop-001-base"},
            {"pluginId", "test.undoprop"},
            {"version", "1.0.0"},
            {"name", "tables with rows"},
            {"type", "schema"},
            {"steps",
             {{"up", json::array(
                         {{{"id", "items"},
                           {"name", "items"},
                           {"change", table("prop_items", {column("id", "int64", false),
                                                           column("name", "string(40)", false),
                                                           column("qty", "int32", true)})}},
                          {{"id", "fill-items"}, {"name", "rows"}, {"sql", {{"universal", items}}}},
                          {{"id", "tags"},
                           {"name", "tags"},
                           {"change", table("prop_tags", {column("id", "int64", false),
                                                          column("label", "text", true)})}},
                          {{"id", "fill-tags"},
                           {"name", "rows"},
                           {"sql",
                            {{"universal",
                              "INSERT INTO prop_tags (id, label) VALUES (1, 'red'), (2, NULL), "
                              "(3, 'blue')"}}}}})},
              {"down", json::array({{{"id", "drop-tags"},
                                     {"name", "drop"},
                                     {"sql", {{"universal", "DROP TABLE prop_tags"}}}},
                                    {{"id", "drop-items"},
                                     {"name", "drop"},
                                     {"sql", {{"universal", "DROP TABLE prop_items"}}}}})}}}}}};
}

// The declarative steps of the migration that fails, in order: each has a reverse that gives
// back everything it changed.
std::vector<json> declarative_steps() {
  return {
      {{"id", "add-note"},
       {"name", "a column with a default"},
       {"change",
        {{"addColumn",
          {{"table", "prop_items"},
           {"column",
            {{"name", "note"}, {"type", "string(20)"}, {"default", {{"value", "n"}}}}}}}}}},
      {{"id", "index-name"},
       {"name", "an index"},
       {"change", {{"createIndex", {{"table", "prop_items"}, {"columns", {"name"}}}}}}},
      {{"id", "rename-label"},
       {"name", "a column renamed"},
       {"change",
        {{"renameColumn", {{"table", "prop_tags"}, {"column", "label"}, {"newName", "title"}}}}}},
      {{"id", "create-extra"},
       {"name", "a table"},
       {"change",
        {{"createTable",
          {{"table", "prop_extra"},
           {"columns",
            json::array({{{"name", "id"}, {"type", "int64"}, {"nullable", false}}})}}}}}},
      {{"id", "rename-extra"},
       {"name", "a table renamed"},
       {"change", {{"renameTable", {{"table", "prop_extra"}, {"newName", "prop_extra2"}}}}}},
  };
}

// How the step at the failing position fails.
enum class Failure {
  InTransaction,    // a statement inside the transaction (rolled back with it)
  OutsideAtOnce,    // the first statement of a step outside a transaction (nothing of it ran)
  OutsideAfterRun,  // the check after a step outside a transaction (all of it ran)
};

json failing_step(Failure failure) {
  switch (failure) {
    case Failure::InTransaction:
      return {{"id", "boom"},
              {"name", "fails"},
              {"sql", {{"universal", "INSERT INTO prop_missing (x) VALUES (1)"}}}};
    case Failure::OutsideAtOnce:
      return {{"id", "boom"},
              {"name", "fails"},
              {"transactional", false},
              {"sql", {{"universal", "INSERT INTO prop_missing (x) VALUES (1)"}}}};
    case Failure::OutsideAfterRun:
      return {{"id", "boom"},
              {"name", "runs, then its check fails"},
              {"transactional", false},
              {"postValidation", "SELECT COUNT(*) < 0 FROM prop_items"},
              {"change", {{"createIndex", {{"table", "prop_items"}, {"columns", {"qty"}}}}}}};
  }
  return {};
}

// The migration after the base that fails: `up` its steps; its down is never run here.
json second_migration(const std::string& id, const std::string& name, const json& up) {
  return {{"format", "portable-migration-v1"},
          {"migration",
           {{"id", id},
            {"pluginId", "test.undoprop"},
            {"version", "1.1.0"},
            {"name", name},
            {"type", "schema"},
            {"dependencies", {"prop-001-base"}},
            {"steps",
             {{"up", up},
              {"down", json::array({{{"id", "down"},
                                     {"name", "not run here"},
                                     {"sql", {{"universal", "SELECT 1"}}}}})}}}}}};
}

struct Case {
  std::string id;
  json source;
  std::vector<std::string> expected_undone;  // newest first
};

// The declarative steps with `outside[i]` marking those outside a transaction, the failing
// step inserted before step `position`. Which steps are committed when it fails is worked out
// here from the rules of docs/runtime.md, not from the runner: a transaction is committed before
// a step outside one, and a step outside one commits as it runs; where DDL commits at once
// (`ddl_commits`: MySQL) every declarative step here, all DDL, is such a step.
Case make_case(const std::string& pattern, std::vector<bool> outside, std::size_t position,
               Failure failure, bool ddl_commits) {
  if (ddl_commits) outside.assign(outside.size(), true);
  std::vector<json> steps = declarative_steps();
  const int kind = static_cast<int>(failure);
  Case c;
  c.id = "prop-" + pattern + "-" + std::to_string(kind) + "-" + std::to_string(position);
  json up = json::array();
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < position; ++i) {
    if (outside[i]) steps[i]["transactional"] = false;
    up.push_back(steps[i]);
    ids.push_back(steps[i]["id"]);
  }
  up.push_back(failing_step(failure));
  for (std::size_t i = position; i < steps.size(); ++i) {
    if (outside[i]) steps[i]["transactional"] = false;
    up.push_back(steps[i]);
  }
  std::size_t committed = 0;
  if (failure != Failure::InTransaction) {
    committed = position;
  } else {
    for (std::size_t i = 0; i < position; ++i)
      if (outside[i]) committed = i + 1;
  }
  if (failure == Failure::OutsideAfterRun) ids.push_back("boom"), ++committed;
  for (std::size_t i = committed; i-- > 0;) c.expected_undone.push_back(ids[i]);
  c.source = second_migration(c.id, "fails at a position", up);
  return c;
}

}  // namespace

TEST_CASE(
    "a failing journalled migration is undone at once: the database equals the one before, "
    "for every failing position",
    "[undo][sqlite][postgresql]") {
  const std::vector<std::pair<std::string, std::vector<bool>>> patterns = {
      {"all-outside", {true, true, true, true, true}},  // as every DDL step on MySQL
      {"mixed", {true, false, true, false, true}},
  };
  const std::vector<Failure> failures = {Failure::InTransaction, Failure::OutsideAtOnce,
                                         Failure::OutsideAfterRun};
  for_each_engine_database([&](const std::string& url) {
    const bool ddl_commits = migpkg::runtime::engine_of(migpkg::runtime::DatabaseUrl::parse(url))
                                 .ddl_commits_implicitly();
    std::string dir = make_temp_dir();
    write_file(dir + "/001-base.json", base_migration().dump(2));
    REQUIRE(run_cli("install '" + dir + "/001-base.json' --db '" + url + "'").exit_code == 0);
    const Snapshot before = snapshot(url);
    REQUIRE(migpkg::runtime::total_rows(before.rows) == 23);
    for (const auto& [pattern, outside] : patterns)
      for (Failure failure : failures)
        for (std::size_t position = 0; position <= declarative_steps().size(); ++position) {
          Case c = make_case(pattern, outside, position, failure, ddl_commits);
          INFO("case " << c.id);
          std::string file = dir + "/" + c.id + ".json";
          write_file(file, c.source.dump(2));
          auto run = run_cli("install '" + dir + "/001-base.json' '" + file + "' --json --db '" +
                             url + "'");
          INFO("stdout: " << run.out << "\nstderr: " << run.err);
          REQUIRE(run.exit_code == 1);
          auto report = json::parse(run.out);
          REQUIRE(report["migrations"].size() == 1);
          const json& migration = report["migrations"][0];
          CHECK(migration["action"] == "failed");
          CHECK_FALSE(migration.contains("partial"));
          CHECK(migration.value("undoneSteps", std::vector<std::string>{}) == c.expected_undone);
          CHECK(scalar(url, "SELECT state FROM migpkg_history WHERE migration_id = '" + c.id +
                                "'") == "failed");
          CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_history WHERE migration_id = '" + c.id +
                                "' AND error LIKE '%undone at once%'") ==
                (c.expected_undone.empty() ? "0" : "1"));
          CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_inflight") == "0");
          CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_journal") == "0");
          CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_applied") == "1");
          require_same(before, snapshot(url));
        }
    auto status = run_cli("status --json --db '" + url + "'");
    REQUIRE(status.exit_code == 0);
    CHECK(json::parse(status.out)["partial"].empty());
  });
}

namespace {

migpkg::plan::Step step(const std::string& id, bool outside, std::vector<std::string> statements,
                        std::optional<std::vector<std::string>> reverse) {
  migpkg::plan::Step s;
  s.id = id;
  s.name = id;
  s.kind = "sql";
  s.transactional = !outside;
  s.statements = std::move(statements);
  s.reverse = std::move(reverse);
  return s;
}

migpkg::plan::Migration plan_of(std::vector<migpkg::plan::Step> up) {
  migpkg::plan::Migration m;
  m.plugin_id = "test.undolib";
  m.id = "m1";
  m.version = "1.0.0";
  m.name = "m1";
  m.checksum = "sha256-v1:" + std::string(64, '0');
  m.up = std::move(up);
  m.down = {step("drop", false, {"SELECT 1"}, std::nullopt)};
  return m;
}

std::vector<std::string> journal_ids(migpkg::runtime::Bookkeeping& bk) {
  std::vector<std::string> ids;
  for (const auto& entry : bk.journal()) ids.push_back(entry.step_id);
  return ids;
}

}  // namespace

// Plans built by hand: a reverse that fails cannot be written in sources (the compiler derives
// reverses that work), but a plan is data, and an engine may refuse what the compiler wrote.
TEST_CASE(
    "an undo that fails leaves the migration PARTIAL with the journal listing the steps still in "
    "effect, and install resumes from there",
    "[undo][sqlite][postgresql]") {
  for_each_engine_database([&](const std::string& url) {
    auto c = connect(url);
    migpkg::runtime::Bookkeeping bk(*c);
    bk.ensure_tables();
    c->execute("CREATE TABLE lib_rows (id INTEGER PRIMARY KEY, v TEXT)");
    c->execute("INSERT INTO lib_rows (id, v) VALUES (1, 'a'), (2, NULL)");
    auto failing = plan_of({
        step("a", true, {"CREATE TABLE lib_a (x INTEGER)"}, {{"DROP TABLE lib_a"}}),
        step("b", true, {"CREATE TABLE lib_b (x INTEGER)"}, {{"DROP TABLE lib_no_such_table"}}),
        step("c", true, {"CREATE TABLE lib_c (x INTEGER)"}, {{"DROP TABLE lib_c"}}),
        step("d", false, {"INSERT INTO lib_missing (x) VALUES (1)"}, std::nullopt),
    });
    migpkg::runtime::RunContext context;
    context.actor = "test";
    migpkg::runtime::MigrationRun run;
    run.migration = &failing;
    run.steps = &failing.up;
    auto result = migpkg::runtime::run_migration(*c, bk, run, context);
    INFO(result.error);
    CHECK(result.action == "failed");
    CHECK(result.partial);
    CHECK(result.undone_steps == std::vector<std::string>{"c"});
    CHECK(result.error.find("step d failed") != std::string::npos);
    CHECK(result.error.find("undoing them at once failed: the reverse of step b failed") !=
          std::string::npos);
    CHECK(result.error.find("still done: a, b") != std::string::npos);
    CHECK(result.error.find("migpkg rollback test.undolib") != std::string::npos);
    CHECK(result.error.find("resumes it after step b") != std::string::npos);
    // The journal holds exactly the steps still in effect.
    CHECK(journal_ids(bk) == std::vector<std::string>{"a", "b"});
    REQUIRE(bk.inflight().size() == 1);
    CHECK(bk.history().back().state == "partial");
    auto tables = migpkg::runtime::user_tables(*c);
    CHECK(tables == std::vector<std::string>{"lib_a", "lib_b", "lib_rows"});

    // Resumed with the failing step fixed: c runs again (it was undone), then d.
    auto fixed = failing;
    fixed.up[3].statements = {"INSERT INTO lib_rows (id, v) VALUES (3, 'c')"};
    migpkg::runtime::MigrationRun resume;
    resume.migration = &fixed;
    resume.steps = &fixed.up;
    resume.resume_from = 2;
    resume.inflight_exists = true;
    auto resumed = migpkg::runtime::run_migration(*c, bk, resume, context);
    INFO(resumed.error);
    CHECK(resumed.action == "resumed");
    CHECK(migpkg::runtime::user_tables(*c) ==
          std::vector<std::string>{"lib_a", "lib_b", "lib_c", "lib_rows"});
    CHECK(bk.inflight().empty());
    CHECK(scalar(url, "SELECT COUNT(*) FROM lib_rows") == "3");
  });
}

TEST_CASE("a step outside a transaction that stops part way is not undone: PARTIAL, naming it",
          "[undo][sqlite][postgresql]") {
  for_each_engine_database([&](const std::string& url) {
    auto c = connect(url);
    migpkg::runtime::Bookkeeping bk(*c);
    bk.ensure_tables();
    auto failing = plan_of({
        step("a", true, {"CREATE TABLE lib_a (x INTEGER)"}, {{"DROP TABLE lib_a"}}),
        step("two", true,
             {"CREATE TABLE lib_two (x INTEGER)", "INSERT INTO lib_missing (x) VALUES (1)"},
             {{"DROP TABLE lib_two"}}),
    });
    migpkg::runtime::RunContext context;
    migpkg::runtime::MigrationRun run;
    run.migration = &failing;
    run.steps = &failing.up;
    auto result = migpkg::runtime::run_migration(*c, bk, run, context);
    INFO(result.error);
    CHECK(result.partial);
    CHECK(result.undone_steps.empty());
    CHECK(result.error.find("step two ran outside a transaction and stopped part way") !=
          std::string::npos);
    CHECK(result.error.find("steps done before it: a") != std::string::npos);
    CHECK(journal_ids(bk) == std::vector<std::string>{"a"});
    CHECK(migpkg::runtime::user_tables(*c) == std::vector<std::string>{"lib_a", "lib_two"});
  });
}

// A rollback has the same shape, but down steps carry no reverse to go back with: a failing
// journalled down stays PARTIAL, and the journal says where `rollback` continues.
TEST_CASE(
    "a failing journalled rollback stays PARTIAL: rollback again continues it, and an undo of "
    "half-applied work keeps the journal exact",
    "[undo][sqlite][postgresql]") {
  for_each_engine_database([&](const std::string& url) {
    auto c = connect(url);
    migpkg::runtime::Bookkeeping bk(*c);
    bk.ensure_tables();
    migpkg::runtime::RunContext context;
    auto tables = [&] { return migpkg::runtime::user_tables(*c); };

    // A down with steps outside a transaction, failing in its second step.
    auto applied = plan_of({step("a", true, {"CREATE TABLE lib_a (x INTEGER)"}, std::nullopt),
                            step("b", true, {"CREATE TABLE lib_b (x INTEGER)"}, std::nullopt)});
    applied.down = {step("drop-b", true, {"DROP TABLE lib_b"}, std::nullopt),
                    step("drop-a", true, {"DROP TABLE lib_gone"}, std::nullopt)};
    migpkg::runtime::MigrationRun up;
    up.migration = &applied;
    up.steps = &applied.up;
    REQUIRE(migpkg::runtime::run_migration(*c, bk, up, context).action == "applied");
    migpkg::runtime::MigrationRun down;
    down.migration = &applied;
    down.up = false;
    down.steps = &applied.down;
    auto failed = migpkg::runtime::run_migration(*c, bk, down, context);
    INFO(failed.error);
    CHECK(failed.partial);
    CHECK(failed.undone_steps.empty());
    CHECK(failed.error.find("the rollback stopped; down steps done: drop-b") != std::string::npos);
    CHECK(failed.error.find("run `migpkg rollback test.undolib` again") != std::string::npos);
    CHECK(journal_ids(bk) == std::vector<std::string>{"drop-b"});
    CHECK(tables() == std::vector<std::string>{"lib_a"});
    auto fixed = applied;
    fixed.down[1].statements = {"DROP TABLE lib_a"};
    down.migration = &fixed;
    down.steps = &fixed.down;
    down.resume_from = 1;
    down.inflight_exists = true;
    auto finished = migpkg::runtime::run_migration(*c, bk, down, context);
    INFO(finished.error);
    CHECK(finished.action == "rolled-back");
    CHECK(tables().empty());
    CHECK(bk.inflight().empty());

    // Half-applied work (three steps journalled) undone with reverses, one of which fails: the
    // steps whose reverse ran leave the journal, the others stay, for rollback or install.
    auto half = plan_of({
        step("a", true, {"CREATE TABLE lib_a (x INTEGER)"}, {{"DROP TABLE lib_a"}}),
        step("b", true, {"CREATE TABLE lib_b (x INTEGER)"}, {{"DROP TABLE lib_no_such_table"}}),
        step("c", true, {"CREATE TABLE lib_c (x INTEGER)"}, {{"DROP TABLE lib_c"}}),
        step("d", true, {"CREATE TABLE lib_d (x INTEGER)"}, {{"DROP TABLE lib_d"}}),
    });
    bk.begin_inflight(half, "up");
    for (int i = 0; i < 3; ++i) {
      c->execute(half.up[static_cast<std::size_t>(i)].statements[0]);
      bk.journal_step(half.plugin_id, half.id, "up", i, half.up[static_cast<std::size_t>(i)].id);
    }
    auto reverses = migpkg::runtime::reverses_of_done_steps(half.up, 3);
    REQUIRE(reverses.without_reverse.empty());
    migpkg::runtime::MigrationRun undo;
    undo.migration = &half;
    undo.up = false;
    undo.steps = &reverses.steps;
    undo.inflight_exists = true;
    undo.reverses_up = true;
    auto stopped = migpkg::runtime::run_migration(*c, bk, undo, context);
    INFO(stopped.error);
    CHECK(stopped.partial);
    CHECK(stopped.error.find("undoing it stopped; up steps still done: a, b") != std::string::npos);
    CHECK(stopped.error.find("resume it after step b") != std::string::npos);
    CHECK(journal_ids(bk) == std::vector<std::string>{"a", "b"});
    CHECK(tables() == std::vector<std::string>{"lib_a", "lib_b"});
  });
}

namespace {

// A trigger that refuses the history row recording `migration_id` as applied, so the
// transaction that closes that migration fails after all of its steps ran. Written in each
// engine's own trigger language (the one thing here that differs by engine).
std::string refuse_applied_history(const std::string& engine, const std::string& migration_id) {
  const std::string when = "NEW.state = 'applied' AND NEW.migration_id = '" + migration_id + "'";
  if (engine == "sqlite")
    return "CREATE TRIGGER refuse_applied BEFORE INSERT ON migpkg_history WHEN " + when +
           " BEGIN SELECT RAISE(ABORT, 'closing refused by a test trigger'); END";
  if (engine == "postgresql")
    return "CREATE FUNCTION refuse_applied() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF " +
           when +
           " THEN RAISE EXCEPTION 'closing refused by a test trigger'; END IF; RETURN NEW; END "
           "$$; CREATE TRIGGER refuse_applied BEFORE INSERT ON migpkg_history FOR EACH ROW "
           "EXECUTE FUNCTION refuse_applied()";
  return "CREATE TRIGGER refuse_applied BEFORE INSERT ON migpkg_history FOR EACH ROW BEGIN IF " +
         when +
         " THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'closing refused by a test trigger'; "
         "END IF; END";
}

}  // namespace

TEST_CASE(
    "a migration whose closing transaction fails after its last step ran outside a transaction "
    "is undone at once: the database equals the one before",
    "[undo][sqlite][postgresql]") {
  // On MySQL the last plain step goes in one script with the closing transaction
  // (docs/journal.md): its failure must still leave the step journalled and undone.
  for_each_engine_database([&](const std::string& url) {
    const std::string engine =
        migpkg::runtime::engine_of(migpkg::runtime::DatabaseUrl::parse(url)).name();
    std::string dir = make_temp_dir();
    write_file(dir + "/001-base.json", base_migration().dump(2));
    REQUIRE(run_cli("install '" + dir + "/001-base.json' --db '" + url + "'").exit_code == 0);
    connect(url)->execute(refuse_applied_history(engine, "prop-closing"));
    const Snapshot before = snapshot(url);
    REQUIRE(migpkg::runtime::total_rows(before.rows) == 23);
    std::vector<json> steps = declarative_steps();
    json up = json::array({steps[0], steps[3]});  // add-note, then create-extra (the last)
    for (auto& step : up) step["transactional"] = false;
    write_file(dir + "/002-closing.json",
               second_migration("prop-closing", "its closing fails", up).dump(2));
    auto run = run_cli("install '" + dir + "/001-base.json' '" + dir +
                       "/002-closing.json' --json --db '" + url + "'");
    INFO("stdout: " << run.out << "\nstderr: " << run.err);
    REQUIRE(run.exit_code == 1);
    auto report = json::parse(run.out);
    REQUIRE(report["migrations"].size() == 1);
    const json& migration = report["migrations"][0];
    CHECK(migration["action"] == "failed");
    CHECK(migration["error"].get<std::string>().find("closing refused by a test trigger") !=
          std::string::npos);
    CHECK_FALSE(migration.contains("partial"));
    CHECK(migration.value("undoneSteps", std::vector<std::string>{}) ==
          std::vector<std::string>{"create-extra", "add-note"});
    CHECK(scalar(url, "SELECT state FROM migpkg_history WHERE migration_id = 'prop-closing'") ==
          "failed");
    CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_inflight") == "0");
    CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_journal") == "0");
    CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_applied") == "1");
    require_same(before, snapshot(url));
  });
}
