#pragma once
// The operations of one process (docs/operations.md): submitted work runs on one worker thread,
// one operation at a time in the order submitted (the run lock serialises database work
// anyway); later submissions wait as pending. Reads (get, list) are safe from any thread while
// work runs. Every change of state is appended to the history file, so a new registry on the
// same file shows the operations of earlier processes: those that were pending or running when
// their process ended show as failed, problem "interrupted".
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "include/migpkg/operations.hpp"
#include "runtime/operations/operation.hpp"
#include "runtime/operations/operation_history.hpp"

namespace migpkg::operations {

class OperationRegistry;

// Handed to the work function: its way to see a cancel request and to report.
class OperationContext {
 public:
  // Polled at safe points (RunContext::cancel_requested, MoveOptions::cancel_requested).
  bool cancel_requested() const;
  // The same request as a token for the public API's calls (RunOptions::cancel), cancelled
  // with the operation; valid as long as the registry.
  const api::CancelToken* cancel_token() const;
  // One line of the operation's log (the last kMaxLogLines are kept).
  void log(const std::string& line);
  // The work's progress; rate and ETA are worked out here when the work leaves them unset.
  void progress(const OperationProgress& p);
  const std::string& id() const { return id_; }

 private:
  friend class OperationRegistry;
  OperationContext(OperationRegistry& registry, std::string id)
      : registry_(registry), id_(std::move(id)) {}
  OperationRegistry& registry_;
  std::string id_;
};

using OperationWork = std::function<OperationOutcome(OperationContext&)>;

class OperationRegistry {
 public:
  // Loads past operations from `history_file` (created on the first submission). Records left
  // pending or running by an earlier process are recorded as failed ("interrupted").
  explicit OperationRegistry(std::filesystem::path history_file);
  ~OperationRegistry();  // shutdown()
  OperationRegistry(const OperationRegistry&) = delete;
  OperationRegistry& operator=(const OperationRegistry&) = delete;

  // Queues the work; returns the operation's id. std::runtime_error after shutdown(), or
  // when the history file cannot be written (nothing is queued then).
  std::string submit(std::string kind, std::string requested_by, std::string request_json,
                     OperationWork work);
  std::optional<OperationRecord> get(const std::string& id) const;
  std::vector<OperationRecord> list() const;  // newest first
  // Pending: cancelled at once. Running: asked to stop at its next safe point.
  CancelResult cancel(const std::string& id);
  // Cancels running and pending work, waits for the running work's safe point, records the
  // states. Submissions are refused after it. Idempotent.
  void shutdown();
  // What loading the history file ignored (docs/operations.md): lines cut short by a crash,
  // lines that are not records.
  std::vector<std::string> notes() const;
  // Waits until the operation has finished (or `timeout` passed); its record then, or nullopt
  // for an unknown id. For callers that submit and wait (tests, a command line).
  std::optional<OperationRecord> wait(const std::string& id,
                                      std::chrono::milliseconds timeout) const;

 private:
  friend class OperationContext;
  struct Entry {
    OperationRecord record;
    OperationWork work;
    std::atomic<bool> cancel{false};
    api::CancelToken token;  // cancelled when `cancel` is set
    std::chrono::steady_clock::time_point started;
    std::uint64_t done_at_start = 0;
    bool first_progress = true;
  };
  void worker();
  void run(Entry& entry);
  void persist(const OperationRecord& record);  // appends; a failure goes to the record's log
  Entry* find(const std::string& id) const;

  OperationHistory history_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<std::unique_ptr<Entry>> entries_;  // oldest first
  std::deque<Entry*> queue_;
  std::vector<std::string> notes_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace migpkg::operations
