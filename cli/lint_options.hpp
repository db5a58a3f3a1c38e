#pragma once
// What `lint` and `validate --lint` share: their options (--dialect, --level, the
// configuration's lint.levels) and the report, as text or JSON (schemas/lint-report.schema.json).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/arguments.hpp"
#include "compiler/lint/lint.hpp"

namespace migpkg::cli {

// --dialect D (repeatable, or D,D): the dialects to lint for. Default: the dialects of the
// engines the runtime installs on (postgresql, mysql, sqlite). Unknown: UsageError.
std::vector<const Dialect*> lint_dialects(const Arguments& args);

// The levels: the configuration's lint.levels, then --level CODE=LEVEL (repeatable, CODE a code
// or a name). A bad code or level: UsageError.
lint::Levels lint_levels(const Arguments& args);

// Runs the rules on a validated program with the options given.
std::vector<lint::Finding> lint_with_options(const ir::Program& program, const Arguments& args);

nlohmann::ordered_json lint_report_json(const std::vector<lint::Finding>& findings,
                                        const std::vector<const Dialect*>& dialects);
// The findings as diagnostics are rendered (source line, caret, hint), then a summary line.
std::string lint_report_text(const std::vector<lint::Finding>& findings);

bool any_lint_error(const std::vector<lint::Finding>& findings);

}  // namespace migpkg::cli
