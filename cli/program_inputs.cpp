#include "cli/program_inputs.hpp"

#include "cli/arguments.hpp"

namespace migpkg::cli {

ProgramInputs verify_inputs(const Arguments& args, Diagnostics& diagnostics) {
  return runtime::verify_inputs(args.positionals(), args.value("--trust"), diagnostics);
}

}  // namespace migpkg::cli
