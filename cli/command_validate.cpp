#include <iostream>

#include "cli/commands.hpp"
#include "cli/lint_options.hpp"
#include "cli/output.hpp"
#include "compiler/sources.hpp"

namespace migpkg::cli {

int run_validate(const Arguments& args) {
  bool lint = args.flag("--lint");
  if (!lint)
    for (const char* option : {"--dialect", "--level", "--config"})
      if (args.value(option)) throw UsageError(std::string(option) + " goes with --lint");
  Diagnostics diagnostics;
  ir::Program program = load_and_validate(args.positionals(), diagnostics);
  // The lint findings join the diagnostics (code "L101", ...) once the sources are valid: the
  // rules need a program that replays and plans.
  if (lint && !diagnostics.has_errors())
    for (const auto& finding : lint_with_options(program, args))
      diagnostics.add(lint::to_diagnostic(finding));
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
