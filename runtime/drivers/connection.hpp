#pragma once
// The one small interface the runtime uses to run statements on a database. Installer logic
// (ordering, journal, lock, history, backup, check) is written once above it and above the
// Engine (runtime/engines/engine.hpp) that opens it.
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace migpkg::runtime {

// An error the engine reported, with the statement that caused it.
class DatabaseError : public std::runtime_error {
 public:
  DatabaseError(const std::string& message, std::string sql)
      : std::runtime_error(message), sql_(std::move(sql)) {}
  const std::string& sql() const { return sql_; }

 private:
  std::string sql_;
};

// A lock that could not be had in time: migpkg's run lock held by another run (run_lock.hpp),
// or a SQLite database's write lock held by another connection past the connection's lock wait
// (open_sqlite). The CLI exits 4 with what(). Deliberately not a DatabaseError: the statement
// did nothing wrong, so the code that handles a failing statement (a step's skipOnError, a
// check that fails to run) must never take a lock wait for one.
class LockTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A result set as text: NULL is std::nullopt. Enough for checks, inspection and bookkeeping.
using Row = std::vector<std::optional<std::string>>;
struct ResultSet {
  std::vector<std::string> columns;
  std::vector<Row> rows;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual ir::Engine engine() const = 0;  // its Engine: engine_for(engine()), engine_registry.hpp

  // Runs one statement (or, where the engine allows, a script) and discards any rows.
  virtual void execute(const std::string& sql) = 0;
  virtual ResultSet query(const std::string& sql) = 0;

  // Parameterized statements, so that values (names, checksums, holder texts) never have to be
  // quoted into SQL. Placeholders are $1, $2, ... on both engines and may repeat; every
  // placeholder needs a value and every value a placeholder. NULL is std::nullopt; values are
  // text, which each engine converts to the type the statement needs. One statement only.
  using Params = std::vector<std::optional<std::string>>;
  virtual void execute(const std::string& sql, const Params& params) = 0;
  virtual ResultSet query(const std::string& sql, const Params& params) = 0;
  // How this engine spells placeholder n most cheaply; $n works everywhere. SQLite treats "$1"
  // as a name it looks up by a linear search over the statement's earlier names, which makes
  // preparing a statement with hundreds of values quadratic; "?1" is a plain index there.
  virtual std::string placeholder(std::size_t n) const { return "$" + std::to_string(n); }

  // Limits how long each following statement may run, until called with nullopt (a step's
  // `timeout`). A statement that runs longer fails with the engine's own error: PostgreSQL's
  // statement_timeout, SQLite's interrupt. Inside a transaction a failure rolls the setting
  // back with everything else; a caller that succeeds clears it.
  virtual void set_statement_timeout(std::optional<long> milliseconds) = 0;

  // One statement of execute_all: with values for its $N placeholders, or (nullopt) without.
  struct Statement {
    std::string sql;
    std::optional<Params> params;
  };
  // Runs `statements` in order, stopping at the first that fails, which throws what execute()
  // throws, as a StatementsFailure that says which statement it was. Engines that can send
  // several statements in one round trip (MySQL) do; a statement must then be exactly one
  // statement, not a script.
  virtual void execute_all(const std::vector<Statement>& statements);
  // execute_all(statements), then commit(), in one round trip where the engine can.
  virtual void commit_after(const std::vector<Statement>& statements) {
    execute_all(statements);
    commit();
  }
  // True where execute_all sends its statements as one script that the server runs in order,
  // stopping at the first failure (MySQL). A statement that commits by itself and a whole
  // transaction after it ("BEGIN", ..., "COMMIT" among the statements) then go in one round
  // trip, with no wait for the client between them. Elsewhere each statement is a round trip of
  // its own, and a caller keeps the ways it has of surviving a crash between them.
  virtual bool sends_scripts() const { return false; }
  // Runs `sql` (statements without rows or parameters: a savepoint between the migrations of
  // a commit batch) in front of the next statement this connection sends, in the same round
  // trip where the engine can (PostgreSQL); its failure is then that statement's. Elsewhere it
  // runs at once.
  virtual void execute_with_next(const std::string& sql) { execute(sql); }

  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  virtual bool in_transaction() const = 0;
};

// The failure of statement `index()` (0-based) of an execute_all: the engine's error, with that
// statement's SQL.
class StatementsFailure : public DatabaseError {
 public:
  StatementsFailure(const DatabaseError& error, std::size_t index)
      : DatabaseError(error.what(), error.sql()), index_(index) {}
  std::size_t index() const { return index_; }

 private:
  std::size_t index_;
};

inline void Connection::execute_all(const std::vector<Statement>& statements) {
  for (std::size_t i = 0; i < statements.size(); ++i) {
    try {
      if (statements[i].params)
        execute(statements[i].sql, *statements[i].params);
      else
        execute(statements[i].sql);
    } catch (const DatabaseError& error) {
      throw StatementsFailure(error, i);
    }
  }
}

// A parsed database URL: the engine its scheme names (engine_registry.cpp) and the text that
// engine opens. sqlite:PATH, sqlite::memory:, postgresql://user:pass@host:port/db?...
struct DatabaseUrl {
  ir::Engine engine = ir::Engine::SQLite;
  std::string path;      // a file engine (sqlite:PATH): the file path, or ":memory:"
  std::string conninfo;  // a server engine (scheme://...): the whole URL, as its client takes it
  // Throws std::invalid_argument naming the accepted forms (engine_registry.cpp).
  static DatabaseUrl parse(const std::string& url);
};

// How long a SQLite connection waits for another connection's lock before the statement gives
// up with LockTimeout. The commands that write wait up to --lock-timeout instead.
inline constexpr int kDefaultSqliteLockWaitMs = 5000;

// The URL's engine opens it (engine_registry.hpp; a module engine is loaded on first use).
// `lock_wait_ms` is Engine::open's: engines that let the client choose wait that long for
// another connection's lock.
std::unique_ptr<Connection> open_connection(const DatabaseUrl& url,
                                            int lock_wait_ms = kDefaultSqliteLockWaitMs);
// Every statement that meets another connection's lock (at open, BEGIN IMMEDIATE, or any later
// statement) waits up to `lock_wait_ms`, then throws LockTimeout naming `path`; 0 waits not at
// all. (The SQLite engine, linked in: also what stands in for a missing database file.)
std::unique_ptr<Connection> open_sqlite(const std::string& path,
                                        int lock_wait_ms = kDefaultSqliteLockWaitMs);

// The same server URL naming another database (scheme://[authority]/dbname?...; throws
// std::invalid_argument for a URL without "://"). Scratch databases are reached this way.
std::string with_database(const std::string& pg_url, const std::string& dbname);
// The URL with any password replaced by "***", for messages and logs.
std::string redact_password(const std::string& url);

}  // namespace migpkg::runtime
