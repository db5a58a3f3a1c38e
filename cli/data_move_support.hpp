#pragma once
// What `import` and `copy` share on the command line: their options, the run lock and audit
// row around the run, progress on a terminal, and the report (text, or --json as
// schemas/import-report.schema.json / copy-report.schema.json describe it).
#include <functional>
#include <map>
#include <string>

#include "cli/arguments.hpp"
#include "include/migpkg/operations.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::cli {

// --tables, --where, --on-conflict, --map, --lenient/--rejects, --dry-run and --batch-rows
// (UsageError for bad values).
void read_move_options(const Arguments& args, api::MoveOptions& move);

// The run's options (api_client.hpp) and, on a terminal without --json, its progress redrawn.
api::RunOptions move_run_options(const Arguments& args, const std::string& command,
                                 const runtime::DatabaseUrl& target_url);

// Runs `move` (the API's import_data or copy_data, which take the run lock and write an audit
// row unless it is a dry run), rethrows its failure, prints its report; returns the exit code.
int finish_data_move(const Arguments& args, const std::string& command,
                     const std::function<api::MoveResult()>& move);

// --where T:COND, each given once per table (UsageError otherwise): table -> COND.
std::map<std::string, std::string> where_conditions(const std::vector<std::string>& given);

// Splits "a,b,c" (empty parts refused).
std::vector<std::string> comma_list(const std::string& text, const std::string& option);

}  // namespace migpkg::cli
