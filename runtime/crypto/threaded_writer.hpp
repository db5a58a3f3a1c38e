#pragma once
// Writes to a file descriptor from a second thread, so that the kernel's copy of the output
// (a write into the page cache costs about as much CPU as ChaCha20-Poly1305 itself) runs on
// another core while the caller encrypts or decrypts the next bytes. Memory: four 1 MiB
// buffers. A write error is thrown by the next write() or by finish().
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace migpkg::crypto {

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
  std::thread thread_;
};

}  // namespace migpkg::crypto
