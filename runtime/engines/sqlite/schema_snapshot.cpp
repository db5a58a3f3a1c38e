// SQLite schema inspection through the table-valued pragmas, so that two schemas built by
// different SQL (an ALTER versus a copy-table rebuild) compare equal when their structure is.
// CHECK constraints, column collations and generated-column expressions are not visible this
// way and are not compared.
#include <cctype>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "runtime/check/schema_snapshot.hpp"
#include "runtime/engines/sqlite/sqlite_engine.hpp"

namespace migpkg::runtime::snapshot_detail {
namespace {

// Tables of the user schema: not SQLite's own, not migpkg's bookkeeping.
const char kUserTables[] =
    "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
    "AND substr(m.name, 1, 7) <> 'migpkg_'";
// Of those, the ordinary ones: virtual tables are described by their SQL alone, and the shadow
// tables behind them are the module's business.
const std::string kOrdinaryTables =
    std::string(kUserTables) +
    " AND m.name IN (SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table')";

std::string text(const std::optional<std::string>& value) {
  return value.value_or("");
}

std::string lowercase(std::string value) {
  for (char& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return value;
}

bool is_identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The text after the top-level WHERE of a CREATE INDEX statement (a partial index's predicate),
// skipping literals, quoted names and parenthesised expressions.
std::string where_clause(const std::string& sql) {
  char quote = 0;
  int depth = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      quote = c;
    } else if (c == '[') {
      quote = ']';
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (depth == 0 && (i == 0 || !is_identifier_char(sql[i - 1])) &&
               lowercase(sql.substr(i, 5)) == "where" &&
               (i + 5 == sql.size() || !is_identifier_char(sql[i + 5]))) {
      return collapse_whitespace(sql.substr(i + 5));
    }
  }
  return "";
}

void add_tables(Connection& db, std::vector<std::string>& out) {
  ResultSet tables = db.query(std::string("SELECT m.name, t.type, t.wr, t.strict, m.sql "
                                          "FROM sqlite_master m JOIN pragma_table_list t "
                                          "ON t.schema = 'main' AND t.name = m.name WHERE ") +
                              kUserTables);
  for (const Row& row : tables.rows) {
    std::string name = text(row[0]), type = text(row[1]), sql = text(row[4]);
    if (type == "shadow") continue;  // owned and shaped by its virtual table
    if (type == "virtual") {
      out.push_back("virtual table " + quoted(name) + " " + collapse_whitespace(sql));
      continue;
    }
    std::string line = "table " + quoted(name);
    if (text(row[2]) == "1") line += " without rowid";
    if (text(row[3]) == "1") line += " strict";
    // Not visible through any pragma; a column or literal named so would be a false alarm.
    if (lowercase(sql).find("autoincrement") != std::string::npos) line += " autoincrement";
    out.push_back(line);
  }
}

void add_columns(Connection& db, std::vector<std::string>& out) {
  ResultSet columns = db.query(
      std::string("SELECT m.name, c.name, c.type, c.\"notnull\", c.dflt_value, c.pk, c.hidden "
                  "FROM sqlite_master m JOIN pragma_table_xinfo(m.name) c WHERE ") +
      kOrdinaryTables + " ORDER BY m.name, c.cid");
  std::map<std::string, std::string> order;  // table -> its column list in position order
  for (const Row& row : columns.rows) {
    std::string table = text(row[0]), name = text(row[1]);
    std::string& list = order[table];
    list += (list.empty() ? "" : ", ") + quoted(name);
    std::string line = "table " + quoted(table) + " column " + quoted(name);
    if (!text(row[2]).empty()) line += " " + lowercase(collapse_whitespace(text(row[2])));
    if (text(row[3]) == "1") line += " not null";
    if (row[4]) line += " default " + collapse_whitespace(*row[4]);
    if (text(row[5]) != "0") line += " primary key " + text(row[5]);
    static const char* const kHidden[] = {"", " hidden", " generated virtual", " generated stored"};
    int hidden = std::stoi(text(row[6]).empty() ? "0" : text(row[6]));
    if (hidden > 0 && hidden < 4) line += kHidden[hidden];
    out.push_back(line);
  }
  // Column order is structure too: SELECT * and INSERT without a column list depend on it.
  for (const auto& [table, list] : order)
    out.push_back("table " + quoted(table) + " columns " + list);
}

void add_indexes(Connection& db, std::vector<std::string>& out) {
  ResultSet keys = db.query(
      std::string("SELECT m.name, il.name, il.\"unique\", il.origin, il.partial, x.cid, x.name, "
                  "x.\"desc\", x.coll, s.sql "
                  "FROM sqlite_master m JOIN pragma_index_list(m.name) il "
                  "JOIN pragma_index_xinfo(il.name) x "
                  "LEFT JOIN sqlite_master s ON s.type = 'index' AND s.name = il.name WHERE ") +
      kOrdinaryTables + " AND x.key = 1 ORDER BY m.name, il.name, x.seqno");
  struct Index {
    std::string table, origin, sql, keys;
    bool unique = false, partial = false, expression = false;
  };
  std::map<std::string, Index> indexes;
  for (const Row& row : keys.rows) {
    Index& index = indexes[text(row[1])];
    index.table = text(row[0]);
    index.unique = text(row[2]) == "1";
    index.origin = text(row[3]);
    index.partial = text(row[4]) == "1";
    index.sql = text(row[9]);
    std::string cid = text(row[5]);
    std::string column = cid == "-2"   ? "<expression>"
                         : cid == "-1" ? "rowid"
                                       : quoted(text(row[6]));
    index.expression = index.expression || cid == "-2";
    index.keys += (index.keys.empty() ? "" : ", ") + column +
                  (text(row[7]) == "1" ? " desc" : " asc") + " collate " + lowercase(text(row[8]));
  }
  for (const auto& [name, index] : indexes) {
    // Automatic indexes are named by constraint position; what they index is what matters.
    std::string line = index.origin == "c" ? "index " + quoted(name) + " on " + quoted(index.table)
                       : index.origin == "pk"
                           ? "table " + quoted(index.table) + " primary key index"
                           : "table " + quoted(index.table) + " unique index";
    if (index.origin == "c" && index.unique) line += " unique";
    line += " (" + index.keys + ")";
    if (index.expression) line += " definition " + collapse_whitespace(index.sql);
    if (index.partial) line += " where " + where_clause(index.sql);
    out.push_back(line);
  }
}

void add_foreign_keys(Connection& db, std::vector<std::string>& out) {
  ResultSet keys =
      db.query(std::string("SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, "
                           "f.on_delete, f.\"match\" "
                           "FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE ") +
               kOrdinaryTables + " ORDER BY m.name, f.id, f.seq");
  struct ForeignKey {
    std::string table, parent, from, to, actions;
  };
  std::map<std::pair<std::string, std::string>, ForeignKey> foreign_keys;
  for (const Row& row : keys.rows) {
    ForeignKey& key = foreign_keys[{text(row[0]), text(row[1])}];
    key.table = text(row[0]);
    key.parent = text(row[2]);
    key.from += (key.from.empty() ? "" : ", ") + quoted(text(row[3]));
    // A reference to the parent's primary key leaves "to" NULL.
    if (row[4]) key.to += (key.to.empty() ? "" : ", ") + quoted(*row[4]);
    key.actions = "on update " + lowercase(text(row[5])) + " on delete " + lowercase(text(row[6])) +
                  " match " + lowercase(text(row[7]));
  }
  for (const auto& entry : foreign_keys) {
    const ForeignKey& key = entry.second;
    out.push_back("table " + quoted(key.table) + " foreign key (" + key.from + ") references " +
                  quoted(key.parent) + (key.to.empty() ? "" : " (" + key.to + ")") + " " +
                  key.actions);
  }
}

void add_views_and_triggers(Connection& db, std::vector<std::string>& out) {
  ResultSet objects = db.query(
      "SELECT type, name, tbl_name, sql FROM sqlite_master "
      "WHERE type IN ('view', 'trigger') AND substr(tbl_name, 1, 7) <> 'migpkg_'");
  for (const Row& row : objects.rows) {
    std::string sql = collapse_whitespace(text(row[3]));
    if (text(row[0]) == "view")
      out.push_back("view " + quoted(text(row[1])) + " " + sql);
    else
      out.push_back("trigger " + quoted(text(row[1])) + " on " + quoted(text(row[2])) + " " + sql);
  }
}

}  // namespace

std::vector<std::string> inspect_sqlite(Connection& db) {
  std::vector<std::string> out;
  add_tables(db, out);
  add_columns(db, out);
  add_indexes(db, out);
  add_foreign_keys(db, out);
  add_views_and_triggers(db, out);
  return out;
}

}  // namespace migpkg::runtime::snapshot_detail
