// Rollback from what the database itself remembers: each applied migration's stored plan.
#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "compiler/planner/plan_json_reader.hpp"
#include "compiler/util/semver.hpp"
#include "runtime/backup/backup.hpp"
#include "runtime/installer/backup_rules.hpp"
#include "runtime/installer/commit_batch.hpp"
#include "runtime/installer/installer.hpp"
#include "runtime/installer/migration_runner.hpp"
#include "runtime/installer/preflight.hpp"
#include "runtime/installer/run_opening.hpp"
#include "runtime/installer/step_reverses.hpp"

namespace migpkg::runtime {
namespace {

struct Undo {
  plan::Migration migration;
  std::vector<plan::Step> steps;
  bool has_inflight_row = false;  // half-applied (up) or half-undone (down): migpkg_inflight has it
  int resume_from = 0;            // a half-done rollback: down steps already done
  bool reverses_up = false;       // `steps` are the reverses of the up steps done
};

// The migrations the target selects, most recent first.
std::vector<const AppliedMigration*> select(const std::vector<AppliedMigration>& applied,
                                            const RollbackTarget& target, std::string& problem) {
  std::vector<const AppliedMigration*> chosen;
  std::optional<SemVer> latest, floor;
  for (const auto& a : applied)
    if (auto v = SemVer::parse(a.version); v && (!latest || *latest < *v)) latest = v;
  if (target.kind == RollbackTarget::Kind::ToVersion) {
    floor = SemVer::parse(target.version, &problem);
    if (!floor) return chosen;
  }
  for (auto it = applied.rbegin(); it != applied.rend(); ++it) {
    auto v = SemVer::parse(it->version);
    bool take = false;
    switch (target.kind) {
      case RollbackTarget::Kind::LatestVersion:
        take = v && latest && *v == *latest;
        break;
      case RollbackTarget::Kind::ToVersion:
        take = v && *floor < *v;
        break;
      case RollbackTarget::Kind::Steps:
        take = static_cast<int>(chosen.size()) < target.steps;
        break;
      case RollbackTarget::Kind::All:
        take = true;
        break;
    }
    if (take) chosen.push_back(&*it);
  }
  return chosen;
}

// The version the plugin keeps after the undo: the highest among migrations not undone.
std::optional<SemVer> remaining_version(const std::vector<AppliedMigration>& applied,
                                        const std::vector<const AppliedMigration*>& undone) {
  std::optional<SemVer> best;
  for (const auto& a : applied) {
    if (std::find(undone.begin(), undone.end(), &a) != undone.end()) continue;
    if (auto v = SemVer::parse(a.version); v && (!best || *best < *v)) best = v;
  }
  return best;
}

RunReport run_rollback(Connection& c, const DatabaseUrl& url, const std::string& plugin_id,
                       const RollbackTarget& target, bool dry_run, const RunContext& context) {
  RunReport report;
  report.plan.dialect = ir::engine_name(c.engine());
  report.plan.migpkg_version = MIGPKG_VERSION;
  Bookkeeping bk(c);
  std::unique_ptr<RunLock> lock;
  std::int64_t audit_id = 0;
  if (!bk.tables_exist()) {
    report.status = RunStatus::Refused;
    report.problems.push_back("nothing is installed in this database (no migpkg tables)");
    return report;
  }
  if (!dry_run) {
    auto start = lock_and_audit_run(c, url, bk, "rollback", context, report, lock);
    if (!start) return report;
    audit_id = start->audit_id;
  }
  auto refuse = [&](RunStatus status) {
    report.status = status;
    if (audit_id) bk.audit_finish(audit_id, "refused", report.problems.front());
    return report;
  };

  InstalledState state = read_installed_state(bk);
  std::vector<AppliedMigration> applied;
  for (const auto& a : state.applied)
    if (a.plugin_id == plugin_id) applied.push_back(a);

  // Half-done work of this plugin comes first: it is the most recent.
  std::vector<Undo> undo;
  for (const auto& f : state.inflight) {
    if (f.plugin_id != plugin_id) continue;
    Undo u{migration_from_text(f.plan_json), {}, true, 0};
    int done = state.steps_done(f.plugin_id, f.migration_id, f.direction);
    if (f.direction == "up") {
      // Undo just the steps that ran when each has its own reverse; else the whole down,
      // which for migrations with non-transactional steps must tolerate a partial up.
      StepReverses reverses = reverses_of_done_steps(u.migration.up, done);
      // Killed before its first step was journalled, a migration whose every step has a
      // reverse has nothing to undo. Its down would be wrong there: written for a complete up
      // (an automatic down drops what was never created), it would fail on every try and leave
      // the database stuck with a half-done rollback (MySQL, where every DDL step is journalled).
      bool all_have_reverses =
          reverses_of_done_steps(u.migration.up, static_cast<int>(u.migration.up.size()))
              .without_reverse.empty();
      if (reverses.without_reverse.empty() && (done > 0 || all_have_reverses)) {
        u.steps = std::move(reverses.steps);
        u.reverses_up = true;
      } else if (u.migration.down.empty() && done > 0) {
        // Running no steps would record it undone with its done steps still in effect.
        report.problems.push_back(
            plugin_id + "/" + f.migration_id +
            " is half-done and cannot be rolled back: " + join_words(reverses.without_reverse) +
            (reverses.without_reverse.size() > 1 ? " have" : " has") +
            " no reverse and the migration has no down steps; finish it with migpkg install");
        continue;
      } else {
        u.steps = u.migration.down;
      }
    } else {
      u.steps = u.migration.down;
      u.resume_from = done;
    }
    undo.push_back(std::move(u));
  }

  // With half-done work, the default target is just that work: finishing (or undoing) it must
  // not also take away the plugin's last complete version. --steps N counts it as one of N.
  RollbackTarget effective = target;
  if (!undo.empty() && target.kind == RollbackTarget::Kind::LatestVersion)
    effective.kind = RollbackTarget::Kind::Steps;
  if (effective.kind == RollbackTarget::Kind::Steps)
    effective.steps = target.kind == RollbackTarget::Kind::Steps
                          ? std::max(0, target.steps - static_cast<int>(undo.size()))
                          : 0;
  std::string problem;
  auto chosen = select(applied, effective, problem);
  if (!problem.empty()) {
    report.problems.push_back(problem);
    return refuse(RunStatus::Refused);
  }
  if (chosen.empty() && undo.empty()) {
    // Already at the version --to names: done, as an install with nothing pending is done, so
    // that the same command run again after a kill (or by a retrying job) ends with exit 0.
    const auto kept = remaining_version(applied, {});
    if (target.kind == RollbackTarget::Kind::ToVersion && kept &&
        SemVer::parse(target.version) == kept) {
      if (audit_id) bk.audit_finish(audit_id, "ok", "already at " + target.version);
      return report;
    }
    report.problems.push_back(applied.empty() ? "plugin " + plugin_id + " is not installed"
                                              : "nothing to roll back for that target");
    return refuse(RunStatus::Refused);
  }
  for (const auto* a : chosen) {
    if (std::any_of(undo.begin(), undo.end(),
                    [&](const Undo& u) { return u.migration.id == a->migration_id; }))
      continue;
    Undo u{migration_from_text(a->plan_json), {}, false, 0};
    if (!u.migration.reversible) {
      report.problems.push_back(plugin_id + "/" + a->migration_id +
                                " cannot be rolled back: it has no down steps "
                                "(an up step says rollbackSupported: false)");
      continue;
    }
    u.steps = u.migration.down;
    undo.push_back(std::move(u));
  }
  std::vector<std::string> undone_ids;
  for (const auto* a : chosen) undone_ids.push_back(a->migration_id);
  auto dependents =
      find_dependents(plugin_id, state, undone_ids, remaining_version(applied, chosen));
  report.problems.insert(report.problems.end(), dependents.begin(), dependents.end());
  if (!report.problems.empty()) return refuse(RunStatus::Refused);

  for (const auto& u : undo) report.plan.migrations.push_back(u.migration);
  bool group = context.single_transaction && !dry_run;
  if (group) {
    for (const auto& u : undo) {
      std::string obstacle = group_obstacle(u.migration, u.steps);
      if (u.has_inflight_row)
        obstacle = plugin_id + "/" + u.migration.id +
                   " is half-done: undo it without --single-transaction";
      if (!obstacle.empty()) report.problems.push_back(obstacle);
    }
    if (!report.problems.empty()) return refuse(RunStatus::Refused);
  }
  // Which downs would take rows away: each is backed up first unless the installer waived it.
  // Asked right before each migration, on the data the ones before it left; a dry run, and a
  // single-transaction run (one backup before it all), ask for every migration up front.
  std::vector<std::vector<std::string>> losses(undo.size());
  if (!context.no_backup && (dry_run || group))
    for (std::size_t i = 0; i < undo.size(); ++i) losses[i] = tables_losing_rows(c, undo[i].steps);
  // A restore of a backup taken before the rollback makes what it took away applied again: the
  // plugin's applied rows (and conflicts) are kept with the backup's name for that.
  auto remember = [&](const std::string& path) {
    const InstalledPlugin* installed = state.plugin(plugin_id);
    bk.remember_rollback_backup(path, bk.applied(plugin_id),
                                installed ? installed->conflicts : std::vector<std::string>{});
  };
  std::string run_backup;  // with --single-transaction, taken before the run
  if (group && std::any_of(losses.begin(), losses.end(),
                           [](const std::vector<std::string>& l) { return !l.empty(); })) {
    if (context.say) context.say("backing up before the run");
    try {
      run_backup = take_backup(c, url, context.backup_directory, "single-transaction",
                               context.backup_encryption.get())
                       .path;
    } catch (const LockTimeout&) {
      throw;  // not a backup failure: another connection held the database too long
    } catch (const std::exception& e) {
      report.status = RunStatus::Failed;
      report.problems.push_back(std::string("backup failed: ") + e.what() + "; nothing was run");
      if (audit_id) bk.audit_finish(audit_id, "failed", report.problems.front());
      return report;
    }
    remember(run_backup);
  }
  CommitBatch batch(c, bk, report, context, group);
  if (group)
    for (const auto& u : undo) batch.will_run(u.steps);
  // Whether migration i is undone journalled from its first step, with no backup taken before
  // it: then its in-flight row can go with the previous one's closing.
  auto starts_journalled = [&](std::size_t i) {
    if (i >= undo.size() || dry_run || group || (!context.no_backup && run_backup.empty()))
      return false;
    const Undo& u = undo[i];
    return !u.has_inflight_row && u.resume_from == 0 && !u.reverses_up &&
           !group_obstacle(u.migration, u.steps).empty();
  };
  bool inflight_written = false;  // by the previous migration's closing transaction
  for (std::size_t i = 0; i < undo.size(); ++i) {
    const Undo& u = undo[i];
    const plan::Migration& m = report.plan.migrations[i];
    if (!dry_run && context.migrations_done) context.migrations_done(i, undo.size());
    if (!dry_run && !group && context.cancel_requested && context.cancel_requested()) {
      batch.close();  // the migrations undone before this one stay undone
      report.status = RunStatus::Cancelled;
      report.problems.push_back(cancelled_problem(i, undo.size() - i));
      break;
    }
    if (dry_run) {
      report.migrations.push_back({m.plugin_id,
                                   m.id,
                                   m.version,
                                   "would-roll-back",
                                   0,
                                   losses[i].empty() ? "" : "(a backup would be taken first)",
                                   {},
                                   "",
                                   &m});
      continue;
    }
    if (!group && !context.no_backup) losses[i] = tables_losing_rows(c, u.steps);
    // One backup per run, before the first migration whose down would drop rows: it holds what
    // every later undo of the run takes away too, so each of those names it as well.
    if (!losses[i].empty() && run_backup.empty()) {
      batch.close();  // a backup copies committed state
      if (context.say)
        context.say("backing up before rolling back " + m.plugin_id + "/" + m.id +
                    " (rows at stake: its down drops, rebuilds or retypes " +
                    join_words(losses[i]) + ")");
      try {
        run_backup =
            take_backup(c, url, context.backup_directory, m.plugin_id + "-" + m.id + "-rollback",
                        context.backup_encryption.get())
                .path;
        remember(run_backup);
      } catch (const LockTimeout&) {
        throw;  // not a backup failure: another connection held the database too long
      } catch (const std::exception& e) {
        report.status = RunStatus::Failed;
        report.problems.push_back("backup before rolling back " + m.plugin_id + "/" + m.id +
                                  " failed: " + e.what() + "; it was not rolled back");
        break;
      }
    }
    std::string backup = losses[i].empty() ? "" : run_backup;
    if (context.say) context.say("rolling back " + m.plugin_id + "/" + m.id + " " + m.version);
    MigrationRun run;
    run.migration = &m;
    run.up = false;
    run.steps = &u.steps;
    run.resume_from = u.resume_from;
    run.inflight_exists = u.has_inflight_row;
    run.reverses_up = u.reverses_up;
    run.backup = backup;
    // Half-done work is journalled, and so committed step by step: never in a batch.
    bool batched = group || (!u.has_inflight_row && u.resume_from == 0 &&
                             group_obstacle(u.migration, u.steps).empty());
    run.batch = batched ? &batch : nullptr;
    if (!batched) batch.close();
    run.inflight_written = inflight_written;
    if (!batched && starts_journalled(i + 1)) run.then_start = &report.plan.migrations[i + 1];
    // Its rollback rows say which package installed it; half-done work has no applied row.
    if (const AppliedMigration* a = state.applied_migration(plugin_id, m.id))
      run.provenance = a->provenance;
    // run_migration also ends the in-flight record of half-done work it finishes.
    MigrationResult result;
    try {
      result = run_migration(c, bk, run, context);
    } catch (const RunCancelled& stopped) {
      report.status = RunStatus::Cancelled;
      report.problems.push_back(std::string(stopped.what()) + " of " + m.plugin_id + "/" + m.id +
                                "; " + cancelled_problem(i, undo.size() - i));
      break;
    }
    inflight_written = run.then_start && result.action != "failed";
    if (!batch.record(run, result)) break;
  }
  if (!dry_run && context.migrations_done && report.status == RunStatus::Ok)
    context.migrations_done(undo.size(), undo.size());
  // Inside the last batch when one is open: one commit less.
  if (audit_id)
    bk.audit_finish(audit_id,
                    report.status == RunStatus::Ok          ? "ok"
                    : report.status == RunStatus::Cancelled ? "cancelled"
                                                            : "failed",
                    report.problems.empty()
                        ? std::to_string(report.migrations.size()) + " migration(s)"
                        : report.problems.front());
  batch.close();
  return report;
}

}  // namespace

RunReport rollback(Connection& c, const DatabaseUrl& url, const std::string& plugin_id,
                   const RollbackTarget& target, bool dry_run, const RunContext& context) {
  try {
    return run_rollback(c, url, plugin_id, target, dry_run, context);
  } catch (const LockTimeout& e) {
    // A statement met another connection's lock for --lock-timeout (the run lock's own timeout
    // is reported inside). The database keeps what this run committed before it.
    return locked_report(c, dry_run ? e.what() : foreign_writer_message(e));
  }
}

}  // namespace migpkg::runtime
