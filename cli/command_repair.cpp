// repair: settle a half-done migration by hand, or accept an intended source change
// (runtime/installer/repair.hpp, docs/repair.md).
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/program_inputs.hpp"
#include "cli/runtime_support.hpp"
#include "compiler/dialects/dialect.hpp"
#include "compiler/planner/planner.hpp"
#include "runtime/installer/repair.hpp"
#include "runtime/installer/repair_report_json.hpp"
#include "runtime/installer/run_report_json.hpp"

namespace migpkg::cli {
namespace {

using Action = runtime::RepairRequest::Action;

Action chosen_action(const Arguments& args) {
  int chosen = (args.value("--mark-undone") ? 1 : 0) + (args.value("--mark-applied") ? 1 : 0) +
               (args.flag("--update-checksums") ? 1 : 0);
  if (chosen != 1)
    throw UsageError(
        "give one of --mark-undone MIGRATION, --mark-applied MIGRATION and --update-checksums");
  if (args.flag("--update-checksums")) {
    if (args.positionals().empty())
      throw UsageError("--update-checksums takes the plugin's sources (SRC...)");
    return Action::UpdateChecksums;
  }
  if (args.positionals().size() != 1)
    throw UsageError("--mark-undone and --mark-applied take one plugin id");
  if (args.flag("--yes")) throw UsageError("--yes goes with --update-checksums only");
  return args.value("--mark-undone") ? Action::MarkUndone : Action::MarkApplied;
}

void print_text(const runtime::RepairReport& report, Action action) {
  for (const auto& m : report.migrations) {
    std::cout << "  " << m.action << " " << m.plugin_id << "/" << m.migration_id << " "
              << m.version;
    if (action == Action::UpdateChecksums) {
      std::cout << ": " << m.old_checksum << " -> " << m.new_checksum
                << (m.differences.empty() ? " (the plan runs the same statements)" : "") << "\n";
      for (const auto& d : m.differences) std::cout << "    " << d << "\n";
    } else {
      std::cout << " (" << m.direction
                << "; steps done: " << (m.cleared_steps.empty() ? "none" : "");
      for (const auto& s : m.cleared_steps)
        std::cout << (&s == &m.cleared_steps.front() ? "" : ", ") << s;
      std::cout << ")\n";
    }
  }
  for (const auto& problem : report.problems) std::cerr << "migpkg repair: " << problem << "\n";
  if (report.status == runtime::RunStatus::Ok)
    std::cout << "repair: ok, "
              << (report.migrations.empty()
                      ? std::string("nothing to repair")
                      : std::to_string(report.migrations.size()) + " migration" +
                            (report.migrations.size() == 1 ? "" : "s"))
              << "\n";
}

}  // namespace

int run_repair(const Arguments& args) {
  const Action action = chosen_action(args);
  std::string database = database_argument(args);
  runtime::DatabaseUrl url = parse_database(database);
  bool json = args.flag("--json");
  auto context = run_context(args, joined_arguments("repair", args), url, !json);
  runtime::RepairRequest request;
  request.action = action;
  request.confirmed = args.flag("--yes");
  plan::Plan plan;
  std::unique_ptr<runtime::Connection> connection;
  auto open = [&] {
    // A SQLite file that does not exist has nothing to repair: it is not created.
    return open_naming_lock_holder(
        url, [&] { return open_for_reading(url, sqlite_lock_wait_ms(context)); });
  };
  if (action == Action::UpdateChecksums) {
    Diagnostics diagnostics;
    ProgramInputs inputs = verify_inputs(args, diagnostics);
    connection = open();
    // Validated against what the database has, as install validates them.
    std::set<std::string> installed = runtime::applied_migration_ids(*connection);
    ir::Program program = assemble_program(inputs, diagnostics, &installed);
    if (!diagnostics.has_errors()) plan = build_plan(program, dialect_for(url.engine), diagnostics);
    if (stop_on_errors(diagnostics, json)) return kFailed;
    request.plan = &plan;
  } else {
    request.plugin_id = args.positionals()[0];
    request.migration_id =
        *args.value(action == Action::MarkUndone ? "--mark-undone" : "--mark-applied");
    connection = open();
  }
  auto report = runtime::repair(*connection, url, request, context);
  if (json)
    std::cout << runtime::repair_report_json(report, action, database).dump(2) << "\n";
  else
    print_text(report, action);
  runtime::RunReport as_run;
  as_run.status = report.status;
  return runtime::run_status_exit_code(as_run);
}

}  // namespace migpkg::cli
