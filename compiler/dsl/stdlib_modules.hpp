#pragma once
// The stdlib modules (stdlib/*.mig) compiled into migpkg, so that an installed binary needs no
// source tree. MIGPKG_STDLIB_DIR, when set, replaces them with the *.mig files of that
// directory (for developing the stdlib itself).
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migpkg::dsl {

// Generated at build time by cmake/EmbedStdlib.cmake: module name -> text.
const std::map<std::string, std::string>& embedded_stdlib();

struct StdlibModule {
  std::string label;  // the file name diagnostics show: "<stdlib>/timestamps.mig" or a path
  std::string path;   // a readable file, or "" for an embedded module
  std::string text;
};

std::optional<StdlibModule> find_stdlib_module(const std::string& name);
std::vector<std::string> stdlib_module_names();

}  // namespace migpkg::dsl
