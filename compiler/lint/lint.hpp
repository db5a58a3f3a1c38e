#pragma once
// `migpkg lint`: static checks of a validated program, per migration and per dialect, for what
// makes a migration dangerous to run rather than invalid: data it loses, tables it rewrites,
// locks it holds, the previous version it breaks, a destructive change with no backup
// (docs/lint.md). No database is needed: the rules read the IR, the schema replay
// (compiler/schema/) and each dialect's plan.
#include <map>
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/dialects/dialect.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/lint/lint_rules.hpp"

namespace migpkg::lint {

struct Finding {
  const Rule* rule = nullptr;
  Level level = Level::Warning;  // the rule's, after the levels given
  std::string dialect;           // "" when the finding holds on every dialect
  std::string plugin, migration, step;
  bool down = false;
  SourceLocation location;
  std::string message;  // one sentence, no trailing period
};

// Levels by rule code, replacing the rules' defaults.
using Levels = std::map<std::string, Level>;

// Findings in plan order (migration, up before down, step), then by code and dialect. Findings
// of rules set to Off are left out. `dialects` may be empty: the findings that hold on every
// dialect are still reported. The program must be validated without errors.
std::vector<Finding> lint_program(const ir::Program& program,
                                  const std::vector<const Dialect*>& dialects,
                                  const Levels& levels);

// As a diagnostic (code "L101", the message prefixed with the rule and the dialect:
// "L201 sqlite-rebuild [sqlite]: ...", the rule's hint), for validate --lint and the text output.
Diagnostic to_diagnostic(const Finding& finding);

}  // namespace migpkg::lint
