#include "runtime/installer/migration_runner.hpp"

#include "runtime/installer/commit_batch.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>

#include "runtime/executor/sqlite_rebuild.hpp"
#include "runtime/installer/step_reverses.hpp"

namespace migpkg::runtime {
namespace {

std::int64_t milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

std::string comma_list(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : ", ") + word;
  return out;
}

// The ids of steps [from, to), in that order.
std::vector<std::string> step_ids(const std::vector<plan::Step>& steps, int from, int to) {
  std::vector<std::string> ids;
  for (int i = from; i < to; ++i) ids.push_back(steps[static_cast<std::size_t>(i)].id);
  return ids;
}

// Where a run of steps stands: steps [0, done) have run, and [0, committed) are committed.
// `outside` is the step running outside a transaction until it is recorded as done, and
// `outside_ran` says its statements and checks all ran (what failed then was its journal row).
struct Progress {
  int done = 0;
  int committed = 0;
  int outside = -1;
  bool outside_ran = false;
};

// What records that step i is done (a journal row, or the removal of one), or nullopt.
using Recorder = std::function<std::optional<Connection::Statement>(int)>;

// Runs steps [progress.done, end) in order: consecutive transactional steps in one transaction
// (begun here when none is open), which is committed before a non-transactional step.
// `record(i)` writes down that step i is done: inside its transaction, or right after a
// non-transactional step. A transactional step in the last transaction, which the caller's
// bookkeeping ends (dropping the journal with the in-flight record), is not recorded: its row
// would be written and deleted in the same transaction. `lead` (the in-flight record) is
// committed before the first step. The last transaction is left open for the caller.
//
// A non-transactional plain step (is_plain_step) is sent with its journal row, and the first
// one with `lead`, in one round trip (run_plain_step): where the engine sends them as one
// script, the server runs them in order and stops at the first failure, so the row is written
// only when the step succeeded, and the lead is committed before the step starts (each
// statement commits by itself outside a transaction). Not done: writing a DDL step's journal
// row in a transaction that the next DDL step commits implicitly (one durable commit less a
// step). The row would stay uncommitted while the run waits or works before that next step (its
// checks, a lock), and a crash there would lose the row of a step that is done: resume would
// run that step again.
//
// `end` < steps.size() stops before step `end` (a caller that sends that last step itself);
// the steps before it are all recorded and committed then.
void run_in_order(Connection& c, const std::vector<plan::Step>& steps, Progress& progress,
                  ForeignKeyLedger& ledger, const RunOptions& options, const RunContext& context,
                  const std::string& label, const Recorder& record,
                  std::optional<Connection::Statement> lead = std::nullopt, int end = -1) {
  const int count = static_cast<int>(steps.size());
  if (end < 0) end = count;
  auto rides = [&](const plan::Step& step) {
    return !step.transactional && !c.in_transaction() && is_plain_step(step);
  };
  if (lead && (progress.done >= end || c.in_transaction() ||
               !rides(steps[static_cast<std::size_t>(progress.done)]))) {
    c.execute_all({*lead});  // committed alone, before anything of the migration
    lead.reset();
  }
  // Steps from here on are all transactional: they end in the caller's closing transaction.
  int closing_from = count;
  while (closing_from > progress.done &&
         steps[static_cast<std::size_t>(closing_from - 1)].transactional)
    --closing_from;
  const int first = progress.done;
  for (int i = progress.done; i < end; ++i) {
    const plan::Step& step = steps[static_cast<std::size_t>(i)];
    // A safe point: every step before this one is committed and journalled, as a killed run
    // would have left them (install resumes after them, rollback undoes them).
    if (i > first && !c.in_transaction() && context.cancel_requested && context.cancel_requested())
      throw RunCancelled("cancelled after step " + steps[static_cast<std::size_t>(i - 1)].id);
    if (step.transactional && !c.in_transaction()) c.begin();
    if (!step.transactional && c.in_transaction()) {
      ledger.check_before_commit(c);
      c.commit();
      progress.committed = progress.done;
    }
    if (context.say) context.say("  " + label + " step " + step.id);
    if (!step.transactional) {
      progress.outside = i;
      progress.outside_ran = false;
    }
    if (rides(step)) {
      Riders riders;
      if (lead) riders.before.push_back(std::move(*lead));
      lead.reset();
      std::optional<Connection::Statement> row = record(i);
      if (row) riders.after.push_back(std::move(*row));
      try {
        run_plain_step(c, step, riders, options);
      } catch (const RiderFailure& failure) {
        if (failure.before())
          progress.outside = -1;  // neither the in-flight record nor the step was written
        else
          progress.outside_ran = true;  // the step ran; its journal row failed
        throw;
      }
      ledger.after_step(step, true);
      progress.outside_ran = true;
    } else {
      ledger.after_step(step, run_step(c, step, options));
      progress.outside_ran = true;
      const bool in_closing = i >= closing_from && c.in_transaction();
      if (!in_closing)
        if (std::optional<Connection::Statement> row = record(i)) c.execute_all({*row});
    }
    progress.done = i + 1;
    progress.outside = -1;
    if (!c.in_transaction()) {
      progress.committed = progress.done;
      ledger.check_before_commit(c);  // it is done; what it broke stops the migration here
    }
  }
  ledger.check_before_commit(c);
  if (end < count && c.in_transaction()) {
    c.commit();
    progress.committed = progress.done;
  }
}

// Where the engine sends a script (Connection::sends_scripts) and the migration ends with a
// plain step outside a transaction, that step is sent together with the transaction that
// closes the migration, instead of with a journal row of its own: one durable commit and one
// round trip less a migration. A crash can then fall only where it could fall before, inside
// the one script between the step and what records it, and the closing transaction records
// the whole migration (it drops the journal with the in-flight record). Not in a commit batch
// (its closing writes wait for the batch's COMMIT), nor when foreign keys are checked around
// commits (SQLite's table rebuilds).
bool sends_last_step_with_closing(const Connection& c, const std::vector<plan::Step>& steps,
                                  const Progress& progress, bool batch, bool ledger_checks) {
  if (!c.sends_scripts() || batch || ledger_checks || steps.empty()) return false;
  const plan::Step& last = steps.back();
  return progress.done < static_cast<int>(steps.size()) && !last.transactional &&
         is_plain_step(last);
}

// What the step that failed outside a transaction left in effect: nothing, all of it (its
// statements ran; a check after them, or its journal row, failed), or part of it.
enum class Left { Nothing, Whole, Part };

Left left_by_failing_step(const Progress& progress, const std::vector<plan::Step>& steps,
                          const std::exception& error) {
  if (progress.outside < 0) return Left::Nothing;  // a transaction's rollback took it back
  if (progress.outside_ran) return Left::Whole;
  auto* failure = dynamic_cast<const StepFailure*>(&error);
  if (!failure) return Left::Part;  // unknown how far it got
  const int statements =
      static_cast<int>(steps[static_cast<std::size_t>(progress.outside)].statements.size());
  if (failure->statements_done() == 0) return Left::Nothing;
  if (failure->statements_done() == statements) return Left::Whole;
  return Left::Part;
}

// "plugin P, migration M (up): step S failed: <engine message>\n  SQL: ...".
std::string describe(const plan::Migration& m, const std::string& direction,
                     const std::exception& e) {
  std::string error = "plugin " + m.plugin_id + ", migration " + m.id + " (" + direction + "): ";
  if (auto* failure = dynamic_cast<const StepFailure*>(&e))
    return error + "step " + failure->step_id() + " failed: " + failure->what() +
           "\n  SQL: " + failure->sql();
  return error + e.what();
}

// What a failed journalled migration leaves: nothing (its committed steps were undone), or a
// half-done migration with the reason it was not undone.
struct Settled {
  bool partial = false;
  std::vector<std::string> undone;  // step ids, in the order they were undone
  std::string note;                 // appended to the error: what happened and what to do next
};

// Undoes at once the first `count` up steps of `m`, which a failure left committed, with their
// reverses, newest first. Each reverse done deletes its step's journal row; the last
// transaction ends the in-flight record and writes `history` (the failure, saying so), so a
// crash in between leaves a migration that install resumes and rollback undoes from where it
// stands. Returns "" on success, else why the undo stopped (what it undid is in `undone`).
std::string undo_at_once(Connection& c, Bookkeeping& bk, const plan::Migration& m,
                         const std::vector<plan::Step>& reverses,
                         const std::vector<int>& up_indexes, const RunOptions& options,
                         const RunContext& context, HistoryRow& history,
                         std::vector<std::string>& undone) {
  const int count = static_cast<int>(reverses.size());
  Progress progress;
  try {
    // A reverse that rebuilds a SQLite table runs with foreign keys off, as its up did.
    std::optional<ForeignKeysOff> foreign_keys_off;
    bool rebuilds = needs_foreign_keys_off(c, reverses);
    if (rebuilds) foreign_keys_off.emplace(c);
    ForeignKeyLedger ledger(rebuilds);
    run_in_order(c, reverses, progress, ledger, options, context, "undo", [&](int j) {
      return std::optional<Connection::Statement>(
          bk.unjournal_statement(m.plugin_id, m.id, "up", up_indexes[static_cast<std::size_t>(j)]));
    });
    if (!c.in_transaction()) c.begin();
    history.finished_at = utc_now();
    bk.end_inflight(m.plugin_id, m.id);
    bk.add_history(history);
    c.commit();
    undone = step_ids(reverses, 0, count);
    return {};
  } catch (const std::exception& e) {
    try {
      if (c.in_transaction()) c.rollback();
    } catch (const std::exception&) {
      // The connection is gone; the in-flight record still says what is done.
    }
    undone = step_ids(reverses, 0, progress.committed);
    std::string why;
    if (auto* failure = dynamic_cast<const StepFailure*>(&e))
      why = "the reverse of step " + failure->step_id() + " failed: " + failure->what() +
            "\n  SQL: " + failure->sql();
    else
      why = e.what();
    if (left_by_failing_step(progress, reverses, e) == Left::Part)
      why += " (it ran outside a transaction and is partly done)";
    return why;
  }
}

// After a journalled up migration failed (its open transaction rolled back): undoes at once
// what it committed, or says why not and leaves it half-done.
Settled settle_failed_up(Connection& c, Bookkeeping& bk, const MigrationRun& run,
                         const Progress& progress, Left left,
                         const std::vector<std::string>& skipped_steps, const RunOptions& options,
                         const RunContext& context, HistoryRow& history) {
  const plan::Migration& m = *run.migration;
  const std::vector<plan::Step>& steps = *run.steps;
  Settled out;
  out.partial = true;
  const int committed = progress.committed;  // journalled as done
  const std::string rollback = "`migpkg rollback " + m.plugin_id + "`";
  const std::string resume = "fix the cause and `migpkg install` again resumes it";
  const std::string failing =
      progress.outside < 0 ? "" : steps[static_cast<std::size_t>(progress.outside)].id;
  if (left == Left::Part) {
    out.note = "PARTIAL: step " + failing +
               " ran outside a transaction and stopped part way, so it is partly done and "
               "nothing was undone" +
               (committed > 0
                    ? " (steps done before it: " + comma_list(step_ids(steps, 0, committed)) + ")"
                    : "") +
               ". Next: look at what step " + failing + " left, then " + rollback +
               " undoes the migration, or " + resume + " (step " + failing + " runs again)";
    return out;
  }
  // The steps in effect: the committed ones, and the failing step when all of its statements
  // ran outside a transaction (a check after them failed). That one is not journalled unless it
  // is undone: left in effect, a resumed install runs it again, and its check with it.
  const int count = left == Left::Whole ? progress.outside + 1 : committed;
  if (count == 0) {
    if (!run.inflight_exists) {
      out.partial = false;  // nothing of it was ever committed
      return out;
    }
    out.note =
        "PARTIAL: it was left half-done by an earlier run, and no step of it is "
        "journalled as done. Next: " +
        rollback + " undoes it, or " + resume;
    return out;
  }
  const std::vector<std::string> done = step_ids(steps, 0, count);
  const std::string done_text =
      "steps done: " + (committed > 0 ? comma_list(step_ids(steps, 0, committed)) : "none") +
      " (committed outside a transaction, or before a step that was)" +
      (left == Left::Whole ? "; step " + failing +
                                 " ran outside a transaction and its statements stay in effect "
                                 "(a check after them failed)"
                           : "");
  const std::string resume_after =
      resume + (committed > 0 ? " after step " + done[static_cast<std::size_t>(committed - 1)]
                              : " from its first step");
  StepReverses reverses = reverses_of_done_steps(steps, count);
  if (!reverses.without_reverse.empty()) {
    const bool many = reverses.without_reverse.size() > 1;
    out.note =
        "PARTIAL: " + done_text + "; " + comma_list(reverses.without_reverse) +
        (many ? " have" : " has") +
        " no reverse (raw SQL, a transform or a change whose inverse is unknown), so "
        "nothing was undone. Next: " +
        (m.down.empty()
             ? "the migration has no down steps, so " + resume_after + " (or undo them by hand)"
             : rollback + " undoes them with the migration's down steps, or " + resume_after);
    return out;
  }
  std::vector<std::string> destroyed;
  for (const auto& id : done)
    if (auto it = run.destroying_steps.find(id); it != run.destroying_steps.end())
      destroyed.push_back(id + " " + it->second);
  if (!destroyed.empty()) {
    out.note = "PARTIAL: " + done_text + "; " + comma_list(destroyed) +
               ", which a reverse gives back without the data, so nothing was undone. Next: " +
               (run.backup.empty() ? ""
                                   : "`migpkg restore " + run.backup +
                                         "` puts back the backup taken before it, ") +
               rollback + " undoes the structure without the data, or " + resume_after;
    return out;
  }
  // A skipOnError step that failed did nothing inside its transaction (rolled back to its
  // savepoint): its reverse must not run. Outside one, what it left is unknown.
  std::vector<plan::Step> undo;
  std::vector<int> up_indexes;
  for (std::size_t j = 0; j < reverses.steps.size(); ++j) {
    const plan::Step& reverse = reverses.steps[j];
    bool skipped =
        std::find(skipped_steps.begin(), skipped_steps.end(), reverse.id) != skipped_steps.end();
    if (skipped && !reverse.transactional) {
      out.note = "PARTIAL: " + done_text + "; step " + reverse.id +
                 " failed outside a transaction and was skipped (skipOnError), so what it left "
                 "is unknown and nothing was undone. Next: look at what it left, then " +
                 rollback + " undoes the migration, or " + resume_after;
      return out;
    }
    if (skipped) continue;
    undo.push_back(reverse);
    up_indexes.push_back(count - 1 - static_cast<int>(j));
  }
  if (left == Left::Whole) {
    // Journalled like the steps before it, so that the journal stays exact if the undo stops.
    bk.journal_step(m.plugin_id, m.id, "up", progress.outside, failing);
  }
  const std::string undone_list = comma_list(step_ids(undo, 0, static_cast<int>(undo.size())));
  if (context.say)
    context.say("  undoing the steps " + m.plugin_id + "/" + m.id +
                " committed, newest first: " + undone_list);
  const std::string note =
      "undone at once: the steps it had committed were undone with their reverses, newest "
      "first (" +
      undone_list + "); the database is as it was before the migration";
  HistoryRow failed = history;
  failed.state = "failed";
  failed.error += "\n  " + note;
  std::string why = undo_at_once(c, bk, m, undo, up_indexes, options, context, failed, out.undone);
  if (why.empty()) {
    out.partial = false;
    out.note = note;
    return out;
  }
  // The journal lists the steps still in effect: the done ones whose reverse did not commit.
  std::vector<std::string> still;
  for (std::size_t j = undo.size(); j-- > out.undone.size();) still.push_back(undo[j].id);
  out.note = "PARTIAL: " + done_text + "; undoing them at once failed: " + why +
             "\n  undone: " + (out.undone.empty() ? "none" : comma_list(out.undone)) +
             "; still done: " + (still.empty() ? "none" : comma_list(still)) +
             ". Next: " + rollback + " undoes the rest once the cause is fixed" +
             (still.empty() ? "" : ", or " + resume + " after step " + still.back());
  return out;
}

// After a journalled down (a rollback, or the undo of half-applied work) failed: it stays
// half-done for rollback to continue. Down steps carry no reverse to go back with.
Settled settle_failed_down(Bookkeeping& bk, const MigrationRun& run, const Progress& progress,
                           Left left) {
  const plan::Migration& m = *run.migration;
  const std::vector<plan::Step>& steps = *run.steps;
  Settled out;
  int committed = progress.committed;
  if (left == Left::Whole && run.reverses_up) {
    // A reverse has no checks: it ran, and only its journal row's removal failed. Tried again.
    const int i = progress.outside;
    try {
      bk.unjournal_step(m.plugin_id, m.id, "up", static_cast<int>(steps.size()) - 1 - i);
      committed = i + 1;
      left = Left::Nothing;
    } catch (const std::exception&) {
      left = Left::Part;
    }
  }
  out.partial = committed > 0 || run.inflight_exists || left != Left::Nothing;
  if (!out.partial) return out;
  const std::string again = "fix the cause and run `migpkg rollback " + m.plugin_id + "` again";
  const std::string failing =
      progress.outside < 0 ? "" : steps[static_cast<std::size_t>(progress.outside)].id;
  const std::string outside =
      left == Left::Part ? "; step " + failing + " ran outside a transaction and stopped part way"
      : left == Left::Whole ? "; step " + failing +
                                  " ran outside a transaction and its statements stay in effect "
                                  "(a check after them failed; it runs again)"
                            : "";
  if (run.reverses_up) {
    // The journal lists the up steps still in effect, so install can resume from there too.
    std::vector<std::string> still;
    for (int j = static_cast<int>(steps.size()) - 1; j >= committed; --j)
      still.push_back(steps[static_cast<std::size_t>(j)].id);
    out.note = "PARTIAL: undoing it stopped; up steps still done: " +
               (still.empty() ? std::string("none") : comma_list(still)) + outside +
               ". Next: " + again + ", or `migpkg install` to resume it" +
               (still.empty() ? "" : " after step " + still.back());
    return out;
  }
  out.note = "PARTIAL: the rollback stopped; down steps done: " +
             (committed > 0 ? comma_list(step_ids(steps, 0, committed))
                            : std::string("none in this run")) +
             outside + ". Down steps have no reverse, so nothing was put back. Next: " + again;
  return out;
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
  history.provenance = run.provenance;
  auto start = std::chrono::steady_clock::now();

  RunOptions options;
  options.on_progress = context.progress;
  auto package = context.package_data.find(m.plugin_id);
  if (package != context.package_data.end()) {
    const auto& files = package->second;
    options.load_file = [&files](const plan::Step& step) {
      auto file = files.find(step.load->file);
      if (file == files.end())
        throw StepFailure(step.id, "", "the package holds no " + step.load->file);
      return file->second;
    };
  }
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
  Progress progress;
  progress.done = progress.committed = run.resume_from;
  auto record = [&](int i) -> std::optional<Connection::Statement> {
    if (!journalled) return std::nullopt;
    if (run.reverses_up)
      return bk.unjournal_statement(m.plugin_id, m.id, "up",
                                    static_cast<int>(steps.size()) - 1 - i);
    return bk.journal_statement(m.plugin_id, m.id, direction, i,
                                steps[static_cast<std::size_t>(i)].id);
  };

  // Inside the transaction that ends the migration: history and applied set move together
  // with the last steps, so a crash can never leave one without the other.
  auto finish = [&] {
    history.state = run.up ? "applied" : "rolled-back";
    history.finished_at = utc_now();
    history.duration_ms = milliseconds_since(start);
    history.skipped_steps = result.skipped_steps;
    bk.add_history(history);
    if (run.up)
      bk.mark_applied(m, context.actor, history.started_at, run.provenance);
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
    std::optional<Connection::Statement> inflight;  // committed alone, before the first step
    if (journalled && !run.inflight_exists && !run.inflight_written)
      inflight = bk.inflight_statement(m, direction);
    const bool with_closing =
        sends_last_step_with_closing(c, steps, progress, batch != nullptr, ledger.off());
    const int last = static_cast<int>(steps.size()) - 1;
    if (!with_closing || progress.done < last) {
      run_in_order(c, steps, progress, ledger, options, context, direction, record,
                   std::move(inflight), with_closing ? last : -1);
      inflight.reset();  // it went with the first step
    }
    if (batch) {
      finish();  // deferred: the batch flushes and commits it
    } else if (with_closing) {
      // A safe point too: the steps before the last are committed and journalled.
      if (progress.done > run.resume_from && !c.in_transaction() && context.cancel_requested &&
          context.cancel_requested())
        throw RunCancelled("cancelled after step " +
                           steps[static_cast<std::size_t>(progress.done - 1)].id);
      const plan::Step& step = steps.back();
      if (context.say) context.say("  " + direction + " step " + step.id);
      progress.outside = last;
      progress.outside_ran = false;
      bk.defer_writes();
      finish();
      Riders riders;
      if (inflight) riders.before.push_back(std::move(*inflight));
      riders.after.push_back({"BEGIN", std::nullopt});
      std::vector<Connection::Statement> next;
      if (run.then_start) next.push_back(bk.inflight_statement(*run.then_start, direction));
      for (auto& statement : bk.take_pending(std::move(next)))
        riders.after.push_back(std::move(statement));
      riders.after.push_back({"COMMIT", std::nullopt});
      try {
        run_plain_step(c, step, riders, options);
      } catch (const RiderFailure& failure) {
        if (failure.before()) {
          progress.outside = -1;  // neither the in-flight record nor the step was written
          throw;
        }
        // The step ran; the transaction recording it did not commit. Its journal row is
        // written on its own, as if the step had gone with it, before the failure is handled.
        progress.outside_ran = true;
        progress.done = progress.committed = last + 1;
        progress.outside = -1;
        try {
          if (c.in_transaction()) c.rollback();
          if (std::optional<Connection::Statement> row = record(last)) c.execute_all({*row});
        } catch (const std::exception&) {
          // The connection is gone: resume will find the step not journalled (as when a crash
          // falls inside the script); the closing's failure is what is reported.
        }
        throw;
      }
      ledger.after_step(step, true);
    } else {
      // The closing writes and the COMMIT in one round trip where the engine can.
      if (!c.in_transaction()) c.begin();
      bk.defer_writes();
      finish();
      std::vector<Connection::Statement> next;
      if (run.then_start) next.push_back(bk.inflight_statement(*run.then_start, direction));
      bk.commit_pending(next);
    }
    result.action = run.up ? (run.resume_from > 0 ? "resumed" : "applied") : "rolled-back";
    result.duration_ms = history.duration_ms;
    return result;
  } catch (const RunCancelled&) {
    // Stopped at a safe point with nothing uncommitted: no history row, the in-flight record
    // and journal stay for the next run, exactly as after a kill there.
    bk.forget_written_rows();
    throw;
  } catch (const LockTimeout&) {
    // Another connection held the database past --lock-timeout: the migration did not fail,
    // it could not run. No history row (writing one would wait again); the caller reports the
    // run as locked and ends the open transaction, and a journalled migration resumes later.
    bk.forget_written_rows();
    throw;
  } catch (const std::exception& e) {
    // Rows this migration's transaction wrote may be rolled back below: read them again.
    bk.forget_written_rows();
    bool batch_lost = false;
    if (batch) {
      // SQLite rolls the whole transaction back by itself on a few errors (disk full, I/O):
      // then the batch's earlier migrations are gone too, and their queued rows with them.
      batch_lost = !batch->abort_migration();
      if (batch_lost) {
        bk.discard_pending();
        bk.flush();  // the failure row below is then written at once
      }
    } else {
      if (bk.deferring()) {  // the closing writes failed: they went with the transaction
        bk.discard_pending();
        bk.flush();  // stops deferring: the failure row below is written at once
      }
      try {
        if (c.in_transaction()) c.rollback();
      } catch (const std::exception&) {
        // The connection is gone; the failure is still reported below.
      }
    }
    history.finished_at = utc_now();
    history.duration_ms = milliseconds_since(start);
    history.error = describe(m, direction, e);
    history.skipped_steps = result.skipped_steps;
    Settled settled;
    if (journalled) {
      Left left = left_by_failing_step(progress, steps, e);
      try {
        settled = run.up ? settle_failed_up(c, bk, run, progress, left, result.skipped_steps,
                                            options, context, history)
                         : settle_failed_down(bk, run, progress, left);
      } catch (const std::exception&) {
        settled.partial = true;  // the database may be gone; the in-flight record stays
      }
    }
    if (!settled.note.empty()) history.error += "\n  " + settled.note;
    history.state = settled.partial ? "partial" : "failed";
    result.action = "failed";
    result.error = history.error;
    result.undone_steps = settled.undone;
    result.partial = settled.partial;
    result.transaction_lost = batch_lost;
    result.duration_ms = milliseconds_since(start);
    if (!settled.undone.empty() && !settled.partial) return result;  // recorded by the undo
    try {
      // This run's own in-flight record, with nothing committed under it, has nothing to resume;
      // an older record (half-applied work being resumed or undone) must stay.
      if (journalled && !settled.partial) bk.end_inflight(m.plugin_id, m.id);
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
