#include "runtime/installer/commit_batch.hpp"

namespace migpkg::runtime {

void CommitBatch::open() {
  if (open_) return;
  if (wants_foreign_keys_off_ && !foreign_keys_off_) foreign_keys_off_.emplace(c_);
  if (!c_.in_transaction()) c_.begin();
  bk_.defer_writes();
  open_ = true;
  opened_at_ = std::chrono::steady_clock::now();
  first_result_ = report_.migrations.size();
}

void CommitBatch::enter_migration() {
  open();
  if (whole_run_) return;  // a failure undoes the whole run: no savepoint to go back to
  // With the migration's first statement, in its round trip where the engine can.
  c_.execute_with_next(savepoint_held_
                           ? "RELEASE SAVEPOINT migpkg_migration; SAVEPOINT migpkg_migration"
                           : "SAVEPOINT migpkg_migration");
  savepoint_held_ = true;
}

bool CommitBatch::abort_migration() {
  if (whole_run_) return true;  // record() rolls the whole transaction back
  savepoint_held_ = false;
  if (!c_.in_transaction()) return false;
  c_.execute("ROLLBACK TO SAVEPOINT migpkg_migration; RELEASE SAVEPOINT migpkg_migration");
  return true;
}

void CommitBatch::close() {
  if (!open_) return;
  open_ = false;
  savepoint_held_ = false;  // COMMIT releases it
  bk_.commit_pending();     // with the COMMIT, in one round trip where the engine can
  foreign_keys_off_.reset();
}

bool CommitBatch::record(const MigrationRun& run, const MigrationResult& result) {
  report_.migrations.push_back(result);
  if (result.action != "failed") {
    if (open_ && !whole_run_ && std::chrono::steady_clock::now() - opened_at_ >= interval_) close();
    return true;
  }
  report_.status = RunStatus::Failed;
  report_.problems.push_back(result.error);
  after_failure(run, result);
  return false;
}

void CommitBatch::after_failure(const MigrationRun& run, const MigrationResult& failure) {
  if (!open_) return;
  if (whole_run_) {
    roll_back_whole_run(run, failure);
  } else if (failure.transaction_lost) {
    open_ = false;  // the engine ended the transaction; the failure row is already written
    savepoint_held_ = false;
    mark_undone(run.up, "rolled-back-with-batch", "kept (batch rolled back)");
    report_.problems.back() +=
        "\n  (the database rolled back the whole transaction, so the migrations committed in "
        "the same batch before it were undone too; run the command again)";
  } else {
    close();
  }
}

void CommitBatch::roll_back_whole_run(const MigrationRun& run, const MigrationResult& failure) {
  open_ = false;
  c_.rollback();
  foreign_keys_off_.reset();
  bk_.discard_pending();  // rolled back with the run
  bk_.flush();            // stops deferring: the failure row below is written at once
  mark_undone(run.up, "rolled-back-with-group", "kept (group rolled back)");
  report_.problems.back() += "\n  (--single-transaction: the whole run was rolled back)";
  const plan::Migration& m = *run.migration;
  HistoryRow history;
  history.plugin_id = m.plugin_id;
  history.migration_id = m.id;
  history.version = m.version;
  history.direction = run.up ? "up" : "down";
  history.state = "failed";
  history.checksum = m.checksum;
  history.applied_by = context_.actor;
  history.started_at = history.finished_at = utc_now();
  history.provenance = run.provenance;
  history.error =
      failure.error + "\n  (--single-transaction: every migration of the run was rolled back)";
  bk_.add_history(history);
}

// The batch's earlier migrations, undone with it.
void CommitBatch::mark_undone(bool up, const char* applied_label, const char* kept_label) {
  const char* done = up ? "applied" : "rolled-back";
  for (std::size_t i = first_result_; i < report_.migrations.size(); ++i) {
    MigrationResult& earlier = report_.migrations[i];
    if (earlier.action == done) earlier.action = up ? applied_label : kept_label;
  }
}

}  // namespace migpkg::runtime
