// install and plan: sources and signed packages applied to, or planned against, a database.
#include <iostream>
#include <utility>

#include "cli/backup_settings.hpp"
#include "cli/commands.hpp"
#include "cli/index_inputs.hpp"
#include "cli/output.hpp"
#include "cli/program_inputs.hpp"
#include "cli/runtime_support.hpp"
#include "compiler/planner/plan_output.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/util/semver.hpp"
#include "runtime/installer/install_inputs.hpp"
#include "runtime/package/package_error.hpp"

namespace migpkg::cli {
namespace {

int install_or_plan(const Arguments& args, bool dry_run, const std::string& command) {
  std::string database = database_argument(args);
  runtime::DatabaseUrl url = parse_database(database);
  bool json = args.flag("--json");
  std::string target_plugin, target_version;
  if (auto to = args.value("--to")) {
    // [PLUGIN@]VERSION; a semantic version never holds '@'.
    auto at = to->find('@');
    target_plugin = at == std::string::npos ? "" : to->substr(0, at);
    target_version = at == std::string::npos ? *to : to->substr(at + 1);
    if (!SemVer::parse(target_version) || (at != std::string::npos && at == 0))
      throw UsageError(
          "--to takes VERSION or PLUGIN@VERSION with a semantic version (e.g. "
          "1.2.0), not '" +
          *to + "'");
  }
  // Packages are verified before the database is even opened: a refused package changes
  // nothing, not even by creating a SQLite file.
  Diagnostics diagnostics;
  std::optional<IndexInputs> index;
  ProgramInputs inputs = args.value("--index")
                             ? inputs_from_index(args, diagnostics, dry_run, index)
                             : verify_inputs(args, diagnostics);
  Config config = load_config(args);
  runtime::RunContext context =
      run_context(args, joined_arguments(command, args), url, !json, &config);
  context.no_backup = args.flag("--no-backup");
  context.trust_note = trust_note(inputs, index ? &*index : nullptr);
  if (!json && !context.trust_note.empty() && context.say) context.say(context.trust_note);
  runtime::InstallInputsRequest request;
  request.inputs = std::move(inputs);
  request.dry_run = dry_run;
  request.target_plugin = target_plugin;
  request.target_version = target_version;
  request.allow_downgrade = args.flag("--allow-downgrade");
  request.stop_on_errors = [&](const Diagnostics& found) { return stop_on_errors(found, json); };
  // The index passed every check, and so did its packages: remember its version.
  if (index) request.before_run = [&] { record_index(*index); };
  runtime::InstallInputsResult run = runtime::install_inputs(url, request, context, diagnostics);
  if (!run.report) return kFailed;
  runtime::RunReport& report = *run.report;
  runtime::Connection* connection = run.connection.get();
  apply_configured_retention(*connection, url, context, config, report, dry_run);
  if (dry_run && !json && report.status == runtime::RunStatus::Ok) {
    std::cout << plan_to_sql(report.plan, PlanDirection::Up);
    if (report.plan.migrations.empty())
      std::cout << "-- nothing to do: every migration is applied\n";
  }
  return finish_report(report, command, json, database);
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
