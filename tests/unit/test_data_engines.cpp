// The engines' data methods (engine.hpp, "Data"): data_table, read_data, write_data and
// reset_identity on SQLite, PostgreSQL and MariaDB, with rows in tables the compiler created
// for each engine. The edge values are data (tests/data/edge-values.json); random rows of every
// type round-trip as a property.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <random>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/dialects/ddl_generator.hpp"
#include "compiler/schema/type_names.hpp"
#include "runtime/data/portable_values.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/test_support.hpp"

namespace {

using migpkg::data::DataTable;
using migpkg::data::OnConflict;
using migpkg::data::Row;
using migpkg::data::Value;
using migpkg::data::ValueError;
using migpkg::runtime::Connection;
using migpkg::runtime::DatabaseError;
using migpkg::runtime::Engine;
namespace portable = migpkg::data::portable;

struct ColumnSpec {
  std::string name;
  std::string type;  // a portable type name: "decimal(10,2)"
  bool nullable = true;
};

// Creates `table` as a migration's create-table change would, for the connection's engine.
void create_table(Connection& db, const std::string& dialect, const std::string& table,
                  const std::vector<ColumnSpec>& columns, const std::vector<std::string>& key,
                  const std::vector<std::string>& checks = {}) {
  migpkg::ir::SchemaChange create;
  create.kind = migpkg::ir::SchemaChange::Kind::CreateTable;
  create.table = table;
  for (const auto& spec : columns) {
    migpkg::ir::Column column;
    column.name = spec.name;
    auto type = migpkg::schema::parse_type_name(spec.type);
    REQUIRE(type);
    column.type = *type;
    column.nullable = spec.nullable;
    create.columns.push_back(column);
  }
  if (!key.empty()) {
    migpkg::ir::Constraint primary;
    primary.kind = migpkg::ir::Constraint::Kind::PrimaryKey;
    primary.name = table + "_pkey";
    primary.columns = key;
    create.constraints.push_back(primary);
  }
  int n = 0;
  for (const auto& check : checks) {
    migpkg::ir::Constraint constraint;
    constraint.kind = migpkg::ir::Constraint::Kind::Check;
    constraint.name = table + "_check_" + std::to_string(++n);
    constraint.check = check;
    create.constraints.push_back(constraint);
  }
  migpkg::schema::SchemaModel model;
  migpkg::CompiledChange compiled =
      migpkg::compile_change(create, model, *migpkg::find_dialect(dialect));
  INFO(compiled.error);
  REQUIRE(compiled.error.empty());
  for (const auto& sql : compiled.statements) db.execute(sql);
}

std::vector<Row> read_all(const Engine& engine, Connection& db, const DataTable& table,
                          std::size_t batch_rows = 1000,
                          std::optional<Row> after_key = std::nullopt,
                          const std::string& where = "") {
  Engine::DataRead read;
  read.table = &table;
  read.batch_rows = batch_rows;
  read.after_key = std::move(after_key);
  read.where = where;
  std::vector<Row> rows;
  engine.read_data(db, read, [&](std::vector<Row> batch) {
    CHECK(batch.size() <= batch_rows);
    for (auto& row : batch) rows.push_back(std::move(row));
  });
  return rows;
}

std::size_t write(const Engine& engine, Connection& db, const DataTable& table,
                  const std::vector<std::string>& columns, const std::vector<Row>& rows,
                  OnConflict mode = OnConflict::Fail) {
  db.begin();
  try {
    std::size_t written = engine.write_data(db, table, columns, rows, mode);
    db.commit();
    return written;
  } catch (...) {
    db.rollback();
    throw;
  }
}

// {"repeat": S, "times": N} -> S N times; a string as it is; null -> NULL.
Value text_of(const nlohmann::json& value) {
  if (value.is_null()) return std::nullopt;
  if (value.is_object()) {
    std::string out;
    for (int i = 0; i < value["times"].get<int>(); ++i) out += value["repeat"].get<std::string>();
    return out;
  }
  return value.get<std::string>();
}

// A value entry's input: "in", or "hex" for bytes.
Value input_of(const nlohmann::json& entry) {
  if (entry.contains("hex")) return portable::from_hex(*text_of(entry["hex"]));
  return text_of(entry["in"]);
}

const nlohmann::json* for_engine(const nlohmann::json& entry, const char* member,
                                 const std::string& dialect) {
  if (!entry.contains(member)) return nullptr;
  const nlohmann::json& map = entry[member];
  if (map.contains(dialect)) return &map[dialect];
  if (map.contains("*")) return &map["*"];
  return nullptr;
}

std::string shown(const Value& value) {
  return value ? "'" + portable::shortened(*value) + "'" : "NULL";
}

}  // namespace

TEST_CASE(
    "every portable type's edge values round-trip through write_data and read_data on "
    "every engine, or are refused by name",
    "[data]") {
  auto cases = nlohmann::json::parse(
      migpkg::test::read_file(migpkg::test::source_dir() + "/tests/data/edge-values.json"));
  migpkg::test::for_each_engine([&](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    int number = 0;
    for (const auto& type_case : cases["types"]) {
      const std::string type = type_case["type"];
      INFO("type " << type);
      const std::string table = "edge_" + std::to_string(++number);
      create_table(db, dialect, table, {{"id", "int64", false}, {"v", type}}, {"id"});
      auto described = engine.data_table(db, table);
      REQUIRE(described);
      CHECK(described->primary_key == std::vector<std::string>{"id"});
      REQUIRE(described->find_column("v"));
      const nlohmann::json* maps_to = for_engine(type_case, "maps_to", dialect);
      auto declared = migpkg::schema::parse_type_name(maps_to ? maps_to->get<std::string>() : type);
      REQUIRE(declared);
      CHECK(migpkg::schema::type_name(described->find_column("v")->type) ==
            migpkg::schema::type_name(*declared));

      std::vector<Row> accepted;
      std::vector<Value> expected;
      std::int64_t id = 0;
      for (const auto& entry : type_case["values"]) {
        ++id;
        Value in = input_of(entry);
        INFO("value " << shown(in));
        if (const nlohmann::json* refused = for_engine(entry, "refused", dialect)) {
          try {
            write(engine, db, *described, {"id", "v"}, {{std::to_string(id), in}});
            FAIL("accepted a value " << dialect << " cannot hold");
          } catch (const ValueError& error) {
            CHECK(error.table() == table);
            CHECK(error.key() == "(" + std::to_string(id) + ")");
            CHECK(error.column() == "v");
            CHECK_THAT(error.reason(), Catch::Contains(refused->get<std::string>()));
          }
          continue;
        }
        accepted.push_back({std::to_string(id), in});
        if (const nlohmann::json* out = for_engine(entry, "out_on", dialect))
          expected.push_back(text_of(*out));
        else if (entry.contains("out"))
          expected.push_back(text_of(entry["out"]));
        else
          expected.push_back(in);
      }
      CHECK(write(engine, db, *described, {"id", "v"}, accepted) == accepted.size());
      std::vector<Row> read = read_all(engine, db, *described, 2);
      REQUIRE(read.size() == accepted.size());
      for (std::size_t i = 0; i < read.size(); ++i) {
        INFO("row " << *accepted[i][0] << ": wrote " << shown(accepted[i][1]) << ", read "
                    << shown(read[i][1]));
        CHECK(read[i][0] == accepted[i][0]);
        CHECK(read[i][1] == expected[i]);
      }
      // What was read is portable as read: writing it again gives the same rows.
      db.execute("DELETE FROM " + std::string(dialect == "mysql" ? "`" : "\"") + table +
                 (dialect == "mysql" ? "`" : "\""));
      CHECK(write(engine, db, *described, {"id", "v"}, read) == read.size());
      CHECK(read_all(engine, db, *described, 1000) == read);
    }
  });
}
