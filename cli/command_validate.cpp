// validate: the sources' diagnostics, through the public API (include/migpkg/, api/).
#include <exception>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "include/migpkg/operations.hpp"

namespace migpkg::cli {

int run_validate(const Arguments& args) {
  api::ValidateResult result = api::validate(args.positionals());
  if (result.error) std::rethrow_exception(result.error);
  if (args.flag("--json")) {
    std::cout << result.json << "\n";
  } else {
    std::size_t errors = 0, warnings = 0;
    for (const api::Diagnostic& d : result.diagnostics) {
      std::cerr << d.text;
      errors += d.severity == api::Severity::Error;
      warnings += d.severity == api::Severity::Warning;
    }
    if (errors || warnings)
      std::cerr << errors << " error" << (errors == 1 ? "" : "s") << ", " << warnings << " warning"
                << (warnings == 1 ? "" : "s") << "\n";
    if (!errors)
      std::cerr << "ok: " << result.plugins << " plugin" << (result.plugins == 1 ? "" : "s") << ", "
                << result.migrations << " migration" << (result.migrations == 1 ? "" : "s") << "\n";
  }
  return result.status == api::Status::Invalid ? kFailed : kOk;
}

}  // namespace migpkg::cli
