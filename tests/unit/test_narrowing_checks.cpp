// The narrowing pre-checks of tests/cases/ddl-narrowing, as planned for each engine the suite
// runs (SQLite, PostgreSQL, MariaDB), run against a table with rows: each counts exactly the
// rows whose value does not fit the new type, and names them in the message; once every value
// fits, the whole migration runs up and then down (the automatic down narrows a widened column
// back, with its own check) and keeps the values.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <cstdio>
#include <map>
#include <regex>

#include "runtime/executor/step_runner.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

const char* const kCase = "tests/cases/ddl-narrowing";

// Rows of the case's "orders": 1 fits every new type; 2 and 3 do not (too long, out of range
// both ways, too many decimals, a fraction, beyond float32).
const char* const kRows[] = {
    "INSERT INTO orders (id, note, code, label, qty, small, amount, whole, ratio) VALUES "
    "(1, 'fits', 'abc', 'short', 5, 5, 1.25, 3, 0.5)",
    "INSERT INTO orders (id, note, code, label, qty, small, amount, whole, ratio) VALUES "
    "(2, 'NOTE', 'abcdefgh', 'x', 3000000000, 40000, 1.2345, 2.5, 1e39)",
    "INSERT INTO orders (id, note, code, label, qty, small, amount, whole, ratio) VALUES "
    "(3, 'short', 'ab', 'x', -3000000000, -40000, 2, 4, -0.25)",
};
const char* const kMisfits = "DELETE FROM orders WHERE id > 1";

std::string long_note() {
  return std::string(250, 'n');
}
std::string row(const char* sql) {
  return std::regex_replace(sql, std::regex("NOTE"), long_note());
}

// Up step id -> rows that do not fit, and the message the runtime fills in.
struct Expected {
  int count;
  std::string message;
};
const std::map<std::string, Expected>& expected() {
  static const std::map<std::string, Expected> table = {
      {"note-200",
       {1,
        "narrowing \"orders\".\"note\" from text to string(200): rows that do not fit: 1 "
        "(longest 250 characters)"}},
      {"code-char",
       {1,
        "narrowing \"orders\".\"code\" from string(20) to char(5): rows that do not fit: 1 "
        "(longest 8 characters)"}},
      {"qty-int32",
       {2,
        "narrowing \"orders\".\"qty\" from int64 to int32: rows that do not fit: 2 (values "
        "from -3000000000 to 3000000000)"}},
      {"small-int16",
       {2,
        "narrowing \"orders\".\"small\" from int32 to int16: rows that do not fit: 2 (values "
        "from -40000 to 40000)"}},
      {"amount-cents", {1, ""}},  // the decimal's text differs between engines
      {"whole-int32", {1, ""}},
      {"ratio-float32", {1, ""}},
  };
  return table;
}

const migpkg::plan::Check* narrowing_check(const migpkg::plan::Step& step) {
  for (const auto& check : step.pre_checks)
    if (check.origin == "narrowing") return &check;
  return nullptr;
}

}  // namespace

TEST_CASE("narrowing checks count the rows that do not fit, and then let the change run",
          "[narrowing][sqlite][postgresql]") {
  for_each_engine([](migpkg::runtime::Connection& connection, const std::string& dialect) {
    migpkg::plan::Plan plan = plan_for(kCase, dialect);
    REQUIRE(plan.migrations.size() == 1);
    const auto& migration = plan.migrations.front();
    migpkg::runtime::RunOptions options;
    migpkg::runtime::run_steps(connection, {migration.up.front()}, options);  // create
    for (const char* sql : kRows) connection.execute(row(sql));
    int checked = 0;
    for (const auto& step : migration.up) {
      const migpkg::plan::Check* check = narrowing_check(step);
      if (!check) continue;
      ++checked;
      INFO(dialect << " step " << step.id << ": " << check->sql);
      REQUIRE(expected().count(step.id));
      const Expected& want = expected().at(step.id);
      auto result = connection.query(check->sql);
      REQUIRE(result.rows.size() == 1);
      CHECK(result.rows[0][0].value_or("NULL") == "0");
      CHECK(result.rows[0][1].value_or("NULL") == std::to_string(want.count));
      // Through the step runner: the step fails with the filled-in message and changes nothing.
      try {
        migpkg::runtime::run_steps(connection, {step}, options);
        FAIL("the step ran although a value does not fit");
      } catch (const migpkg::runtime::StepFailure& failure) {
        if (!want.message.empty()) CHECK(std::string(failure.what()) == want.message);
        CHECK(std::string(failure.what()).find("{") == std::string::npos);
      }
    }
    CHECK(checked == static_cast<int>(expected().size()));
    CHECK(connection.query("SELECT note FROM orders WHERE id = 2").rows[0][0] == long_note());
    CHECK(connection.query("SELECT qty FROM orders WHERE id = 3").rows[0][0] == "-3000000000");
    // Once the values fit, every check passes and the migration runs up and down.
    connection.execute(kMisfits);
    std::vector<migpkg::plan::Step> rest(migration.up.begin() + 1, migration.up.end());
    migpkg::runtime::run_steps(connection, rest, options);
    CHECK(connection.query("SELECT code FROM orders WHERE id = 1").rows[0][0].value_or("") ==
          (dialect == "postgresql" ? "abc  " : "abc"));
    CHECK(connection.query("SELECT small FROM orders WHERE id = 1").rows[0][0] == "5");
    std::vector<migpkg::plan::Step> down(migration.down.begin(), migration.down.end() - 1);
    migpkg::runtime::run_steps(connection, down, options);  // all but the drop table
    CHECK(connection.query("SELECT label FROM orders WHERE id = 1").rows[0][0] == "short");
    CHECK(connection.query("SELECT qty FROM orders WHERE id = 1").rows[0][0] == "5");
  });
}

TEST_CASE("narrowing checks of the MySQL plan count the rows that do not fit on MariaDB",
          "[narrowing][mysql]") {
  std::string url = mysql_url();
  if (url.empty()) {
    WARN("MariaDB part skipped: MIGPKG_TEST_MYSQL_URL is not set");
    return;
  }
  std::string db = "migpkg_narrowing_checks";
  std::string server = mariadb_client(url);
  REQUIRE_FALSE(server.empty());
  REQUIRE(shell(server + " -e 'DROP DATABASE IF EXISTS " + db + "; CREATE DATABASE " + db + "'") ==
          0);
  std::string client = server + " -N -B " + db + " -e ";
  migpkg::plan::Plan plan = plan_for(kCase, "mysql");
  const auto& migration = plan.migrations.front();
  auto run = [&](const std::string& sql) { return capture(client + shell_quoted(sql)); };
  for (const auto& statement : migration.up.front().statements)
    REQUIRE(run(statement) != "<failed>");
  for (const char* sql : kRows) REQUIRE(run(row(sql)) != "<failed>");
  int checked = 0;
  for (const auto& step : migration.up) {
    const migpkg::plan::Check* check = narrowing_check(step);
    if (!check) continue;
    ++checked;
    INFO("step " << step.id << ": " << check->sql);
    std::string out = run(check->sql);
    REQUIRE(out != "<failed>");
    CHECK(out.substr(0, out.find('\t', 2)) == "0\t" + std::to_string(expected().at(step.id).count));
  }
  CHECK(checked == static_cast<int>(expected().size()));
  // With the values that fit, every check passes before its statements, up and then down.
  REQUIRE(run(kMisfits) != "<failed>");
  for (const auto* steps : {&migration.up, &migration.down}) {
    for (const auto& step : *steps) {
      if (&step == &migration.up.front()) continue;
      if (const migpkg::plan::Check* check = narrowing_check(step)) {
        INFO("step " << step.id << ": " << check->sql);
        CHECK(run(check->sql).substr(0, 3) == "1\t0");
      }
      for (const auto& statement : step.statements) CHECK(run(statement) != "<failed>");
    }
  }
  shell(server + " -e 'DROP DATABASE IF EXISTS " + db + "'");
}
