#pragma once
// The DSL front end: a .mig file in, the migrations it declares out (the same IR the JSON
// front end produces). Every syntax and meaning error of the file is reported, with
// file:line:col; no exception escapes for bad input.
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/ir.hpp"

namespace migpkg::dsl {

// Reads and parses a .mig file. The migrations are returned even after meaning errors (so the
// validator can report its own in the same run), but not after syntax errors.
std::vector<ir::Migration> load_dsl_file(const std::string& path, Diagnostics& diagnostics);

// The same for text already in memory; `file` names it in diagnostics and anchors `use` of
// local files.
std::vector<ir::Migration> load_dsl_text(const std::string& text, const std::string& file,
                                         Diagnostics& diagnostics);

}  // namespace migpkg::dsl
