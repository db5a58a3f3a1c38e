// validate: the sources' diagnostics, through the public API (include/migpkg/, api/); with
// --lint, the lint rules' findings join them (the API has no lint yet, so that path reads the
// sources itself).
#include <exception>
#include <iostream>

#include "cli/api_client.hpp"
#include "cli/commands.hpp"
#include "cli/lint_options.hpp"
#include "cli/output.hpp"
#include "compiler/sources.hpp"
#include "include/migpkg/operations.hpp"

namespace migpkg::cli {
namespace {

int validate_and_lint(const Arguments& args) {
  Diagnostics diagnostics;
  ir::Program program = load_and_validate(args.positionals(), diagnostics);
  // The lint findings join the diagnostics (code "L101", ...) once the sources are valid: the
  // rules need a program that replays and plans.
  if (!diagnostics.has_errors())
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

}  // namespace

int run_validate(const Arguments& args) {
  if (args.flag("--lint")) return validate_and_lint(args);
  for (const char* option : {"--dialect", "--level", "--config"})
    if (args.value(option)) throw UsageError(std::string(option) + " goes with --lint");
  api::ValidateResult result = api::validate(args.positionals());
  if (result.error) std::rethrow_exception(result.error);
  if (args.flag("--json")) {
    std::cout << result.json << "\n";
  } else {
    print_diagnostics(result.diagnostics);
    const bool errors = api::has_errors(result.diagnostics);
    if (!errors)
      std::cerr << "ok: " << result.plugins << " plugin" << (result.plugins == 1 ? "" : "s") << ", "
                << result.migrations << " migration" << (result.migrations == 1 ? "" : "s") << "\n";
  }
  return result.status == api::Status::Invalid ? kFailed : kOk;
}

}  // namespace migpkg::cli
