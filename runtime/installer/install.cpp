#include <algorithm>
#include <map>
#include <memory>
#include <utility>

#include "runtime/backup/backup.hpp"
#include "runtime/installer/backup_rules.hpp"
#include "runtime/installer/commit_batch.hpp"
#include "runtime/installer/install_target.hpp"
#include "runtime/installer/installer.hpp"
#include "runtime/installer/migration_runner.hpp"
#include "runtime/installer/object_clashes.hpp"
#include "runtime/installer/preflight.hpp"
#include "runtime/installer/run_opening.hpp"
#include "runtime/installer/unresolved_migrations.hpp"

namespace migpkg::runtime {
namespace {

// What the pending migrations destroy, from their sources: why a backup is taken before each
// ("" when none is: the author requires one, or it makes a destructive change that neither the
// author nor the installer waived), and, per migration, the up steps that destroy data
// whatever was waived (a failure after one of them committed is not undone at once).
struct Destruction {
  std::vector<std::string> backup_reasons;
  std::vector<std::map<std::string, std::string>> destroying_steps;
};

Destruction destruction(const ir::Program& program, const std::vector<plan::Migration>& migrations,
                        const RunContext& context) {
  std::map<std::pair<std::string, std::string>, const ir::Migration*> sources;
  for (const auto& plugin : program.plugins)
    for (const auto& migration : plugin.migrations) sources[{plugin.id, migration.id}] = &migration;
  std::vector<const ir::Migration*> pending;
  for (const auto& m : migrations)
    if (auto source = sources.find({m.plugin_id, m.id}); source != sources.end())
      pending.push_back(source->second);
  const PreviousTypes previous = previous_types(program, pending);
  Destruction out;
  for (const auto& m : migrations) {
    auto source = sources.find({m.plugin_id, m.id});
    std::map<std::string, std::string>& steps = out.destroying_steps.emplace_back();
    std::vector<std::string> destroyed;
    if (source != sources.end())
      for (const auto& step : source->second->up)
        if (std::string what = destroyed_by(step, previous); !what.empty()) {
          steps.emplace(step.id, what);
          destroyed.push_back(std::move(what));
        }
    if (source != sources.end() && (source->second->waive_backup || context.no_backup))
      destroyed.clear();
    out.backup_reasons.push_back(backup_required(m)  ? "required"
                                 : destroyed.empty() ? ""
                                                     : "it " + join_words(destroyed));
  }
  return out;
}

// A plugin's conflicts are those of every migration it has applied: the ones recorded at
// earlier installs stay, even when this run is given only the newer sources.
std::vector<std::string> declared_conflicts(const ir::Program& program, const std::string& plugin,
                                            const InstalledState& state) {
  std::vector<std::string> out;
  if (const InstalledPlugin* installed = state.plugin(plugin)) out = installed->conflicts;
  if (const ir::Plugin* p = program.find_plugin(plugin))
    for (const auto& m : p->migrations)
      for (const auto& c : m.conflicts)
        if (std::find(out.begin(), out.end(), c.text) == out.end()) out.push_back(c.text);
  return out;
}

void say(const RunContext& context, const std::string& line) {
  if (context.say) context.say(line);
}

}  // namespace

std::string cancelled_problem(std::size_t done, std::size_t left) {
  return "cancelled: " + std::to_string(done) + " migration(s) done, " + std::to_string(left) +
         " not finished; the same command again goes on from here";
}

std::set<std::string> applied_migration_ids(Connection& connection) {
  std::set<std::string> ids;
  Bookkeeping bk(connection);
  if (!bk.tables_exist()) return ids;
  for (const auto& a : bk.applied()) ids.insert(a.migration_id);
  return ids;
}

namespace {

RunReport run_install(Connection& c, const DatabaseUrl& url, InstallRequest&& request,
                      const RunContext& context) {
  RunReport report;
  report.plan.dialect = request.plan.dialect;
  report.plan.migpkg_version = request.plan.migpkg_version;
  Bookkeeping bk(c);
  std::unique_ptr<RunLock> lock;
  std::int64_t audit_id = 0;
  if (!request.dry_run) {
    auto start = lock_and_audit_run(c, url, bk, "install", context, report, lock);
    if (!start) return report;
    for (const auto& run : start->interrupted)
      say(context,
          "note: an earlier run did not finish (" + run +
              "); its unfinished migrations were rolled back by the database or are resumed below");
    audit_id = start->audit_id;
  }
  auto finish_audit = [&](const std::string& outcome, const std::string& detail) {
    if (audit_id)
      bk.audit_finish(audit_id, outcome,
                      context.trust_note.empty() ? detail : detail + "; " + context.trust_note);
  };

  InstalledState state = bk.tables_exist() ? read_installed_state(bk) : InstalledState{};
  const std::vector<UnresolvedMigration> unresolved =
      unresolved_migrations(*request.program, state);
  report.not_in_sources = unresolved;
  report.problems = find_drift(request.plan, state);
  if (!report.problems.empty()) {
    report.status = RunStatus::Drift;
    finish_audit("drift", report.problems.front());
    return report;
  }
  std::vector<const plan::Migration*> pending;
  for (const auto& m : request.plan.migrations)
    if (!state.applied_migration(m.plugin_id, m.id)) pending.push_back(&m);
  const ir::Program& program = *request.program;
  report.problems =
      limit_to_target(program, {request.target_plugin, request.target_version}, state, pending);
  auto add_problems = [&](std::vector<std::string>&& more) {
    report.problems.insert(report.problems.end(), more.begin(), more.end());
  };
  add_problems(unresolved_refusals(unresolved));
  add_problems(find_refusals(program, pending, state));
  add_problems(find_broken_dependents(program, pending, state));
  add_problems(find_object_clashes(c, program, pending, state));
  for (const auto& f : state.inflight)
    if (f.direction == "down")
      report.problems.push_back("a rollback of " + f.plugin_id + "/" + f.migration_id +
                                " did not finish: run migpkg rollback " + f.plugin_id +
                                " again first");
  if (!report.problems.empty()) {
    report.status = RunStatus::Refused;
    finish_audit("refused", report.problems.front());
    return report;
  }

  // The pending migrations are moved, not copied, into the report's plan: a plan of 500
  // migrations is thousands of statements.
  {
    std::size_t next = 0;
    for (auto& m : request.plan.migrations)
      if (next < pending.size() && pending[next] == &m) {
        report.plan.migrations.push_back(std::move(m));
        ++next;
      }
  }
  request.plan.migrations.clear();
  const Destruction destroys = destruction(program, report.plan.migrations, context);
  const std::vector<std::string>& reasons = destroys.backup_reasons;
  auto needs_backup = [&](std::size_t i) { return !reasons[i].empty(); };

  bool group = context.single_transaction && !request.dry_run && !report.plan.migrations.empty();
  std::string group_backup;
  if (group) {
    for (const auto& m : report.plan.migrations) {
      std::string obstacle = group_obstacle(m, m.up);
      if (state.inflight_migration(m.plugin_id, m.id))
        obstacle =
            m.plugin_id + "/" + m.id + " is half-done: finish it without --single-transaction";
      if (!obstacle.empty()) report.problems.push_back(obstacle);
    }
    if (!report.problems.empty()) {
      report.status = RunStatus::Refused;
      finish_audit("refused", report.problems.front());
      return report;
    }
    // One backup before the group (a backup cannot be taken inside the transaction).
    if (std::any_of(reasons.begin(), reasons.end(),
                    [](const std::string& reason) { return !reason.empty(); })) {
      say(context, "backing up before the run");
      try {
        group_backup = take_backup(c, url, context.backup_directory, "single-transaction",
                                   context.backup_encryption.get())
                           .path;
      } catch (const LockTimeout&) {
        throw;  // not a backup failure: another connection held the database too long
      } catch (const std::exception& e) {
        report.status = RunStatus::Failed;
        report.problems.push_back(std::string("backup failed: ") + e.what() + "; nothing was run");
        finish_audit("failed", report.problems.front());
        return report;
      }
    }
  }

  CommitBatch batch(c, bk, report, context, group);
  if (group)
    for (const auto& m : report.plan.migrations) batch.will_run(m.up);
  std::map<std::string, std::vector<std::string>> conflicts_by_plugin;
  // Whether migration i runs journalled from its first step with nothing committed before it
  // in this run (no backup): then its in-flight row can go with the previous one's closing.
  auto starts_journalled = [&](std::size_t i) {
    if (i >= report.plan.migrations.size() || needs_backup(i) || group || request.dry_run)
      return false;
    const plan::Migration& m = report.plan.migrations[i];
    return !state.inflight_migration(m.plugin_id, m.id) &&
           state.steps_done(m.plugin_id, m.id, "up") == 0 && !group_obstacle(m, m.up).empty();
  };
  bool inflight_written = false;  // by the previous migration's closing transaction
  const std::size_t count = report.plan.migrations.size();
  for (std::size_t i = 0; i < count; ++i) {
    const plan::Migration& m = report.plan.migrations[i];
    const InflightMigration* inflight = state.inflight_migration(m.plugin_id, m.id);
    int done = state.steps_done(m.plugin_id, m.id, "up");
    if (!request.dry_run && context.migrations_done) context.migrations_done(i, count);
    if (!request.dry_run && !group && context.cancel_requested && context.cancel_requested()) {
      batch.close();  // the migrations before this one stay, as a kill after them would leave
      report.status = RunStatus::Cancelled;
      report.problems.push_back(cancelled_problem(i, count - i));
      break;
    }
    if (request.dry_run) {
      MigrationResult r{m.plugin_id, m.id, m.version, done ? "would-resume" : "would-apply", 0, "",
                        {},          "",   &m};
      if (needs_backup(i)) r.backup = "(a backup would be taken first)";
      report.migrations.push_back(r);
      continue;
    }
    // In a group, the one backup was taken before every migration of the run: each names it,
    // so a restore undoes the whole run.
    std::string backup = group ? group_backup : "";
    bool batched = group || (inflight == nullptr && done == 0 && group_obstacle(m, m.up).empty());
    // A backup copies committed state; a journalled migration commits step by step.
    if ((needs_backup(i) && !group) || !batched) batch.close();
    if (needs_backup(i) && !group) {
      say(context, "backing up before " + m.plugin_id + "/" + m.id +
                       (reasons[i] == "required" ? "" : " (" + reasons[i] + ")"));
      try {
        backup = take_backup(c, url, context.backup_directory, m.plugin_id + "-" + m.id,
                             context.backup_encryption.get())
                     .path;
      } catch (const LockTimeout&) {
        throw;  // not a backup failure: another connection held the database too long
      } catch (const std::exception& e) {
        report.status = RunStatus::Failed;
        report.problems.push_back("backup before " + m.plugin_id + "/" + m.id +
                                  " failed: " + e.what() + "; nothing was run");
        break;
      }
    }
    say(context, std::string(done ? "resuming " : "applying ") + m.plugin_id + "/" + m.id + " " +
                     m.version + (done ? " after step " + std::to_string(done) : ""));
    MigrationRun run;
    run.migration = &m;
    run.up = true;
    run.steps = &m.up;
    run.resume_from = done;
    run.inflight_exists = inflight != nullptr;
    run.backup = backup;
    // Once per plugin, not per migration: it scans all of the plugin's migrations.
    auto known = conflicts_by_plugin.find(m.plugin_id);
    if (known == conflicts_by_plugin.end())
      known =
          conflicts_by_plugin.emplace(m.plugin_id, declared_conflicts(program, m.plugin_id, state))
              .first;
    run.conflicts = known->second;
    run.destroying_steps = destroys.destroying_steps[i];
    run.batch = batched ? &batch : nullptr;
    run.inflight_written = inflight_written;
    if (!batched && starts_journalled(i + 1)) run.then_start = &report.plan.migrations[i + 1];
    if (auto from = context.provenance.find({m.plugin_id, m.id}); from != context.provenance.end())
      run.provenance = from->second;
    MigrationResult result;
    try {
      result = run_migration(c, bk, run, context);
    } catch (const RunCancelled& stopped) {
      report.status = RunStatus::Cancelled;
      report.problems.push_back(std::string(stopped.what()) + " of " + m.plugin_id + "/" + m.id +
                                "; " + cancelled_problem(i, count - i));
      break;
    }
    inflight_written = run.then_start && result.action != "failed";
    if (!batch.record(run, result)) break;
  }
  if (!request.dry_run && context.migrations_done && report.status == RunStatus::Ok)
    context.migrations_done(count, count);
  // The audit row is finished inside the last batch when one is open: one commit less.
  finish_audit(report.status == RunStatus::Ok          ? "ok"
               : report.status == RunStatus::Cancelled ? "cancelled"
                                                       : "failed",
               report.problems.empty() ? std::to_string(report.migrations.size()) + " migration(s)"
                                       : report.problems.front());
  batch.close();
  return report;
}

}  // namespace

RunReport install(Connection& c, const DatabaseUrl& url, InstallRequest&& request,
                  const RunContext& context) {
  const bool dry_run = request.dry_run;
  try {
    return run_install(c, url, std::move(request), context);
  } catch (const LockTimeout& e) {
    // A statement met another connection's lock for --lock-timeout (the run lock's own timeout
    // is reported inside). The database keeps what this run committed before it.
    return locked_report(c, dry_run ? e.what() : foreign_writer_message(e));
  }
}

}  // namespace migpkg::runtime
