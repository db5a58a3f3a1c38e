#include "unit/data_engine_support.hpp"

#include <catch2/catch.hpp>

#include "compiler/dialects/ddl_generator.hpp"
#include "compiler/schema/type_names.hpp"
#include "runtime/data/portable_values.hpp"

namespace migpkg::test {

using data::DataTable;
using data::OnConflict;
using data::Row;
using data::Value;
using runtime::Connection;
using runtime::Engine;
namespace portable = data::portable;

// Creates `table` as a migration's create-table change would, for the connection's engine.
void create_table(Connection& db, const std::string& dialect, const std::string& table,
                  const std::vector<ColumnSpec>& columns, const std::vector<std::string>& key,
                  const std::vector<std::string>& checks) {
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
                          std::size_t batch_rows, std::optional<Row> after_key,
                          const std::string& where) {
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
                  OnConflict mode) {
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

std::string shown(const Value& value) {
  return value ? "'" + portable::shortened(*value) + "'" : "NULL";
}

}  // namespace migpkg::test
