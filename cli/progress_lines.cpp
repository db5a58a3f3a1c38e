#include "cli/progress_lines.hpp"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <iostream>

namespace migpkg::cli {
namespace {

constexpr std::chrono::milliseconds kFlushInterval{100};

}  // namespace

ProgressLines& ProgressLines::instance() {
  static ProgressLines lines;
  return lines;
}

ProgressLines::ProgressLines() : direct_(isatty(STDERR_FILENO) == 1) {}

ProgressLines::~ProgressLines() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  flush();
}

void ProgressLines::line(const std::string& text) {
  if (direct_) {
    std::cerr << text + "\n";
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  pending_ += text;
  pending_ += '\n';
  if (!flusher_.joinable() && !stopping_) flusher_ = std::thread([this] { run_flusher(); });
}

void ProgressLines::flush() {
  std::lock_guard<std::mutex> lock(mutex_);
  write_locked();
}

// std::cerr is not used from the flusher thread: the main thread may be writing to it.
void ProgressLines::write_locked() {
  std::size_t done = 0;
  while (done < pending_.size()) {
    ssize_t n = ::write(STDERR_FILENO, pending_.data() + done, pending_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // stderr closed or full: progress is not worth failing the run for
    done += static_cast<std::size_t>(n);
  }
  pending_.clear();
}

void ProgressLines::run_flusher() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, kFlushInterval);
    write_locked();
  }
}

}  // namespace migpkg::cli
