// The run lock on MySQL / MariaDB: a named user-level lock, GET_LOCK('migpkg:<database>'), taken
// on the run's own connection. The server frees it when that connection ends, however the run
// ended, so a killed run never leaves a stale lock. A waiter that gives up names the holder
// from the server (IS_USED_LOCK's connection id, with its user and host from the process list)
// and, where the holder could record it, migpkg's description of the run, kept in the one-row-
// per-lock table migpkg_lock_holder. That row is only ever shown, never trusted: it counts only
// while its connection id is the lock's current owner.
#include <ctime>
#include <stdexcept>

#include "compiler/util/sha256.hpp"
#include "runtime/engines/mysql/connection.hpp"
#include "runtime/engines/mysql/mysql_engine.hpp"
#include "runtime/lock/lock_polling.hpp"

namespace migpkg::runtime::mysql {
namespace {

// Names of user-level locks are limited to 64 characters.
std::string lock_name(const std::string& database) {
  std::string name = "migpkg:" + database;
  if (name.size() <= 64) return name;
  return "migpkg:sha256:" + migpkg::sha256_hex(database).substr(0, 40);
}

using lock_detail::kLockedBy;
using lock_detail::one_line;

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

const char kHolderTable[] =
    "CREATE TABLE IF NOT EXISTS migpkg_lock_holder (lock_name VARCHAR(64) NOT NULL PRIMARY KEY, "
    "connection_id BIGINT UNSIGNED NOT NULL, holder VARCHAR(600) NOT NULL, "
    "since VARCHAR(32) NOT NULL) DEFAULT CHARSET = utf8mb4";

std::string describe_holder(MysqlConnection& connection, const std::string& name) {
  try {
    ResultSet owner = connection.query(
        "SELECT p.ID, p.USER, p.HOST FROM information_schema.PROCESSLIST p "
        "WHERE p.ID = IS_USED_LOCK($1)",
        {name});
    if (owner.rows.empty()) return std::string(kLockedBy) + " (its holder could not be found)";
    const Row& row = owner.rows.front();
    std::string id = row[0].value_or("?");
    std::string server = "connection " + id + ", user " + one_line(row[1].value_or("?"), 64) +
                         ", host " + one_line(row[2].value_or("?"), 128);
    std::string holder;
    try {
      ResultSet recorded = connection.query(
          "SELECT holder, since FROM migpkg_lock_holder WHERE lock_name = $1 AND "
          "connection_id = $2",
          {name, id});
      if (!recorded.rows.empty())
        return std::string(kLockedBy) + ": " + one_line(recorded.rows[0][0].value_or(""), 512) +
               " (" + server + ", since " + one_line(recorded.rows[0][1].value_or("?"), 32) + ")";
    } catch (const DatabaseError&) {
      // No table (the holder could not create it): the server's side is all there is.
    }
    return std::string(kLockedBy) + " (" + server + ")";
  } catch (const DatabaseError&) {
    return std::string(kLockedBy) + " (its holder could not be found)";
  }
}

class MysqlRunLock : public RunLock {
 public:
  MysqlRunLock(MysqlConnection& connection, const std::string& holder, int timeout_seconds)
      : connection_(connection), name_(lock_name(connection.database())) {
    if (connection.database().empty())
      throw std::runtime_error("cannot lock: the MySQL URL names no database");
    // GET_LOCK waits on the server; 1 when granted, 0 on timeout.
    ResultSet got = connection_.query(
        "SELECT GET_LOCK($1, " + std::to_string(std::max(0, timeout_seconds)) + ")", {name_});
    if (got.rows.at(0).at(0) != std::optional<std::string>("1"))
      throw LockTimeout(describe_holder(connection_, name_));
    record(holder);
  }

  ~MysqlRunLock() override {
    try {
      if (!connection_.in_transaction())
        connection_.execute(
            "DELETE FROM migpkg_lock_holder WHERE lock_name = $1 AND "
            "connection_id = CONNECTION_ID()",
            {name_});
    } catch (const std::exception&) {
      // Only a description; a stale row is never believed (see above).
    }
    try {
      connection_.query("SELECT RELEASE_LOCK($1)", {name_});
    } catch (const std::exception&) {
      // A broken connection has ended the session, and with it the lock.
    }
  }

  MysqlRunLock(const MysqlRunLock&) = delete;
  MysqlRunLock& operator=(const MysqlRunLock&) = delete;

 private:
  // Taken outside any transaction (CREATE TABLE would commit it); without the privilege to
  // create or write the table the lock is held all the same, only described less well.
  void record(const std::string& holder) {
    if (connection_.in_transaction()) return;
    try {
      connection_.execute(kHolderTable);
      connection_.execute(
          "REPLACE INTO migpkg_lock_holder (lock_name, connection_id, holder, since) "
          "VALUES ($1, CONNECTION_ID(), $2, $3)",
          {name_, one_line(holder, 512), utc_now()});
    } catch (const DatabaseError&) {
    }
  }

  MysqlConnection& connection_;
  std::string name_;
};

}  // namespace

std::unique_ptr<RunLock> MysqlEngine::acquire_run_lock(Connection& connection,
                                                       const DatabaseUrl& url,
                                                       const std::string& holder,
                                                       int timeout_seconds) const {
  (void)url;  // the connection names the database; the URL may hold a password
  return std::make_unique<MysqlRunLock>(as_mysql(connection), holder, timeout_seconds);
}

}  // namespace migpkg::runtime::mysql
