// Engine::schema_extras on SQLite: defaults from table_info, non-unique indexes from
// index_list / index_info (the ones written in SQL, not partial, on columns only), and CHECK
// constraints from the table's CREATE TABLE text, the only place SQLite keeps them.
#include <cctype>

#include "runtime/engines/sql_names.hpp"
#include "runtime/engines/sqlite/sqlite_engine.hpp"

namespace migpkg::runtime {
namespace {

// The parenthesized expressions after each CHECK keyword of `sql`, outside quotes.
std::vector<std::string> check_expressions(const std::string& sql) {
  std::vector<std::string> out;
  auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'' || c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      for (++i; i < sql.size() && sql[i] != close; ++i) {
      }
      continue;
    }
    if ((i > 0 && word_char(sql[i - 1])) || sql.size() - i < 5) continue;
    std::string word = sql.substr(i, 5);
    for (char& w : word) w = static_cast<char>(std::toupper(static_cast<unsigned char>(w)));
    if (word != "CHECK" || (i + 5 < sql.size() && word_char(sql[i + 5]))) continue;
    std::size_t at = i + 5;
    while (at < sql.size() && std::isspace(static_cast<unsigned char>(sql[at]))) ++at;
    if (at >= sql.size() || sql[at] != '(') continue;
    int depth = 0;
    std::size_t start = at + 1;
    for (; at < sql.size(); ++at) {
      char d = sql[at];
      if (d == '\'' || d == '"' || d == '`') {
        for (++at; at < sql.size() && sql[at] != d; ++at) {
        }
        continue;
      }
      if (d == '(') ++depth;
      if (d == ')' && --depth == 0) break;
    }
    if (at < sql.size()) out.push_back(sql.substr(start, at - start));
    i = at;
  }
  return out;
}

}  // namespace

SchemaExtras SqliteEngine::schema_extras(Connection& db, const std::string& table) const {
  SchemaExtras out;
  for (const Row& row :
       db.query("SELECT name, dflt_value FROM pragma_table_info($1)", {table}).rows)
    if (row[1]) out.defaults.push_back({row[0].value_or(""), *row[1]});
  for (const Row& index :
       db.query("SELECT name FROM pragma_index_list($1) WHERE \"unique\" = 0 AND origin = 'c' "
                "AND partial = 0 ORDER BY name",
                {table})
           .rows) {
    std::vector<std::string> columns;
    bool expression = false;
    for (const Row& part :
         db.query("SELECT name FROM pragma_index_info($1) ORDER BY seqno", {index[0].value_or("")})
             .rows) {
      if (!part[0]) expression = true;
      columns.push_back(part[0].value_or(""));
    }
    if (!expression && !columns.empty()) out.indexes.push_back(columns);
  }
  auto definition =
      db.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1", {table});
  if (!definition.rows.empty() && definition.rows[0][0])
    out.checks = check_expressions(*definition.rows[0][0]);
  return out;
}

}  // namespace migpkg::runtime
