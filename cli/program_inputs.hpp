#pragma once
// What install, plan and check take: source files, plugin directories and .migpkg packages,
// alike. Packages are verified first (before any database is opened), against --trust or the
// default trust directory; sources need no trust.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/ir.hpp"
#include "runtime/package/package_loader.hpp"

namespace migpkg::cli {

class Arguments;

struct ProgramInputs {
  std::vector<std::string> source_paths;
  std::vector<package::LoadedPackage> packages;
};

// Splits the positionals into sources and packages and verifies every package (refusals throw
// package::PackageError, which the CLI turns into exit 3, or 1 for an unreadable archive).
ProgramInputs verify_inputs(const Arguments& args, Diagnostics& diagnostics);

// Loads the sources and joins the packages' migrations into one program, then validates it
// (against the migrations the database already has, when given).
ir::Program assemble_program(const ProgramInputs& inputs, Diagnostics& diagnostics,
                             const std::set<std::string>* installed);

// Refuses (exit 3) a package older than what the database says is installed, unless
// --allow-downgrade; `installed` is plugin id -> installed version.
void check_downgrades(const ProgramInputs& inputs,
                      const std::vector<std::pair<std::string, std::string>>& installed,
                      bool allow_downgrade);

// Refuses a package that carries no plan for the engine (it says which it supports).
void check_engine_support(const ProgramInputs& inputs, const std::string& engine);

}  // namespace migpkg::cli
