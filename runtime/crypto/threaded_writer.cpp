#include "runtime/crypto/threaded_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace migpkg::crypto {
namespace {

constexpr std::size_t kBufferBytes = 1 << 20;
constexpr int kBuffers = 4;
constexpr std::uint64_t kWriteBehindBytes = 64ull << 20;

}  // namespace

void write_behind(int fd, std::uint64_t start, std::uint64_t size) {
  sync_file_range(fd, static_cast<off64_t>(start), static_cast<off64_t>(size),
                  SYNC_FILE_RANGE_WRITE);
  const std::uint64_t end = start + size;
  if (end / kWriteBehindBytes == start / kWriteBehindBytes || end < 2 * kWriteBehindBytes) return;
  const std::uint64_t wait_end = (end / kWriteBehindBytes - 1) * kWriteBehindBytes;
  sync_file_range(fd, static_cast<off64_t>(wait_end - kWriteBehindBytes),
                  static_cast<off64_t>(kWriteBehindBytes),
                  SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
}

ThreadedWriter::ThreadedWriter(int fd, std::string label) : fd_(fd), label_(std::move(label)) {
  struct stat info {};
  regular_file_ = fstat(fd, &info) == 0 && S_ISREG(info.st_mode);
  if (regular_file_) {
    const off_t at = lseek(fd, 0, SEEK_CUR);
    offset_ = at > 0 ? static_cast<std::uint64_t>(at) : 0;
  }
  for (int i = 1; i < kBuffers; ++i) {
    free_.emplace_back();
    free_.back().reserve(kBufferBytes);
  }
  current_.reserve(kBufferBytes);
  thread_ = std::thread([this] { run(); });
}

ThreadedWriter::~ThreadedWriter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ThreadedWriter::rethrow_locked() {
  if (error_) std::rethrow_exception(error_);
}

void ThreadedWriter::write(const char* data, std::size_t size) {
  while (size > 0) {
    const std::size_t take = std::min(size, kBufferBytes - current_.size());
    current_.insert(current_.end(), data, data + take);
    data += take;
    size -= take;
    if (current_.size() == kBufferBytes) hand_over();
  }
}

void ThreadedWriter::hand_over() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return !free_.empty() || error_; });
  rethrow_locked();
  queued_.push_back(std::move(current_));
  current_ = std::move(free_.back());
  free_.pop_back();
  current_.clear();
  changed_.notify_all();
}

void ThreadedWriter::finish() {
  if (!current_.empty()) hand_over();
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return queued_.empty() || error_; });
  rethrow_locked();
}

void ThreadedWriter::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return !queued_.empty() || stopping_; });
    if (queued_.empty()) return;  // stopping, nothing left
    std::vector<char> buffer = std::move(queued_.front());
    lock.unlock();
    std::exception_ptr failed;
    const char* at = buffer.data();
    std::size_t left = buffer.size();
    while (left > 0) {
      const ssize_t done = ::write(fd_, at, left);
      if (done < 0 && errno == EINTR) continue;
      if (done < 0) {
        failed = std::make_exception_ptr(
            std::runtime_error("cannot write " + label_ + ": " + std::strerror(errno)));
        break;
      }
      at += done;
      left -= static_cast<std::size_t>(done);
    }
    if (!failed && regular_file_) {
      write_behind(fd_, offset_, buffer.size());
      offset_ += buffer.size();
    }
    lock.lock();
    queued_.erase(queued_.begin());
    buffer.clear();
    free_.push_back(std::move(buffer));
    if (failed && !error_) error_ = failed;
    changed_.notify_all();
  }
}

}  // namespace migpkg::crypto
