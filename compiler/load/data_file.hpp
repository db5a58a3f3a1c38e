#pragma once
// The data files load steps name (docs/format-changes.md, "Loading data"): where they may be, how
// large, and their SHA-256, which becomes part of the migration's checksum. A source directory's
// files are read from disk; a package's come from its verified `data/` members.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/ir.hpp"

namespace migpkg {

// A loaded file is held in memory while the compiler derives its unload keys: bounded so a
// package cannot make a compile take unbounded memory.
inline constexpr std::size_t kMaxLoadFileBytes = 64u << 20;

// Why `path` (as written in a load step) is not a data file name, or "" when it is: relative,
// under `data/`, no "." or ".." segment, no empty segment or backslash, ending in .ndjson or .csv.
std::string load_path_problem(const std::string& path);

// Fills sha256 and content of every load step of `migrations` from the files next to
// `source_file` (its directory is the plugin directory). Errors name the step's `file`.
void fill_load_files_from_disk(std::vector<ir::Migration>& migrations,
                               const std::string& source_file, Diagnostics& diagnostics);

// The same from files looked up by their path ("data/x.ndjson"); `lookup` returns nullptr for
// a file that is not there.
using DataFileLookup = std::function<const std::string*(const std::string& path)>;
void fill_load_files(std::vector<ir::Migration>& migrations, const DataFileLookup& lookup,
                     const std::string& where, Diagnostics& diagnostics);

}  // namespace migpkg
