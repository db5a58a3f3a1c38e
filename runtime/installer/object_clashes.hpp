#pragma once
// Before an install runs: a pending migration whose declarative change creates a table, view
// or index whose name is taken in the database, by another installed plugin (known from the
// stored plans) or by no plugin. Two migrations of the same run creating one name are the
// validator's (the schema replay reports the second). Raw SQL is not parsed, so a CREATE TABLE
// in a `sql` step is not checked here; it fails at its step as before.
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/planner/plan.hpp"
#include "runtime/drivers/connection.hpp"
#include "runtime/installer/preflight.hpp"

namespace migpkg::runtime {

std::vector<std::string> find_object_clashes(Connection& connection, const ir::Program& program,
                                             const std::vector<const plan::Migration*>& pending,
                                             const InstalledState& state);

}  // namespace migpkg::runtime
