// baseline: a database built by hand recorded as a plugin installed at a version, after its
// schema is checked against the plugin's (docs/diff.md).
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/program_inputs.hpp"
#include "cli/runtime_support.hpp"
#include "compiler/dialects/dialect.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/util/semver.hpp"
#include "runtime/installer/baseline.hpp"
#include "runtime/package/minisign.hpp"

namespace migpkg::cli {
namespace {

int exit_code(runtime::RunStatus status) {
  switch (status) {
    case runtime::RunStatus::Ok:
      return kOk;
    case runtime::RunStatus::Locked:
      return kLocked;
    default:
      return kFailed;
  }
}

const char* status_name(runtime::RunStatus status) {
  switch (status) {
    case runtime::RunStatus::Ok:
      return "ok";
    case runtime::RunStatus::Locked:
      return "locked";
    case runtime::RunStatus::Refused:
      return "refused";
    default:
      return "failed";
  }
}

}  // namespace

int run_baseline(const Arguments& args) {
  if (args.positionals().size() != 1)
    throw UsageError("baseline takes one plugin: its sources directory or package");
  const std::optional<std::string> version = args.value("--version");
  if (!version) throw UsageError("baseline needs --version V, the version the database is at");
  if (!SemVer::parse(*version))
    throw UsageError("--version takes a semantic version (e.g. 1.2.0), not '" + *version + "'");
  const bool json = args.flag("--json");
  const std::string database = database_argument(args);
  runtime::DatabaseUrl url = parse_database(database);
  Diagnostics diagnostics;
  ProgramInputs inputs = verify_inputs(args, diagnostics);
  if (database_missing(url))
    throw std::runtime_error("no database at " + runtime::redact_password(database) +
                             ": baseline records a database that exists");
  runtime::RunContext context =
      run_context(args, joined_arguments("baseline", args), url, !json, nullptr);
  for (const auto& loaded : inputs.packages)
    for (const auto& migration : loaded.migrations)
      context.provenance[{migration.plugin_id, migration.id}] = {
          loaded.sha256, package::key_id_hex(loaded.verified.key_id)};
  std::unique_ptr<runtime::Connection> connection = open_naming_lock_holder(
      url, [&] { return open_for_reading(url, sqlite_lock_wait_ms(context)); });
  std::set<std::string> installed = runtime::applied_migration_ids(*connection);
  ir::Program program = assemble_program(inputs, diagnostics, &installed);
  runtime::BaselineRequest request;
  request.program = &program;
  request.version = *version;
  request.database_url = database;
  if (!diagnostics.has_errors())
    request.plan = build_plan(program, dialect_for(url.engine), diagnostics);
  if (stop_on_errors(diagnostics, json)) return kFailed;
  if (program.plugins.size() != 1)
    throw UsageError("baseline takes the sources of one plugin; these hold " +
                     std::to_string(program.plugins.size()));
  request.plugin_id = program.plugins.front().id;
  runtime::BaselineReport report = runtime::baseline(*connection, url, request, context);
  if (json) {
    nlohmann::ordered_json out;
    out["command"] = "baseline";
    out["database"] = runtime::redact_password(database);
    out["plugin"] = request.plugin_id;
    out["version"] = *version;
    out["status"] = status_name(report.status);
    out["migrations"] = report.migrations;
    out["problems"] = report.problems;
    out["difference"] = report.difference;
    out["fix"] = report.fix.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(report.fix);
    out["notes"] = report.notes;
    std::cout << out.dump(2) << "\n";
    return exit_code(report.status);
  }
  for (const std::string& problem : report.problems)
    std::cerr << "migpkg baseline: " << problem << "\n";
  if (!report.difference.empty()) {
    std::cout << "-- '-': the plugin's schema has it, the database has not; '+': the database "
                 "has it, the plugin's schema has not\n";
    for (const std::string& line : report.difference) std::cout << line << "\n";
  }
  if (!report.fix.empty())
    std::cout << "-- the changes that would make the database match:\n" << report.fix;
  for (const std::string& note : report.notes) std::cerr << "note: " << note << "\n";
  if (report.status == runtime::RunStatus::Ok)
    std::cout << request.plugin_id << " recorded as installed at " << *version << " ("
              << report.migrations.size() << " migration(s), none run)\n";
  return exit_code(report.status);
}

}  // namespace migpkg::cli
