// install, plan and rollback: the installer (runtime/installer/) as the commands run it.
#include <algorithm>
#include <climits>
#include <stdexcept>

#include "api/api_support.hpp"
#include "compiler/diagnostics/render.hpp"
#include "compiler/planner/plan_output.hpp"
#include "compiler/util/semver.hpp"
#include "include/migpkg/operations.hpp"
#include "runtime/installer/database_opening.hpp"
#include "runtime/installer/index_inputs.hpp"
#include "runtime/installer/install_inputs.hpp"

namespace migpkg::api {
namespace {

// The audit log's command line: the call and what it names (the URL without its password).
std::string command_line(const std::string& command, const std::string& database,
                         const std::vector<std::string>& words) {
  std::string out = command + " --db " + runtime::redact_password(database);
  for (const auto& word : words) out += " " + word;
  return out;
}

RunResult install_or_plan(const InstallRequest& request, const RunOptions& options, bool dry_run) {
  const std::string command = dry_run ? "plan" : "install";
  return detail::guarded<RunResult>([&](RunResult& out) {
    out.command = command;
    runtime::DatabaseUrl url = runtime::DatabaseUrl::parse(request.database);
    runtime::InstallInputsRequest install;
    if (!request.to.empty()) {
      // [PLUGIN@]VERSION, as install --to takes it; a semantic version never holds '@'.
      auto at = request.to.find('@');
      install.target_plugin = at == std::string::npos ? "" : request.to.substr(0, at);
      install.target_version = at == std::string::npos ? request.to : request.to.substr(at + 1);
      if (!SemVer::parse(install.target_version) || at == 0)
        throw std::invalid_argument(
            "to takes VERSION or PLUGIN@VERSION with a semantic version, "
            "not '" +
            request.to + "'");
    }
    // Packages (and a registry index) are verified before the database is opened: a refused
    // one changes nothing.
    migpkg::Diagnostics diagnostics;
    std::optional<runtime::IndexInputs> index;
    install.inputs = request.index.empty()
                         ? runtime::verify_inputs(request.inputs, request.trust, diagnostics)
                         : runtime::inputs_from_index(request.index, request.inputs, request.trust,
                                                      diagnostics, dry_run, index);
    install.dry_run = dry_run;
    install.allow_downgrade = request.allow_downgrade;
    runtime::RunContext context =
        detail::run_context(options, command_line(command, request.database, request.inputs), url);
    context.trust_note = runtime::trust_note(install.inputs, index ? &*index : nullptr);
    if (!context.trust_note.empty() && context.say) context.say(context.trust_note);
    install.stop_on_errors = [&](const migpkg::Diagnostics& found) {
      if (options.on_diagnostics) options.on_diagnostics(detail::public_diagnostics(found));
      return found.has_errors();
    };
    // The index passed every check, and so did its packages: remember its version.
    if (index) install.before_run = [&] { runtime::record_index(*index); };
    runtime::InstallInputsResult run = runtime::install_inputs(url, install, context, diagnostics);
    out.diagnostics = detail::public_diagnostics(diagnostics);
    if (!run.report) {
      // The sources do not validate: nothing was opened for writing, nothing ran.
      out.status = Status::Invalid;
      out.exit_code = detail::exit_code_of(out.status);
      out.json = diagnostics_json(diagnostics).dump(2);
      out.problems.push_back(std::to_string(diagnostics.error_count()) + " error" +
                             (diagnostics.error_count() == 1 ? "" : "s") + " in the sources");
      return;
    }
    detail::fill_run_result(out, *run.report, command, request.database);
    detail::apply_retention(out, *run.connection, url, context, options, *run.report, dry_run);
    if (dry_run && out.ok()) out.sql = plan_to_sql(run.report->plan, PlanDirection::Up);
  });
}

}  // namespace

RunResult install(const InstallRequest& request, const RunOptions& options) {
  return install_or_plan(request, options, false);
}

RunResult plan(const InstallRequest& request, const RunOptions& options) {
  return install_or_plan(request, options, true);
}

RunResult rollback(const RollbackRequest& request, const RunOptions& options) {
  return detail::guarded<RunResult>([&](RunResult& out) {
    out.command = "rollback";
    runtime::RollbackTarget target;
    std::vector<std::string> words{request.plugin};
    switch (request.target) {
      case RollbackRequest::Target::LatestVersion:
        break;
      case RollbackRequest::Target::ToVersion:
        if (!SemVer::parse(request.version))
          throw std::invalid_argument("the rollback's version must be a semantic version, not '" +
                                      request.version + "'");
        target.kind = runtime::RollbackTarget::Kind::ToVersion;
        target.version = request.version;
        words.push_back("--to " + request.version);
        break;
      case RollbackRequest::Target::Steps:
        if (request.steps < 1)
          throw std::invalid_argument("the rollback's steps must be 1 or more, not " +
                                      std::to_string(request.steps));
        target.kind = runtime::RollbackTarget::Kind::Steps;
        target.steps = request.steps;
        words.push_back("--steps " + std::to_string(request.steps));
        break;
      case RollbackRequest::Target::All:
        target.kind = runtime::RollbackTarget::Kind::All;
        words.push_back("--all");
        break;
    }
    if (request.dry_run) words.push_back("--dry-run");
    runtime::DatabaseUrl url = runtime::DatabaseUrl::parse(request.database);
    runtime::RunContext context =
        detail::run_context(options, command_line("rollback", request.database, words), url);
    const int wait = std::min(options.lock_timeout_seconds, INT_MAX / 1000) * 1000;
    // A SQLite file that does not exist has nothing to roll back, and is not created.
    auto connection = request.dry_run ? runtime::open_for_reading(url)
                                      : runtime::open_naming_lock_holder(url, [&] {
                                          return runtime::open_for_reading(url, wait);
                                        });
    runtime::RunReport report =
        runtime::rollback(*connection, url, request.plugin, target, request.dry_run, context);
    detail::fill_run_result(out, report, "rollback", request.database);
    detail::apply_retention(out, *connection, url, context, options, report, request.dry_run);
    if (request.dry_run && out.ok()) {
      // The stored down steps, most recent migration first: exactly what would run.
      plan::Plan reversed = report.plan;
      std::reverse(reversed.migrations.begin(), reversed.migrations.end());
      out.sql = plan_to_sql(reversed, PlanDirection::Down);
    }
  });
}

}  // namespace migpkg::api
