#pragma once
// The semantic checks shared by both front ends. Reports every problem it finds.
#include <set>
#include <string>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/ir.hpp"

namespace migpkg {

// `installed`: migration ids already applied in the target database (see dependency_graph.hpp).
void validate_program(const ir::Program& program, Diagnostics& diagnostics,
                      const std::set<std::string>* installed = nullptr);

// Checks of one migration on its own (steps, SQL, transforms). Part of validate_program.
void validate_migration(const ir::Migration& migration, Diagnostics& diagnostics);

}  // namespace migpkg
