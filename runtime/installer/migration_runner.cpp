#include "runtime/installer/migration_runner.hpp"

#include "runtime/installer/commit_batch.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

#include "runtime/executor/sqlite_rebuild.hpp"

namespace migpkg::runtime {
namespace {

std::int64_t milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

}  // namespace

MigrationResult run_migration(Connection& c, Bookkeeping& bk, const MigrationRun& run,
                              const RunContext& context) {
  const plan::Migration& m = *run.migration;
  const std::vector<plan::Step>& steps = *run.steps;
  const std::string direction = run.up ? "up" : "down";
  MigrationResult result{m.plugin_id, m.id, m.version, "", 0, run.backup, {}, "", &m};
  HistoryRow history;
  history.plugin_id = m.plugin_id;
  history.migration_id = m.id;
  history.version = m.version;
  history.direction = direction;
  history.checksum = m.checksum;
  history.applied_by = context.actor;
  history.started_at = utc_now();
  history.backup = run.backup;
  auto start = std::chrono::steady_clock::now();

  RunOptions options;
  options.on_progress = context.progress;
  options.on_event = [&](const StepEvent& event) {
    if (event.kind == StepEvent::Kind::Skipped) result.skipped_steps.push_back(event.step_id);
    if (context.say && event.kind != StepEvent::Kind::Applied)
      context.say("  step " + event.step_id + ": " + event.message);
  };
  bool all_transactional =
      std::all_of(steps.begin(), steps.end(), [](const plan::Step& s) { return s.transactional; });
  // A migration that rebuilds a SQLite table runs with foreign keys off (sqlite_rebuild.hpp).
  // The pragma works only outside a transaction, so such a migration leaves the commit batch
  // for a transaction of its own; a --single-transaction batch switched them off before its
  // one transaction began (CommitBatch::will_run).
  bool rebuilds = needs_foreign_keys_off(c, steps);
  CommitBatch* batch = run.batch;
  bool batch_leaves = rebuilds && batch && !batch->whole_run();
  if (batch_leaves) batch = nullptr;
  std::optional<ForeignKeysOff> foreign_keys_off;
  ForeignKeyLedger ledger(rebuilds || (batch && batch->foreign_keys_off()));
  bool journalled = !all_transactional || run.resume_from > 0 || run.inflight_exists;
  // Steps whose effect is committed: a transactional step counts only once its transaction
  // commits, so a failure before that leaves a "failed" (not "partial") migration.
  int committed = run.resume_from;
  int done = run.resume_from;

  // Inside the transaction that ends the migration: history and applied set move together
  // with the last steps, so a crash can never leave one without the other.
  auto finish = [&] {
    history.state = run.up ? "applied" : "rolled-back";
    history.finished_at = utc_now();
    history.duration_ms = milliseconds_since(start);
    history.skipped_steps = result.skipped_steps;
    bk.add_history(history);
    if (run.up)
      bk.mark_applied(m, context.actor, history.started_at);
    else
      bk.mark_rolled_back(m.plugin_id, m.id);
    if (journalled) bk.end_inflight(m.plugin_id, m.id);
    bk.refresh_plugin(m.plugin_id, run.conflicts, run.up ? m.version : "");
  };

  try {
    if (batch_leaves) run.batch->close();
    if (rebuilds && !batch) foreign_keys_off.emplace(c);
    if (rebuilds && batch && !batch->foreign_keys_off())
      throw std::logic_error(
          "a table rebuild in a --single-transaction run needs foreign keys "
          "off before the run's transaction (CommitBatch::will_run)");
    if (batch) batch->enter_migration();
    if (journalled && !run.inflight_exists) bk.begin_inflight(m, direction);  // committed alone
    for (std::size_t i = static_cast<std::size_t>(run.resume_from); i < steps.size(); ++i) {
      const plan::Step& step = steps[i];
      if (step.transactional && !c.in_transaction()) c.begin();
      if (!step.transactional && c.in_transaction()) {
        ledger.check_before_commit(c);
        c.commit();
        committed = done;
      }
      if (context.say) context.say("  " + direction + " step " + step.id);
      ledger.after_step(step, run_step(c, step, options));
      if (journalled) bk.journal_step(m.plugin_id, m.id, direction, static_cast<int>(i), step.id);
      done = static_cast<int>(i) + 1;
      if (!c.in_transaction()) {
        committed = done;
        ledger.check_before_commit(c);  // it is done; what it broke stops the migration here
      }
    }
    ledger.check_before_commit(c);
    if (batch) {
      finish();  // deferred: the batch flushes and commits it
    } else {
      if (!c.in_transaction()) c.begin();
      finish();
      c.commit();
    }
    result.action = run.up ? (run.resume_from > 0 ? "resumed" : "applied") : "rolled-back";
    result.duration_ms = history.duration_ms;
    return result;
  } catch (const LockTimeout&) {
    // Another connection held the database past --lock-timeout: the migration did not fail,
    // it could not run. No history row (writing one would wait again); the caller reports the
    // run as locked and ends the open transaction, and a journalled migration resumes later.
    throw;
  } catch (const std::exception& e) {
    bool batch_lost = false;
    if (batch) {
      // SQLite rolls the whole transaction back by itself on a few errors (disk full, I/O):
      // then the batch's earlier migrations are gone too, and their queued rows with them.
      batch_lost = !batch->abort_migration();
      if (batch_lost) {
        bk.discard_pending();
        bk.flush();  // the failure row below is then written at once
      }
    } else if (c.in_transaction()) {
      c.rollback();
    }
    std::string error = "plugin " + m.plugin_id + ", migration " + m.id + " (" + direction + "): ";
    if (auto* failure = dynamic_cast<const StepFailure*>(&e))
      error += "step " + failure->step_id() + " failed: " + failure->what() +
               "\n  SQL: " + failure->sql();
    else
      error += e.what();
    history.state = journalled && (committed > 0 || run.inflight_exists) ? "partial" : "failed";
    history.finished_at = utc_now();
    history.duration_ms = milliseconds_since(start);
    history.error = error;
    history.skipped_steps = result.skipped_steps;
    result.action = "failed";
    result.error = error;
    result.transaction_lost = batch_lost;
    result.duration_ms = history.duration_ms;
    try {
      // This run's own in-flight record, with nothing committed under it, has nothing to resume;
      // an older record (half-applied work being resumed or undone) must stay.
      if (journalled && committed == 0 && !run.inflight_exists) bk.end_inflight(m.plugin_id, m.id);
      bk.add_history(history);  // on its own, after the rollback: the failure is remembered
    } catch (const std::exception&) {
      // The database may be gone; the error below still reaches the user.
    }
    return result;
  }
}

std::string group_obstacle(const plan::Migration& m, const std::vector<plan::Step>& steps) {
  for (const auto& step : steps)
    if (!step.transactional)
      return m.plugin_id + "/" + m.id + " has a non-transactional step (" + step.id +
             "), which cannot run inside the single transaction";
  return {};
}

RunReport locked_report(Connection& connection, const std::string& problem) {
  try {
    if (connection.in_transaction()) connection.rollback();
  } catch (const std::exception&) {
    // Closing the connection rolls it back all the same.
  }
  RunReport report;
  report.status = RunStatus::Locked;
  report.problems.push_back(problem);
  return report;
}

}  // namespace migpkg::runtime
