#pragma once
// The MySQL / MariaDB Connection, on MariaDB Connector/C (libmariadb), and what the rest of this
// folder needs of it beyond the Connection interface (streaming rows, the server's identity).
//
// Session settings every connection gets (see docs/mysql.md):
//   character set utf8mb4; sql_mode STRICT_ALL_TABLES, NO_ZERO_IN_DATE, NO_ZERO_DATE,
//   ERROR_FOR_DIVISION_BY_ZERO, NO_ENGINE_SUBSTITUTION and ANSI_QUOTES (kSqlMode below);
//   innodb_lock_wait_timeout and lock_wait_timeout from the open's lock wait.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/engines/engine.hpp"
#include "runtime/engines/mysql/url.hpp"

struct st_mysql;

namespace migpkg::runtime::mysql {

// ANSI_QUOTES: the runtime's own SQL (bookkeeping, checks, backups) double-quotes names, as
// standard SQL and the other engines do; without it MySQL would read "name" as a string and
// such a statement would quietly compare or select a constant instead of failing. Compiled MySQL
// plans quote with backticks, which work either way. A raw SQL step that writes a string in
// double quotes fails with "unknown column" instead: loud, never silent.
inline constexpr const char* kSqlMode =
    "STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_ENGINE_SUBSTITUTION,ANSI_QUOTES";

// The server's error codes the engine looks at.
inline constexpr unsigned kErrorLockWaitTimeout = 1205;  // ER_LOCK_WAIT_TIMEOUT
inline constexpr unsigned kErrorDeadlock = 1213;         // ER_LOCK_DEADLOCK

class MysqlConnection : public Connection {
 public:
  // `lock_wait_ms`: how long a statement waits for another connection's row or metadata lock
  // before failing with LockTimeout (whole seconds, at least one: the server's granularity).
  MysqlConnection(const MysqlUrl& url, const std::string& display_url, int lock_wait_ms);
  ~MysqlConnection() override;
  MysqlConnection(const MysqlConnection&) = delete;
  MysqlConnection& operator=(const MysqlConnection&) = delete;

  ir::Engine engine() const override { return ir::Engine::MySQL; }
  void execute(const std::string& sql) override;
  ResultSet query(const std::string& sql) override;
  void execute(const std::string& sql, const Params& params) override;
  ResultSet query(const std::string& sql, const Params& params) override;
  void set_statement_timeout(std::optional<long> milliseconds) override;
  // The statements joined into one multi-statement query: one round trip.
  void execute_all(const std::vector<Statement>& statements) override;
  void commit_after(const std::vector<Statement>& statements) override;
  bool sends_scripts() const override { return true; }
  // Sends nothing: START TRANSACTION goes in front of the next statement, in its round trip.
  void begin() override;
  void commit() override;
  void rollback() override;
  // From the server's status flags after the last statement: a DDL statement commits the open
  // transaction implicitly, and this then says false.
  bool in_transaction() const override;

  // One statement whose rows are handed to `row` one at a time as they arrive (not all held in
  // memory): for backups and bulk reads. `columns` receives the column names first. A row is
  // `row`'s to take values from (read_data moves text it keeps as it is).
  void stream(const std::string& sql,
              const std::function<void(const std::vector<std::string>&)>& columns,
              const std::function<void(Row&)>& row);

  // `sql` with its $N placeholders bound (parameters.hpp), as the session reads literals.
  std::string bind(const std::string& sql, const Params& params) const;
  // A string literal of `value` for this session (NULL for nullopt).
  std::string literal(const std::optional<std::string>& value) const;

  // After execute(): the rows the last statement changed as the server counts them, and its
  // info line ("Records: 3  Duplicates: 1  Warnings: 0"; "" when it gave none).
  std::uint64_t affected_rows() const;
  const std::string& info() const;

  bool is_mariadb() const { return mariadb_; }
  const std::string& server_version() const { return server_version_; }
  std::uint64_t connection_id() const;
  // The database the URL names ("" for none).
  const std::string& database() const { return database_; }

 private:
  ResultSet run(const std::string& sql, bool want_rows);
  // `statements` (each exactly one statement) as one query, after START TRANSACTION when a
  // begin() is pending. A failure throws StatementsFailure with the failing one's index.
  ResultSet run_script(const std::vector<std::string>& statements, bool want_rows);
  [[noreturn]] void fail(const std::string& sql);
  bool backslash_escapes() const;

  st_mysql* handle_ = nullptr;
  std::string database_;
  bool mariadb_ = false;
  std::string server_version_;
  bool lost_ = false;
  bool failed_in_transaction_ = false;
  bool timeout_set_ = false;
  std::uint64_t affected_rows_ = 0;
  std::string info_;
  bool begin_pending_ = false;  // begin() called, START TRANSACTION not yet sent
};

// Throws std::invalid_argument when `connection` is not a MysqlConnection.
MysqlConnection& as_mysql(Connection& connection);

// A backtick-quoted name (MySQL's own quoting, valid whatever the sql_mode).
std::string quote_name(const std::string& name);

}  // namespace migpkg::runtime::mysql
