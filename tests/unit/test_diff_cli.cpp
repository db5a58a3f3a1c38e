// `migpkg diff` and `migpkg baseline` through the command line (docs/diff.md): the migration
// diff writes for every declarative case passes `check --seed`; a diff between a SQLite and a
// PostgreSQL database, both with rows, installs on the first and makes its schema what the
// same changes made by hand give; the reports match their schemas; refusals write nothing.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/check/schema_snapshot.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/schema_assertions.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

const std::string kShop = "tests/scenarios/fixtures/baseline-shop";

std::string quoted(const std::string& text) {
  return shell_quoted(text);
}

void run_ok(const std::string& arguments) {
  CommandResult result = run_cli(arguments);
  INFO(arguments << "\n" << result.out << result.err);
  REQUIRE(result.exit_code == 0);
}

void execute(const std::string& url, const std::vector<std::string>& statements) {
  auto connection = migpkg::runtime::open_url(url);
  for (const std::string& statement : statements) connection->execute(statement);
}

std::string value(const std::string& url, const std::string& sql) {
  auto result = migpkg::runtime::open_url(url)->query(sql);
  return result.rows.at(0).at(0).value_or("NULL");
}

std::vector<std::string> snapshot(const std::string& url) {
  return migpkg::runtime::inspect_schema(*migpkg::runtime::open_url(url)).objects;
}

}  // namespace

TEST_CASE("diff's migration for every declarative case passes check --seed on SQLite",
          "[diff][sqlite]") {
  const std::string dir = make_temp_dir();
  for (const std::string& name : list_dir(source_dir() + "/tests/cases", true)) {
    if (!is_declarative_case(name)) continue;
    if (path_exists(source_dir() + "/tests/cases/" + name + "/expected/sqlite.error")) continue;
    DYNAMIC_SECTION(name) {
      const std::string out = dir + "/" + name + ".mig";
      CommandResult json = run_cli("diff empty tests/cases/" + name + " --json");
      INFO(json.out << json.err);
      REQUIRE(json.exit_code == 0);
      require_schema("diff-report.schema.json", json.out);
      if (nlohmann::json::parse(json.out)["changes"].empty()) return;  // raw SQL only
      run_ok("diff empty tests/cases/" + name + " -o " + quoted(out));
      CommandResult check = run_cli("check " + quoted(out) + " --seed 25");
      INFO(read_file(out) << check.out << check.err);
      CHECK(check.exit_code == 0);
    }
  }
}

TEST_CASE("diff between a SQLite and a PostgreSQL database with rows", "[diff][postgresql]") {
  const std::string server = postgres_url();
  if (server.empty()) return;
  const std::string dir = make_temp_dir();
  const std::string from = "sqlite:" + dir + "/shop.db";
  // The SQLite database: the plugin at 1.0.0, with rows.
  run_ok("install " + kShop + "/001-customers.mig --db " + quoted(from));
  execute(from,
          {"INSERT INTO shop_customers (id, email, name) VALUES (1, 'ada@example.com', 'Ada')",
           "INSERT INTO shop_orders (id, customer_id, total) VALUES (10, 1, 250)",
           "INSERT INTO shop_orders (id, customer_id, total) VALUES (11, 1, 40)"});
  const std::vector<std::string> before = snapshot(from);
  // The PostgreSQL one: at 1.1.0, a column added by hand, and rows.
  migpkg::runtime::TemporaryDatabase to_db(server, "migpkg_diff");
  const std::string to = to_db.url();
  run_ok("install " + kShop + " --db " + quoted(to));
  execute(to,
          {"ALTER TABLE shop_customers ADD COLUMN phone VARCHAR(30)",
           "INSERT INTO shop_customers (id, email, phone) VALUES (7, 'eve@example.com', '555')"});

  CommandResult json =
      run_cli("diff " + quoted(from) + " " + quoted(to) + " --plugin test.baseline --json");
  INFO(json.out << json.err);
  REQUIRE(json.exit_code == 0);
  require_schema("diff-report.schema.json", json.out);
  std::vector<std::string> summaries;
  const nlohmann::json report = nlohmann::json::parse(json.out);
  for (const auto& change : report["changes"])
    summaries.push_back(change["summary"]);
  CHECK(summaries == std::vector<std::string>{"add column \"shop_customers\".\"phone\"",
                                              "add column \"shop_orders\".\"note\"",
                                              "create table \"shop_coupons\""});

  // The migration goes into the plugin's sources after what the SQLite database has, and
  // installs there: its schema is then what the same changes give on a SQLite database
  // installed from the plugin's own sources, and the rows stay.
  const std::string plugin = dir + "/plugin";
  REQUIRE(shell("mkdir -p " + quoted(plugin)) == 0);
  write_file(plugin + "/001.mig", read_file(source_dir() + "/" + kShop + "/001-customers.mig"));
  run_ok("diff " + quoted(from) + " " + quoted(to) + " --plugin test.baseline -o " +
         quoted(plugin + "/002-diff.mig"));
  const std::string generated = read_file(plugin + "/002-diff.mig");
  INFO(generated);
  CHECK(generated.find("depends on shop-001") != std::string::npos);
  CHECK(generated.find("version 1.1.0") != std::string::npos);
  run_ok("check " + quoted(plugin) + " --seed 20");
  run_ok("install " + quoted(plugin) + " --db " + quoted(from));
  const std::string same = "sqlite:" + dir + "/same.db";
  run_ok("install " + kShop + " --db " + quoted(same));
  execute(same, {"ALTER TABLE shop_customers ADD COLUMN phone VARCHAR(30)"});
  std::string difference;
  for (const std::string& line :
       migpkg::runtime::diff_schema(migpkg::runtime::SchemaSnapshot{snapshot(same)},
                                    migpkg::runtime::SchemaSnapshot{snapshot(from)}))
    difference += line + "\n";
  CHECK(difference == "");
  CHECK(value(from, "SELECT SUM(total) FROM shop_orders") == "290");
  CHECK(value(from, "SELECT name FROM shop_customers WHERE id = 1") == "Ada");
  // Its downs were written out (the tables are a database's): back to 1.0.0, rows kept.
  run_ok("rollback test.baseline --to 1.0.0 --db " + quoted(from) + " --backup-dir " +
         quoted(dir + "/backups"));
  CHECK(snapshot(from) == before);
  CHECK(value(from, "SELECT SUM(total) FROM shop_orders") == "290");
}

TEST_CASE("diff refuses what it cannot read, and says which", "[diff][sqlite]") {
  const std::string dir = make_temp_dir();
  CommandResult missing = run_cli("diff " + quoted("sqlite:" + dir + "/none.db") + " empty");
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("no database at sqlite:" + dir + "/none.db") != std::string::npos);
  CHECK_FALSE(path_exists(dir + "/none.db"));
  const std::string db = "sqlite:" + dir + "/shop.db";
  run_ok("install " + kShop + "/001-customers.mig --db " + quoted(db));
  CommandResult scoped = run_cli("diff " + quoted(db) + " empty --plugin acme.other");
  CHECK(scoped.exit_code == 1);
  CHECK(scoped.err.find("acme.other") != std::string::npos);
  CommandResult usage = run_cli("diff empty");
  CHECK(usage.exit_code == 2);
  // The installed plugin's tables against its sources: the same.
  CommandResult same = run_cli("diff " + quoted(db) + " " + kShop +
                               "/001-customers.mig --plugin test.baseline --json");
  INFO(same.out << same.err);
  CHECK(same.exit_code == 0);
  CHECK(nlohmann::json::parse(same.out)["changes"].empty());
}

TEST_CASE("baseline --json reports a mismatch as data and writes nothing", "[diff][sqlite]") {
  const std::string dir = make_temp_dir();
  const std::string db = "sqlite:" + dir + "/hand.db";
  execute(db, {"CREATE TABLE shop_customers (id INTEGER PRIMARY KEY, email TEXT)"});
  CommandResult result =
      run_cli("baseline " + kShop + " --version 1.0.0 --json --db " + quoted(db));
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  require_schema("baseline-report.schema.json", result.out);
  auto report = nlohmann::json::parse(result.out);
  CHECK(report["status"] == "refused");
  CHECK_FALSE(report["difference"].empty());
  CHECK(report["fix"].is_string());
  CHECK(value(db, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'migpkg%'") == "0");
}
