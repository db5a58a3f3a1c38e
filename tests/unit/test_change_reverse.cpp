// Every declarative up step carries its own reverse (the compiled inverse of its change): run
// after the up steps of a migration, last first, the reverses restore the schema exactly, on
// both real engines. The runtime uses them to undo a half-applied migration step by step.
#include <catch2/catch.hpp>

#include "runtime/check/schema_snapshot.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

TEST_CASE("each change step's reverse undoes just that step", "[reverse][sqlite][postgresql]") {
  for (const char* dir : {"tests/cases/ddl-alter", "tests/cases/ddl-types"}) {
    DYNAMIC_SECTION(dir) {
      for_each_engine([&](migpkg::runtime::Connection& connection, const std::string& dialect) {
        auto plan = plan_for(dir, dialect);
        REQUIRE_FALSE(plan.migrations.empty());
        for (const auto& m : plan.migrations) {
          INFO(dialect << " " << m.id);
          auto before = migpkg::runtime::inspect_schema(connection);
          for (const auto& step : m.up) {
            REQUIRE(step.reverse.has_value());
            for (const auto& statement : step.statements) connection.execute(statement);
          }
          CHECK_FALSE(
              migpkg::runtime::diff_schema(before, migpkg::runtime::inspect_schema(connection))
                  .empty());
          for (auto step = m.up.rbegin(); step != m.up.rend(); ++step)
            for (const auto& statement : *step->reverse) connection.execute(statement);
          CHECK(migpkg::runtime::diff_schema(before, migpkg::runtime::inspect_schema(connection))
                    .empty());
          // Apply the migration again: the next one builds on it.
          for (const auto& step : m.up)
            for (const auto& statement : step.statements) connection.execute(statement);
        }
      });
    }
  }
}

TEST_CASE("raw SQL steps have no reverse", "[reverse]") {
  auto plan = plan_for("tests/cases/minimal", "sqlite");
  REQUIRE_FALSE(plan.migrations.empty());
  for (const auto& step : plan.migrations[0].up) CHECK_FALSE(step.reverse.has_value());
}
