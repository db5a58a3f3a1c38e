#pragma once
// The down step a load step gets (docs/format-changes.md, "Loading data"): an unload that deletes
// the rows whose primary keys the file holds. Derived for DSL and JSON sources alike, first in the
// down list, so a migration that loads data stays reversible without its author writing the
// deletes.
#include <optional>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/schema/schema_model.hpp"

namespace migpkg::schema {

// The unload of `up` (a load step), from the table as `before` holds it just before the step;
// nullopt after reporting why there is none (unknown table, no primary key, a bad row).
std::optional<ir::Step> unload_step(const ir::Migration& m, const ir::Step& up,
                                    const SchemaModel& before, Diagnostics& diagnostics);

}  // namespace migpkg::schema
