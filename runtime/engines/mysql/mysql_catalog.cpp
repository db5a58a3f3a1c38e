// Catalog look-ups from information_schema, in the database the connection uses (DATABASE()).
// Names are compared as the server stores them: case-sensitively where the file system is
// (lower_case_table_names = 0, Linux), as MySQL itself does.
#include <algorithm>

#include "runtime/engines/mysql/mysql_connection.hpp"
#include "runtime/engines/mysql/mysql_engine.hpp"

namespace migpkg::runtime::mysql {
namespace {

std::string text(const std::optional<std::string>& value) {
  return value.value_or("");
}

std::string display(const std::string& name) {
  return "\"" + name + "\"";
}

std::string column_list(const std::vector<std::string>& names, const std::string& prefix = "") {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + prefix + quote_name(name);
  return out;
}

}  // namespace

ResultSet MysqlEngine::list_objects(Connection& connection) const {
  ResultSet out;
  out.columns = {"kind", "name"};
  for (const Row& row :
       connection
           .query("SELECT CASE TABLE_TYPE WHEN 'BASE TABLE' THEN 'table' WHEN 'VIEW' THEN 'view' "
                  "WHEN 'SEQUENCE' THEN 'sequence' WHEN 'SYSTEM VERSIONED' THEN 'table' "
                  "ELSE 'relation' END, TABLE_NAME FROM information_schema.TABLES "
                  "WHERE TABLE_SCHEMA = DATABASE()")
           .rows)
    out.rows.push_back(row);
  // Index names are per table in MySQL; they are listed all the same, so that a change creating
  // an index of a name some table already uses is noticed as on the other engines.
  for (const Row& row : connection
                            .query("SELECT DISTINCT 'index', INDEX_NAME FROM "
                                   "information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
                                   "AND INDEX_NAME <> 'PRIMARY'")
                            .rows)
    out.rows.push_back(row);
  return out;
}

bool MysqlEngine::table_exists(Connection& connection, const std::string& table) const {
  TableName name = parse_table_name(table);
  return !connection
              .query(
                  "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                  "COALESCE(NULLIF($1, ''), DATABASE()) AND TABLE_NAME = $2",
                  {name.database, name.name})
              .rows.empty();
}

std::vector<std::string> MysqlEngine::user_tables(Connection& connection) const {
  std::vector<std::string> out;
  for (const Row& row : connection
                            .query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                                   "TABLE_SCHEMA = DATABASE() AND TABLE_TYPE IN ('BASE TABLE', "
                                   "'SYSTEM VERSIONED') AND TABLE_NAME NOT LIKE 'migpkg\\_%'")
                            .rows)
    out.push_back(text(row[0]));
  std::sort(out.begin(), out.end());  // bytewise, whatever information_schema's collation
  return out;
}

std::vector<std::string> MysqlEngine::primary_key(Connection& connection,
                                                  const std::string& table) const {
  TableName name = parse_table_name(table);
  std::vector<std::string> key;
  for (const Row& row :
       connection
           .query("SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
                  "COALESCE(NULLIF($1, ''), DATABASE()) AND TABLE_NAME = $2 AND INDEX_NAME = "
                  "'PRIMARY' ORDER BY SEQ_IN_INDEX",
                  {name.database, name.name})
           .rows)
    key.push_back(text(row[0]));
  return key;
}

// MySQL checks foreign keys as rows are written, except while FOREIGN_KEY_CHECKS = 0 (a restore,
// a bulk load, a step that turned it off): rows written then are found here, one query per key.
std::vector<std::string> MysqlEngine::foreign_key_violations(Connection& connection) const {
  ResultSet keys = connection.query(
      "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, "
      "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
      "k "
      "WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL "
      "ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION");
  struct Key {
    std::string table, name, parent_schema, parent;
    std::vector<std::string> columns, references;
  };
  std::vector<Key> list;
  for (const Row& row : keys.rows) {
    if (list.empty() || list.back().table != text(row[0]) || list.back().name != text(row[1]))
      list.push_back({text(row[0]), text(row[1]), text(row[3]), text(row[4]), {}, {}});
    list.back().columns.push_back(text(row[2]));
    list.back().references.push_back(text(row[5]));
  }
  std::vector<std::string> out;
  for (const Key& key : list) {
    std::string not_null, matches;
    for (std::size_t i = 0; i < key.columns.size(); ++i) {
      not_null +=
          (i ? " AND " : "") + std::string("c.") + quote_name(key.columns[i]) + " IS NOT NULL";
      matches += (i ? " AND " : "") + std::string("p.") + quote_name(key.references[i]) + " = c." +
                 quote_name(key.columns[i]);
    }
    std::string count =
        text(connection
                 .query("SELECT COUNT(*) FROM " + quote_name(key.table) + " c WHERE " + not_null +
                        " AND NOT EXISTS (SELECT 1 FROM " + quote_name(key.parent_schema) + "." +
                        quote_name(key.parent) + " p WHERE " + matches + ")")
                 .rows.at(0)[0]);
    if (count != "0")
      out.push_back("table " + display(key.table) + ": " + count + " rows whose column " +
                    column_list(key.columns) + " (foreign key " + key.name +
                    ") points at no row of " + display(key.parent));
  }
  return out;
}

}  // namespace migpkg::runtime::mysql
