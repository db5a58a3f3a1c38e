#pragma once
// What `import` and `copy` share on the command line: their options, the run lock and audit
// row around the run, progress on a terminal, and the report (text, or --json as
// schemas/import-report.schema.json / copy-report.schema.json describe it).
#include <functional>
#include <map>
#include <string>

#include "cli/arguments.hpp"
#include "runtime/data/move_run.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::cli {

// --tables, --on-conflict, --map, --lenient/--rejects, --dry-run, --batch-rows and the
// progress callback (UsageError for bad values).
void read_move_options(const Arguments& args, data::MoveRequest& request);

// Runs `move` on `target` under the run lock, with an audit row (none in a dry run), then
// prints its report; returns the exit code.
int run_data_move(const Arguments& args, const std::string& command,
                  const runtime::DatabaseUrl& target_url, runtime::Connection& target,
                  const std::function<data::MoveReport()>& move);

// --where T:COND, each given once per table (UsageError otherwise): table -> COND.
std::map<std::string, std::string> where_conditions(const std::vector<std::string>& given);

// Splits "a,b,c" (empty parts refused).
std::vector<std::string> comma_list(const std::string& text, const std::string& option);

}  // namespace migpkg::cli
