// Backward compatibility (L401, L402): while a new version is deployed, the previous version's
// code still runs against the database. A table or column it reads that the up drops or renames
// breaks it.
#include "compiler/lint/lint_context.hpp"

namespace migpkg::lint {

void check_compatibility(const StepFacts& f, Sink& sink) {
  using Kind = ir::SchemaChange::Kind;
  if (f.down || !f.step.change || !f.scope.has_previous) return;
  const ir::SchemaChange& c = *f.step.change;
  auto released = f.scope.released.find(c.table);
  if (released == f.scope.released.end()) return;
  const SourceLocation& at = change_location(f.step);
  if (c.kind == Kind::DropTable || c.kind == Kind::RenameTable)
    sink.add("L401", "", f.migration, f.step, false, at,
             (c.kind == Kind::DropTable
                  ? "drops table " + quoted(c.table)
                  : "renames table " + quoted(c.table) + " to " + quoted(c.new_name)) +
                 ", which the plugin's previous version has: its code, still running during the "
                 "upgrade, breaks");
  if ((c.kind == Kind::DropColumn || c.kind == Kind::RenameColumn) &&
      released->second.count(c.column))
    sink.add("L402", "", f.migration, f.step, false, at,
             (c.kind == Kind::DropColumn
                  ? "drops column " + quoted(c.table, c.column)
                  : "renames column " + quoted(c.table, c.column) + " to " + quoted(c.new_name)) +
                 ", which the plugin's previous version has: its code, still running during the "
                 "upgrade, breaks");
}

}  // namespace migpkg::lint
