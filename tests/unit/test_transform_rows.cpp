// Transform SQL against the real engines: each case with expected/rows.json is applied (up
// steps, checks enforced) and the target rows must be exactly the expected ones.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "compiler/json/json_loader.hpp"
#include "compiler/planner/planner.hpp"
#include "runtime/check/schema_snapshot.hpp"
#include "runtime/executor/step_runner.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

TEST_CASE("transform steps produce the expected rows", "[transform][sqlite][postgresql]") {
  int cases = 0;
  for (const auto& name : list_dir(source_dir() + "/tests/cases", true)) {
    std::string expected_path = source_dir() + "/tests/cases/" + name + "/expected/rows.json";
    if (!path_exists(expected_path)) continue;
    ++cases;
    auto expected = nlohmann::json::parse(read_file(expected_path));
    DYNAMIC_SECTION(name) {
      for_each_engine([&](migpkg::runtime::Connection& connection, const std::string& dialect) {
        // Raw SQL written for other engines only (no goldens for this dialect) is not run here.
        if (!written_for("tests/cases/" + name, dialect)) return;
        auto plan = plan_for("tests/cases/" + name, dialect);
        migpkg::runtime::RunOptions enforce;  // checks fail the step, as at install time
        for (const auto& m : plan.migrations) migpkg::runtime::run_steps(connection, m.up, enforce);
        auto rows = connection.query(expected["query"].get<std::string>()).rows;
        REQUIRE(rows.size() == expected["rows"].size());
        for (std::size_t r = 0; r < rows.size(); ++r) {
          const auto& want = expected["rows"][r];
          REQUIRE(rows[r].size() == want.size());
          for (std::size_t c = 0; c < want.size(); ++c) {
            INFO(dialect << " row " << r << " column " << c);
            if (want[c].is_null())
              CHECK_FALSE(rows[r][c].has_value());
            else
              CHECK(rows[r][c].value_or("<NULL>") == want[c].get<std::string>());
          }
        }
      });
    }
  }
  CHECK(cases >= 3);
}

TEST_CASE("a failing error rule rolls the transform back", "[transform][sqlite][postgresql]") {
  for_each_engine([&](migpkg::runtime::Connection& connection, const std::string& dialect) {
    if (!written_for("tests/cases/transform-lookups", dialect)) return;
    auto plan = plan_for("tests/cases/transform-lookups", dialect);
    REQUIRE(plan.migrations.size() == 1);
    auto steps = plan.migrations[0].up;
    // Turn every rule into a failing error rule: the migration must fail and leave nothing.
    bool has_rule = false;
    for (auto& step : steps)
      for (auto& check : step.post_checks)
        if (check.origin == "rule") {
          check.sql = "SELECT 1 = 0";
          check.is_error = true;
          has_rule = true;
        }
    REQUIRE(has_rule);
    migpkg::runtime::RunOptions enforce;
    CHECK_THROWS_AS(migpkg::runtime::run_steps(connection, steps, enforce),
                    migpkg::runtime::StepFailure);
    CHECK_FALSE(connection.in_transaction());
    CHECK(migpkg::runtime::inspect_schema(connection).objects.empty());  // nothing half-applied
  });
}

TEST_CASE("a check passes only on true or a non-zero number", "[transform][sqlite][postgresql]") {
  for_each_engine([&](migpkg::runtime::Connection& connection, const std::string&) {
    auto passes = [&](const std::string& sql) {
      return migpkg::runtime::check_passes(connection, {sql, "m", true, "postValidation"});
    };
    CHECK(passes("SELECT 1 = 1"));
    CHECK(passes("SELECT 2"));
    CHECK(passes("SELECT 0.5"));
    CHECK_FALSE(passes("SELECT 1 = 0"));
    CHECK_FALSE(passes("SELECT 0"));
    CHECK_FALSE(passes("SELECT NULL"));
    CHECK_FALSE(passes("SELECT 'nan'"));
    CHECK_FALSE(passes("SELECT 'inf'"));
    CHECK_FALSE(passes("SELECT 'yes'"));
    CHECK_FALSE(passes("SELECT 1 WHERE 1 = 0"));  // no row
  });
}

TEST_CASE("a blank filter means every row", "[transform]") {
  auto document =
      nlohmann::json::parse(read_file(source_dir() + "/tests/cases/minimal/001-create-table.json"));
  auto& up = document["migration"]["steps"]["up"];
  up.push_back({{"id", "copy"},
                {"name", "Copy"},
                {"transform",
                 {{"source", "a"},
                  {"target", "b"},
                  {"filter", "  WHERE   "},
                  {"mapping", {{{"source", "x"}, {"target", "x"}}}}}}});
  migpkg::Diagnostics diagnostics;
  auto migration = migpkg::load_portable_migration(document, "doc.json", diagnostics);
  REQUIRE(migration);
  REQUIRE(diagnostics.empty());
  auto compiled =
      migpkg::compile_transform(*migration->up.back().transform, *migpkg::find_dialect("sqlite"));
  CHECK(compiled.insert_sql == "INSERT INTO \"b\" (\"x\")\nSELECT \"x\" AS \"x\"\nFROM \"a\"");
  CHECK(compiled.info.batched_insert.find("WHERE {batch}") != std::string::npos);
}
