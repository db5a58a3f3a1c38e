#include <iostream>

#include "cli/commands.hpp"
#include "cli/lint_options.hpp"
#include "cli/output.hpp"
#include "compiler/sources.hpp"

namespace migpkg::cli {

int run_lint(const Arguments& args) {
  // Options first: a bad --level or --dialect is a usage error before any source is read.
  std::vector<const Dialect*> dialects = lint_dialects(args);
  lint::Levels levels = lint_levels(args);
  bool json = args.flag("--json");
  Diagnostics diagnostics;
  ir::Program program = load_and_validate(args.positionals(), diagnostics);
  // Sources that do not validate are bad input, told apart from findings (exit 1).
  if (stop_on_errors(diagnostics, json)) return kUsage;
  std::vector<lint::Finding> findings = lint::lint_program(program, dialects, levels);
  if (json)
    std::cout << lint_report_json(findings, dialects).dump(2) << "\n";
  else
    std::cout << lint_report_text(findings);
  return any_lint_error(findings) ? kFailed : kOk;
}

}  // namespace migpkg::cli
