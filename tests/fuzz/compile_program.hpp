#pragma once
// What validate does after a front end: migrations grouped into plugins, declarative changes
// replayed, the program validated. Shared by the DSL and JSON targets.
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/ir.hpp"

namespace migpkg::fuzz {

void validate_migrations(std::vector<ir::Migration> migrations, Diagnostics& diagnostics);

}  // namespace migpkg::fuzz
