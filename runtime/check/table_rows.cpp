#include "runtime/check/table_rows.hpp"

#include <algorithm>

namespace migpkg::runtime {
namespace {

std::vector<std::string> primary_key(Connection& db, const std::string& table) {
  std::vector<std::string> key;
  if (db.engine() == "postgresql") {
    auto rows = db.query(
        "SELECT a.attname FROM pg_index i, unnest(i.indkey::int2[]) WITH ORDINALITY k(num, ord) "
        "JOIN pg_attribute a ON a.attnum = k.num WHERE a.attrelid = i.indrelid AND "
        "i.indrelid = to_regclass(quote_ident($1)) AND i.indisprimary ORDER BY k.ord",
        {table});
    for (auto& row : rows.rows) key.push_back(row[0].value_or(""));
    return key;
  }
  std::vector<std::pair<int, std::string>> parts;
  for (auto& row : db.query("PRAGMA table_info(" + quote_name(db, table) + ")").rows)
    if (row[5] && *row[5] != "0") parts.emplace_back(std::stoi(*row[5]), row[1].value_or(""));
  std::sort(parts.begin(), parts.end());
  for (auto& part : parts) key.push_back(part.second);
  return key;
}

}  // namespace

std::string quote_name(Connection&, const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::vector<std::string> user_tables(Connection& connection) {
  ResultSet rows =
      connection.engine() == "postgresql"
          ? connection.query(
                "SELECT c.relname FROM pg_class c WHERE c.relnamespace = "
                "to_regnamespace(current_schema()) AND c.relkind IN ('r', 'p') AND NOT "
                "c.relispartition AND c.relname NOT LIKE 'migpkg\\_%' ORDER BY c.relname")
          : connection.query(
                // Ordinary tables only: a virtual table (FTS5) and its shadow tables are
                // written by SQLite itself, through the virtual table's own triggers.
                "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'migpkg\\_%' "
                "ESCAPE '\\' ORDER BY name");
  std::vector<std::string> out;
  for (auto& row : rows.rows) out.push_back(row[0].value_or(""));
  return out;
}

DataSnapshot snapshot_rows(Connection& connection) {
  DataSnapshot snapshot;
  for (const auto& table : user_tables(connection)) {
    TableRows& rows = snapshot[table];
    ResultSet all = connection.query("SELECT * FROM " + quote_name(connection, table));
    rows.columns = std::move(all.columns);
    rows.rows = std::move(all.rows);
    rows.primary_key = primary_key(connection, table);
  }
  return snapshot;
}

std::int64_t total_rows(const DataSnapshot& snapshot) {
  std::int64_t total = 0;
  for (const auto& [name, table] : snapshot) total += static_cast<std::int64_t>(table.rows.size());
  return total;
}

}  // namespace migpkg::runtime
