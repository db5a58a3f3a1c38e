#pragma once
// Turning the paths a user names (files and plugin directories) into one ir::Program.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/ir.hpp"

namespace migpkg {

// The source files a path stands for: the file itself, or a directory's *.json and *.mig
// files (not recursive; `data/` and other files are not sources), sorted by name.
std::vector<std::string> source_files(const std::string& path, Diagnostics& diagnostics);

// Loads every source (front end chosen by extension) and groups migrations by plugin, in the
// order plugins first appear. Shape errors are reported; the program is returned anyway so
// the validator can report meaning errors in the same run.
ir::Program load_sources(const std::vector<std::string>& paths, Diagnostics& diagnostics);

// load_sources + validate_program: what validate, compile and check all start with.
ir::Program load_and_validate(const std::vector<std::string>& paths, Diagnostics& diagnostics,
                              const std::set<std::string>* installed = nullptr);

}  // namespace migpkg
