// Catalog look-ups from information_schema, in the database the connection uses (DATABASE()).
// Names are compared as the server stores them: case-sensitively where the file system is
// (lower_case_table_names = 0, Linux), as MySQL itself does.
#include <algorithm>

#include "runtime/engines/mysql/connection.hpp"
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

// enum('a','b''c') -> {"a", "b'c"}: COLUMN_TYPE is the only place MySQL keeps an enum's labels.
std::vector<std::string> enum_labels(const std::string& column_type) {
  std::vector<std::string> labels;
  if (column_type.rfind("enum(", 0) != 0) return labels;
  for (std::size_t at = 5; at < column_type.size() && column_type[at] == '\'';) {
    std::string label;
    for (++at; at < column_type.size(); ++at) {
      if (column_type[at] == '\'' && at + 1 < column_type.size() && column_type[at + 1] == '\'') {
        label += '\'';
        ++at;
      } else if (column_type[at] == '\'') {
        ++at;
        break;
      } else {
        label += column_type[at];
      }
    }
    labels.push_back(label);
    if (at < column_type.size() && column_type[at] == ',') ++at;
  }
  return labels;
}

// Names in a comma-separated list as GROUP_CONCAT(... SEPARATOR 0x1f) returns them.
std::vector<std::string> split_unit(const std::string& joined) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t at; (at = joined.find('\x1f', start)) != std::string::npos; start = at + 1)
    out.push_back(joined.substr(start, at - start));
  out.push_back(joined.substr(start));
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

namespace migpkg::runtime::mysql {

std::optional<TableDescription> MysqlEngine::describe_table(Connection& db,
                                                            const std::string& table) const {
  ResultSet columns = db.query(
      "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, EXTRA FROM information_schema.COLUMNS "
      "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1 ORDER BY ORDINAL_POSITION",
      {table});
  if (columns.rows.empty()) return std::nullopt;
  // MariaDB's JSON is LONGTEXT with a json_valid() CHECK named after the column.
  std::vector<std::string> checks;
  for (const Row& row : db.query("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                                 "WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = $1",
                                 {table})
                            .rows)
    checks.push_back(text(row[0]));
  TableDescription out;
  for (const Row& row : columns.rows) {
    ColumnDescription column;
    column.name = text(row[0]);
    column.type = text(row[1]);
    column.enum_values = enum_labels(column.type);
    column.nullable = text(row[2]) == "YES";
    std::string extra = text(row[3]);
    column.generated = extra.find("auto_increment") != std::string::npos ||
                       extra.find("GENERATED") != std::string::npos;
    // The server quotes names in CHECK_CLAUSE as the session's sql_mode says: with ANSI_QUOTES
    // (every migpkg session) in double quotes.
    for (const char* quote : {"`", "\""}) {
      const std::string name = quote + column.name + quote;
      for (const std::string& check : checks) {
        if (check.find("json_valid(" + name + ")") != std::string::npos)
          column.json = true;
        else if (check.find(name) != std::string::npos)
          column.checked = true;
      }
    }
    out.columns.push_back(column);
  }
  for (const Row& row :
       db.query("SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR 0x1f) "
                "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND "
                "TABLE_NAME = $1 AND NON_UNIQUE = 0 GROUP BY INDEX_NAME "
                "ORDER BY INDEX_NAME <> 'PRIMARY', INDEX_NAME",
                {table})
           .rows)
    if (row[0]) out.unique_keys.push_back(split_unit(*row[0]));
  for (const Row& row :
       db.query(
             "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION SEPARATOR 0x1f), "
             "MAX(REFERENCED_TABLE_NAME), GROUP_CONCAT(REFERENCED_COLUMN_NAME ORDER BY "
             "ORDINAL_POSITION SEPARATOR 0x1f) FROM information_schema.KEY_COLUMN_USAGE "
             "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1 AND "
             "REFERENCED_TABLE_NAME IS NOT NULL GROUP BY CONSTRAINT_NAME ORDER BY CONSTRAINT_NAME",
             {table})
           .rows) {
    ForeignKeyDescription key;
    key.columns = split_unit(text(row[0]));
    key.ref_table = text(row[1]);
    key.ref_columns = split_unit(text(row[2]));
    out.foreign_keys.push_back(key);
  }
  return out;
}

}  // namespace migpkg::runtime::mysql
