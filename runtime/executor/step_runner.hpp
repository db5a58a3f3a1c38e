#pragma once
// Runs planned steps on a connection: checks before and after, statements one by one,
// consecutive transactional steps grouped in one transaction, non-transactional steps alone,
// skipOnError steps inside a savepoint so their failure does not spoil the transaction.
// The installer (history, journal) and `check` both stand on this.
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/planner/plan.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

// A step that failed: names the step, the SQL that failed and the engine's error.
class StepFailure : public std::runtime_error {
 public:
  StepFailure(std::string step_id, std::string sql, const std::string& message)
      : std::runtime_error(message), step_id_(std::move(step_id)), sql_(std::move(sql)) {}
  const std::string& step_id() const { return step_id_; }
  const std::string& sql() const { return sql_; }
  // How many of the step's statements had run when it failed: 0 when a check before them (or
  // the first statement) failed, all of them when a check after them did; -1 when unknown (a
  // batched transform). Outside a transaction those stay done, so the installer needs it to
  // tell a step that did nothing from one that is partly done.
  int statements_done() const { return statements_done_; }
  void set_statements_done(int count) { statements_done_ = count; }

 private:
  std::string step_id_, sql_;
  int statements_done_ = -1;
};

struct StepEvent {
  enum class Kind { Applied, Skipped, Warning } kind;
  std::string step_id;
  std::string message;
};

// Rows done of a transform step, for a progress bar (total = rows the transform reads).
struct TransformProgress {
  std::string step_id;
  std::int64_t done = 0, total = 0;
};

struct RunOptions {
  // false: a failing check is reported as a warning instead of failing the step (`check` runs
  // on an empty scratch database, where data expectations cannot hold).
  bool checks_fail = true;
  std::function<void(const StepEvent&)> on_event;
  std::function<void(const TransformProgress&)> on_progress;
  // The bytes of a load step's data file (a package's data/ member); unset: the file is read
  // from beside the step's source file (load_step.hpp).
  std::function<std::string(const plan::Step&)> load_file;
};

// Evaluates one check: one row whose first column is true or non-zero passes.
bool check_passes(Connection& connection, const plan::Check& check);

// Runs one step where the connection stands (inside the caller's transaction, or not): its
// checks and statements; a skipOnError step inside a transaction runs under a savepoint.
// Returns false when the step failed and was skipped; throws StepFailure otherwise.
bool run_step(Connection& connection, const plan::Step& step, const RunOptions& options);

// Bookkeeping statements that ride with a step's own in one round trip where the engine can
// send several (Connection::execute_all): `before` goes ahead of its first statement (the
// in-flight record), `after` behind its last (its journal row). Nothing else of the step runs
// between them: only a plain step (below) takes riders.
struct Riders {
  std::vector<Connection::Statement> before, after;
};

// A rider that failed: `before` (nothing of the step ran) or after it (all of it ran).
class RiderFailure : public DatabaseError {
 public:
  RiderFailure(const DatabaseError& error, bool before) : DatabaseError(error), before_(before) {}
  bool before() const { return before_; }

 private:
  bool before_;
};

// A step that is only its statements, each one statement (no ';' in it, so that an engine
// sending several at once counts them exactly): no checks, transform, skipOnError, timeout or
// table rebuild.
bool is_plain_step(const plan::Step& step);

// Runs a plain step with its riders: one execute_all. A failing statement of the step throws
// StepFailure (with statements_done), a failing rider RiderFailure.
void run_plain_step(Connection& connection, const plan::Step& step, const Riders& riders,
                    const RunOptions& options);

// A transform step with a batch size, run as INSERT ... SELECT per key range of the source so
// each statement touches at most about batch_size rows (memory stays bounded by the batch, not
// the table). All batches run in the caller's transaction.
void run_batched_transform(Connection& connection, const plan::Step& step,
                           const RunOptions& options);

// Runs `steps` in order. On failure rolls back the open transaction and throws StepFailure;
// steps already committed outside it (non-transactional ones) stay applied. On SQLite, steps
// that rebuild a table run with foreign keys off and checked before each COMMIT
// (sqlite_rebuild.hpp); the caller must not have a transaction open then.
void run_steps(Connection& connection, const std::vector<plan::Step>& steps,
               const RunOptions& options);

}  // namespace migpkg::runtime
