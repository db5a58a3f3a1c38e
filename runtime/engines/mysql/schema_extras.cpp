// Engine::schema_extras on MySQL / MariaDB: COLUMN_DEFAULT, the non-unique indexes on whole
// columns (no prefix, no expression) from STATISTICS, and CHECK_CONSTRAINTS' clauses.
#include "runtime/engines/mysql/mysql_engine.hpp"

namespace migpkg::runtime::mysql {

SchemaExtras MysqlEngine::schema_extras(Connection& connection, const std::string& table) const {
  SchemaExtras out;
  for (const Row& row :
       connection
           .query("SELECT COLUMN_NAME, COLUMN_DEFAULT, IS_NULLABLE, EXTRA FROM "
                  "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = "
                  "$1 ORDER BY ORDINAL_POSITION",
                  {table})
           .rows) {
    // MariaDB spells "no default" of a nullable column as the text NULL; a generated
    // column's expression is not a default.
    std::string extra = row[3].value_or("");
    if (!row[1] || extra.find("GENERATED") != std::string::npos) continue;
    if (*row[1] == "NULL" && row[2].value_or("") == "YES") continue;
    // MySQL 8 prints a string default without quotes and marks expressions DEFAULT_GENERATED;
    // MariaDB quotes strings itself.
    std::string value = *row[1];
    out.defaults.push_back({row[0].value_or(""), value});
  }
  std::string last;
  for (const Row& row :
       connection
           .query("SELECT INDEX_NAME, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS "
                  "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1 AND NON_UNIQUE = 1 "
                  "ORDER BY INDEX_NAME, SEQ_IN_INDEX",
                  {table})
           .rows) {
    std::string name = row[0].value_or("");
    if (out.indexes.empty() || name != last) out.indexes.emplace_back();
    last = name;
    // A prefix or an expression part: not an index of whole columns, left out.
    if (!row[1] || row[2]) {
      out.indexes.back().push_back("");
      continue;
    }
    out.indexes.back().push_back(*row[1]);
  }
  std::vector<std::vector<std::string>> whole;
  for (auto& index : out.indexes) {
    bool plain = true;
    for (const std::string& column : index) plain = plain && !column.empty();
    if (plain) whole.push_back(std::move(index));
  }
  out.indexes = std::move(whole);
  for (const Row& row :
       connection
           .query("SELECT c.CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS c WHERE "
                  "c.CONSTRAINT_SCHEMA = DATABASE() AND c.TABLE_NAME = $1 ORDER BY "
                  "c.CONSTRAINT_NAME",
                  {table})
           .rows)
    if (row[0]) out.checks.push_back(*row[0]);
  return out;
}

}  // namespace migpkg::runtime::mysql
