#pragma once
// Commit batching for install and rollback: consecutive migrations share one transaction, which
// is committed once it has been open for the commit interval, before anything that needs
// committed state (a backup, a journalled migration), and at the end of the run. Each migration
// runs under its own savepoint (migration_runner.cpp), so it is still all-or-nothing and a
// failure keeps the migrations before it. What batching changes is only how many commits, and
// so how many fsyncs, a run costs: a crash loses at most the uncommitted batch, which the
// database rolls back as a whole, history rows included, and the next run applies again.
#include <chrono>
#include <cstddef>

#include "runtime/history/bookkeeping.hpp"
#include "runtime/installer/installer.hpp"

namespace migpkg::runtime {

class CommitBatch {
 public:
  CommitBatch(Connection& connection, Bookkeeping& bookkeeping, RunReport& report, int interval_ms)
      : c_(connection), bk_(bookkeeping), report_(report), interval_(interval_ms) {}
  CommitBatch(const CommitBatch&) = delete;
  CommitBatch& operator=(const CommitBatch&) = delete;
  // An exception unwinding past the batch leaves its transaction to the caller's error path
  // (the connection rolls it back when it closes); nothing is committed here.

  // Opens the batch's transaction unless it is open (the bookkeeping then defers its writes),
  // and sets the savepoint the next migration runs under. The previous migration's savepoint
  // is released in the same round trip: a migration costs one extra statement, not two.
  void enter_migration();
  // The migration failed: rolls back to its savepoint. False when there was no transaction
  // left to roll back in (the engine had rolled the whole batch back).
  bool abort_migration();
  // Writes the deferred bookkeeping and commits, if the batch is open.
  void close();
  // After a migration of the batch succeeded: closes the batch when it has been open long
  // enough.
  void after_success();
  // After a migration of the batch failed: commits what the batch still holds (the earlier
  // migrations and the failure row). If the engine had rolled the whole transaction back,
  // the earlier migrations of the batch are marked as undone in the report.
  void after_failure(const MigrationResult& failure);
  bool is_open() const { return open_; }

 private:
  Connection& c_;
  Bookkeeping& bk_;
  RunReport& report_;
  std::chrono::milliseconds interval_;
  void open();

  bool open_ = false;
  bool savepoint_held_ = false;  // the last migration's savepoint, released lazily
  std::chrono::steady_clock::time_point opened_at_;
  std::size_t first_result_ = 0;  // the batch's first migration in report_.migrations
};

}  // namespace migpkg::runtime
