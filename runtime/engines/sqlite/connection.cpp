// The SQLite driver, on the sqlite3 C API directly so that scripts run statement by statement and
// an error can name the statement that failed.
#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/drivers/connection.hpp"
#include "runtime/engines/sqlite/sqlite_native.hpp"

namespace migpkg::runtime {
namespace {

// Parameterized statements are the bookkeeping's few fixed statements, run once or more per
// migration: keeping them prepared saves SQLite's parse on every call. Bounded, in case a
// caller ever builds parameterized SQL dynamically.
constexpr std::size_t kStatementCacheSize = 64;

std::string trimmed(const char* begin, const char* end) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (begin < end && space(*begin)) ++begin;
  while (end > begin && space(end[-1])) --end;
  return std::string(begin, end);
}

// When prepare fails SQLite does not say where the statement ends; the shortest prefix that
// sqlite3_complete() accepts is that statement.
std::string statement_at(const char* begin, const char* end) {
  std::string candidate;
  for (const char* p = begin; p < end; ++p) {
    candidate += *p;
    if (*p == ';' && sqlite3_complete(candidate.c_str())) return trimmed(begin, p + 1);
  }
  return trimmed(begin, end);
}

std::string hex(const void* data, int size) {
  static const char kHex[] = "0123456789abcdef";
  const auto* bytes = static_cast<const unsigned char*>(data);
  std::string out;
  out.reserve(static_cast<std::size_t>(size) * 2);
  for (int i = 0; i < size; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xF];
  }
  return out;
}

class StatementGuard {
 public:
  explicit StatementGuard(sqlite3_stmt* statement) : statement_(statement) {}
  ~StatementGuard() { sqlite3_finalize(statement_); }
  StatementGuard(const StatementGuard&) = delete;
  StatementGuard& operator=(const StatementGuard&) = delete;

 private:
  sqlite3_stmt* statement_;
};

// Leaves a cached statement ready for its next use and releases what it holds (an unfinished
// statement would keep its read transaction open and make COMMIT fail), however the use ended.
class ResetGuard {
 public:
  explicit ResetGuard(sqlite3_stmt* statement) : statement_(statement) {}
  ~ResetGuard() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  ResetGuard(const ResetGuard&) = delete;
  ResetGuard& operator=(const ResetGuard&) = delete;

 private:
  sqlite3_stmt* statement_;
};

// Process-wide settings, applied before SQLite initializes (later they would be refused, and
// are then simply not applied). Memory statistics take a global mutex around every allocation
// SQLite makes; migpkg never reads them.
void configure_library() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

// A cached prepared statement and the names of its placeholders, by index - 1.
struct Prepared {
  sqlite3_stmt* statement;
  std::vector<std::string> names;
};

class SqliteConnection : public Connection {
 public:
  SqliteConnection(const std::string& path, int lock_wait_ms)
      : path_(path), lock_wait_ms_(lock_wait_ms < 0 ? 0 : lock_wait_ms) {
    configure_library();
    // NOMUTEX: a connection is only ever used by one thread at a time (copy's and import's
    // reader thread, runtime/data/read_ahead.cpp, takes a source connection while the thread
    // that opened it writes elsewhere), so SQLite's per-call connection mutex (serialized mode,
    // the library's default) is pure cost: about 5% of the instructions of an install.
    int rc =
        sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      db_ = nullptr;
      if ((rc & 0xFF) == SQLITE_BUSY) throw LockTimeout(locked_message());
      throw DatabaseError("cannot open SQLite database '" + path + "': " + message, "");
    }
    sqlite3_extended_result_codes(db_, 1);
    // SQLite's own busy handler sleeps and retries whenever another connection's lock stops a
    // statement (a reader waits out a commit; BEGIN IMMEDIATE and autocommit writes wait for
    // the write lock), for this long in all; 0 removes it.
    sqlite3_busy_timeout(db_, lock_wait_ms_);
    try {
      execute("PRAGMA foreign_keys = ON");
      // Reading the header now reports "file is not a database" at open, naming the file,
      // instead of at the first migration statement.
      execute("PRAGMA schema_version");
    } catch (const DatabaseError& error) {
      sqlite3_close_v2(db_);
      throw DatabaseError("cannot open SQLite database '" + path + "': " + error.what(), "");
    } catch (const LockTimeout&) {
      // A writer in the middle of its commit (or holding an exclusive lock) kept even the
      // header from being read; the message already names the database.
      sqlite3_close_v2(db_);
      throw;
    }
  }
  ~SqliteConnection() override {
    clear_statement_cache();
    for (auto& entry : bulk_statements_) sqlite3_finalize(entry.second);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  ir::Engine engine() const override { return ir::Engine::SQLite; }

  void execute(const std::string& sql) override { run(sql, nullptr); }

  ResultSet query(const std::string& sql) override {
    ResultSet result;
    run(sql, &result);
    return result;
  }

  void execute(const std::string& sql, const Params& params) override {
    run_one(sql, params, nullptr);
  }

  ResultSet query(const std::string& sql, const Params& params) override {
    ResultSet result;
    run_one(sql, params, &result);
    return result;
  }

  void set_statement_timeout(std::optional<long> milliseconds) override {
    if (!milliseconds) {
      sqlite3_progress_handler(db_, 0, nullptr, nullptr);
      return;
    }
    deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(*milliseconds);
    // Called every few thousand virtual machine instructions; a non-zero return interrupts
    // the statement (SQLITE_INTERRUPT), which rolls back just that statement.
    sqlite3_progress_handler(db_, 10000, &SqliteConnection::past_deadline, this);
  }

  void begin() override { execute("BEGIN IMMEDIATE"); }
  void commit() override { execute("COMMIT"); }
  void rollback() override {
    // Some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY, SQLITE_NOMEM) already rolled the
    // transaction back; a second rollback must not turn the original error into a new one.
    if (in_transaction()) execute("ROLLBACK");
  }
  bool in_transaction() const override { return sqlite3_get_autocommit(db_) == 0; }

  sqlite3* native_handle() const { return db_; }  // for sqlite_native.hpp

  // For sqlite_native.hpp: kept apart from the parameter cache, which is cleared when full and
  // binds text only.
  sqlite3_stmt* bulk_statement(const std::string& sql) {
    auto found = bulk_statements_.find(sql);
    if (found != bulk_statements_.end()) return found->second;
    sqlite3_stmt* statement = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
    if (!statement) throw DatabaseError("no SQL statement to run", sql);
    return bulk_statements_.emplace(sql, statement).first->second;
  }
  [[noreturn]] void raise(int rc, const std::string& sql) { fail(rc, sql); }

 private:
  // Runs every statement of `sql` in order. With `result`, it receives the rows of the last
  // statement that returns columns.
  void run(const std::string& sql, ResultSet* result) {
    const char* rest = sql.c_str();
    const char* end = rest + sql.size();
    while (rest < end) {
      sqlite3_stmt* statement = nullptr;
      const char* tail = nullptr;
      int rc = sqlite3_prepare_v2(db_, rest, static_cast<int>(end - rest), &statement, &tail);
      if (rc != SQLITE_OK) fail(rc, statement_at(rest, end));
      StatementGuard guard(statement);
      const char* statement_begin = rest;
      rest = tail;
      if (!statement) continue;  // only whitespace, a comment or a lone ';'
      step_all(statement, result, statement_begin, tail);
    }
  }

  // Runs the single statement `sql` with `params` bound to $1, $2, ...
  void run_one(const std::string& sql, const Params& params, ResultSet* result) {
    const Prepared& prepared = cached_statement(sql);
    sqlite3_stmt* statement = prepared.statement;
    ResetGuard reset(statement);
    bind(prepared, params, sql);
    const char* begin = sql.c_str();
    step_all(statement, result, begin, begin + sql.size());
  }

  // The prepared statement for `sql`, prepared and checked on first use.
  const Prepared& cached_statement(const std::string& sql) {
    auto found = statements_.find(sql);
    if (found != statements_.end()) return found->second;
    const char* begin = sql.c_str();
    const char* end = begin + sql.size();
    sqlite3_stmt* statement = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v2(db_, begin, static_cast<int>(sql.size()), &statement, &tail);
    if (rc != SQLITE_OK) fail(rc, trimmed(begin, end));
    if (!statement) throw DatabaseError("no SQL statement to run", sql);
    // Only whitespace, comments and ';' may follow: binding values to the first statement of a
    // script and running the rest unbound would be a silent surprise.
    if (has_statement(tail, end)) {
      sqlite3_finalize(statement);
      throw DatabaseError("a parameterized statement must be a single statement", sql);
    }
    if (statements_.size() >= kStatementCacheSize) clear_statement_cache();
    Prepared prepared{statement, {}};
    // Looked up once here: sqlite3_bind_parameter_name searches the statement's list of names,
    // which made binding a statement with hundreds of values quadratic on every use.
    int count = sqlite3_bind_parameter_count(statement);
    for (int index = 1; index <= count; ++index) {
      const char* name = sqlite3_bind_parameter_name(statement, index);
      prepared.names.emplace_back(name ? name : "?");
    }
    return statements_.emplace(sql, std::move(prepared)).first->second;
  }

  void clear_statement_cache() {
    for (auto& entry : statements_) sqlite3_finalize(entry.second.statement);
    statements_.clear();
  }

  bool has_statement(const char* rest, const char* end) {
    while (rest < end) {
      sqlite3_stmt* statement = nullptr;
      const char* tail = nullptr;
      // A prepare error also means "something that is not just a comment follows".
      if (sqlite3_prepare_v2(db_, rest, static_cast<int>(end - rest), &statement, &tail) !=
          SQLITE_OK)
        return true;
      StatementGuard guard(statement);
      if (statement) return true;
      rest = tail;
    }
    return false;
  }

  // SQLite would number a bare "?" or bind an unbound name to NULL without complaint; PostgreSQL
  // refuses both, so every placeholder must be $N (or ?N, see placeholder()) with a value, and
  // every value must be used.
  void bind(const Prepared& prepared, const Params& params, const std::string& sql) {
    sqlite3_stmt* statement = prepared.statement;
    std::vector<bool> used(params.size(), false);
    int count = static_cast<int>(prepared.names.size());
    for (int index = 1; index <= count; ++index) {
      const std::string& name = prepared.names[static_cast<std::size_t>(index - 1)];
      std::size_t number = placeholder_number(name.c_str());
      if (number == 0)
        throw DatabaseError("unsupported placeholder " + name + ": use $1, $2, ...", sql);
      if (number > params.size())
        throw DatabaseError(
            "placeholder " + name + " has no value (" + std::to_string(params.size()) + " given)",
            sql);
      used[number - 1] = true;
      const std::optional<std::string>& value = params[number - 1];
      // SQLITE_STATIC: `params` outlives the statement, so a large value is not copied.
      int rc = value ? sqlite3_bind_text64(statement, index, value->data(), value->size(),
                                           SQLITE_STATIC, SQLITE_UTF8)
                     : sqlite3_bind_null(statement, index);
      if (rc != SQLITE_OK) throw DatabaseError(sqlite3_errmsg(db_), sql);
    }
    for (std::size_t i = 0; i < used.size(); ++i)
      if (!used[i])
        throw DatabaseError(
            "value " + std::to_string(i + 1) + " has no placeholder $" + std::to_string(i + 1),
            sql);
  }

  std::string placeholder(std::size_t n) const override { return "?" + std::to_string(n); }

  // N for "$N" or "?N" (N >= 1, no leading zero), else 0.
  static std::size_t placeholder_number(const char* name) {
    if (!name || (name[0] != '$' && name[0] != '?') || name[1] < '1' || name[1] > '9') return 0;
    std::size_t number = 0;
    for (const char* p = name + 1; *p; ++p) {
      if (*p < '0' || *p > '9' || number > 1000000) return 0;
      number = number * 10 + static_cast<std::size_t>(*p - '0');
    }
    return number;
  }

  // [text_begin, text_end) is the statement's SQL, copied into the error only if one occurs.
  void step_all(sqlite3_stmt* statement, ResultSet* result, const char* text_begin,
                const char* text_end) {
    int columns = sqlite3_column_count(statement);
    bool collect = result && columns > 0;
    if (collect) {
      result->columns.clear();
      result->rows.clear();
      for (int i = 0; i < columns; ++i)
        result->columns.emplace_back(sqlite3_column_name(statement, i));
    }
    for (;;) {
      int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) return;
      if (rc != SQLITE_ROW) fail(rc, trimmed(text_begin, text_end));
      if (!collect) continue;
      Row row;
      row.reserve(static_cast<std::size_t>(columns));
      for (int i = 0; i < columns; ++i) row.push_back(column_text(statement, i));
      result->rows.push_back(std::move(row));
    }
  }

  static std::optional<std::string> column_text(sqlite3_stmt* statement, int column) {
    switch (sqlite3_column_type(statement, column)) {
      case SQLITE_NULL:
        return std::nullopt;
      case SQLITE_BLOB: {
        const void* data = sqlite3_column_blob(statement, column);
        return hex(data, sqlite3_column_bytes(statement, column));
      }
      default: {
        const auto* text = sqlite3_column_text(statement, column);
        return std::string(reinterpret_cast<const char*>(text),
                           static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
      }
    }
  }

  // SQLITE_BUSY (any extended form) after the busy handler gave up means another connection
  // still holds a lock this statement needs: that is a lock wait, not a failing statement.
  // The connection's own error code is asked too: it is what sqlite3_errmsg describes.
  [[noreturn]] void fail(int rc, const std::string& sql) {
    if ((rc & 0xFF) == SQLITE_BUSY || (sqlite3_errcode(db_) & 0xFF) == SQLITE_BUSY)
      throw LockTimeout(locked_message());
    throw DatabaseError(sqlite3_errmsg(db_), sql);
  }

  std::string locked_message() const {
    std::string waited = lock_wait_ms_ % 1000 == 0 ? std::to_string(lock_wait_ms_ / 1000) + " s"
                                                   : std::to_string(lock_wait_ms_) + " ms";
    return "SQLite database '" + path_ +
           "' is locked: another connection holds its write lock (waited " + waited + " for it)";
  }

  static int past_deadline(void* self) {
    return std::chrono::steady_clock::now() > static_cast<SqliteConnection*>(self)->deadline_;
  }

  sqlite3* db_ = nullptr;
  std::string path_;
  int lock_wait_ms_;
  std::chrono::steady_clock::time_point deadline_;
  std::unordered_map<std::string, Prepared> statements_;
  std::unordered_map<std::string, sqlite3_stmt*> bulk_statements_;
};

}  // namespace

sqlite3* sqlite_handle(Connection& connection) {
  auto* sqlite = dynamic_cast<SqliteConnection*>(&connection);
  if (!sqlite) throw std::invalid_argument("not a SQLite connection");
  return sqlite->native_handle();
}

sqlite3_stmt* sqlite_bulk_statement(Connection& connection, const std::string& sql) {
  auto* sqlite = dynamic_cast<SqliteConnection*>(&connection);
  if (!sqlite) throw std::invalid_argument("not a SQLite connection");
  return sqlite->bulk_statement(sql);
}

void sqlite_fail(Connection& connection, int rc, const std::string& sql) {
  auto* sqlite = dynamic_cast<SqliteConnection*>(&connection);
  if (!sqlite) throw std::invalid_argument("not a SQLite connection");
  sqlite->raise(rc, sql);
}

std::unique_ptr<Connection> open_sqlite(const std::string& path, int lock_wait_ms) {
  return std::make_unique<SqliteConnection>(path, lock_wait_ms);
}

}  // namespace migpkg::runtime
