#include "runtime/check/table_rows.hpp"

#include "runtime/engines/engine_registry.hpp"

namespace migpkg::runtime {
std::string quote_name(Connection&, const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::vector<std::string> user_tables(Connection& connection) {
  return engine_of(connection).user_tables(connection);
}

DataSnapshot snapshot_rows(Connection& connection) {
  DataSnapshot snapshot;
  const Engine& engine = engine_of(connection);
  for (const auto& table : engine.user_tables(connection)) {
    TableRows& rows = snapshot[table];
    ResultSet all = connection.query("SELECT * FROM " + quote_name(connection, table));
    rows.columns = std::move(all.columns);
    rows.rows = std::move(all.rows);
    rows.primary_key = engine.primary_key(connection, table);
  }
  return snapshot;
}

std::int64_t total_rows(const DataSnapshot& snapshot) {
  std::int64_t total = 0;
  for (const auto& [name, table] : snapshot) total += static_cast<std::int64_t>(table.rows.size());
  return total;
}

}  // namespace migpkg::runtime
