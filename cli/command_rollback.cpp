// rollback: a plugin's migrations undone, through the public API (include/migpkg/, api/).
#include <iostream>

#include "cli/api_client.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/runtime_support.hpp"
#include "compiler/util/semver.hpp"

namespace migpkg::cli {

int run_rollback(const Arguments& args) {
  if (args.positionals().size() != 1) throw UsageError("rollback takes one plugin id");
  api::RollbackRequest request;
  request.plugin = args.positionals()[0];
  int chosen = 0;
  if (auto version = args.value("--to")) {
    request.target = api::RollbackRequest::Target::ToVersion;
    request.version = *version;
    if (!SemVer::parse(*version))
      throw UsageError("--to takes a semantic version (e.g. 1.2.0), not '" + *version + "'");
    ++chosen;
  }
  if (auto steps = args.value("--steps")) {
    request.target = api::RollbackRequest::Target::Steps;
    try {
      std::size_t used = 0;
      request.steps = std::stoi(*steps, &used);
      if (used != steps->size() || request.steps < 1) throw std::invalid_argument("");
    } catch (const std::exception&) {
      throw UsageError("--steps takes a positive whole number, not '" + *steps + "'");
    }
    ++chosen;
  }
  if (args.flag("--all")) {
    request.target = api::RollbackRequest::Target::All;
    ++chosen;
  }
  if (chosen > 1) throw UsageError("give at most one of --to, --steps and --all");

  request.database = database_argument(args);
  runtime::DatabaseUrl url = parse_database(request.database);
  bool json = args.flag("--json");
  request.dry_run = args.flag("--dry-run");
  Config config = load_config(args);
  api::RunOptions options = api_run_options(args, "rollback", url, !json, &config);
  options.no_backup = args.flag("--no-backup");
  api::RunResult run = api::rollback(request, options);
  rethrow_failure(run);
  print_retention(run, config);
  // The stored down steps, most recent migration first: exactly what would run.
  if (request.dry_run && !json && run.ok()) std::cout << run.sql;
  return print_run(run, "rollback", json);
}

}  // namespace migpkg::cli
