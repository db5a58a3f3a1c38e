#pragma once
// Commit batching for install and rollback: consecutive migrations share one transaction, which
// is committed once it has been open for the commit interval, before anything that needs
// committed state (a backup, a journalled migration), and at the end of the run. Each migration
// runs under its own savepoint (migration_runner.cpp), so it is still all-or-nothing and a
// failure keeps the migrations before it. What batching changes is only how many commits, and
// so how many fsyncs, a run costs: a crash loses at most the uncommitted batch, which the
// database rolls back as a whole, history rows included, and the next run applies again.
//
// --single-transaction (Flyway's group) is the same mechanism stretched over the whole run: the
// batch never commits early, its migrations need no savepoints, and a failure rolls all of it
// back instead of just the failing migration.
#include <chrono>
#include <cstddef>
#include <optional>

#include "runtime/executor/sqlite_rebuild.hpp"
#include "runtime/history/bookkeeping.hpp"
#include "runtime/installer/installer.hpp"
#include "runtime/installer/migration_runner.hpp"

namespace migpkg::runtime {

class CommitBatch {
 public:
  // `whole_run`: --single-transaction. Otherwise commits every context.commit_interval_ms.
  CommitBatch(Connection& connection, Bookkeeping& bookkeeping, RunReport& report,
              const RunContext& context, bool whole_run)
      : c_(connection),
        bk_(bookkeeping),
        report_(report),
        context_(context),
        interval_(context.commit_interval_ms),
        whole_run_(whole_run) {}
  CommitBatch(const CommitBatch&) = delete;
  CommitBatch& operator=(const CommitBatch&) = delete;
  // An exception unwinding past the batch leaves its transaction to the caller's error path
  // (the connection rolls it back when it closes); nothing is committed here.

  // Tells a whole-run batch about the steps of a migration it will run, before the first one
  // runs: when one rebuilds a SQLite table, foreign keys are switched off before the run's
  // transaction begins and on again after it ends (the pragma does nothing inside it).
  // Batches that commit on their own leave it alone: a migration that rebuilds runs in a
  // transaction of its own (migration_runner.cpp).
  void will_run(const std::vector<plan::Step>& steps) {
    if (whole_run_ && !open_) wants_foreign_keys_off_ |= needs_foreign_keys_off(c_, steps);
  }
  bool whole_run() const { return whole_run_; }
  // Whether this batch's migrations run with foreign keys off (and check them before COMMIT).
  bool foreign_keys_off() const { return wants_foreign_keys_off_; }

  // Opens the batch's transaction unless it is open (the bookkeeping then defers its writes),
  // and sets the savepoint the next migration runs under. The previous migration's savepoint
  // is released in the same round trip: a migration costs one extra statement, not two.
  void enter_migration();
  // The migration failed: rolls back to its savepoint. False when there was no transaction
  // left to roll back in (the engine had rolled the whole batch back).
  bool abort_migration();
  // Writes the deferred bookkeeping and commits, if the batch is open.
  void close();
  // Adds a migration's result (of `run`, in the batch or not) to the report; false when the
  // run must stop. After a success the batch commits when it has been open long enough. After
  // a failure it commits what it still holds (the earlier migrations and the failure row); if
  // the engine had rolled the whole transaction back, or the batch is the whole run, the
  // earlier migrations are marked as undone with it.
  bool record(const MigrationRun& run, const MigrationResult& result);

 private:
  void open();
  void after_failure(const MigrationRun& run, const MigrationResult& failure);
  void roll_back_whole_run(const MigrationRun& run, const MigrationResult& failure);
  void mark_undone(bool up, const char* applied_label, const char* kept_label);

  Connection& c_;
  Bookkeeping& bk_;
  RunReport& report_;
  const RunContext& context_;
  std::chrono::milliseconds interval_;
  bool whole_run_;
  bool wants_foreign_keys_off_ = false;
  std::optional<ForeignKeysOff> foreign_keys_off_;  // while the whole run's transaction is open
  bool open_ = false;
  bool savepoint_held_ = false;  // the last migration's savepoint, released lazily
  std::chrono::steady_clock::time_point opened_at_;
  std::size_t first_result_ = 0;  // the batch's first migration in report_.migrations
};

}  // namespace migpkg::runtime
