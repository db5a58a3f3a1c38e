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
#include "runtime/history/bookkeeping.hpp"
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
  if (!inputs.packages.empty()) check_engine_support(inputs, ir::engine_name(url.engine));
  Config config = load_config(args);
  runtime::RunContext context =
      run_context(args, joined_arguments(command, args), url, !json, &config);
  context.no_backup = args.flag("--no-backup");
  context.trust_note = trust_note(inputs, index ? &*index : nullptr);
  if (!json && !context.trust_note.empty() && context.say) context.say(context.trust_note);
  for (const auto& loaded : inputs.packages)
    for (const auto& [name, content] : loaded.verified.kept)
      if (name.rfind("data/", 0) == 0)
        context.package_data[loaded.verified.manifest.plugin][name] = content;
  for (const auto& loaded : inputs.packages)
    for (const auto& migration : loaded.migrations)
      context.provenance[{migration.plugin_id, migration.id}] = {
          loaded.sha256, package::key_id_hex(loaded.verified.key_id)};
  // A SQLite file that does not exist yet is created only once the sources are known to be
  // good: until then an empty in-memory database stands in for it (there is nothing to read).
  // A run that writes waits up to --lock-timeout for another connection's write lock; a dry run
  // only reads, which SQLite lets it do while another connection writes (save during that
  // connection's commit, which it waits out for the default lock wait).
  const int lock_wait_ms =
      dry_run ? runtime::kDefaultSqliteLockWaitMs : sqlite_lock_wait_ms(context);
  // Asked once: a file another program creates meanwhile must not leave the run on the
  // in-memory stand-in (it would install into that and report success).
  const bool stand_in = database_missing(url);
  auto connection =
      dry_run ? open_for_reading(url, lock_wait_ms)
              : open_naming_lock_holder(url, [&] { return open_for_reading(url, lock_wait_ms); });
  const Dialect& dialect = dialect_for(url.engine);

  if (!inputs.packages.empty()) {
    std::vector<std::pair<std::string, std::string>> installed_versions;
    runtime::Bookkeeping bookkeeping(*connection);
    if (bookkeeping.tables_exist())
      for (const auto& plugin : bookkeeping.plugins())
        installed_versions.emplace_back(plugin.plugin_id, plugin.version);
    check_downgrades(inputs, installed_versions, args.flag("--allow-downgrade"));
  }
  // Sources are validated against what the database already has, so a dependency on a
  // migration installed earlier (by another plugin) is satisfied.
  std::set<std::string> installed = runtime::applied_migration_ids(*connection);
  ir::Program program = assemble_program(inputs, diagnostics, &installed);
  runtime::InstallRequest request;
  request.program = &program;
  request.dry_run = dry_run;
  request.target_plugin = target_plugin;
  request.target_version = target_version;
  if (!diagnostics.has_errors()) request.plan = build_plan(program, dialect, diagnostics);
  if (stop_on_errors(diagnostics, json)) return kFailed;
  if (!dry_run && stand_in) connection = runtime::open_connection(url, lock_wait_ms);
  // The index passed every check, and so did its packages: remember its version.
  if (index && !dry_run) record_index(*index);

  runtime::RunReport report = runtime::install(*connection, url, std::move(request), context);
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
