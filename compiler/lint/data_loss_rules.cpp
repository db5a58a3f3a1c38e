// Data loss (L101-L104): declarative changes that take rows or values away.
#include "compiler/lint/lint_context.hpp"
#include "compiler/schema/narrowing.hpp"

namespace migpkg::lint {
namespace {

using Kind = ir::SchemaChange::Kind;

// An up step's loss: a table or column that held rows before the migration.
void check_up(const StepFacts& f, Sink& sink) {
  const ir::SchemaChange& c = *f.step.change;
  const SourceLocation& at = change_location(f.step);
  if (c.kind == Kind::DropTable && f.scope.holds_rows(c.table))
    sink.add("L101", "", f.migration, f.step, false, at,
             "drops table " + quoted(c.table) + " and every row in it");
  if (c.kind == Kind::DropColumn && f.scope.holds_values(c.table, c.column))
    sink.add("L102", "", f.migration, f.step, false, at,
             "drops column " + quoted(c.table, c.column) + " and its value in every row");
  if (c.kind == Kind::AlterColumn && f.scope.holds_values(c.table, c.column))
    if (auto narrowing = schema::narrowing_of(c, f.schema))
      sink.add("L103", "", f.migration, f.step, false, at,
               "narrows " + schema::describe(*narrowing) +
                   ": install refuses while a stored value does not fit, and a value that fits "
                   "may still change (a string cut, a number rounded)");
}

// A down step the author wrote: what it takes from what was there before the up. A derived down
// declares its loss (the `down-loses-data` warning), and what the up created holds no rows
// from before it.
void check_down(const StepFacts& f, Sink& sink) {
  if (f.step.derived) return;
  const ir::SchemaChange& c = *f.step.change;
  const SourceLocation& at = change_location(f.step);
  auto before = f.scope.before.find(c.table);
  if (before == f.scope.before.end()) return;
  if (c.kind == Kind::DropTable)
    sink.add("L104", "", f.migration, f.step, true, at,
             "drops table " + quoted(c.table) +
                 ", which existed before the up: a rollback loses its rows");
  if (c.kind == Kind::DropColumn && before->second.count(c.column))
    sink.add("L104", "", f.migration, f.step, true, at,
             "drops column " + quoted(c.table, c.column) +
                 ", which existed before the up: a rollback loses its values");
  // Putting back what the up dropped puts back the structure, not the rows.
  if (c.kind == Kind::CreateTable)
    sink.add("L104", "", f.migration, f.step, true, at,
             "creates table " + quoted(c.table) +
                 " again, empty: the rows it had before the up do not come back");
  if (c.kind == Kind::AddColumn && !c.columns.empty() && before->second.count(c.columns[0].name))
    sink.add("L104", "", f.migration, f.step, true, at,
             "adds column " + quoted(c.table, c.columns[0].name) +
                 " again, without the values it had before the up");
  if (c.kind == Kind::AlterColumn && before->second.count(c.column))
    if (auto narrowing = schema::narrowing_of(c, f.schema))
      sink.add("L104", "", f.migration, f.step, true, at,
               "narrows " + schema::describe(*narrowing) +
                   ", which existed before the up: a rollback may lose values");
}

}  // namespace

void check_data_loss(const StepFacts& f, Sink& sink) {
  if (!f.step.change) return;
  if (f.down)
    check_down(f, sink);
  else
    check_up(f, sink);
}

}  // namespace migpkg::lint
