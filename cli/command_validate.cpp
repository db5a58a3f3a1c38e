#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "compiler/sources.hpp"

namespace migpkg::cli {

int run_validate(const Arguments& args) {
  Diagnostics diagnostics;
  ir::Program program = load_and_validate(args.positionals(), diagnostics);
  if (args.flag("--json")) {
    std::cout << diagnostics_json(diagnostics).dump(2) << "\n";
  } else {
    print_diagnostics(diagnostics);
    if (!diagnostics.has_errors()) {
      std::size_t migrations = 0;
      for (const auto& plugin : program.plugins) migrations += plugin.migrations.size();
      std::cerr << "ok: " << program.plugins.size() << " plugin"
                << (program.plugins.size() == 1 ? "" : "s") << ", " << migrations << " migration"
                << (migrations == 1 ? "" : "s") << "\n";
    }
  }
  return diagnostics.has_errors() ? kFailed : kOk;
}

}  // namespace migpkg::cli
