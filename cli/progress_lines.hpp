#pragma once
// Progress lines on stderr ("applying a/m1 1.0.0", "  up step s1"). On a terminal each line is
// written at once. Anywhere else (a log file, a pipe, CI) lines are gathered and written by a
// background thread at most 100 ms after they were given: one write(2) per line cost a run of
// 500 small SQLite migrations about a tenth of its time (2,000 system calls), while a line that
// names a step that hangs must still reach the log while it hangs.
//
// Whatever else the command writes to stderr must come after the lines given before it, so
// main() and the run reports call flush() first.
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace migpkg::cli {

class ProgressLines {
 public:
  static ProgressLines& instance();
  void line(const std::string& text);
  void flush();
  ~ProgressLines();
  ProgressLines(const ProgressLines&) = delete;
  ProgressLines& operator=(const ProgressLines&) = delete;

 private:
  ProgressLines();
  void write_locked();
  void run_flusher();

  bool direct_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::string pending_;
  bool stopping_ = false;
  std::thread flusher_;  // started by the first buffered line
};

}  // namespace migpkg::cli
