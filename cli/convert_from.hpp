#pragma once
// migpkg convert --from TOOL DIR -o PLUGIN_DIR: a peer tool's migrations as a migpkg plugin.
#include "cli/arguments.hpp"

namespace migpkg::cli {

int run_convert_from(const Arguments& args);

}  // namespace migpkg::cli
