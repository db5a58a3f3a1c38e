#include "runtime/data/batch_digester.hpp"

#include <stdexcept>
#include <utility>

namespace migpkg::data {

BatchDigester::BatchDigester() : thread_([this] { run(); }) {}

BatchDigester::~BatchDigester() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return rows_ == nullptr; });
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void BatchDigester::start(const std::vector<Row>& rows) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (busy_) throw std::logic_error("BatchDigester: a batch is started and not waited for");
    rows_ = &rows;
    busy_ = true;
  }
  changed_.notify_all();
}

ContentDigest BatchDigester::wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!busy_) throw std::logic_error("BatchDigester: no batch started");
  changed_.wait(lock, [&] { return rows_ == nullptr; });
  busy_ = false;
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
  return digest_;
}

BatchDigester::Started::Started(BatchDigester& digester, const std::vector<Row>& rows)
    : digester_(digester) {
  digester_.start(rows);
}

BatchDigester::Started::~Started() {
  std::unique_lock<std::mutex> lock(digester_.mutex_);
  digester_.changed_.wait(lock, [&] { return digester_.rows_ == nullptr; });
  digester_.busy_ = false;
  digester_.failure_ = nullptr;
}

ContentDigest BatchDigester::Started::wait() {
  return digester_.wait();
}

void BatchDigester::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return rows_ != nullptr || stopping_; });
    if (!rows_) return;
    const std::vector<Row>& rows = *rows_;
    lock.unlock();
    ContentDigest digest;
    std::exception_ptr failure;
    try {
      for (const Row& row : rows) digest.add(row);
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    digest_ = digest;
    failure_ = failure;
    rows_ = nullptr;
    changed_.notify_all();
  }
}

}  // namespace migpkg::data
