#pragma once
// Replaying a program's declarative changes in plan order (dependency order of migrations,
// dependency order of steps), so every change is seen with the schema before it.
#include <functional>
#include <set>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/schema/schema_model.hpp"

namespace migpkg::schema {

// Run once after loading, before validation, planning and checksums: replays every change
// (reporting unknown / existing tables, columns, constraints, indexes, views with "did you
// mean"), and fills the down steps of each migration with automatic_down from the inverses of
// its up steps (derived = true), warning where undoing loses data. Explicit down steps are
// replayed too, on the schema the up steps leave.
void prepare_schema_changes(ir::Program& program, Diagnostics& diagnostics);

// The planner's walk: `on_step` is called for every step of both directions with the schema
// just before it (a down step sees the schema its migration's up steps left, as a rollback
// does). Diagnostics of the replay are not reported here; prepare_schema_changes did.
// `before` is the live model: a visitor may try changes on it only inside
// begin_scratch()/end_scratch(), so that it leaves the model as it found it.
// `done`, when given, is called after each migration's last step, before the next migration's
// first: a visitor that streams its results per migration hands them on there.
using StepVisitor =
    std::function<void(const ir::Migration&, const ir::Step&, bool down, SchemaModel& before)>;
using MigrationVisitor = std::function<void(const ir::Migration&)>;
void replay_program(const ir::Program& program, const StepVisitor& on_step,
                    const MigrationVisitor& done = nullptr);

// The schema every up step of the program's migrations leaves, replayed in plan order (what
// `migpkg diff` and `baseline` compare with). `include`, when given, picks the migrations
// replayed; the others are passed over. Diagnostics of the replay are not reported here.
using MigrationFilter = std::function<bool(const ir::Migration&)>;
// Every table name a declarative change of `program` mentions (created, renamed to, indexed):
// the schema model is asked about each, as it does not list its tables.
std::set<std::string> mentioned_tables(const ir::Program& program);

SchemaModel replayed_schema(const ir::Program& program, const MigrationFilter& include = nullptr);

// "migration \"m\" step \"s\"": how replay diagnostics name where they are.
std::string step_context(const ir::Migration& migration, const ir::Step& step);

}  // namespace migpkg::schema
