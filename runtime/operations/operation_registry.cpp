#include "runtime/operations/operation_registry.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <ctime>
#include <random>

namespace migpkg::operations {
namespace {

using Clock = std::chrono::steady_clock;

// RFC 3339 in UTC with milliseconds: 2026-12-06T17:28:04.123Z.
std::string utc_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", text, static_cast<int>(millis));
  return out;
}

// "op-" and 16 hex digits: unique across restarts, and safe in a URL path.
std::string new_id() {
  static std::mutex mutex;
  static std::mt19937_64 random{
      std::random_device{}() ^ static_cast<std::uint64_t>(Clock::now().time_since_epoch().count())};
  std::lock_guard<std::mutex> lock(mutex);
  char out[24];
  std::snprintf(out, sizeof out, "op-%016llx", static_cast<unsigned long long>(random()));
  return out;
}

void add_line(OperationRecord& record, std::string line) {
  if (line.size() > kMaxLogLineBytes) {
    line.resize(kMaxLogLineBytes);
    line += "...";
  }
  record.log.push_back(std::move(line));
  if (record.log.size() > kMaxLogLines)
    record.log.erase(record.log.begin(),
                     record.log.end() - static_cast<std::ptrdiff_t>(kMaxLogLines));
}

void finish(OperationRecord& record, OperationState state,
            std::optional<OperationProblem> problem) {
  record.state = state;
  record.finished_at = utc_now();
  record.problem = std::move(problem);
}

}  // namespace

bool OperationContext::cancel_requested() const {
  std::lock_guard<std::mutex> lock(registry_.mutex_);
  OperationRegistry::Entry* entry = registry_.find(id_);
  return entry && entry->cancel.load();
}

const api::CancelToken* OperationContext::cancel_token() const {
  std::lock_guard<std::mutex> lock(registry_.mutex_);
  OperationRegistry::Entry* entry = registry_.find(id_);
  return entry ? &entry->token : nullptr;
}

void OperationContext::log(const std::string& line) {
  std::lock_guard<std::mutex> lock(registry_.mutex_);
  if (OperationRegistry::Entry* entry = registry_.find(id_)) add_line(entry->record, line);
}

void OperationContext::progress(const OperationProgress& p) {
  std::lock_guard<std::mutex> lock(registry_.mutex_);
  OperationRegistry::Entry* entry = registry_.find(id_);
  if (!entry) return;
  if (entry->first_progress) {
    // Rows an earlier, stopped run had done are not this run's speed.
    entry->first_progress = false;
    entry->done_at_start = p.done;
  }
  OperationProgress out = p;
  const double seconds = std::chrono::duration<double>(Clock::now() - entry->started).count();
  if (out.rate_per_second <= 0 && seconds > 0 && out.done >= entry->done_at_start)
    out.rate_per_second = static_cast<double>(out.done - entry->done_at_start) / seconds;
  if (!out.eta_seconds && out.total > 0) {
    if (out.done >= out.total)
      out.eta_seconds = 0;
    else if (out.rate_per_second > 0)
      out.eta_seconds = static_cast<double>(out.total - out.done) / out.rate_per_second;
  }
  entry->record.progress = std::move(out);
}

OperationRegistry::OperationRegistry(std::filesystem::path history_file)
    : history_(std::move(history_file)) {
  LoadedHistory loaded = history_.load();
  notes_ = loaded.notes;
  std::vector<OperationRecord> interrupted;
  for (OperationRecord& record : loaded.records) {
    if (!is_finished(record.state)) {
      const bool started = record.state == OperationState::running;
      finish(record, OperationState::failed,
             OperationProblem{kInterruptedCode,
                              started ? "the process running it ended before it finished; what "
                                        "it had committed stays, and the same request again "
                                        "resumes it"
                                      : "the process ended before it started; nothing was done",
                              1});
      interrupted.push_back(record);
    }
    auto entry = std::make_unique<Entry>();
    entry->record = std::move(record);
    entries_.push_back(std::move(entry));
  }
  // The file grows by a few lines an operation; once it holds many more lines than the
  // operations kept, it is written again with one line each.
  if (loaded.lines > 3 * kMaxHistoryOperations) {
    std::vector<OperationRecord> kept;
    for (const auto& entry : entries_) kept.push_back(entry->record);
    history_.rewrite(kept);
  } else {
    for (const auto& record : interrupted) history_.append(record);
  }
  worker_ = std::thread([this] { worker(); });
}

OperationRegistry::~OperationRegistry() {
  shutdown();
}

OperationRegistry::Entry* OperationRegistry::find(const std::string& id) const {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
    if ((*it)->record.id == id) return it->get();
  return nullptr;
}

void OperationRegistry::persist(const OperationRecord& record) {
  try {
    history_.append(record);
  } catch (const std::exception& e) {
    // The operation itself is not at fault: it goes on, and says so in its log.
    std::lock_guard<std::mutex> lock(mutex_);
    if (Entry* entry = find(record.id)) add_line(entry->record, e.what());
  }
}

std::string OperationRegistry::submit(std::string kind, std::string requested_by,
                                      std::string request_json, OperationWork work) {
  auto entry = std::make_unique<Entry>();
  OperationRecord& r = entry->record;
  r.id = new_id();
  r.kind = std::move(kind);
  r.requested_by = std::move(requested_by);
  r.request_json = std::move(request_json);
  r.state = OperationState::pending;
  r.created_at = utc_now();
  entry->work = std::move(work);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) throw std::runtime_error("operations are shutting down: nothing more is run");
  }
  history_.append(r);  // before it is queued: a history that cannot be written runs nothing
  std::string id = r.id;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) throw std::runtime_error("operations are shutting down: nothing more is run");
    queue_.push_back(entry.get());
    entries_.push_back(std::move(entry));
    if (entries_.size() > kMaxHistoryOperations + 64) {
      // Finished operations beyond the bound are forgotten here (the file keeps them).
      auto old = std::find_if(entries_.begin(), entries_.end(),
                              [](const auto& e) { return is_finished(e->record.state); });
      if (old != entries_.end()) entries_.erase(old);
    }
  }
  changed_.notify_all();
  return id;
}

std::optional<OperationRecord> OperationRegistry::get(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (Entry* entry = find(id)) return entry->record;
  return std::nullopt;
}

std::vector<OperationRecord> OperationRegistry::list() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<OperationRecord> out;
  out.reserve(entries_.size());
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) out.push_back((*it)->record);
  return out;
}

std::vector<std::string> OperationRegistry::notes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return notes_;
}

CancelResult OperationRegistry::cancel(const std::string& id) {
  OperationRecord cancelled;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry* entry = find(id);
    if (!entry) return CancelResult::not_found;
    if (is_finished(entry->record.state)) return CancelResult::already_finished;
    if (entry->record.state == OperationState::running) {
      entry->token.cancel();
      if (!entry->cancel.exchange(true))
        add_line(entry->record, "cancel requested: stopping at the next safe point");
      return CancelResult::requested;
    }
    queue_.erase(std::remove(queue_.begin(), queue_.end(), entry), queue_.end());
    finish(entry->record, OperationState::cancelled,
           OperationProblem{kCancelledCode, "cancelled before it started; nothing was done",
                            kCancelledExitCode});
    entry->work = nullptr;
    cancelled = entry->record;
  }
  persist(cancelled);
  changed_.notify_all();
  return CancelResult::requested;
}

std::optional<OperationRecord> OperationRegistry::wait(const std::string& id,
                                                       std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, timeout, [&] {
    Entry* entry = find(id);
    return !entry || is_finished(entry->record.state);
  });
  if (Entry* entry = find(id)) return entry->record;
  return std::nullopt;
}

void OperationRegistry::shutdown() {
  std::vector<OperationRecord> cancelled;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopping_) {
      stopping_ = true;
      for (Entry* entry : queue_) {
        finish(entry->record, OperationState::cancelled,
               OperationProblem{kCancelledCode,
                                "cancelled before it started: the service shut down; nothing "
                                "was done",
                                kCancelledExitCode});
        entry->work = nullptr;
        cancelled.push_back(entry->record);
      }
      queue_.clear();
      for (const auto& entry : entries_)
        if (entry->record.state == OperationState::running) {
          entry->token.cancel();
          if (!entry->cancel.exchange(true))
            add_line(entry->record,
                     "the service is shutting down: stopping at the next safe point");
        }
    }
  }
  for (const auto& record : cancelled) persist(record);
  changed_.notify_all();
  if (worker_.joinable() && worker_.get_id() != std::this_thread::get_id()) worker_.join();
}

void OperationRegistry::worker() {
  while (true) {
    Entry* entry = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left (shutdown cancels the queue)
      entry = queue_.front();
      queue_.pop_front();
      entry->record.state = OperationState::running;
      entry->record.started_at = utc_now();
      entry->started = Clock::now();
    }
    run(*entry);
  }
}

void OperationRegistry::run(Entry& entry) {
  OperationRecord running;
  OperationWork work;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running = entry.record;
    work = std::move(entry.work);
  }
  persist(running);
  changed_.notify_all();
  OperationContext context(*this, running.id);
  OperationOutcome outcome;
  try {
    outcome = work(context);
  } catch (const std::exception& e) {
    outcome.problem = OperationProblem{"failed", e.what(), 1};
  } catch (...) {
    outcome.problem = OperationProblem{"failed", "the work failed with an unknown error", 1};
  }
  // Dropped before the record says finished: what the work owns (an uploaded package's file) is
  // gone by the time a client sees the operation done.
  work = nullptr;
  OperationRecord done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    OperationRecord& r = entry.record;
    r.result_json = std::move(outcome.result_json);
    OperationState state = !outcome.problem                          ? OperationState::completed
                           : outcome.problem->code == kCancelledCode ? OperationState::cancelled
                                                                     : OperationState::failed;
    if (outcome.problem) add_line(r, outcome.problem->code + ": " + outcome.problem->message);
    finish(r, state, std::move(outcome.problem));
    done = r;
  }
  persist(done);
  changed_.notify_all();
}

}  // namespace migpkg::operations
