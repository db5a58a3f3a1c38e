#pragma once
// What install, plan and check take on the command line: their positionals and --trust
// (runtime/installer/program_inputs.hpp does the work).
#include "runtime/installer/program_inputs.hpp"

namespace migpkg::cli {

class Arguments;

using runtime::assemble_program;
using runtime::check_downgrades;
using runtime::check_engine_support;
using runtime::ProgramInputs;

// Splits the positionals into sources and packages and verifies every package (refusals throw
// package::PackageError, which the CLI turns into exit 3, or 1 for an unreadable archive).
ProgramInputs verify_inputs(const Arguments& args, Diagnostics& diagnostics);

}  // namespace migpkg::cli
