#include "runtime/data/database_schema.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "compiler/schema/naming.hpp"
#include "runtime/data/copy_schema.hpp"
#include "runtime/engines/engine_registry.hpp"

namespace migpkg::data {
namespace {

using Kind = ir::SchemaChange::Kind;

ir::Column column_of(const runtime::Engine& engine, const DataColumn& data,
                     const runtime::SchemaExtras& extras, const std::string& table,
                     std::vector<std::string>& notes) {
  ir::Column column;
  column.name = data.name;
  column.type = data.type;
  column.nullable = data.nullable;
  // A counter the database fills is what serial / bigserial create.
  if (data.generated && data.type.kind == ir::ColumnType::Kind::Int32)
    column.type.kind = ir::ColumnType::Kind::Serial;
  if (data.generated && data.type.kind == ir::ColumnType::Kind::Int64)
    column.type.kind = ir::ColumnType::Kind::BigSerial;
  if (data.generated) return column;  // its default is the counter
  for (const auto& [name, text] : extras.defaults) {
    if (name != data.name) continue;
    std::string why;
    if (std::optional<ir::ColumnDefault> value =
            portable_default(engine.id(), text, data.type, why))
      column.default_value = std::move(*value);
    else if (!why.empty())
      notes.push_back("table " + table + ", column " + data.name + ": default " + text + ": " +
                      why + " (left out)");
  }
  return column;
}

// The CHECK constraints with a portable spelling; the ones the compiler writes for a JSON or
// enum column's type come with the column and are not read again.
void add_checks(const DataTable& table, const runtime::SchemaExtras& extras,
                ir::SchemaChange& create, std::vector<std::string>& notes) {
  std::vector<std::string> names;
  for (const DataColumn& column : table.columns) names.push_back(column.name);
  for (const std::string& text : extras.checks) {
    std::vector<std::string> referenced;
    std::string why;
    std::optional<std::string> check = portable_check(text, names, referenced, why);
    bool typed = !referenced.empty();
    for (const std::string& column : referenced) {
      const DataColumn* c = table.find_column(column);
      typed = typed && c &&
              (c->type.kind == ir::ColumnType::Kind::Json ||
               c->type.kind == ir::ColumnType::Kind::Enum);
    }
    if (typed || (!check && why == "the function json_valid")) continue;
    if (!check) {
      notes.push_back("table " + table.name + ": CHECK (" + text + "): not portable, " + why +
                      " (left out)");
      continue;
    }
    ir::Constraint constraint;
    constraint.kind = ir::Constraint::Kind::Check;
    constraint.check = *check;
    create.constraints.push_back(constraint);
  }
}

}  // namespace

schema::SchemaModel read_database_schema(runtime::Connection& connection,
                                         const std::vector<std::string>& wanted,
                                         std::vector<std::string>& notes) {
  const runtime::Engine& engine = runtime::engine_of(connection);
  std::vector<std::string> tables = wanted.empty() ? engine.user_tables(connection) : wanted;
  std::sort(tables.begin(), tables.end());
  const std::set<std::string> read(tables.begin(), tables.end());
  schema::SchemaModel model;
  std::vector<ir::SchemaChange> later;  // indexes and foreign keys, once every table is there
  for (const std::string& name : tables) {
    std::optional<DataTable> table = engine.data_table(connection, name);
    if (!table) throw std::runtime_error("table " + name + ": not in the database");
    const runtime::SchemaExtras extras = engine.schema_extras(connection, name);
    const std::optional<runtime::TableDescription> description =
        engine.describe_table(connection, name);
    ir::SchemaChange create;
    create.kind = Kind::CreateTable;
    create.table = name;
    for (const DataColumn& column : table->columns) {
      create.columns.push_back(column_of(engine, column, extras, name, notes));
      // The key makes its columns NOT NULL, which most catalogs then report as declared; read
      // as the DSL writes a key column (`code string(40) primary key`), so a table made from
      // the model gets what one made from sources gets on every engine.
      if (std::find(table->primary_key.begin(), table->primary_key.end(), column.name) !=
          table->primary_key.end())
        create.columns.back().nullable = true;
    }
    if (!table->primary_key.empty()) {
      ir::Constraint key;
      key.kind = ir::Constraint::Kind::PrimaryKey;
      key.columns = table->primary_key;
      create.constraints.push_back(key);
    }
    add_checks(*table, extras, create, notes);
    schema::normalize(create);
    Diagnostics ignored;
    model.apply(create, "database", ignored);
    for (const std::vector<std::string>& columns : extras.indexes) {
      ir::SchemaChange index;
      index.kind = Kind::CreateIndex;
      index.table = name;
      index.index.table = name;
      index.index.columns = columns;
      later.push_back(index);
    }
    if (!description) continue;
    // The first unique key is the primary key (when there is one).
    for (std::size_t k = table->primary_key.empty() ? 0 : 1; k < description->unique_keys.size();
         ++k) {
      ir::SchemaChange unique;
      unique.kind = Kind::CreateIndex;
      unique.table = name;
      unique.index.table = name;
      unique.index.unique = true;
      unique.index.columns = description->unique_keys[k];
      later.push_back(unique);
    }
    for (const runtime::ForeignKeyDescription& key : description->foreign_keys) {
      if (!read.count(key.ref_table)) {
        notes.push_back("table " + name + ": its foreign key to " + key.ref_table +
                        ", a table not read, is left out");
        continue;
      }
      ir::SchemaChange add;
      add.kind = Kind::AddConstraint;
      add.table = name;
      ir::Constraint foreign;
      foreign.kind = ir::Constraint::Kind::ForeignKey;
      foreign.columns = key.columns;
      foreign.ref_table = key.ref_table;
      foreign.ref_columns = key.ref_columns;
      add.constraints.push_back(foreign);
      later.push_back(add);
    }
  }
  for (ir::SchemaChange& change : later) {
    schema::normalize(change);
    Diagnostics ignored;
    model.apply(change, "database", ignored);
  }
  return model;
}

}  // namespace migpkg::data
