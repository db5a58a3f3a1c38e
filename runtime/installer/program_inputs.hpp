#pragma once
// What install, plan and check take: source files, plugin directories and .migpkg packages,
// alike. Packages are verified first (before any database is opened), against a trust
// directory; sources need no trust. Shared by the command line and operations
// (runtime/operations/).
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/ir.hpp"
#include "runtime/package/package_loader.hpp"

namespace migpkg::runtime {

struct ProgramInputs {
  std::vector<std::string> source_paths;
  std::vector<package::LoadedPackage> packages;
};

// Splits `paths` into sources and packages and verifies every package against the trust
// directory `trust` (unset: the default, package::trust_location). Refusals throw
// package::PackageError.
ProgramInputs verify_inputs(const std::vector<std::string>& paths,
                            const std::optional<std::string>& trust, Diagnostics& diagnostics);

// Loads the sources and joins the packages' migrations into one program, then validates it
// (against the migrations the database already has, when given).
ir::Program assemble_program(const ProgramInputs& inputs, Diagnostics& diagnostics,
                             const std::set<std::string>* installed);

// Refuses (package::PackageError) a package older than what the database says is installed,
// unless allowed; `installed` is plugin id -> installed version.
void check_downgrades(const ProgramInputs& inputs,
                      const std::vector<std::pair<std::string, std::string>>& installed,
                      bool allow_downgrade);

// Refuses a package that carries no plan for the engine (it says which it supports).
void check_engine_support(const ProgramInputs& inputs, const std::string& engine);

}  // namespace migpkg::runtime
