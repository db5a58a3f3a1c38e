// install and plan: sources and signed packages applied to, or planned against, a database,
// through the public API (include/migpkg/, api/): the options, the configuration file and a
// registry index become an api::InstallRequest and api::RunOptions, and the result is printed.
#include <iostream>
#include <utility>

#include "cli/api_client.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/runtime_support.hpp"
#include "compiler/util/semver.hpp"
#include "runtime/package/package_error.hpp"

namespace migpkg::cli {
namespace {

int install_or_plan(const Arguments& args, bool dry_run, const std::string& command) {
  std::string database = database_argument(args);
  runtime::DatabaseUrl url = parse_database(database);
  bool json = args.flag("--json");
  if (auto to = args.value("--to")) {
    // [PLUGIN@]VERSION; a semantic version never holds '@'.
    auto at = to->find('@');
    std::string version = at == std::string::npos ? *to : to->substr(at + 1);
    if (!SemVer::parse(version) || (at != std::string::npos && at == 0))
      throw UsageError(
          "--to takes VERSION or PLUGIN@VERSION with a semantic version (e.g. "
          "1.2.0), not '" +
          *to + "'");
  }
  api::InstallRequest request;
  request.database = database;
  request.inputs = args.positionals();  // with --index: PLUGIN[@RANGE] requirements
  request.trust = args.value("--trust");
  request.to = args.value("--to").value_or("");
  request.allow_downgrade = args.flag("--allow-downgrade");
  request.index = args.value("--index").value_or("");
  Config config = load_config(args);
  api::RunOptions options = api_run_options(args, command, url, !json, &config);
  options.no_backup = args.flag("--no-backup");
  // The sources' diagnostics as text before anything runs (with --json, errors are the report).
  if (!json) options.on_diagnostics = [](const auto& found) { print_diagnostics(found); };
  api::RunResult run = dry_run ? api::plan(request, options) : api::install(request, options);
  rethrow_failure(run);
  if (run.status == api::Status::Invalid) {
    if (json) std::cout << run.json << "\n";
    return kFailed;
  }
  print_retention(run, config);
  if (dry_run && !json && run.ok()) {
    std::cout << run.sql;
    if (run.migrations.empty()) std::cout << "-- nothing to do: every migration is applied\n";
  }
  return print_run(run, command, json);
}

// With --json, a refused package is reported as a run report too (status "refused", exit 3, or
// 1 for an archive that cannot be read), so a script reads one format whatever happened.
int reporting_refusals(const Arguments& args, bool dry_run, const std::string& command) {
  try {
    return install_or_plan(args, dry_run, command);
  } catch (const package::PackageError& e) {
    if (args.flag("--json")) {
      nlohmann::ordered_json out;
      out["command"] = command;
      out["database"] = runtime::redact_password(database_argument(args));
      out["status"] = "refused";
      out["problems"] = nlohmann::ordered_json::array({e.what()});
      out["migrations"] = nlohmann::ordered_json::array();
      std::cout << out.dump(2) << "\n";
    }
    throw;
  }
}

}  // namespace

int run_install(const Arguments& args) {
  bool dry_run = args.flag("--dry-run");
  return reporting_refusals(args, dry_run, dry_run ? "plan" : "install");
}

int run_plan(const Arguments& args) {
  return reporting_refusals(args, true, "plan");
}

}  // namespace migpkg::cli
