// The PostgreSQL driver on libpqxx 6.4. Every statement goes through a pqxx::nontransaction and
// transactions are plain BEGIN/COMMIT/ROLLBACK, so the runtime decides what runs inside a
// transaction and statements such as CREATE INDEX CONCURRENTLY can run outside one.
#include <libpq-fe.h>

#include <pqxx/pqxx>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/drivers/connection.hpp"
#include "runtime/engines/postgresql/postgresql_native.hpp"

namespace migpkg::runtime {
namespace {

std::string without_trailing_newlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// libpq formats "ERROR:  primary" then, on further lines, the LINE/caret excerpt, DETAIL, HINT and
// CONTEXT. The first line is rewritten to carry the SQLSTATE; the rest is kept as libpq wrote it.
std::string describe(const pqxx::sql_error& error) {
  std::string text = without_trailing_newlines(error.what());
  std::size_t first_line_end = text.find('\n');
  std::string primary = text.substr(0, first_line_end);
  std::string rest = first_line_end == std::string::npos ? "" : text.substr(first_line_end);
  for (const char* severity : {"ERROR:  ", "FATAL:  ", "PANIC:  "}) {
    std::string prefix = severity;
    if (primary.compare(0, prefix.size(), prefix) == 0) primary.erase(0, prefix.size());
  }
  if (!error.sqlstate().empty()) primary += " (SQLSTATE " + error.sqlstate() + ")";
  return primary + rest;
}

// An error of a statement sent behind `prefix_lines` lines of deferred statements
// (execute_with_next): libpq's "LINE n:" excerpt counts the lines of the whole text; this makes
// it count those of the statement, keeping the caret line below it aligned.
std::string renumber_error_line(const std::string& message, long prefix_lines) {
  static const std::string tag = "\nLINE ";
  std::size_t at = message.find(tag);
  if (at == std::string::npos || prefix_lines <= 0) return message;
  std::size_t digits = at + tag.size(), end = digits;
  while (end < message.size() && message[end] >= '0' && message[end] <= '9') ++end;
  if (end == digits || end - digits > 9 || end >= message.size() || message[end] != ':')
    return message;
  long line = std::stol(message.substr(digits, end - digits)) - prefix_lines;
  if (line < 1) return message;
  std::string number = std::to_string(line);
  std::size_t narrower = (end - digits) - number.size();
  std::string out = message.substr(0, digits) + number + message.substr(end);
  std::size_t caret_line = out.find('\n', digits);
  if (caret_line != std::string::npos && narrower > 0 &&
      out.compare(caret_line + 1, narrower, std::string(narrower, ' ')) == 0)
    out.erase(caret_line + 1, narrower);
  return out;
}

// Runs `sql` and turns libpqxx's exceptions into DatabaseError. `lost` is called when the
// connection broke, because the server has then rolled back any open transaction.
// With `params`, the statement goes through PQexecParams: one statement, $1, $2, ... bound as
// text (NULL for nullopt), each converted by the server to the type its context needs.
template <typename OnLost>
pqxx::result run(pqxx::connection& connection, const std::string& sql,
                 const Connection::Params* params, OnLost lost) {
  try {
    pqxx::nontransaction work(connection);
    if (!params) return work.exec(sql);
    std::vector<const char*> values;  // nullptr is NULL to libpqxx
    values.reserve(params->size());
    for (std::size_t i = 0; i < params->size(); ++i) {
      const std::optional<std::string>& value = (*params)[i];
      // libpqxx passes text parameters as C strings: a NUL would silently cut the value short.
      if (value && value->find('\0') != std::string::npos)
        throw DatabaseError("parameter $" + std::to_string(i + 1) +
                                " contains a NUL byte, which PostgreSQL text cannot hold",
                            sql);
      values.push_back(value ? value->c_str() : nullptr);
    }
    return work.exec_params(sql, pqxx::prepare::make_dynamic_params(values));
  } catch (const pqxx::sql_error& error) {
    throw DatabaseError(describe(error), sql);
  } catch (const pqxx::broken_connection& error) {
    // libpqxx 6.4 leaks this statement's PGresult here (it asks the dead connection for its
    // encoding before owning the result); the connection is unusable afterwards anyway.
    lost();
    throw DatabaseError(
        "lost the connection to PostgreSQL: " + without_trailing_newlines(error.what()), sql);
  } catch (const pqxx::failure& error) {
    throw DatabaseError(without_trailing_newlines(error.what()), sql);
  } catch (const pqxx::usage_error& error) {
    throw DatabaseError(error.what(), sql);
  }
}

std::unique_ptr<pqxx::connection> connect(const std::string& conninfo) {
  try {
    return std::make_unique<pqxx::connection>(conninfo);
  } catch (const pqxx::broken_connection& error) {
    // libpq's own message never contains the password; the conninfo may.
    throw DatabaseError("cannot connect to PostgreSQL at " + redact_password(conninfo) + ": " +
                            without_trailing_newlines(error.what()),
                        "");
  } catch (const pqxx::failure& error) {
    throw DatabaseError("cannot connect to PostgreSQL at " + redact_password(conninfo) + ": " +
                            without_trailing_newlines(error.what()),
                        "");
  }
}

class PostgresqlConnection : public Connection {
 public:
  explicit PostgresqlConnection(const std::string& conninfo)
      : connection_(connect(conninfo)),
        quiet_(std::make_unique<pqxx::quiet_errorhandler>(*connection_)) {
    // A silent reconnect in the middle of a BEGIN ... COMMIT would run the remaining statements
    // in autocommit mode; a lost connection must surface as an error instead.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    connection_->inhibit_reactivation(true);
#pragma GCC diagnostic pop
    // Without a check interval the server notices a client killed in the middle of a statement
    // only when the statement ends: it keeps running it, holding the run's advisory lock, and
    // the next run waits or exits 4. With it the server checks the socket every second and
    // ends the orphaned statement (PostgreSQL 14 and later).
    execute(connection_->server_version() >= 140000
                ? "SET client_min_messages = warning; SET client_connection_check_interval = 1000"
                : "SET client_min_messages = warning");
  }
  ~PostgresqlConnection() override {
    quiet_.reset();  // unregisters from the connection, which must still exist
  }

  ir::Engine engine() const override {
    return ir::Engine::PostgreSQL;
  }

  void execute(const std::string& sql) override {
    exec(sql);
  }

  void execute_with_next(const std::string& sql) override {
    pending_ += (pending_.empty() ? "" : ";\n") + sql;
  }

  ResultSet query(const std::string& sql) override {
    return to_result_set(exec(sql));
  }

  void execute(const std::string& sql, const Params& params) override {
    exec(sql, &params);
  }

  ResultSet query(const std::string& sql, const Params& params) override {
    return to_result_set(exec(sql, &params));
  }

  void set_statement_timeout(std::optional<long> milliseconds) override {
    if (milliseconds) {
      exec("SET statement_timeout = " + std::to_string(std::max(1L, *milliseconds)));
      timeout_set_ = true;
    } else if (timeout_set_) {
      timeout_set_ = false;
      // In a failed transaction the coming ROLLBACK (TO SAVEPOINT) undoes the SET by itself.
      // DEFAULT is the session's own value: the server's, the role's or the URL's options.
      if (!failed_in_transaction_) exec("SET statement_timeout = DEFAULT");
    }
  }

  void begin() override {
    // PostgreSQL only warns about a nested BEGIN; SQLite refuses it, and so do we.
    if (in_transaction_) throw DatabaseError("a transaction is already open", "BEGIN");
    execute_with_next("BEGIN");  // in the round trip of the transaction's first statement
    in_transaction_ = true;
    failed_in_transaction_ = false;
  }

  void commit() override {
    // The server answers COMMIT of a transaction in which a statement failed with a silent
    // ROLLBACK, so that state is looked for first and reported as the error it is.
    in_transaction_ = false;  // whatever COMMIT answers, the transaction is over
    // PostgreSQL answers COMMIT of a transaction in which a statement failed by rolling back
    // without an error; the driver remembers the failure instead of asking the server.
    if (failed_in_transaction_) {
      failed_in_transaction_ = false;
      exec("ROLLBACK");
      throw DatabaseError(
          "the transaction was rolled back, not committed, because a statement in it failed",
          "COMMIT");
    }
    exec("COMMIT");
  }

  void rollback() override {
    in_transaction_ = false;
    failed_in_transaction_ = false;
    exec("ROLLBACK");
  }

  bool in_transaction() const override {
    return in_transaction_;
  }

  pqxx::connection& native_handle() {  // for postgresql_native.hpp
    send_pending();                    // what the caller does next must find the transaction begun
    return *connection_;
  }

 private:
  static ResultSet to_result_set(const pqxx::result& rows) {
    ResultSet result;
    for (pqxx::row_size_type i = 0; i < rows.columns(); ++i)
      result.columns.emplace_back(rows.column_name(i));
    for (const pqxx::row& row : rows) {
      Row values;
      values.reserve(row.size());
      for (const pqxx::field& field : row)
        values.push_back(field.is_null() ? std::nullopt
                                         : std::optional<std::string>(field.c_str()));
      result.rows.push_back(std::move(values));
    }
    return result;
  }

  void send_pending() {
    if (pending_.empty()) return;
    std::string pending = std::move(pending_);
    pending_.clear();
    exec(pending);
  }

  pqxx::result exec(const std::string& sql, const Params* params = nullptr) {
    // What execute_with_next deferred goes in front, in the same simple query (a statement
    // with parameters is a query of its own in the extended protocol: it goes first, alone).
    // A failure names the caller's statement: that is what the error is reported against.
    std::string text;
    if (!pending_.empty()) {
      if (params) {
        send_pending();
      } else {
        text = std::move(pending_) + ";\n" + sql;
        pending_.clear();
      }
    }
    try {
      pqxx::result result =
          run(*connection_, text.empty() ? sql : text, params, [this] { in_transaction_ = false; });
      // ROLLBACK TO SAVEPOINT is how a failed transaction becomes usable again.
      if (in_transaction_ && sql.rfind("ROLLBACK TO", 0) == 0) failed_in_transaction_ = false;
      return result;
    } catch (const DatabaseError& error) {
      if (in_transaction_) failed_in_transaction_ = true;
      if (!text.empty())
        throw DatabaseError(
            renumber_error_line(
                error.what(),
                std::count(text.begin(), text.end() - static_cast<std::ptrdiff_t>(sql.size()),
                           '\n')),
            sql);
      throw;
    }
  }

  std::unique_ptr<pqxx::connection> connection_;
  std::unique_ptr<pqxx::quiet_errorhandler> quiet_;
  bool in_transaction_ = false;
  bool failed_in_transaction_ = false;
  bool timeout_set_ = false;
  std::string pending_;  // execute_with_next's statements, not sent yet
};

// libpqxx 6.4 keeps its PGconn private (connection_base::raw_connection, a friend's only) and
// writes COPY data only as text lines, each with a newline appended. An explicit template
// instantiation may name a private member (C++17 [temp.explicit]/12), and the friend function
// defined in it hands the pointer to that member out: the one standard way to reach it.
using RawConnection = pqxx::internal::pq::PGconn* (pqxx::connection_base::*)() const;
RawConnection raw_connection_member();
template <RawConnection Member>
struct RawConnectionAccess {
  friend RawConnection raw_connection_member() { return Member; }
};
template struct RawConnectionAccess<&pqxx::connection_base::raw_connection>;

}  // namespace

pqxx::connection_base& postgresql_handle(Connection& connection) {
  auto* postgresql = dynamic_cast<PostgresqlConnection*>(&connection);
  if (!postgresql) throw std::invalid_argument("not a PostgreSQL connection");
  return postgresql->native_handle();
}

pg_conn* postgresql_libpq(Connection& connection) {
  pqxx::connection_base& native = postgresql_handle(connection);
  return (native.*raw_connection_member())();
}

std::string libpq_error(pg_conn* connection, pg_result* result) {
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(connection);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message.empty() ? "COPY failed" : message;
}

std::unique_ptr<Connection> open_postgresql_connection(const std::string& conninfo) {
  return std::make_unique<PostgresqlConnection>(conninfo);
}

}  // namespace migpkg::runtime
