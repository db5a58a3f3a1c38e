// Engine::write_data and reset_identity on SQLite: multi-row INSERTs prepared once per connection
// and reused across batches, values bound as the storage class their column keeps, inside a
// savepoint of the caller's transaction so that a refused batch leaves nothing behind.
#include <stdexcept>

#include "runtime/data/portable_values.hpp"
#include "runtime/engines/sql_names.hpp"
#include "runtime/engines/sqlite/data_values.hpp"
#include "runtime/engines/sqlite/sqlite_engine.hpp"
#include "runtime/engines/sqlite/sqlite_native.hpp"

namespace migpkg::runtime {
namespace {

// Rows in one INSERT: enough to amortise the statement, few enough to stay far below SQLite's
// 32766 parameters for wide tables.
constexpr std::size_t kRowsPerStatement = 256;
constexpr std::size_t kMaxParameters = 32000;

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + double_quoted(name);
  return out;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  for (const auto& n : names)
    if (n == name) return true;
  return false;
}

// ON CONFLICT for the mode (nothing for Fail): the existing row with the same primary key is
// kept (Skip), replaced by the given row, any column not given taking its default (Overwrite:
// `excluded` is the row as it would have been inserted), or updated in the given columns only
// (Merge).
std::string conflict_clause(const data::DataTable& table, const std::vector<std::string>& columns,
                            data::OnConflict mode) {
  if (mode == data::OnConflict::Fail) return "";
  if (table.primary_key.empty())
    throw std::invalid_argument("table " + table.name +
                                " has no primary key: only --on-conflict fail can load it");
  std::string head = " ON CONFLICT (" + list(table.primary_key) + ") DO ";
  std::string set;
  for (const auto& column : table.columns) {
    if (contains(table.primary_key, column.name)) continue;
    if (mode == data::OnConflict::Merge && !contains(columns, column.name)) continue;
    set += (set.empty() ? "" : ", ") + double_quoted(column.name) + " = excluded." +
           double_quoted(column.name);
  }
  if (mode == data::OnConflict::Skip || set.empty()) return head + "NOTHING";
  return head + "UPDATE SET " + set;
}

std::string insert_sql(const std::string& head, std::size_t columns, std::size_t rows,
                       const std::string& tail) {
  std::string sql = head;
  int n = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (std::size_t c = 0; c < columns; ++c) sql += (c ? ", ?" : "?") + std::to_string(++n);
    sql += ")";
  }
  return sql + tail;
}

class Reset {
 public:
  explicit Reset(sqlite3_stmt* statement) : statement_(statement) {}
  ~Reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  Reset(const Reset&) = delete;
  Reset& operator=(const Reset&) = delete;

 private:
  sqlite3_stmt* statement_;
};

}  // namespace

std::size_t SqliteEngine::write_data(Connection& connection, const data::DataTable& table,
                                     const std::vector<std::string>& names,
                                     const std::vector<data::Row>& rows,
                                     data::OnConflict on_conflict) const {
  std::vector<data::Row> ready = data::portable::fitted_rows(
      table, names, rows, nullptr, [](const data::DataColumn& column, std::string& value) {
        sqlite_data::fit_sqlite(column.type, value);
      });
  if (ready.empty()) return 0;
  std::vector<const data::DataColumn*> columns = data::portable::columns_of(table, names);
  const std::string head =
      "INSERT INTO " + double_quoted(table.name) + " (" + list(names) + ") VALUES ";
  const std::string tail = conflict_clause(table, names, on_conflict);
  const std::size_t per_statement =
      std::max<std::size_t>(1, std::min(kRowsPerStatement, kMaxParameters / names.size()));
  sqlite3* db = sqlite_handle(connection);

  // Runs rows [first, first + count) as one statement; returns the rows it changed.
  auto run = [&](std::size_t first, std::size_t count) -> std::size_t {
    std::string sql = insert_sql(head, names.size(), count, tail);
    sqlite3_stmt* statement = sqlite_bulk_statement(connection, sql);
    Reset reset(statement);
    int index = 0;
    for (std::size_t r = first; r < first + count; ++r)
      for (std::size_t c = 0; c < columns.size(); ++c)
        if (int rc = sqlite_data::bind_value(statement, ++index, columns[c]->type, ready[r][c]))
          sqlite_fail(connection, rc, sql);
    int rc = sqlite3_step(statement);
    if (rc != SQLITE_DONE) sqlite_fail(connection, rc, sql);
    return static_cast<std::size_t>(sqlite3_changes64(db));
  };

  connection.execute("SAVEPOINT migpkg_write_data");
  std::size_t written = 0;
  try {
    std::size_t at = 0;
    for (; at + per_statement <= ready.size(); at += per_statement)
      written += run(at, per_statement);
    if (at < ready.size()) written += run(at, ready.size() - at);
  } catch (const DatabaseError& error) {
    // Which row: the batch again, one row at a time, from a clean savepoint.
    connection.execute("ROLLBACK TO SAVEPOINT migpkg_write_data");
    std::string message = error.what(), sql = error.sql();
    std::string key = "of rows 1 to " + std::to_string(ready.size());
    for (std::size_t r = 0; r < ready.size(); ++r) {
      try {
        run(r, 1);
      } catch (const DatabaseError& row_error) {
        key = data::portable::row_key(table, names, ready[r], r + 1);
        message = row_error.what();
        sql = row_error.sql();
        break;
      }
    }
    connection.execute("ROLLBACK TO SAVEPOINT migpkg_write_data");
    connection.execute("RELEASE SAVEPOINT migpkg_write_data");
    throw DatabaseError("table " + table.name + ", row " + key + ": " + message, sql);
  } catch (...) {
    connection.execute("ROLLBACK TO SAVEPOINT migpkg_write_data");
    connection.execute("RELEASE SAVEPOINT migpkg_write_data");
    throw;
  }
  connection.execute("RELEASE SAVEPOINT migpkg_write_data");
  return written;
}

// SQLite numbers a rowid past the largest in the table by itself; only AUTOINCREMENT keeps a
// counter of its own (sqlite_sequence), which must not stay below a copied key.
void SqliteEngine::reset_identity(Connection& connection, const data::DataTable& table) const {
  const data::DataColumn* counter = nullptr;
  for (const auto& column : table.columns)
    if (column.generated) counter = &column;
  if (!counter) return;
  ResultSet sequence = connection.query(
      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'");
  if (sequence.rows.at(0).at(0).value_or("0") == "0") return;
  ResultSet highest = connection.query("SELECT MAX(" + double_quoted(counter->name) + ") FROM " +
                                       double_quoted(table.name));
  if (!highest.rows.at(0).at(0)) return;
  const std::string& max = *highest.rows[0][0];
  ResultSet present =
      connection.query("SELECT seq FROM sqlite_sequence WHERE name = $1", {table.name});
  if (present.rows.empty()) {
    // Only tables declared AUTOINCREMENT have a row; a table that never had one does not use it.
    ResultSet sql = connection.query(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1", {table.name});
    std::string definition = sql.rows.empty() ? "" : sql.rows[0][0].value_or("");
    for (char& c : definition) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (definition.find("AUTOINCREMENT") == std::string::npos) return;
    connection.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ($1, $2)",
                       {table.name, max});
    return;
  }
  connection.execute(
      "UPDATE sqlite_sequence SET seq = MAX(seq, CAST($2 AS INTEGER)) WHERE name = $1",
      {table.name, max});
}

}  // namespace migpkg::runtime
