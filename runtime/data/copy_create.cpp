#include "runtime/data/copy_create.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include "compiler/dialects/ddl_generator.hpp"
#include "compiler/dialects/dialect.hpp"
#include "compiler/schema/naming.hpp"
#include "compiler/schema/schema_model.hpp"
#include "runtime/data/copy_schema.hpp"
#include "runtime/engines/engine_registry.hpp"

namespace migpkg::data {
namespace {

void compile_into(const ir::SchemaChange& change, schema::SchemaModel& model,
                  const Dialect& dialect, std::vector<std::string>& out) {
  CompiledChange compiled = compile_change(change, model, dialect);
  if (!compiled.error.empty())
    throw std::runtime_error("copy --create: table " + change.table + ": " + compiled.error);
  out.insert(out.end(), compiled.statements.begin(), compiled.statements.end());
  Diagnostics diagnostics;
  if (!model.apply(change, "copy --create", diagnostics))
    throw std::runtime_error("copy --create: table " + change.table + " cannot be replayed");
}

// The characters of the longest value of `column` in the source table (0 when it has none),
// counted by the source's own length function (code points on every engine).
std::int64_t longest_text(runtime::Connection& source, const std::string& table,
                          const std::string& column) {
  const Dialect& dialect = dialect_for(source.engine());
  std::string length = dialect.spec().functions.at("length");
  length.replace(length.find("{0}"), 3, dialect.quote_identifier(column));
  runtime::ResultSet result =
      source.query("SELECT MAX(" + length + ") FROM " + dialect.quote_qualified(table));
  const std::optional<std::string>& value = result.rows.at(0).at(0);
  return value ? std::stoll(*value) : 0;
}

// The keys and indexes of a source table that copy --create makes, as lists of source columns.
std::vector<std::vector<std::string>> keys_of(const DataTable& table,
                                              const runtime::SchemaExtras& extras,
                                              const std::optional<runtime::TableDescription>& d) {
  std::vector<std::vector<std::string>> keys;
  if (!table.primary_key.empty()) keys.push_back(table.primary_key);
  keys.insert(keys.end(), extras.indexes.begin(), extras.indexes.end());
  if (d) {
    keys.insert(keys.end(), d->unique_keys.begin(), d->unique_keys.end());
    for (const runtime::ForeignKeyDescription& key : d->foreign_keys) keys.push_back(key.columns);
  }
  return keys;
}

// A text column in a key or index of a target that cannot key text (MySQL): string(n), n the
// longest value's characters in the source, refused naming table and column when no key of
// the target holds that many (docs/data.md, "copy"). Columns the mapping gives a type keep it.
void fit_text_keys(runtime::Connection& source, const DataTable& table, const Dialect& dialect,
                   const std::vector<std::vector<std::string>>& keys,
                   const std::set<std::string>& typed_by_mapping, const std::string& name,
                   std::map<std::string, ir::ColumnType>& types, std::vector<std::string>& notes) {
  const DdlSpec& ddl = dialect.spec().ddl;
  if (std::find(ddl.unkeyable_kinds.begin(), ddl.unkeyable_kinds.end(),
                ir::ColumnType::Kind::Text) == ddl.unkeyable_kinds.end())
    return;
  std::map<std::string, std::int64_t> lengths;  // source column -> n
  for (const std::vector<std::string>& key : keys)
    for (const std::string& column : key) {
      const DataColumn* c = table.find_column(column);
      if (!c || c->type.kind != ir::ColumnType::Kind::Text || typed_by_mapping.count(column) ||
          lengths.count(column))
        continue;
      lengths[column] = std::max<std::int64_t>(1, longest_text(source, table.name, column));
    }
  const std::string override =
      " (give it a type in --map: {\"source\": \"COLUMN\", \"type\": "
      "\"string(n)\"}, or copy it without its key)";
  for (const auto& [column, n] : lengths) {
    std::int64_t limit = ddl.max_string_length;
    if (ddl.max_key_characters > 0 && (limit == 0 || ddl.max_key_characters < limit))
      limit = ddl.max_key_characters;
    if (limit > 0 && n > limit)
      throw std::runtime_error("copy --create: table " + name + ", column " + column +
                               ": text in a key, and " + dialect.name() +
                               " keys no text; its longest value has " + std::to_string(n) +
                               " characters, more than the " + std::to_string(limit) + " a " +
                               dialect.name() + " key holds" + override);
    ir::ColumnType type;
    type.kind = ir::ColumnType::Kind::String;
    type.length = n;
    types[column] = type;
    notes.push_back("table " + name + ", column " + column + ": text in a key, and " +
                    dialect.name() + " keys no text: created string(" + std::to_string(n) +
                    "), the longest value's length");
  }
  if (ddl.max_key_characters == 0) return;
  for (const std::vector<std::string>& key : keys) {
    std::int64_t sum = 0;
    std::string listed;
    for (const std::string& column : key)
      if (lengths.count(column)) {
        sum += lengths[column];
        listed += (listed.empty() ? "" : ", ") + column;
      }
    if (sum > ddl.max_key_characters)
      throw std::runtime_error(
          "copy --create: table " + name + ", columns " + listed + ": text in one key, and " +
          dialect.name() + " keys no text; their longest values have " + std::to_string(sum) +
          " characters together, more than the " + std::to_string(ddl.max_key_characters) + " a " +
          dialect.name() + " key holds" + override);
  }
}

}  // namespace

CreatePlan plan_create(runtime::Connection& source, runtime::Connection& target,
                       const std::vector<DataTable>& tables, const DataMapping* mapping,
                       const std::vector<std::string>& created_before, bool primary_keys_later) {
  const runtime::Engine& from = runtime::engine_of(source);
  const runtime::Engine& to = runtime::engine_of(target);
  primary_keys_later = primary_keys_later && to.adds_primary_key_after_load();
  const Dialect& dialect = dialect_for(target.engine());
  CreatePlan plan;
  schema::SchemaModel model;
  std::map<std::string, std::string> renamed;  // source table -> target table
  for (const DataTable& table : tables)
    renamed[table.name] = mapping ? mapping->target_table(table.name) : table.name;

  std::vector<ir::SchemaChange> keys_later;  // before `later`: foreign keys need their parent's key
  std::vector<ir::SchemaChange> later;
  for (const DataTable& table : tables) {
    const std::string name = renamed[table.name];
    RowProjection projection(table, mapping ? mapping->find(table.name) : nullptr);
    auto target_column = [&](const std::string& column) { return projection.target_of(column); };
    const runtime::SchemaExtras extras = from.schema_extras(source, table.name);
    const std::optional<runtime::TableDescription> description =
        from.describe_table(source, table.name);
    const TableMapping* table_mapping = mapping ? mapping->find(table.name) : nullptr;
    std::map<std::string, ir::ColumnType> types;  // source column -> type, where not its own
    std::set<std::string> typed_by_mapping;
    if (table_mapping)
      for (const ColumnMapping& column : table_mapping->columns)
        if (column.type) {
          types[column.source] = *column.type;
          typed_by_mapping.insert(column.source);
        }
    // data_table, not table_exists: the latter may answer true where a failing statement
    // would tell (SQLite).
    const std::optional<DataTable> existing = to.data_table(target, name);
    if (!existing)
      fit_text_keys(source, table, dialect, keys_of(table, extras, description), typed_by_mapping,
                    name, types, plan.notes);
    ir::SchemaChange create;
    create.kind = ir::SchemaChange::Kind::CreateTable;
    create.table = name;
    for (std::size_t i = 0; i < projection.target_columns().size(); ++i) {
      const DataColumn& column = table.columns[projection.source_columns()[i]];
      ir::Column out;
      out.name = projection.target_columns()[i];
      auto typed = types.find(column.name);
      out.type = typed == types.end() ? column.type : typed->second;
      out.nullable = column.nullable;
      std::string why;
      if (sql_type(out.type, dialect, &why).empty())
        throw std::runtime_error("copy --create: table " + name + ", column " + out.name +
                                 ": the target cannot hold its type: " + why);
      for (const auto& [source_column, text] : extras.defaults) {
        if (source_column != column.name) continue;
        if (std::optional<ir::ColumnDefault> value =
                portable_default(from.id(), text, column.type, why))
          out.default_value = std::move(*value);
        else if (!why.empty())
          plan.notes.push_back("table " + name + ", column " + out.name + ": " + why +
                               " (left out)");
      }
      create.columns.push_back(std::move(out));
    }
    if (!table.primary_key.empty()) {
      ir::Constraint key;
      key.kind = ir::Constraint::Kind::PrimaryKey;
      for (const std::string& column : table.primary_key)
        key.columns.push_back(target_column(column));
      // A table made by this command run before keeps its key or, stopped before the key came,
      // still gets it.
      if (primary_keys_later && (!existing || existing->primary_key.empty())) {
        ir::SchemaChange add;
        add.kind = ir::SchemaChange::Kind::AddConstraint;
        add.table = name;
        add.constraints.push_back(key);
        schema::normalize(add);
        keys_later.push_back(std::move(add));
        plan.keys_after_load[name] = key.columns;
      } else {
        create.constraints.push_back(key);
      }
    }
    std::vector<std::string> source_columns;
    for (const DataColumn& column : table.columns) source_columns.push_back(column.name);
    for (const std::string& text : extras.checks) {
      std::vector<std::string> referenced;
      std::string why;
      std::optional<std::string> check = portable_check(text, source_columns, referenced, why);
      // A check on JSON or enum columns only is the one the compiler writes for their type
      // (json_valid, IN (...)): it comes with the column.
      bool typed = !referenced.empty();
      bool moved = false;
      for (const std::string& column : referenced) {
        const DataColumn* c = table.find_column(column);
        typed = typed && c &&
                (c->type.kind == ir::ColumnType::Kind::Json ||
                 c->type.kind == ir::ColumnType::Kind::Enum);
        moved = moved || target_column(column) != column;
      }
      // MariaDB's and SQLite's json_valid(c) is that check too.
      if (typed || (!check && why == "the function json_valid")) continue;
      if (check && moved) check.reset(), why = "it names a column the mapping renames or drops";
      if (!check) {
        plan.notes.push_back("table " + name + ": CHECK (" + text + "): not portable, " + why +
                             " (left out)");
        continue;
      }
      ir::Constraint constraint;
      constraint.kind = ir::Constraint::Kind::Check;
      constraint.check = *check;
      create.constraints.push_back(constraint);
    }
    schema::normalize(create);
    // Non-unique indexes, built after the rows like the unique ones.
    for (const std::vector<std::string>& columns : extras.indexes) {
      ir::SchemaChange index;
      index.kind = ir::SchemaChange::Kind::CreateIndex;
      index.index.table = name;
      for (const std::string& column : columns)
        index.index.columns.push_back(target_column(column));
      if (std::find(index.index.columns.begin(), index.index.columns.end(), "") !=
          index.index.columns.end())
        continue;  // on a column the mapping drops
      index.table = name;
      schema::normalize(index);
      later.push_back(std::move(index));
    }

    // Unique keys and foreign keys, from the source's catalog, for after the rows.
    if (description) {
      for (std::size_t k = 1; k < description->unique_keys.size(); ++k) {
        ir::SchemaChange unique;
        unique.kind = ir::SchemaChange::Kind::CreateIndex;
        unique.index.table = name;
        unique.index.unique = true;
        for (const std::string& column : description->unique_keys[k])
          unique.index.columns.push_back(target_column(column));
        unique.table = name;
        schema::normalize(unique);
        later.push_back(std::move(unique));
      }
      for (const runtime::ForeignKeyDescription& key : description->foreign_keys) {
        auto parent = renamed.find(key.ref_table);
        if (parent == renamed.end()) continue;  // a table not copied: no key to it
        const DataTable* parent_table = nullptr;
        for (const DataTable& t : tables)
          if (t.name == key.ref_table) parent_table = &t;
        RowProjection parent_projection(*parent_table,
                                        mapping ? mapping->find(key.ref_table) : nullptr);
        ir::SchemaChange add;
        add.kind = ir::SchemaChange::Kind::AddConstraint;
        add.table = name;
        ir::Constraint foreign;
        foreign.kind = ir::Constraint::Kind::ForeignKey;
        for (const std::string& column : key.columns)
          foreign.columns.push_back(target_column(column));
        foreign.ref_table = parent->second;
        for (const std::string& column : key.ref_columns)
          foreign.ref_columns.push_back(parent_projection.target_of(column));
        add.constraints.push_back(foreign);
        schema::normalize(add);
        later.push_back(std::move(add));
      }
    }
    if (existing) {
      // Already there (made by hand, or by this command run before and stopped): as it is.
      Diagnostics diagnostics;
      model.apply(create, "copy --create", diagnostics);
      continue;
    }
    plan.created.push_back(name);
    compile_into(create, model, dialect, plan.create_statements);
  }
  std::set<std::string> created(plan.created.begin(), plan.created.end());
  created.insert(created_before.begin(), created_before.end());
  later.insert(later.begin(), keys_later.begin(), keys_later.end());
  for (const ir::SchemaChange& change : later)
    if (created.count(change.table)) compile_into(change, model, dialect, plan.after_statements);
  for (auto it = plan.keys_after_load.begin(); it != plan.keys_after_load.end();)
    it = created.count(it->first) ? std::next(it) : plan.keys_after_load.erase(it);
  return plan;
}

namespace {
void run_statements(runtime::Connection& target, const std::vector<std::string>& statements) {
  if (statements.empty()) return;
  target.begin();
  try {
    for (const std::string& statement : statements) target.execute(statement);
    target.commit();
  } catch (...) {
    if (target.in_transaction()) target.rollback();
    throw;
  }
}
}  // namespace

void create_tables(runtime::Connection& target, const CreatePlan& plan) {
  run_statements(target, plan.create_statements);
}

void finish_tables(runtime::Connection& target, const CreatePlan& plan) {
  run_statements(target, plan.after_statements);
}

}  // namespace migpkg::data
