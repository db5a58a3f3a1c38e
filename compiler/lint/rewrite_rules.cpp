// Table rewrites by declarative changes (L202 PostgreSQL, L203 MySQL). SQLite's rebuilds
// (L201) are read from its plan (plan_rules.cpp).
#include <algorithm>

#include "compiler/lint/lint_context.hpp"
#include "compiler/schema/type_names.hpp"

namespace migpkg::lint {
namespace {

using Kind = ir::SchemaChange::Kind;
using Type = ir::ColumnType::Kind;

bool same_type(const ir::ColumnType& a, const ir::ColumnType& b) {
  return a.kind == b.kind && a.length == b.length && a.precision == b.precision &&
         a.scale == b.scale && a.values == b.values;
}

// PostgreSQL changes a column's type without rewriting the table only when the old values are
// binary-coercible to the new type and need no check of each value: varchar(n) to a longer
// varchar or to text, numeric(p,s) to more precision with the same scale or to unconstrained
// numeric, and enums (TEXT with a CHECK: the type stays TEXT). Everything else rewrites
// (int -> bigint, text -> int, timestamp -> timestamptz, a shorter varchar).
bool postgresql_keeps_table(const ir::ColumnType& from, const ir::ColumnType& to) {
  if (same_type(from, to)) return true;
  if (from.kind == Type::String && to.kind == Type::Text) return true;
  if (from.kind == Type::String && to.kind == Type::String)
    return !to.length || (from.length && *from.length <= *to.length);
  if (from.kind == Type::Decimal && to.kind == Type::Decimal) {
    if (!to.precision) return true;
    return from.precision && from.scale.value_or(0) == to.scale.value_or(0) &&
           *from.precision <= *to.precision;
  }
  return from.kind == Type::Enum && to.kind == Type::Enum;
}

// utf8mb4 (four bytes a character): a VARCHAR up to 255 bytes stores its length in one byte,
// a longer one in two; MySQL widens in place only on the same side of that line.
bool mysql_length_bytes_same(std::int64_t from, std::int64_t to) {
  return (from * 4 <= 255) == (to * 4 <= 255);
}

// MySQL (and MariaDB) change a column's type in place only when nothing about the stored
// values changes: a longer VARCHAR with the same length bytes, and an ENUM that keeps its values
// in order and adds new ones at the end. Every other type change is ALGORITHM=COPY.
bool mysql_in_place(const ir::ColumnType& from, const ir::ColumnType& to) {
  if (same_type(from, to)) return true;
  if (from.kind == Type::String && to.kind == Type::String && from.length && to.length)
    return *from.length <= *to.length && mysql_length_bytes_same(*from.length, *to.length);
  if (from.kind == Type::Enum && to.kind == Type::Enum)
    return to.values.size() >= from.values.size() &&
           std::equal(from.values.begin(), from.values.end(), to.values.begin());
  return false;
}

const ir::ColumnType* old_type(const StepFacts& f) {
  const schema::Table* table = f.schema.find_table(f.step.change->table);
  const ir::Column* column = table ? table->find_column(f.step.change->column) : nullptr;
  return column ? &column->type : nullptr;
}

std::string type_change(const StepFacts& f, const ir::ColumnType& from) {
  const ir::SchemaChange& c = *f.step.change;
  return "changes " + quoted(c.table, c.column) + " from " + schema::type_name(from) + " to " +
         schema::type_name(*c.set_type);
}

}  // namespace

void check_rewrites(const StepFacts& f, const Dialect& dialect, Sink& sink) {
  if (f.down || !f.step.change) return;
  const ir::SchemaChange& c = *f.step.change;
  if (!f.scope.holds_rows(c.table)) return;
  const SourceLocation& at = change_location(f.step);
  const ir::ColumnType* from = c.kind == Kind::AlterColumn && c.set_type ? old_type(f) : nullptr;
  if (dialect.engine() == ir::Engine::PostgreSQL && from &&
      !postgresql_keeps_table(*from, *c.set_type))
    sink.add("L202", dialect.name(), f.migration, f.step, false, at,
             type_change(f, *from) + ": PostgreSQL rewrites the table and its indexes");
  if (dialect.engine() != ir::Engine::MySQL) return;
  if (from && !mysql_in_place(*from, *c.set_type))
    sink.add("L203", dialect.name(), f.migration, f.step, false, at,
             type_change(f, *from) + ": MySQL copies the table (ALGORITHM=COPY)");
  if (c.kind == Kind::DropConstraint) {
    const schema::Table* table = f.schema.find_table(c.table);
    const ir::Constraint* key = table ? table->primary_key() : nullptr;
    if (key && key->name == c.constraint_name)
      sink.add("L203", dialect.name(), f.migration, f.step, false, at,
               "drops the primary key of " + quoted(c.table) +
                   ": MySQL copies the table (ALGORITHM=COPY)");
  }
  if (c.kind == Kind::AddConstraint && !c.constraints.empty() &&
      c.constraints[0].kind == ir::Constraint::Kind::ForeignKey)
    sink.add("L203", dialect.name(), f.migration, f.step, false, at,
             "adds foreign key " + quoted(c.constraints[0].name) + " to " + quoted(c.table) +
                 ": with foreign_key_checks on, MySQL copies the table (ALGORITHM=COPY)");
}

}  // namespace migpkg::lint
