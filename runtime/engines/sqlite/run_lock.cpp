// SQLite's run lock (run_lock.hpp): an exclusive flock() on "<database file>.migpkg-lock", which
// the kernel releases when the process dies; an in-memory database needs none.
#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "runtime/engines/sqlite/sqlite_engine.hpp"
#include "runtime/lock/lock_polling.hpp"

namespace migpkg::runtime {
namespace {

using lock_detail::kLockedBy;
using lock_detail::one_line;
using lock_detail::poll;

std::string errno_text(int error) {
  return std::strerror(error);
}

std::string current_user() {
  struct passwd entry {};
  struct passwd* found = nullptr;
  char buffer[4096];
  if (getpwuid_r(geteuid(), &entry, buffer, sizeof buffer, &found) == 0 && found)
    return found->pw_name;
  const char* user = std::getenv("USER");
  return user && *user ? user : "uid " + std::to_string(geteuid());
}

std::string utc_now_iso8601() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Two spellings of one database (relative and absolute, or through a symlink) must share one
// lock file; the connection has already created the database file, so it can be resolved.
std::string lock_file_for(const std::string& database_path) {
  char resolved[PATH_MAX];
  std::string base = realpath(database_path.c_str(), resolved) ? resolved : database_path;
  return base + ".migpkg-lock";
}

class SqliteRunLock : public RunLock {
 public:
  SqliteRunLock(const std::string& database_path, const std::string& holder, int timeout_seconds)
      : path_(lock_file_for(database_path)) {
    // O_CLOEXEC: a flock belongs to the open file description, so a program this process
    // starts would otherwise inherit the lock and keep it after this run has ended.
    fd_ = open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      int error = errno;
      throw std::runtime_error("cannot open the lock file " + path_ + ": " + errno_text(error));
    }
    bool locked = false;
    try {
      locked = poll(timeout_seconds, [&] { return try_lock(); });
    } catch (...) {
      close(fd_);
      throw;
    }
    if (!locked) {
      std::string message = describe_holder();
      close(fd_);
      throw LockTimeout(message);
    }
    write_holder(one_line(holder, 512) + " (pid " + std::to_string(getpid()) + ", user " +
                 one_line(current_user(), 64) + ", since " + utc_now_iso8601() + ")\n");
  }

  ~SqliteRunLock() override {
    // Emptied while still held, so that no later waiter reads this run's line as its holder.
    if (ftruncate(fd_, 0) != 0) {
      // Harmless: the next holder overwrites the line.
    }
    flock(fd_, LOCK_UN);
    close(fd_);  // the file stays: deleting it would race with a waiter that has it open
  }

  SqliteRunLock(const SqliteRunLock&) = delete;
  SqliteRunLock& operator=(const SqliteRunLock&) = delete;

 private:
  bool try_lock() {
    for (;;) {
      if (flock(fd_, LOCK_EX | LOCK_NB) == 0) return true;
      if (errno == EWOULDBLOCK) return false;
      if (errno == EINTR) continue;
      int error = errno;
      throw std::runtime_error("cannot lock " + path_ + ": " + errno_text(error));
    }
  }

  // The line is only for the message of a waiting run: failing to write it (disk full) does not
  // weaken the lock, so it is not an error. Whatever a crashed holder left is replaced.
  void write_holder(const std::string& line) {
    if (ftruncate(fd_, 0) != 0) return;
    if (pwrite(fd_, line.data(), line.size(), 0) < 0) return;
  }

  // The holder's line, read by the waiter; the content is untrusted (an older version, a crash
  // mid-write, anything), so only a bounded, printable first line is shown.
  std::string describe_holder() {
    char buffer[1024];
    ssize_t size = pread(fd_, buffer, sizeof buffer, 0);
    std::string content(buffer, size > 0 ? static_cast<std::size_t>(size) : 0);
    std::string line = one_line(content.substr(0, content.find('\n')), 600);
    if (line.empty())
      return std::string(kLockedBy) + " (its holder is not recorded in " + path_ + ")";
    return std::string(kLockedBy) + ": " + line;
  }

  std::string path_;
  int fd_ = -1;
};

// An in-memory database belongs to its one connection: no other run can reach it.
class NoRunLock : public RunLock {};

}  // namespace

std::unique_ptr<RunLock> SqliteEngine::acquire_run_lock(Connection&, const DatabaseUrl& url,
                                                        const std::string& holder,
                                                        int timeout_seconds) const {
  if (url.path == ":memory:") return std::make_unique<NoRunLock>();
  return std::make_unique<SqliteRunLock>(url.path, holder, timeout_seconds);
}

}  // namespace migpkg::runtime
