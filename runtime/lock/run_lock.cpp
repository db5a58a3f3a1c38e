// The run lock (see run_lock.hpp). Both engines poll a non-blocking attempt every ~100 ms
// instead of blocking, so that a run that gives up can still say who holds the lock.
#include "runtime/lock/run_lock.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <thread>

#include "compiler/util/utf8.hpp"

namespace migpkg::runtime {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(100);
constexpr const char* kLockedBy = "database is locked by another migpkg run";

// Calls `try_once` until it succeeds or `timeout_seconds` have passed; 0 (or less) tries once.
template <typename TryOnce>
bool poll(int timeout_seconds, TryOnce try_once) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  for (;;) {
    if (try_once()) return true;
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(kPollInterval, deadline - now));
  }
}

// Text from a lock file or the server as one line of at most `max_bytes` of valid, printable
// UTF-8: it ends up in a one-line lock file and in error messages, which the CLI may print as
// JSON (invalid UTF-8 cannot be encoded there) or to a terminal (control characters garble it).
std::string one_line(const std::string& text, std::size_t max_bytes) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = utf8_sequence_length(text, i);
    std::string piece;
    if (length == 0) {
      piece = "?";
      length = 1;
    } else if (length == 1) {
      auto byte = static_cast<unsigned char>(text[i]);
      piece = byte < 0x20 || byte == 0x7f ? " " : text.substr(i, 1);
    } else if (length == 2 && static_cast<unsigned char>(text[i]) == 0xC2 &&
               static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      piece = " ";  // a C1 control character (U+0080 to U+009F)
    } else {
      piece = text.substr(i, length);
    }
    if (out.size() + piece.size() > max_bytes) break;  // never half a character
    out += piece;
    i += length;
  }
  std::size_t begin = out.find_first_not_of(' ');
  if (begin == std::string::npos) return "";
  return out.substr(begin, out.find_last_not_of(' ') + 1 - begin);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: a session-level advisory lock.

// FNV-1a (64 bit) of "migpkg": fixed, so every migpkg version takes the same lock, and unlikely
// to collide with keys chosen by applications sharing the database.
constexpr std::uint64_t fnv1a_64(const char* text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (; *text; ++text) {
    hash ^= static_cast<unsigned char>(*text);
    hash *= 1099511628211ULL;
  }
  return hash;
}
constexpr std::uint64_t kAdvisoryKey = fnv1a_64("migpkg");

// pg_advisory_lock takes a signed bigint; pg_locks shows the key as two oids (high and low 32
// bits in classid and objid; objsubid 1 marks a single-bigint key).
std::string advisory_key() {
  return std::to_string(static_cast<std::int64_t>(kAdvisoryKey));
}

// application_name holds at most 63 bytes of printable ASCII (the server replaces anything else
// with '?'); doing that here keeps the cut predictable.
std::string application_name_for(const std::string& holder) {
  std::string out;
  for (char c : holder) {
    if (out.size() >= 63) break;
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 && byte < 0xC0) continue;  // a UTF-8 continuation byte: one '?' is enough
    out += byte < 0x20 || byte >= 0x7f ? '?' : c;
  }
  return out;
}

// Who holds the lock, from the sessions the server knows. Advisory locks are per database: the
// lock tag includes the database OID (pg_locks.database), so runs against two databases of one
// server do not exclude each other, and only this database's lock is looked for.
std::string describe_postgresql_holder(Connection& connection) {
  ResultSet holders;
  try {
    holders = connection.query(
        "SELECT a.application_name, l.pid, a.usename,"
        " to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        " FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted AND l.pid <> pg_backend_pid()"
        " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1",
        {std::to_string(kAdvisoryKey >> 32), std::to_string(kAdvisoryKey & 0xFFFFFFFFULL)});
  } catch (const DatabaseError&) {
    // The timeout is what the user must hear about; a failed look-up only loses the detail.
  }
  if (holders.rows.empty()) return std::string(kLockedBy) + " (its holder could not be found)";
  const Row& row = holders.rows.front();
  auto field = [&](std::size_t i, const char* unknown) {
    std::string value = row.at(i) ? one_line(*row.at(i), 128) : "";
    return value.empty() ? std::string(unknown) : value;
  };
  // The pid is the server process of the holder's session (what pg_terminate_backend takes),
  // not the holder's own process, which may run on another machine. The server does not record
  // when a lock was granted; a run connects when it starts, so backend_start stands in for it.
  // Without pg_read_all_stats, another user's backend_start reads as NULL: shown as "?".
  return std::string(kLockedBy) + ": " + field(0, "an unnamed session") + " (backend pid " +
         field(1, "?") + ", user " + field(2, "?") + ", since " + field(3, "?") + ")";
}

class PostgresqlRunLock : public RunLock {
 public:
  PostgresqlRunLock(Connection& connection, const std::string& holder, int timeout_seconds)
      : connection_(connection) {
    previous_application_name_ =
        connection_.query("SELECT current_setting('application_name')").rows.at(0).at(0);
    // Set before locking, so that a run waiting for us can name us from pg_stat_activity.
    set_application_name(application_name_for(holder));
    bool locked = false;
    try {
      locked = poll(timeout_seconds, [&] {
        return connection_.query("SELECT pg_try_advisory_lock(" + advisory_key() + ")")
                   .rows.at(0)
                   .at(0) == "t";
      });
    } catch (...) {
      restore_application_name();
      throw;
    }
    if (!locked) {
      std::string message = describe_postgresql_holder(connection_);
      restore_application_name();
      throw LockTimeout(message);
    }
  }

  ~PostgresqlRunLock() override {
    try {
      connection_.execute("SELECT pg_advisory_unlock(" + advisory_key() + ")");
    } catch (const std::exception&) {
      // A broken connection has ended the session, and with it the lock.
    }
    restore_application_name();
  }

  PostgresqlRunLock(const PostgresqlRunLock&) = delete;
  PostgresqlRunLock& operator=(const PostgresqlRunLock&) = delete;

 private:
  void set_application_name(const std::string& name) {
    connection_.execute("SELECT set_config('application_name', $1, false)", {name});
  }

  void restore_application_name() noexcept {
    try {
      set_application_name(previous_application_name_.value_or(""));
    } catch (const std::exception&) {
      // Only a label: the session may already be gone.
    }
  }

  Connection& connection_;
  std::optional<std::string> previous_application_name_;
};

// ---------------------------------------------------------------------------------------------
// SQLite: flock() on a file next to the database.

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

std::unique_ptr<RunLock> acquire_run_lock(Connection& connection, const DatabaseUrl& url,
                                          const std::string& holder, int timeout_seconds) {
  if (connection.engine() != url.engine)
    throw std::runtime_error("cannot lock: the connection is to " + connection.engine() +
                             " but the URL names " + url.engine);
  if (url.engine == "postgresql")
    return std::make_unique<PostgresqlRunLock>(connection, holder, timeout_seconds);
  if (url.engine == "sqlite") {
    if (url.path == ":memory:") return std::make_unique<NoRunLock>();
    return std::make_unique<SqliteRunLock>(url.path, holder, timeout_seconds);
  }
  throw std::runtime_error("cannot lock a database of engine '" + url.engine + "'");
}

std::string foreign_writer_message(const LockTimeout& timeout) {
  return std::string(timeout.what()) +
         "; it is not a migpkg run (no other migpkg run holds migpkg's run lock): another "
         "program has the database open for writing";
}

}  // namespace migpkg::runtime
