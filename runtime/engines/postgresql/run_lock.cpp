// PostgreSQL's run lock (run_lock.hpp): a session-level advisory lock, which the server releases
// when the session ends.
#include <cstdint>
#include <optional>
#include <string>

#include "runtime/engines/postgresql/postgresql_engine.hpp"
#include "runtime/lock/lock_polling.hpp"

namespace migpkg::runtime {
namespace {

using lock_detail::kLockedBy;
using lock_detail::one_line;
using lock_detail::poll;

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

}  // namespace

std::unique_ptr<RunLock> PostgresqlEngine::acquire_run_lock(Connection& connection,
                                                            const DatabaseUrl&,
                                                            const std::string& holder,
                                                            int timeout_seconds) const {
  return std::make_unique<PostgresqlRunLock>(connection, holder, timeout_seconds);
}

}  // namespace migpkg::runtime
