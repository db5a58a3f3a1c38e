// Long locks on PostgreSQL (L301-L304): declarative changes to a table that may hold rows which
// hold a lock for as long as the table takes to read or write. Raw SQL is scanned in
// plan_rules.cpp.
#include <cctype>
#include <regex>

#include "compiler/lint/lint_context.hpp"

namespace migpkg::lint {
namespace {

using Kind = ir::SchemaChange::Kind;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// A CHECK that proves `column` IS NOT NULL: the expression is just that (parentheses and
// quotes aside). PostgreSQL 12 and later skip SET NOT NULL's scan when a valid one exists.
bool proves_not_null(const ir::Constraint& check, const std::string& column) {
  std::string text;
  for (char c : lower(check.check))
    if (c != '(' && c != ')' && c != '"') text += c;
  static const std::regex form(R"(^\s*(\S+)\s+is\s+not\s+null\s*$)");
  std::smatch m;
  return std::regex_match(text, m, form) && m[1] == lower(column);
}

// Functions whose value changes per row: PostgreSQL cannot store one value for the existing
// rows, so it writes every row (now() and CURRENT_TIMESTAMP are stable: one value, no rewrite).
bool volatile_expression(const std::string& sql) {
  static const std::regex call(
      R"(\b(random|clock_timestamp|timeofday|gen_random_uuid|uuid_generate_v[14]|nextval|txid_current)\s*\()",
      std::regex::icase);
  return std::regex_search(sql, call);
}

std::string volatile_default(const ir::Column& column) {
  if (column.type.kind == ir::ColumnType::Kind::Serial ||
      column.type.kind == ir::ColumnType::Kind::BigSerial)
    return "a serial (its next sequence value)";
  if (!column.default_value) return {};
  if (column.default_value->kind == ir::ColumnDefault::Kind::Uuid)
    return "uuid() (gen_random_uuid())";
  if (column.default_value->kind == ir::ColumnDefault::Kind::Expression &&
      volatile_expression(column.default_value->text))
    return "the volatile expression " + column.default_value->text;
  return {};
}

}  // namespace

void check_locks(const StepFacts& f, const Dialect& dialect, Sink& sink) {
  if (f.down || !f.step.change || dialect.engine() != ir::Engine::PostgreSQL) return;
  const ir::SchemaChange& c = *f.step.change;
  const std::string& table = c.kind == Kind::CreateIndex ? c.index.table : c.table;
  if (!f.scope.holds_rows(table)) return;
  const SourceLocation& at = change_location(f.step);
  const std::string& d = dialect.name();
  if (c.kind == Kind::CreateIndex)
    sink.add("L301", d, f.migration, f.step, false, at,
             "creates index " + quoted(c.index.name) + " on " + quoted(table) +
                 " without CONCURRENTLY: writes to the table wait until it is built");
  if (c.kind == Kind::AddConstraint && !c.constraints.empty()) {
    const ir::Constraint& added = c.constraints[0];
    using C = ir::Constraint::Kind;
    if (added.kind == C::Unique || added.kind == C::PrimaryKey)
      sink.add("L301", d, f.migration, f.step, false, at,
               "adds " + std::string(added.kind == C::Unique ? "unique key " : "primary key ") +
                   quoted(added.name) + " to " + quoted(table) +
                   ", building its index without CONCURRENTLY: writes wait until it is built");
    if (added.kind == C::ForeignKey)
      sink.add("L302", d, f.migration, f.step, false, at,
               "adds foreign key " + quoted(added.name) + " to " + quoted(table) +
                   " without NOT VALID: both tables are locked while every row is checked");
    if (added.kind == C::Check)
      sink.add("L302", d, f.migration, f.step, false, at,
               "adds check " + quoted(added.name) + " to " + quoted(table) +
                   " without NOT VALID: the table is locked while every row is checked");
  }
  if (c.kind == Kind::AlterColumn && c.set_nullable && !*c.set_nullable) {
    const schema::Table* known = f.schema.find_table(table);
    bool proven = false;
    if (known)
      for (const auto& constraint : known->constraints)
        proven = proven || (constraint.kind == ir::Constraint::Kind::Check &&
                            proves_not_null(constraint, c.column));
    if (!proven)
      sink.add("L303", d, f.migration, f.step, false, at,
               "sets " + quoted(table, c.column) +
                   " NOT NULL: every row is read under an ACCESS EXCLUSIVE lock");
  }
  if (c.kind == Kind::AddColumn && !c.columns.empty())
    if (std::string why = volatile_default(c.columns[0]); !why.empty())
      sink.add("L304", d, f.migration, f.step, false, at,
               "adds column " + quoted(table, c.columns[0].name) + " with " + why +
                   " as its default: the table is rewritten under an ACCESS EXCLUSIVE lock");
}

}  // namespace migpkg::lint
