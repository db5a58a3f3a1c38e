// What counts as narrowing, held against PostgreSQL, which enforces every type: for each pair
// of types (numbers with numbers, text with text), a column of the old type holding its
// extreme values is changed to the new type by the ALTER migpkg plans. PostgreSQL either keeps
// every value, or rejects or changes one (cuts a string, rounds a decimal). narrowing_of must
// call the change narrowing exactly when PostgreSQL does not keep them all, and then the
// planned pre-check, run before the ALTER, must count at least one row.
#include <catch2/catch.hpp>

#include "compiler/dialects/ddl_generator.hpp"
#include "compiler/planner/narrowing_check.hpp"
#include "compiler/schema/narrowing.hpp"
#include "compiler/schema/type_names.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

using Kind = migpkg::ir::ColumnType::Kind;

struct Sample {
  const char* type;
  std::vector<std::string> values;  // SQL literals: the type's extremes
};

std::string x(std::size_t n) {
  return "'" + std::string(n, 'x') + "'";
}

// Numbers, then text. Integer and decimal -> float changes are left out: a float keeps every
// value in range but not every digit, and migpkg does not check precision (docs/plan-format.md).
const std::vector<Sample>& numbers() {
  static const std::vector<Sample> samples = {
      {"int16", {"-32768", "32767"}},
      {"int32", {"-2147483648", "2147483647"}},
      {"int64", {"-9223372036854775808", "9223372036854775807"}},
      {"decimal(4,0)", {"-9999", "9999"}},
      {"decimal(6,2)", {"-9999.99", "9999.99"}},
      {"decimal(10,0)", {"-9999999999", "9999999999"}},
      {"decimal(12,4)", {"-99999999.9999", "99999999.9999"}},
      {"decimal(20,0)", {"-99999999999999999999", "99999999999999999999"}},
      {"float32", {"-3.4e38", "3.4e38", "0.5"}},
      {"float64", {"-1e300", "1e300", "0.5"}},
  };
  return samples;
}

// text's extreme is longer than every string(n) and char(n) here.
const std::vector<Sample>& texts() {
  static const std::vector<Sample> samples = {
      {"text", {x(1000)}},       {"string(5)", {x(5)}}, {"string(20)", {x(20)}},
      {"string(300)", {x(300)}}, {"char(5)", {x(5)}},   {"char(20)", {x(20)}},
  };
  return samples;
}

migpkg::ir::ColumnType type_of(const char* name) {
  auto type = migpkg::schema::parse_type_name(name);
  REQUIRE(type);
  return *type;
}

bool is_float(Kind kind) {
  return kind == Kind::Float32 || kind == Kind::Float64;
}

}  // namespace

TEST_CASE("a change is narrowing exactly when PostgreSQL would not keep every value",
          "[narrowing][postgresql]") {
  std::string url = postgres_url();
  if (url.empty()) {
    WARN("skipped: MIGPKG_TEST_PG_URL is not set");
    return;
  }
  migpkg::runtime::ScratchDatabase scratch(url, "migpkg_narrowing");
  auto connection = migpkg::runtime::open_postgresql(scratch.url());
  const migpkg::Dialect& pg = migpkg::postgresql_dialect();
  int pairs = 0, narrowing = 0;
  for (const auto* family : {&numbers(), &texts()}) {
    for (const Sample& from : *family) {
      for (const Sample& to : *family) {
        migpkg::ir::ColumnType from_type = type_of(from.type), to_type = type_of(to.type);
        if (std::string(from.type) == to.type) continue;
        if (!is_float(from_type.kind) && is_float(to_type.kind)) continue;
        INFO(from.type << " -> " << to.type);
        ++pairs;
        migpkg::schema::SchemaModel model;
        migpkg::Diagnostics diagnostics;
        migpkg::ir::SchemaChange create;
        create.kind = migpkg::ir::SchemaChange::Kind::CreateTable;
        create.table = "p";
        create.columns = {{"id", type_of("int32"), false, {}, "", {}},
                          {"c", from_type, true, {}, "", {}}};
        REQUIRE(model.apply(create, "", diagnostics));
        migpkg::ir::SchemaChange alter;
        alter.kind = migpkg::ir::SchemaChange::Kind::AlterColumn;
        alter.table = "p";
        alter.column = "c";
        alter.set_type = to_type;
        auto found = migpkg::schema::narrowing_of(alter, model);
        migpkg::CompiledChange statements = migpkg::compile_change(alter, model, pg);
        REQUIRE(statements.error.empty());

        connection->execute("DROP TABLE IF EXISTS p");
        connection->execute("DROP TABLE IF EXISTS q");
        for (const auto& sql : migpkg::compile_change(create, model, pg).statements)
          connection->execute(sql);
        for (std::size_t i = 0; i < from.values.size(); ++i)
          connection->execute("INSERT INTO p (id, c) VALUES (" + std::to_string(i) + ", " +
                              from.values[i] + ")");
        connection->execute("CREATE TABLE q AS SELECT * FROM p");
        std::string counted;
        if (found) {
          auto row = connection->query(migpkg::narrowing_check(*found, pg).sql).rows.at(0);
          counted = row.at(1).value_or("NULL");
        }
        bool kept = true;
        try {
          for (const auto& sql : statements.statements) connection->execute(sql);
          std::string differs =
              family == &numbers() ? "p.c <> q.c" : "CAST(p.c AS TEXT) <> CAST(q.c AS TEXT)";
          kept = connection->query("SELECT COUNT(*) FROM p JOIN q ON p.id = q.id WHERE " + differs)
                     .rows.at(0)
                     .at(0) == std::string("0");
        } catch (const migpkg::runtime::DatabaseError& e) {
          INFO("PostgreSQL refused: " << e.what());
          kept = false;
        }
        CHECK(found.has_value() == !kept);
        if (found) {
          ++narrowing;
          CHECK(counted != "0");
        }
      }
    }
  }
  CHECK(pairs > 80);
  CHECK(narrowing > 30);
}
