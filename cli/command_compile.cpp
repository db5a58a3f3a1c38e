#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "compiler/planner/plan_output.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/sources.hpp"

namespace migpkg::cli {

const Dialect& dialect_argument(const Arguments& args) {
  auto name = args.value("--dialect");
  std::string list;
  for (const auto& known : dialect_names()) list += (list.empty() ? "" : ", ") + known;
  if (!name) throw UsageError("--dialect is required (" + list + ")");
  const Dialect* dialect = find_dialect(*name);
  if (!dialect) throw UsageError("unknown dialect '" + *name + "'; expected one of " + list);
  return *dialect;
}

int run_compile(const Arguments& args) {
  const Dialect& dialect = dialect_argument(args);
  std::string format = args.value("--format").value_or("sql");
  if (format != "sql" && format != "json") throw UsageError("--format is sql or json");
  std::string direction = args.value("--direction").value_or("up");
  if (direction != "up" && direction != "down") throw UsageError("--direction is up or down");
  if (args.value("--direction") && format == "json")
    throw UsageError("--direction applies to --format sql; the JSON plan holds both directions");

  Diagnostics diagnostics;
  ir::Program program = load_and_validate(args.positionals(), diagnostics);
  plan::Plan plan;
  if (!diagnostics.has_errors()) plan = build_plan(program, dialect, diagnostics);
  print_diagnostics(diagnostics);
  if (diagnostics.has_errors()) return kFailed;
  std::string content =
      format == "json"
          ? plan_json_text(plan, 2) + "\n"
          : plan_to_sql(plan, direction == "up" ? PlanDirection::Up : PlanDirection::Down);
  write_output(args.value("--output").value_or("-"), content);
  return kOk;
}

}  // namespace migpkg::cli
