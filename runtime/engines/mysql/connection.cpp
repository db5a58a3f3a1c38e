// The MySQL / MariaDB driver on MariaDB Connector/C (connection.hpp). Statements go through
// the text protocol (mysql_real_query) with multi-statement support, so a step's script runs as
// written and every result of it is drained; transactions are plain START TRANSACTION / COMMIT /
// ROLLBACK, so the runtime decides what runs inside one.
#include "runtime/engines/mysql/connection.hpp"

#include <mysql.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "runtime/engines/mysql/parameters.hpp"

namespace migpkg::runtime::mysql {
namespace {

bool connection_lost(unsigned code) {
  return code == 2006 || code == 2013 || code == 2055;  // gone away, lost, lost at reading
}

// Frees a result on every path.
struct ResultGuard {
  MYSQL_RES* result;
  ~ResultGuard() {
    if (result) mysql_free_result(result);
  }
};

Row fetch_row(MYSQL_RES* result, MYSQL_ROW row, unsigned fields) {
  unsigned long* lengths = mysql_fetch_lengths(result);
  Row out;
  out.reserve(fields);
  for (unsigned i = 0; i < fields; ++i)
    out.push_back(row[i] ? std::optional<std::string>(std::string(row[i], lengths[i]))
                         : std::nullopt);
  return out;
}

std::vector<std::string> column_names(MYSQL_RES* result) {
  std::vector<std::string> names;
  unsigned fields = mysql_num_fields(result);
  MYSQL_FIELD* field = mysql_fetch_fields(result);
  for (unsigned i = 0; i < fields; ++i) names.emplace_back(field[i].name, field[i].name_length);
  return names;
}

}  // namespace

MysqlConnection::MysqlConnection(const MysqlUrl& url, const std::string& display_url,
                                 int lock_wait_ms)
    : database_(url.database) {
  handle_ = mysql_init(nullptr);
  if (!handle_) throw DatabaseError("cannot connect to MySQL: out of memory", "");
  mysql_optionsv(handle_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  unsigned timeout = url.connect_timeout;
  mysql_optionsv(handle_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  // A server must never make migpkg send it a local file (LOAD DATA LOCAL INFILE).
  my_bool off = 0, on = 1;
  mysql_optionsv(handle_, MYSQL_OPT_LOCAL_INFILE, &off);
  // A silent reconnect in the middle of a transaction would run the rest in autocommit mode.
  mysql_optionsv(handle_, MYSQL_OPT_RECONNECT, &off);
  if (url.ssl_mode == "required" || url.ssl_mode == "verify_ca" ||
      url.ssl_mode == "verify_identity")
    mysql_optionsv(handle_, MYSQL_OPT_SSL_ENFORCE, &on);
  if (url.ssl_mode == "verify_ca" || url.ssl_mode == "verify_identity")
    mysql_optionsv(handle_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
  if (!url.ssl_ca.empty()) mysql_optionsv(handle_, MYSQL_OPT_SSL_CA, url.ssl_ca.c_str());
  const char* password = url.password ? url.password->c_str() : nullptr;
  if (!mysql_real_connect(handle_, url.socket.empty() ? url.host.c_str() : nullptr,
                          url.user.empty() ? nullptr : url.user.c_str(), password,
                          url.database.empty() ? nullptr : url.database.c_str(), url.port,
                          url.socket.empty() ? nullptr : url.socket.c_str(),
                          CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS)) {
    std::string message = mysql_error(handle_);
    unsigned code = mysql_errno(handle_);
    mysql_close(handle_);
    handle_ = nullptr;
    // The server's message never holds the password; the URL may.
    throw DatabaseError("cannot connect to MySQL at " + display_url + ": " + message +
                            " (MySQL error " + std::to_string(code) + ")",
                        "");
  }
  server_version_ = mysql_get_server_info(handle_);
  mariadb_ = server_version_.find("MariaDB") != std::string::npos;
  long wait = std::max(1L, static_cast<long>(std::ceil(lock_wait_ms / 1000.0)));
  try {
    execute(std::string("SET SESSION sql_mode = '") + kSqlMode +
            "', SESSION innodb_lock_wait_timeout = " + std::to_string(wait) +
            ", SESSION lock_wait_timeout = " + std::to_string(wait));
  } catch (...) {
    mysql_close(handle_);
    handle_ = nullptr;
    throw;
  }
}

MysqlConnection::~MysqlConnection() {
  if (handle_) mysql_close(handle_);
}

void MysqlConnection::fail(const std::string& sql) {
  unsigned code = mysql_errno(handle_);
  std::string message = mysql_error(handle_);
  std::string state = mysql_sqlstate(handle_);
  if (connection_lost(code)) lost_ = true;
  if (in_transaction() || failed_in_transaction_) failed_in_transaction_ = true;
  std::string described = message + " (MySQL error " + std::to_string(code) +
                          (state.empty() || state == "00000" ? "" : ", SQLSTATE " + state) + ")";
  if (code == kErrorLockWaitTimeout)
    throw LockTimeout("a lock held by another connection was not released in time: " + described +
                      "; statement: " + sql);
  if (connection_lost(code)) throw DatabaseError("lost the connection to MySQL: " + described, sql);
  throw DatabaseError(described, sql);
}

ResultSet MysqlConnection::run(const std::string& sql, bool want_rows) {
  return run_script({sql}, want_rows);
}

ResultSet MysqlConnection::run_script(const std::vector<std::string>& statements, bool want_rows) {
  // A transaction begun but not yet sent starts in the same round trip (begin()).
  const std::size_t lead = begin_pending_ ? 1 : 0;
  begin_pending_ = false;
  auto statement = [&](std::size_t i) -> const std::string& {
    static const std::string begin = "START TRANSACTION";
    return i < lead ? begin : statements[i - lead];
  };
  // A failure names the statement that failed and its place among the caller's statements
  // (the leading START TRANSACTION counts as the first).
  auto fail_at = [&](std::size_t i) {
    try {
      fail(statement(i));
    } catch (const DatabaseError& error) {
      throw StatementsFailure(error, i < lead ? 0 : i - lead);
    }
  };
  std::string sql;
  const std::size_t count = lead + statements.size();
  if (count == 0) return {};
  if (count == 1) {
    sql = statement(0);
  } else {
    // "\n;\n": a statement's trailing "-- comment" must not swallow the separator.
    for (std::size_t i = 0; i < count; ++i) sql += (i ? "\n;\n" : "") + statement(i);
  }
  if (lost_) throw DatabaseError("the connection to MySQL was lost earlier", statement(0));
  ResultSet out;
  if (mysql_real_query(handle_, sql.data(), sql.size()) != 0) fail_at(0);
  // Every result of a script is drained (the connection is unusable until then); an error in a
  // later statement surfaces from mysql_next_result and ends the script there.
  for (std::size_t i = 0;; ++i) {
    MYSQL_RES* result = mysql_store_result(handle_);
    ResultGuard guard{result};
    if (result) {
      if (want_rows) {
        ResultSet set;
        set.columns = column_names(result);
        unsigned fields = mysql_num_fields(result);
        while (MYSQL_ROW row = mysql_fetch_row(result))
          set.rows.push_back(fetch_row(result, row, fields));
        out = std::move(set);  // the last result set with columns is the query's answer
      }
    } else if (mysql_field_count(handle_) != 0) {
      fail_at(i);  // a result was due but could not be read
    } else {
      // Read now: mysql_next_result below resets both.
      affected_rows_ = mysql_affected_rows(handle_);
      const char* info = mysql_info(handle_);
      info_ = info ? info : "";
    }
    int next = mysql_next_result(handle_);
    if (next < 0) break;
    if (next > 0) fail_at(std::min(i + 1, count - 1));
  }
  // ROLLBACK TO SAVEPOINT is how a transaction with a failed statement becomes usable again.
  if (failed_in_transaction_ && statement(count - 1).rfind("ROLLBACK TO", 0) == 0)
    failed_in_transaction_ = false;
  if (!in_transaction()) failed_in_transaction_ = false;
  return out;
}

void MysqlConnection::execute_all(const std::vector<Statement>& statements) {
  std::vector<std::string> texts;
  texts.reserve(statements.size());
  for (const auto& s : statements) texts.push_back(s.params ? bind(s.sql, *s.params) : s.sql);
  run_script(texts, false);
}

void MysqlConnection::commit_after(const std::vector<Statement>& statements) {
  if (failed_in_transaction_) {
    commit();  // rolls back and throws: a transaction in which a statement failed never commits
    return;
  }
  std::vector<std::string> texts;
  texts.reserve(statements.size() + 1);
  for (const auto& s : statements) texts.push_back(s.params ? bind(s.sql, *s.params) : s.sql);
  if (!in_transaction()) {
    run_script(texts, false);  // nothing to commit: the statements run on their own
    return;
  }
  if (begin_pending_ && texts.empty()) {
    commit();  // nothing ran in it
    return;
  }
  texts.push_back("COMMIT");
  run_script(texts, false);
}

void MysqlConnection::execute(const std::string& sql) {
  run(sql, false);
}

ResultSet MysqlConnection::query(const std::string& sql) {
  return run(sql, true);
}

bool MysqlConnection::backslash_escapes() const {
  return !(handle_->server_status & SERVER_STATUS_NO_BACKSLASH_ESCAPES);
}

std::string MysqlConnection::bind(const std::string& sql, const Params& params) const {
  try {
    return bind_parameters(sql, params, backslash_escapes());
  } catch (const std::invalid_argument& error) {
    throw DatabaseError(error.what(), sql);
  }
}

std::uint64_t MysqlConnection::affected_rows() const {
  return affected_rows_;
}

const std::string& MysqlConnection::info() const {
  return info_;
}

std::string MysqlConnection::literal(const std::optional<std::string>& value) const {
  return mysql_literal(value, backslash_escapes());
}

void MysqlConnection::execute(const std::string& sql, const Params& params) {
  run(bind(sql, params), false);
}

ResultSet MysqlConnection::query(const std::string& sql, const Params& params) {
  return run(bind(sql, params), true);
}

void MysqlConnection::stream(const std::string& sql,
                             const std::function<void(const std::vector<std::string>&)>& columns,
                             const std::function<void(Row&)>& row) {
  if (lost_) throw DatabaseError("the connection to MySQL was lost earlier", sql);
  if (begin_pending_) run_script({}, false);  // the transaction's start goes first, alone
  if (mysql_real_query(handle_, sql.data(), sql.size()) != 0) fail(sql);
  MYSQL_RES* result = mysql_use_result(handle_);
  if (!result) {
    if (mysql_field_count(handle_) != 0) fail(sql);
    throw DatabaseError("the statement returns no rows", sql);
  }
  {
    ResultGuard guard{result};
    unsigned fields = mysql_num_fields(result);
    columns(column_names(result));
    try {
      while (MYSQL_ROW values = mysql_fetch_row(result)) {
        Row fetched = fetch_row(result, values, fields);
        row(fetched);
      }
    } catch (...) {
      // The rest must still be read off the wire before the connection can be used again.
      while (mysql_fetch_row(result)) {
      }
      while (mysql_next_result(handle_) == 0) mysql_free_result(mysql_store_result(handle_));
      throw;
    }
    if (mysql_errno(handle_) != 0) fail(sql);
  }
  while (mysql_next_result(handle_) == 0) mysql_free_result(mysql_store_result(handle_));
}

void MysqlConnection::set_statement_timeout(std::optional<long> milliseconds) {
  // MariaDB: max_statement_time (seconds, fractions allowed), for every statement. MySQL:
  // max_execution_time (milliseconds), which limits SELECT statements only.
  if (milliseconds) {
    long ms = std::max(1L, *milliseconds);
    execute(mariadb_ ? "SET SESSION max_statement_time = " + std::to_string(ms / 1000) + "." +
                           std::to_string(1000 + ms % 1000).substr(1)
                     : "SET SESSION max_execution_time = " + std::to_string(ms));
    timeout_set_ = true;
  } else if (timeout_set_) {
    timeout_set_ = false;
    // Unlike PostgreSQL's SET, this is not undone by a ROLLBACK: it is cleared in any case.
    execute(mariadb_ ? "SET SESSION max_statement_time = DEFAULT"
                     : "SET SESSION max_execution_time = DEFAULT");
  }
}

void MysqlConnection::begin() {
  if (in_transaction()) throw DatabaseError("a transaction is already open", "START TRANSACTION");
  failed_in_transaction_ = false;
  // Sent in front of the next statement, in its round trip: a transaction costs no round trip
  // of its own (a migration's transactional steps, its closing bookkeeping).
  begin_pending_ = true;
}

void MysqlConnection::commit() {
  if (begin_pending_) {  // nothing ran in it
    begin_pending_ = false;
    failed_in_transaction_ = false;
    return;
  }
  // MySQL undoes only the failed statement and would commit the rest; the runtime's contract
  // (as on PostgreSQL) is that a transaction in which a statement failed is never committed.
  if (failed_in_transaction_) {
    failed_in_transaction_ = false;
    execute("ROLLBACK");
    throw DatabaseError(
        "the transaction was rolled back, not committed, because a statement in it failed",
        "COMMIT");
  }
  execute("COMMIT");
}

void MysqlConnection::rollback() {
  failed_in_transaction_ = false;
  if (begin_pending_) {
    begin_pending_ = false;
    return;
  }
  execute("ROLLBACK");
}

bool MysqlConnection::in_transaction() const {
  return !lost_ && handle_ &&
         (begin_pending_ || (handle_->server_status & SERVER_STATUS_IN_TRANS) != 0);
}

std::uint64_t MysqlConnection::connection_id() const {
  return mysql_thread_id(handle_);
}

MysqlConnection& as_mysql(Connection& connection) {
  auto* mysql = dynamic_cast<MysqlConnection*>(&connection);
  if (!mysql) throw std::invalid_argument("not a MySQL connection");
  return *mysql;
}

std::string quote_name(const std::string& name) {
  std::string out = "`";
  for (char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
  return out + "`";
}

}  // namespace migpkg::runtime::mysql
