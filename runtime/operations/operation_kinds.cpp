#include "runtime/operations/operation_kinds.hpp"

#include <algorithm>
#include <climits>
#include <map>
#include <nlohmann/json.hpp>

#include "api/api_support.hpp"
#include "include/migpkg/operations.hpp"
#include "runtime/data/move_run.hpp"
#include "runtime/installer/database_opening.hpp"

namespace migpkg::operations {
namespace {

using json = nlohmann::ordered_json;

OperationOutcome outcome_of(const api::Outcome& result);

// Runs `body`, turning an exception into the outcome's problem as the public API classifies it
// (its calls return failures as results; this catches what is thrown around them).
OperationOutcome guarded(const std::function<OperationOutcome()>& body) {
  try {
    return body();
  } catch (...) {
    api::Outcome failed;
    api::detail::record_failure(failed, std::current_exception());
    return outcome_of(failed);
  }
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : "; ") + line;
  return out;
}

// The record keeps a result as compact JSON; the API's is pretty-printed.
std::string compact(const std::string& report) {
  return report.empty() ? report : json::parse(report).dump();
}

// A call's outcome: its report as the result, and a problem unless it is ok, as the command line
// words it (the status and its exit code; a thrown failure classified as cli/main.cpp does).
OperationOutcome outcome_of(const api::Outcome& result) {
  OperationOutcome out;
  out.result_json = compact(result.json);
  if (!result.ok())
    out.problem =
        OperationProblem{api::status_name(result.status), join(result.problems), result.exit_code};
  return out;
}

// The public API's options for an operation: the requester as the actor, its log, its cancel,
// and the command line the audit log records.
api::RunOptions api_options(OperationContext& ctx, const std::string& requested_by,
                            const std::string& command, const RunOptions& run) {
  api::RunOptions options;
  options.actor = requested_by;
  options.command_line = command + " (operation " + ctx.id() + ")";
  options.lock_timeout_seconds = run.lock_timeout_seconds;
  options.cancel = ctx.cancel_token();
  options.on_log = [&ctx](const std::string& line) { ctx.log(line); };
  return options;
}

// install and rollback report progress in migrations (the rows of a batched transform are not
// the operation's unit).
void migrations_progress(OperationContext& ctx, api::RunOptions& options) {
  options.on_progress = [&ctx](const api::Progress& p) {
    if (p.unit == "migrations") ctx.progress({"migrations", p.done, p.total, 0, std::nullopt});
  };
}

// Rows of every table of a move, as one count: the tables before plus the current one's.
struct RowsProgress {
  OperationContext& ctx;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> tables;  // done, total
  void operator()(const api::Progress& p) {
    tables[p.item] = {p.done, p.total};
    OperationProgress out{"rows", 0, 0, 0, std::nullopt};
    bool totals_known = true;
    for (const auto& [name, rows] : tables) {
      out.done += rows.first;
      out.total += rows.second;
      totals_known = totals_known && rows.second > 0;
    }
    if (!totals_known) out.total = 0;
    ctx.progress(out);
  }
};

api::OnConflict api_on_conflict(data::OnConflict mode) {
  switch (mode) {
    case data::OnConflict::Fail:
      return api::OnConflict::Fail;
    case data::OnConflict::Skip:
      return api::OnConflict::Skip;
    case data::OnConflict::Overwrite:
      return api::OnConflict::Overwrite;
    case data::OnConflict::Merge:
      return api::OnConflict::Merge;
  }
  return api::OnConflict::Fail;
}

api::RollbackRequest::Target api_target(runtime::RollbackTarget::Kind kind) {
  switch (kind) {
    case runtime::RollbackTarget::Kind::LatestVersion:
      return api::RollbackRequest::Target::LatestVersion;
    case runtime::RollbackTarget::Kind::ToVersion:
      return api::RollbackRequest::Target::ToVersion;
    case runtime::RollbackTarget::Kind::Steps:
      return api::RollbackRequest::Target::Steps;
    case runtime::RollbackTarget::Kind::All:
      return api::RollbackRequest::Target::All;
  }
  return api::RollbackRequest::Target::LatestVersion;
}

api::MoveOptions api_move_options(const MoveOperationOptions& options) {
  api::MoveOptions move;
  move.plugins = options.plugins;
  move.tables = options.tables;
  move.on_conflict = api_on_conflict(options.on_conflict);
  move.batch_rows = options.batch_rows;
  move.dry_run = options.dry_run;
  return move;
}

json move_options_json(const MoveOperationOptions& options) {
  return {{"plugins", options.plugins},
          {"tables", options.tables},
          {"onConflict", data::on_conflict_name(options.on_conflict)},
          {"batchRows", options.batch_rows},
          {"dryRun", options.dry_run},
          {"lockTimeoutSeconds", options.run.lock_timeout_seconds}};
}

}  // namespace

std::string request_json(const InstallOperationRequest& r) {
  json j{{"database", runtime::redact_password(r.database)},
         {"inputs", r.inputs},
         {"trust", r.trust ? json(*r.trust) : json(nullptr)},
         {"to", r.to},
         {"dryRun", r.dry_run},
         {"allowDowngrade", r.allow_downgrade},
         {"noBackup", r.no_backup},
         {"singleTransaction", r.single_transaction},
         {"backupDirectory", r.backup_directory},
         {"lockTimeoutSeconds", r.run.lock_timeout_seconds}};
  return j.dump();
}

std::string request_json(const RollbackOperationRequest& r) {
  static const char* kinds[] = {"latest-version", "to-version", "steps", "all"};
  json j{{"database", runtime::redact_password(r.database)},
         {"plugin", r.plugin},
         {"target", kinds[static_cast<int>(r.target.kind)]},
         {"version", r.target.version},
         {"steps", r.target.steps},
         {"dryRun", r.dry_run},
         {"noBackup", r.no_backup},
         {"backupDirectory", r.backup_directory},
         {"lockTimeoutSeconds", r.run.lock_timeout_seconds}};
  return j.dump();
}

std::string request_json(const RestoreOperationRequest& r) {
  json j{{"database", runtime::redact_password(r.database)},
         {"backup", r.backup},
         {"lockTimeoutSeconds", r.run.lock_timeout_seconds}};
  return j.dump();
}

std::string request_json(const CopyOperationRequest& r) {
  json j{{"from", runtime::redact_password(r.from)},
         {"to", runtime::redact_password(r.to)},
         {"create", r.create}};
  const json options = move_options_json(r.move);
  for (const auto& [key, value] : options.items()) j[key] = value;
  return j.dump();
}

std::string request_json(const ImportOperationRequest& r) {
  json j{{"database", runtime::redact_password(r.database)}, {"input", r.input}};
  const json options = move_options_json(r.move);
  for (const auto& [key, value] : options.items()) j[key] = value;
  return j.dump();
}

std::string request_json(const ExportOperationRequest& r) {
  json j{{"database", runtime::redact_password(r.database)},
         {"output", r.output},
         {"plugins", r.plugins},
         {"tables", r.tables},
         {"format", r.csv ? "csv" : "ndjson"},
         {"compression", r.zstd ? "zstd" : "none"}};
  return j.dump();
}

OperationWork install_work(InstallOperationRequest request, std::string requested_by) {
  return [request = std::move(request),
          requested_by = std::move(requested_by)](OperationContext& ctx) {
    return guarded([&] {
      const std::string command = request.dry_run ? "plan" : "install";
      api::InstallRequest install;
      install.database = request.database;
      install.inputs = request.inputs;
      install.trust = request.trust;
      install.to = request.to;
      install.allow_downgrade = request.allow_downgrade;
      api::RunOptions options = api_options(ctx, requested_by, command, request.run);
      migrations_progress(ctx, options);
      options.backup_directory = request.backup_directory;
      options.no_backup = request.no_backup;
      options.single_transaction = request.single_transaction;
      api::RunResult run =
          request.dry_run ? api::plan(install, options) : api::install(install, options);
      OperationOutcome out = outcome_of(run);
      if (run.status == api::Status::Invalid) {
        // The sources do not validate: the diagnostics are the result, as `install --json`
        // prints them, and the first error is the problem.
        std::string first;
        for (const api::Diagnostic& d : run.diagnostics)
          if (first.empty() && d.severity == api::Severity::Error) first = d.text;
        out.problem = OperationProblem{"invalid", "the sources have errors: " + first, 1};
      }
      return out;
    });
  };
}

OperationWork rollback_work(RollbackOperationRequest request, std::string requested_by) {
  return [request = std::move(request),
          requested_by = std::move(requested_by)](OperationContext& ctx) {
    return guarded([&] {
      api::RollbackRequest rollback;
      rollback.database = request.database;
      rollback.plugin = request.plugin;
      rollback.target = api_target(request.target.kind);
      rollback.version = request.target.version;
      rollback.steps = request.target.steps;
      rollback.dry_run = request.dry_run;
      api::RunOptions options =
          api_options(ctx, requested_by, "rollback " + request.plugin, request.run);
      migrations_progress(ctx, options);
      options.backup_directory = request.backup_directory;
      options.no_backup = request.no_backup;
      return outcome_of(api::rollback(rollback, options));
    });
  };
}

OperationWork restore_work(RestoreOperationRequest request, std::string requested_by) {
  return [request = std::move(request),
          requested_by = std::move(requested_by)](OperationContext& ctx) {
    return guarded([&] {
      // restore is not a call of the public API: the installer's restore, as the command runs it.
      runtime::DatabaseUrl url = runtime::DatabaseUrl::parse(request.database);
      api::RunOptions options =
          api_options(ctx, requested_by, "restore " + request.backup, request.run);
      migrations_progress(ctx, options);
      runtime::RunContext context = api::detail::run_context(options, "", url);
      const int wait = std::min(request.run.lock_timeout_seconds, INT_MAX / 1000) * 1000;
      auto connection = runtime::open_naming_lock_holder(
          url, [&] { return runtime::open_connection(url, wait); });
      // A restore is one step: it is not cancelled part-way.
      runtime::RunReport report = runtime::restore(*connection, url, request.backup, context);
      api::RunResult run;
      api::detail::fill_run_result(run, report, "restore", request.database);
      return outcome_of(run);
    });
  };
}

OperationWork copy_work(CopyOperationRequest request, std::string requested_by) {
  return [request = std::move(request),
          requested_by = std::move(requested_by)](OperationContext& ctx) {
    return guarded([&] {
      api::CopyRequest copy;
      copy.from = request.from;
      copy.to = request.to;
      copy.create = request.create;
      copy.move = api_move_options(request.move);
      api::RunOptions options = api_options(ctx, requested_by, "copy", request.move.run);
      RowsProgress rows{ctx, {}};
      options.on_progress = [&rows](const api::Progress& p) { rows(p); };
      return outcome_of(api::copy_data(copy, options));
    });
  };
}

OperationWork import_work(ImportOperationRequest request, std::string requested_by) {
  return [request = std::move(request),
          requested_by = std::move(requested_by)](OperationContext& ctx) {
    return guarded([&] {
      api::ImportRequest import;
      import.database = request.database;
      import.input = request.input;
      import.move = api_move_options(request.move);
      api::RunOptions options = api_options(ctx, requested_by, "import", request.move.run);
      RowsProgress rows{ctx, {}};
      options.on_progress = [&rows](const api::Progress& p) { rows(p); };
      return outcome_of(api::import_data(import, options));
    });
  };
}

OperationWork export_work(ExportOperationRequest request, std::string requested_by) {
  return [request = std::move(request),
          requested_by = std::move(requested_by)](OperationContext& ctx) {
    return guarded([&] {
      api::ExportRequest e;
      e.database = request.database;
      e.output = request.output;
      e.plugins = request.plugins;
      e.tables = request.tables;
      e.csv = request.csv;
      e.zstd = request.zstd;
      // export writes no database: there is no audit row to name anyone in.
      api::RunOptions options = api_options(ctx, requested_by, "export", RunOptions{});
      options.on_progress = [&ctx](const api::Progress& p) {
        ctx.progress({"rows", p.done, 0, 0, std::nullopt});
      };
      return outcome_of(api::export_data(e, options));
    });
  };
}

std::string submit_install(OperationRegistry& registry, const std::string& requested_by,
                           const InstallOperationRequest& request) {
  return registry.submit(request.dry_run ? "plan" : "install", requested_by, request_json(request),
                         install_work(request, requested_by));
}

std::string submit_rollback(OperationRegistry& registry, const std::string& requested_by,
                            const RollbackOperationRequest& request) {
  return registry.submit("rollback", requested_by, request_json(request),
                         rollback_work(request, requested_by));
}

std::string submit_restore(OperationRegistry& registry, const std::string& requested_by,
                           const RestoreOperationRequest& request) {
  return registry.submit("restore", requested_by, request_json(request),
                         restore_work(request, requested_by));
}

std::string submit_copy(OperationRegistry& registry, const std::string& requested_by,
                        const CopyOperationRequest& request) {
  return registry.submit("copy", requested_by, request_json(request),
                         copy_work(request, requested_by));
}

std::string submit_import(OperationRegistry& registry, const std::string& requested_by,
                          const ImportOperationRequest& request) {
  return registry.submit("import", requested_by, request_json(request),
                         import_work(request, requested_by));
}

std::string submit_export(OperationRegistry& registry, const std::string& requested_by,
                          const ExportOperationRequest& request) {
  return registry.submit("export", requested_by, request_json(request),
                         export_work(request, requested_by));
}

}  // namespace migpkg::operations
