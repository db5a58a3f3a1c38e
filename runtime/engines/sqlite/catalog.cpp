// What the runtime asks a SQLite database about its tables (engine.hpp, "Catalog", "Executing
// plans", "Bulk rows").
#include <algorithm>
#include <utility>

#include "runtime/engines/row_io.hpp"
#include "runtime/engines/sql_names.hpp"
#include "runtime/engines/sqlite/sqlite_engine.hpp"

namespace migpkg::runtime {
namespace {

std::string table_label(const std::string& table) {
  return "table \"" + table + "\"";
}

}  // namespace

std::vector<std::string> SqliteEngine::inspect_schema(Connection& connection) const {
  return snapshot_detail::inspect_sqlite(connection);
}

ResultSet SqliteEngine::list_objects(Connection& connection) const {
  return connection.query(
      "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view', 'index') "
      "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
}

// A failed statement leaves a SQLite transaction usable, so the caller's own statement finds out.
bool SqliteEngine::table_exists(Connection&, const std::string&) const {
  return true;
}

bool SqliteEngine::own_table_exists(Connection& connection, const std::string& name) const {
  auto result = connection.query(
      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '" + name + "'");
  return !result.rows.empty() && result.rows[0][0].value_or("0") != "0";
}

std::vector<std::string> SqliteEngine::user_tables(Connection& connection) const {
  // Ordinary tables only: a virtual table (FTS5) and its shadow tables are written by SQLite
  // itself, through the virtual table's own triggers.
  ResultSet rows = connection.query(
      "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
      "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'migpkg\\_%' "
      "ESCAPE '\\' ORDER BY name");
  std::vector<std::string> out;
  for (auto& row : rows.rows) out.push_back(row[0].value_or(""));
  return out;
}

std::vector<std::string> SqliteEngine::primary_key(Connection& connection,
                                                   const std::string& table) const {
  std::vector<std::pair<int, std::string>> parts;
  for (auto& row : connection.query("PRAGMA table_info(" + double_quoted(table) + ")").rows)
    if (row[5] && *row[5] != "0") parts.emplace_back(std::stoi(*row[5]), row[1].value_or(""));
  std::sort(parts.begin(), parts.end());
  std::vector<std::string> key;
  for (auto& part : parts) key.push_back(part.second);
  return key;
}

std::vector<std::string> SqliteEngine::foreign_key_violations(Connection& db) const {
  std::vector<std::string> out;
  for (const Row& row : db.query("PRAGMA foreign_key_check").rows) {
    std::string table = row[0].value_or(""), parent = row[2].value_or("");
    std::string columns;
    for (const Row& key : db.query("PRAGMA foreign_key_list(" + double_quoted(table) + ")").rows)
      if (key[0] == row[3]) columns += (columns.empty() ? "" : ", ") + key[3].value_or("");
    out.push_back(table_label(table) + " row (rowid=" + row[1].value_or("?") + ") column \"" +
                  columns + "\" points at no row of " + table_label(parent));
    if (out.size() >= 20) break;
  }
  return out;
}

std::string SqliteEngine::batch_key(Connection&, const plan::TransformInfo&) const {
  return "rowid";
}

// The 12-step ALTER TABLE (a copy, DROP TABLE, rename) would delete or strand the rows that
// reference the table with foreign keys on (runtime.md, "SQLite foreign keys and table
// rebuilds").
bool SqliteEngine::rebuilds_need_foreign_keys_off() const {
  return true;
}

void SqliteEngine::read_rows(Connection& connection, const std::string& table,
                             const std::vector<std::string>& columns, std::size_t batch_rows,
                             const std::function<void(const std::vector<Row>&)>& sink) const {
  row_io::read_rows(connection, table, columns, primary_key(connection, table), batch_rows, sink,
                    double_quoted);
}

void SqliteEngine::write_rows(Connection& connection, const std::string& table,
                              const std::vector<std::string>& columns,
                              const std::vector<Row>& rows) const {
  row_io::write_rows(connection, table, columns, rows, double_quoted);
}

}  // namespace migpkg::runtime
