#include "runtime/operations/operation_kinds.hpp"

#include <algorithm>
#include <climits>
#include <map>
#include <nlohmann/json.hpp>

#include "compiler/diagnostics/render.hpp"
#include "compiler/util/semver.hpp"
#include "runtime/data/export_run.hpp"
#include "runtime/data/move_ends.hpp"
#include "runtime/data/move_report_json.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/installer/database_opening.hpp"
#include "runtime/installer/install_inputs.hpp"
#include "runtime/installer/run_report_json.hpp"
#include "runtime/package/package_error.hpp"

namespace migpkg::operations {
namespace {

using json = nlohmann::ordered_json;

int lock_wait_ms(const RunOptions& run) {
  return std::min(run.lock_timeout_seconds, INT_MAX / 1000) * 1000;
}

// What the command line's exit codes say about an exception (cli/main.cpp).
OperationProblem problem_of(const std::exception& e) {
  if (const auto* refused = dynamic_cast<const package::PackageError*>(&e))
    return {"refused", e.what(), refused->kind() == package::PackageErrorKind::Refused ? 3 : 1};
  if (dynamic_cast<const runtime::LockTimeout*>(&e)) return {"locked", e.what(), 4};
  if (dynamic_cast<const std::invalid_argument*>(&e)) return {"usage", e.what(), 2};
  return {"failed", e.what(), 1};
}

// Runs `body`, turning an exception into the outcome's problem.
OperationOutcome guarded(const std::function<OperationOutcome()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    OperationOutcome out;
    out.problem = problem_of(e);
    return out;
  }
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : "; ") + line;
  return out;
}

// An installer run's outcome: its report as the result, a problem unless it is ok.
OperationOutcome run_outcome(const runtime::RunReport& report, const std::string& command,
                             const std::string& database) {
  OperationOutcome out;
  out.result_json = runtime::run_report_json(report, command, database).dump();
  if (report.status != runtime::RunStatus::Ok)
    out.problem = OperationProblem{runtime::run_status_name(report.status), join(report.problems),
                                   runtime::run_status_exit_code(report.status)};
  return out;
}

OperationOutcome move_outcome(const data::MoveReport& report) {
  OperationOutcome out;
  out.result_json =
      data::move_report_json(report).dump(-1, ' ', false, json::error_handler_t::replace);
  if (!report.ok)
    out.problem = OperationProblem{data::move_status_name(report), report.error,
                                   data::move_exit_code(report)};
  return out;
}

// The installer's RunContext for an operation: its log, progress in migrations, cancel.
runtime::RunContext run_context(OperationContext& ctx, const std::string& requested_by,
                                const std::string& command, const runtime::DatabaseUrl& url,
                                const std::string& backup_directory, const RunOptions& run) {
  runtime::RunContext context;
  context.actor = requested_by;
  context.command_line = command + " (operation " + ctx.id() + ")";
  context.lock_timeout_seconds = run.lock_timeout_seconds;
  context.backup_directory = backup_directory.empty()
                                 ? runtime::engine_of(url).default_backup_directory(url)
                                 : backup_directory;
  context.say = [&ctx](const std::string& line) { ctx.log(line); };
  context.cancel_requested = [&ctx] { return ctx.cancel_requested(); };
  context.migrations_done = [&ctx](std::size_t done, std::size_t total) {
    ctx.progress({"migrations", done, total, 0, std::nullopt});
  };
  return context;
}

// Rows of every table of a move, as one count: the tables before plus the current one's.
struct RowsProgress {
  OperationContext& ctx;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> tables;  // done, total
  void operator()(const data::MoveProgress& p) {
    tables[p.table] = {p.rows_done, p.rows_total};
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

void read_move_options(const MoveOperationOptions& options, data::MoveRequest& request) {
  request.plugins = options.plugins;
  request.tables = options.tables;
  request.on_conflict = options.on_conflict;
  request.batch_rows = options.batch_rows;
  request.dry_run = options.dry_run;
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
      runtime::DatabaseUrl url = runtime::DatabaseUrl::parse(request.database);
      runtime::InstallInputsRequest install;
      if (!request.to.empty()) {
        // [PLUGIN@]VERSION, as install --to takes it.
        auto at = request.to.find('@');
        install.target_plugin = at == std::string::npos ? "" : request.to.substr(0, at);
        install.target_version = at == std::string::npos ? request.to : request.to.substr(at + 1);
        if (!SemVer::parse(install.target_version) || at == 0)
          throw std::invalid_argument("to takes VERSION or PLUGIN@VERSION, not '" + request.to +
                                      "'");
      }
      // Packages are verified before the database is opened, as the command does.
      Diagnostics diagnostics;
      install.inputs = runtime::verify_inputs(request.inputs, request.trust, diagnostics);
      install.dry_run = request.dry_run;
      install.allow_downgrade = request.allow_downgrade;
      runtime::RunContext context =
          run_context(ctx, requested_by, command, url, request.backup_directory, request.run);
      context.no_backup = request.no_backup;
      context.single_transaction = request.single_transaction;
      runtime::InstallInputsResult run =
          runtime::install_inputs(url, install, context, diagnostics);
      if (!run.report) {
        // The sources do not validate: the diagnostics are the result, as `install --json`
        // prints them.
        OperationOutcome out;
        out.result_json = diagnostics_json(diagnostics).dump();
        std::string first;
        for (const Diagnostic& d : diagnostics.items())
          if (first.empty() && d.severity == DiagnosticSeverity::Error)
            first = render_diagnostic(d);
        out.problem = OperationProblem{"invalid", "the sources have errors: " + first, 1};
        return out;
      }
      return run_outcome(*run.report, command, request.database);
    });
  };
}

OperationWork rollback_work(RollbackOperationRequest request, std::string requested_by) {
  return [request = std::move(request),
          requested_by = std::move(requested_by)](OperationContext& ctx) {
    return guarded([&] {
      runtime::DatabaseUrl url = runtime::DatabaseUrl::parse(request.database);
      runtime::RunContext context = run_context(ctx, requested_by, "rollback " + request.plugin,
                                                url, request.backup_directory, request.run);
      context.no_backup = request.no_backup;
      const int wait = lock_wait_ms(request.run);
      auto connection = request.dry_run ? runtime::open_for_reading(url)
                                        : runtime::open_naming_lock_holder(url, [&] {
                                            return runtime::open_for_reading(url, wait);
                                          });
      runtime::RunReport report = runtime::rollback(*connection, url, request.plugin,
                                                    request.target, request.dry_run, context);
      return run_outcome(report, "rollback", request.database);
    });
  };
}

OperationWork restore_work(RestoreOperationRequest request, std::string requested_by) {
  return [request = std::move(request),
          requested_by = std::move(requested_by)](OperationContext& ctx) {
    return guarded([&] {
      runtime::DatabaseUrl url = runtime::DatabaseUrl::parse(request.database);
      runtime::RunContext context =
          run_context(ctx, requested_by, "restore " + request.backup, url, "", request.run);
      const int wait = lock_wait_ms(request.run);
      auto connection = runtime::open_naming_lock_holder(
          url, [&] { return runtime::open_connection(url, wait); });
      // A restore is one step: it is not cancelled part-way.
      runtime::RunReport report = runtime::restore(*connection, url, request.backup, context);
      return run_outcome(report, "restore", request.database);
    });
  };
}

OperationWork copy_work(CopyOperationRequest request, std::string requested_by) {
  return [request = std::move(request),
          requested_by = std::move(requested_by)](OperationContext& ctx) {
    return guarded([&] {
      data::CopyRequest copy;
      read_move_options(request.move, copy);
      copy.from_url = request.from;
      copy.to_url = request.to;
      copy.create = request.create;
      RowsProgress rows{ctx, {}};
      copy.progress = [&rows](const data::MoveProgress& p) { rows(p); };
      copy.cancel_requested = [&ctx] { return ctx.cancel_requested(); };
      runtime::DatabaseUrl::parse(request.from);
      runtime::DatabaseUrl to_url = runtime::DatabaseUrl::parse(request.to);
      auto source = data::open_copy_source(request.from, request.to);
      auto target =
          data::open_move_target(to_url, request.move.dry_run, lock_wait_ms(request.move.run));
      data::MoveActor who{requested_by, "copy (operation " + ctx.id() + ")",
                          request.move.run.lock_timeout_seconds};
      data::MoveReport report =
          data::run_locked_move(*target, to_url, "copy", who, request.move.dry_run,
                                [&] { return data::run_copy(*source, *target, copy); });
      return move_outcome(report);
    });
  };
}

OperationWork import_work(ImportOperationRequest request, std::string requested_by) {
  return [request = std::move(request), requested_by = std::move(requested_by)](
             OperationContext& ctx) {
    return guarded([&] {
      data::ImportRequest import;
      read_move_options(request.move, import);
      import.input = request.input;
      import.db_url = request.database;
      RowsProgress rows{ctx, {}};
      import.progress = [&rows](const data::MoveProgress& p) { rows(p); };
      import.cancel_requested = [&ctx] {
      return ctx.cancel_requested(); };
      // A bad data set is refused before the target is opened, as the command does.
      data::DatasetReader::open(request.input, nullptr);
      runtime::DatabaseUrl url = runtime::DatabaseUrl::parse(request.database);
      auto target =
          data::open_move_target(url, request.move.dry_run, lock_wait_ms(request.move.run));
      data::MoveActor who{requested_by, "import (operation " + ctx.id() + ")",
                          request.move.run.lock_timeout_seconds};
      data::MoveReport report =
          data::run_locked_move(*target, url, "import", who, request.move.dry_run,
                                [&] {
      return data::run_import(*target, import); });
      return move_outcome(report);
    });
};
}

OperationWork export_work(ExportOperationRequest request, std::string requested_by) {
  (void)requested_by;  // export writes no database: there is no audit row to name anyone in
  return [request = std::move(request)](OperationContext& ctx) {
    return guarded([&] {
      data::ExportRequest e;
      e.database = request.database;
      e.output = request.output;
      e.format = request.csv ? data::FileFormat::Csv : data::FileFormat::Ndjson;
      e.compression = request.zstd ? data::Compression::Zstd : data::Compression::None;
      e.plugins = request.plugins;
      if (!request.tables.empty()) e.tables = request.tables;
      std::uint64_t before = 0;  // rows of the tables finished before
      e.progress = [&](const std::string& table, std::uint64_t rows, bool finished) {
        ctx.progress({"rows", before + rows, 0, 0, std::nullopt});
        if (finished) {
          before += rows;
          ctx.log("  " + table + ": " + std::to_string(rows) + " rows");
        }
      };
      e.cancel_requested = [&ctx] { return ctx.cancel_requested(); };
      OperationOutcome out;
      try {
        data::ExportReport report = data::run_export(e);
        out.result_json = data::export_report_json(report).dump();
      } catch (const data::ExportCancelled& stopped) {
        out.problem = OperationProblem{kCancelledCode, stopped.what(), kCancelledExitCode};
      }
      return out;
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
