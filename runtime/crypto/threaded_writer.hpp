#pragma once
// Writes to a file descriptor from a second thread, so that the kernel's copy of the output
// (a write into the page cache costs about as much CPU as ChaCha20-Poly1305 itself) runs on
// another core while the caller encrypts the next bytes (`migpkg encrypt`; decrypt_file writes
// from its own thread, age_files.cpp says why). Memory: four 1 MiB buffers. A write error is
// thrown by the next write() or by finish().
//
// On a regular file, each buffer written is also handed to the disk at once
// (sync_file_range(SYNC_FILE_RANGE_WRITE)), so the disk writes while the cipher runs and the
// caller's final fsync finds little left to do; otherwise the kernel would start writing only
// when the dirty pages pass its background threshold (10% of memory) or at the fsync, and a
// durable output would cost the cipher's time plus the whole write's. Every 64 MiB the thread
// waits for the range written 64 MiB earlier, so the dirty pages stay bounded.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace migpkg::crypto {

// Starts the disk write of the `size` bytes just written at `start` of the regular file `fd`,
// and at each 64 MiB boundary waits for the range written 64 MiB earlier (on its way for that
// long). Errors are ignored: this only moves work earlier, and the caller's fsync reports any
// write failure.
void write_behind(int fd, std::uint64_t start, std::uint64_t size);

class ThreadedWriter {
 public:
  ThreadedWriter(int fd, std::string label);
  ~ThreadedWriter();  // stops the thread; what was not finish()ed may be lost
  ThreadedWriter(const ThreadedWriter&) = delete;
  ThreadedWriter& operator=(const ThreadedWriter&) = delete;
  void write(const char* data, std::size_t size);
  void finish();  // every byte written (or the error thrown)

 private:
  void hand_over();  // queues the current buffer
  void run();
  void rethrow_locked();
  int fd_;
  std::string label_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::vector<char>> free_, queued_;
  std::vector<char> current_;
  std::exception_ptr error_;
  bool stopping_ = false;
  bool regular_file_ = false;  // whether write-behind applies (not a pipe or a socket)
  std::uint64_t offset_ = 0;   // bytes written so far, by the thread
  std::thread thread_;
};

}  // namespace migpkg::crypto
