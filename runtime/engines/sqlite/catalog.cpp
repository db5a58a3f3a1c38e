// What the runtime asks a SQLite database about its tables (engine.hpp, "Catalog", "Executing
// plans", "Bulk rows").
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <utility>

#include "runtime/engines/row_io.hpp"
#include "runtime/engines/sql_names.hpp"
#include "runtime/engines/sqlite/sqlite_engine.hpp"

namespace migpkg::runtime {
namespace {

std::string table_label(const std::string& table) {
  return "table \"" + table + "\"";
}

std::string value(const std::optional<std::string>& cell) {
  return cell.value_or("");
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Whether `name` appears as a word in SQL text (a CHECK expression).
bool mentions_word(const std::string& sql, const std::string& name) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t at = sql.find(name); at != std::string::npos; at = sql.find(name, at + 1)) {
    bool starts = at == 0 || !word(sql[at - 1]);
    bool ends = at + name.size() >= sql.size() || !word(sql[at + name.size()]);
    if (starts && ends) return true;
  }
  return false;
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

std::optional<TableDescription> SqliteEngine::describe_table(Connection& db,
                                                             const std::string& table) const {
  ResultSet columns = db.query("PRAGMA table_xinfo(" + double_quoted(table) + ")");
  if (columns.rows.empty()) return std::nullopt;
  TableDescription out;
  std::vector<std::string> primary_key;
  std::map<int, std::string> pk_order;
  std::map<std::string, std::string> declared;  // column -> its type as written
  for (const Row& row : columns.rows) {
    ColumnDescription column;
    column.name = value(row[1]);
    column.type = value(row[2]);
    column.nullable = value(row[3]) == "0";
    column.generated = value(row[6]) != "0";  // hidden: 2 and 3 are generated columns
    int pk = std::stoi(value(row[5]).empty() ? "0" : value(row[5]));
    if (pk > 0) pk_order[pk] = column.name;
    declared[column.name] = lower(value(row[2]));
    out.columns.push_back(column);
  }
  for (const auto& [position, name] : pk_order) primary_key.push_back(name);
  // CHECK constraints are only in the table's SQL: a column checked with json_valid() holds
  // JSON, and any column a CHECK names gets plain values.
  auto definition =
      db.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1", {table});
  std::string sql = definition.rows.empty() ? "" : lower(value(definition.rows[0][0]));
  for (auto& column : out.columns) {
    std::string name = lower(column.name);
    if (sql.find("json_valid(" + name + ")") != std::string::npos) column.json = true;
    for (std::size_t at = sql.find("check"); at != std::string::npos;
         at = sql.find("check", at + 1))
      if (mentions_word(sql.substr(at, sql.find(')', at) - at), name)) column.checked = true;
  }
  // INTEGER PRIMARY KEY is the rowid: SQLite numbers it, like a serial.
  if (primary_key.size() == 1 && declared[primary_key[0]] == "integer")
    for (auto& column : out.columns)
      if (column.name == primary_key[0]) column.generated = true;
  if (!primary_key.empty()) out.unique_keys.push_back(primary_key);
  for (const Row& index : db.query("PRAGMA index_list(" + double_quoted(table) + ")").rows) {
    if (value(index[2]) != "1" || value(index[3]) == "pk") continue;
    std::vector<std::string> key;
    bool expression = false;
    for (const Row& part :
         db.query("PRAGMA index_info(" + double_quoted(value(index[1])) + ")").rows) {
      if (!part[2]) expression = true;
      key.push_back(value(part[2]));
    }
    if (!expression && !key.empty()) out.unique_keys.push_back(key);
  }
  std::map<std::string, ForeignKeyDescription> keys;  // by the pragma's id
  for (const Row& row : db.query("PRAGMA foreign_key_list(" + double_quoted(table) + ")").rows) {
    ForeignKeyDescription& key = keys[value(row[0])];
    key.ref_table = value(row[2]);
    key.columns.push_back(value(row[3]));
    if (row[4]) key.ref_columns.push_back(*row[4]);
  }
  for (auto& [id, key] : keys) {
    if (key.ref_columns.empty()) {  // REFERENCES parent: its primary key
      std::map<int, std::string> parent_pk;
      for (const Row& row :
           db.query("PRAGMA table_info(" + double_quoted(key.ref_table) + ")").rows)
        if (value(row[5]) != "0") parent_pk[std::stoi(value(row[5]))] = value(row[1]);
      for (const auto& [position, name] : parent_pk) key.ref_columns.push_back(name);
    }
    if (key.ref_columns.size() == key.columns.size()) out.foreign_keys.push_back(key);
  }
  return out;
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
// reference the table with foreign keys on (runtime.md, "SQLite: foreign keys and table
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
