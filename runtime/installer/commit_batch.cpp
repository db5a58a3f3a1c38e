#include "runtime/installer/commit_batch.hpp"

namespace migpkg::runtime {

void CommitBatch::open() {
  if (open_) return;
  if (!c_.in_transaction()) c_.begin();
  bk_.defer_writes();
  open_ = true;
  opened_at_ = std::chrono::steady_clock::now();
  first_result_ = report_.migrations.size();
}

void CommitBatch::enter_migration() {
  open();
  c_.execute(savepoint_held_ ? "RELEASE SAVEPOINT migpkg_migration; SAVEPOINT migpkg_migration"
                             : "SAVEPOINT migpkg_migration");
  savepoint_held_ = true;
}

bool CommitBatch::abort_migration() {
  savepoint_held_ = false;
  if (!c_.in_transaction()) return false;
  c_.execute("ROLLBACK TO SAVEPOINT migpkg_migration; RELEASE SAVEPOINT migpkg_migration");
  return true;
}

void CommitBatch::close() {
  if (!open_) return;
  open_ = false;
  savepoint_held_ = false;  // COMMIT releases it
  bk_.flush();
  c_.commit();
}

void CommitBatch::after_success() {
  if (open_ && std::chrono::steady_clock::now() - opened_at_ >= interval_) close();
}

void CommitBatch::after_failure(const MigrationResult& failure) {
  if (!open_) return;
  if (!failure.transaction_lost) {
    close();
    return;
  }
  open_ = false;  // the engine ended the transaction; the failure row is already written
  savepoint_held_ = false;
  const std::string note =
      "\n  (the database rolled back the whole transaction, so the migrations committed in the "
      "same batch before it were undone too; run the command again)";
  for (std::size_t i = first_result_; i < report_.migrations.size(); ++i) {
    MigrationResult& earlier = report_.migrations[i];
    if (earlier.action == "applied" || earlier.action == "rolled-back")
      earlier.action =
          earlier.action == "applied" ? "rolled-back-with-batch" : "kept (batch rolled back)";
  }
  if (!report_.problems.empty()) report_.problems.back() += note;
}

}  // namespace migpkg::runtime
