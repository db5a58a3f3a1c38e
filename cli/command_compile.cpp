// compile: the plan of the sources for a dialect, through the public API (include/migpkg/,
// api/), which renders the one text --format and --direction ask for.
#include <exception>
#include <iostream>

#include "cli/api_client.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "compiler/dialects/dialect.hpp"
#include "include/migpkg/operations.hpp"

namespace migpkg::cli {
namespace {

// The dialect named by --dialect, checked here so that a wrong name is a usage error.
std::string dialect_argument(const Arguments& args) {
  auto name = args.value("--dialect");
  std::string list;
  for (const auto& known : dialect_names()) list += (list.empty() ? "" : ", ") + known;
  if (!name) throw UsageError("--dialect is required (" + list + ")");
  if (!find_dialect(*name))
    throw UsageError("unknown dialect '" + *name + "'; expected one of " + list);
  return *name;
}

}  // namespace

int run_compile(const Arguments& args) {
  const std::string dialect = dialect_argument(args);
  std::string format = args.value("--format").value_or("sql");
  if (format != "sql" && format != "json") throw UsageError("--format is sql or json");
  std::string direction = args.value("--direction").value_or("up");
  if (direction != "up" && direction != "down") throw UsageError("--direction is up or down");
  if (args.value("--direction") && format == "json")
    throw UsageError("--direction applies to --format sql; the JSON plan holds both directions");

  const api::CompileOutput output = format == "json"    ? api::CompileOutput::PlanJson
                                    : direction == "up" ? api::CompileOutput::UpSql
                                                        : api::CompileOutput::DownSql;
  api::CompileResult result = api::compile(args.positionals(), dialect, output);
  if (result.error) std::rethrow_exception(result.error);
  print_diagnostics(result.diagnostics);
  if (result.status == api::Status::Invalid) return kFailed;
  const std::string& content = output == api::CompileOutput::PlanJson ? result.plan_json
                               : output == api::CompileOutput::UpSql  ? result.up_sql
                                                                      : result.down_sql;
  write_output(args.value("--output").value_or("-"), content);
  return kOk;
}

}  // namespace migpkg::cli
