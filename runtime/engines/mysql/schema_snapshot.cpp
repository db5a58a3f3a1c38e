// MySQL / MariaDB schema snapshot lines (check/schema_snapshot.hpp) from information_schema, in
// the style of the other engines: one normalised line per table, column, index, constraint,
// view, trigger and routine of the connection's database, migpkg_* tables left out. Names are
// double-quoted. The database's own name is removed from view, trigger and routine text (the
// server qualifies names in them), so two databases with the same schema compare equal.
#include <map>

#include "runtime/engines/mysql/connection.hpp"
#include "runtime/engines/mysql/mysql_engine.hpp"

namespace migpkg::runtime::mysql {
namespace {

// The line formatting of check/schema_snapshot.cpp (snapshot_detail), repeated here because the
// module does not link libmigpkg: a double-quoted name, and SQL reduced to single spaces outside
// quotes.
std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string collapse_whitespace(const std::string& sql) {
  std::string out;
  char quote = 0;
  bool pending_space = false;
  for (char c : sql) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (!quote && space) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += c;
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"' || c == '`') {
      quote = c;
    }
  }
  return out;
}

std::string text(const std::optional<std::string>& value) {
  return value.value_or("");
}

std::string lower(std::string value) {
  for (char& c : value)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return value;
}

std::string without_database(std::string sql, const std::string& database) {
  for (const std::string& prefix : {quote_name(database) + ".", quoted(database) + "."})
    for (std::size_t at; (at = sql.find(prefix)) != std::string::npos;)
      sql.erase(at, prefix.size());
  return sql;
}

const char kUserTable[] = "TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'migpkg\\_%'";

void add_tables_and_views(Connection& db, const std::string& database,
                          std::vector<std::string>& out) {
  for (const Row& row : db.query(std::string("SELECT TABLE_NAME, TABLE_TYPE, ENGINE, "
                                             "TABLE_COLLATION, TABLE_COMMENT FROM "
                                             "information_schema.TABLES WHERE ") +
                                 kUserTable)
                            .rows) {
    std::string name = quoted(text(row[0])), type = text(row[1]);
    if (type == "VIEW") continue;  // below, with its definition
    std::string line = (type == "SEQUENCE" ? "sequence " : "table ") + name;
    if (type == "SYSTEM VERSIONED") line += " system versioned";
    line += " engine " + text(row[2]) + " collate " + text(row[3]);
    if (!text(row[4]).empty()) line += " comment " + quoted(text(row[4]));
    out.push_back(line);
  }
  for (const Row& row :
       db.query(std::string("SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE "
                            "FROM information_schema.VIEWS WHERE ") +
                kUserTable)
           .rows) {
    std::string line = "view " + quoted(text(row[0])) + " " +
                       collapse_whitespace(without_database(text(row[1]), database));
    if (text(row[2]) != "NONE") line += " with " + lower(text(row[2])) + " check option";
    line += " security " + lower(text(row[3]));
    out.push_back(line);
  }
}

void add_columns(Connection& db, std::vector<std::string>& out) {
  ResultSet columns = db.query(
      std::string("SELECT c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE, c.IS_NULLABLE, "
                  "c.COLUMN_DEFAULT, c.EXTRA, c.GENERATION_EXPRESSION, c.COLLATION_NAME, "
                  "t.TABLE_COLLATION, c.COLUMN_COMMENT FROM information_schema.COLUMNS c "
                  "JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND "
                  "t.TABLE_NAME = c.TABLE_NAME AND t.TABLE_TYPE <> 'VIEW' "
                  "WHERE c.TABLE_SCHEMA = DATABASE() AND c.TABLE_NAME NOT LIKE 'migpkg\\_%' "
                  "ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION"));
  std::string table, order;
  auto flush_order = [&] {
    if (!table.empty()) out.push_back("table " + table + " columns " + order);
  };
  for (const Row& row : columns.rows) {
    std::string this_table = quoted(text(row[0])), name = quoted(text(row[1]));
    if (this_table != table) {
      flush_order();
      table = this_table;
      order.clear();
    }
    order += (order.empty() ? "" : ", ") + name;
    std::string line = "table " + table + " column " + name + " " + text(row[2]);
    // A column's collation is part of its type only where it differs from the table's default.
    if (row[7] && *row[7] != text(row[8])) line += " collate " + *row[7];
    if (text(row[3]) == "NO") line += " not null";
    std::string extra = lower(text(row[5]));
    bool generated = !text(row[6]).empty();
    if (generated) {
      line += " generated always as (" + text(row[6]) + ")" +
              (extra.find("stored") != std::string::npos ||
                       extra.find("persistent") != std::string::npos
                   ? " stored"
                   : " virtual");
    } else if (row[4] && !(*row[4] == "NULL" && text(row[3]) == "YES")) {
      // MariaDB shows a nullable column without a default as the text NULL, MySQL as NULL.
      line += " default " + *row[4];
    }
    if (extra.find("auto_increment") != std::string::npos) line += " auto_increment";
    std::size_t on_update = extra.find("on update ");
    if (on_update != std::string::npos) line += " " + extra.substr(on_update);
    if (!text(row[9]).empty()) line += " comment " + quoted(text(row[9]));
    out.push_back(line);
  }
  flush_order();
}

void add_indexes(Connection& db, std::vector<std::string>& out) {
  ResultSet parts = db.query(std::string(
      "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, COLLATION, INDEX_TYPE "
      "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND "
      "TABLE_NAME NOT LIKE 'migpkg\\_%' ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"));
  struct Index {
    std::string table, name, type, columns;
    bool unique = false;
  };
  std::vector<Index> indexes;
  for (const Row& row : parts.rows) {
    if (indexes.empty() || indexes.back().table != text(row[0]) ||
        indexes.back().name != text(row[1]))
      indexes.push_back({text(row[0]), text(row[1]), text(row[6]), "", text(row[2]) == "0"});
    std::string part = quoted(text(row[3]));
    if (row[4]) part += "(" + *row[4] + ")";
    if (text(row[5]) == "D") part += " desc";
    indexes.back().columns += (indexes.back().columns.empty() ? "" : ", ") + part;
  }
  for (const Index& index : indexes) {
    if (index.name == "PRIMARY") {
      out.push_back("table " + quoted(index.table) + " primary key (" + index.columns + ")");
      continue;
    }
    out.push_back("index " + quoted(index.table) + "." + quoted(index.name) +
                  (index.unique ? " unique" : "") + " (" + index.columns + ") using " +
                  lower(index.type));
  }
}

void add_foreign_keys(Connection& db, std::vector<std::string>& out) {
  ResultSet columns = db.query(
      "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, "
      "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE "
      "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS "
      "r "
      "ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME AND "
      "r.CONSTRAINT_NAME = k.CONSTRAINT_NAME WHERE k.TABLE_SCHEMA = DATABASE() AND "
      "k.TABLE_NAME NOT LIKE 'migpkg\\_%' AND k.REFERENCED_TABLE_NAME IS NOT NULL "
      "ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION");
  std::string key, line_start, own, referenced, rules;
  auto flush = [&] {
    if (!key.empty())
      out.push_back(line_start + " foreign key (" + own + ") references " + referenced + " (" +
                    rules);
  };
  std::string references;
  for (const Row& row : columns.rows) {
    std::string this_key = text(row[0]) + "\n" + text(row[1]);
    if (this_key != key) {
      flush();
      key = this_key;
      line_start = "table " + quoted(text(row[0])) + " constraint " + quoted(text(row[1]));
      own.clear();
      references.clear();
    }
    own += (own.empty() ? "" : ", ") + quoted(text(row[2]));
    references += (references.empty() ? "" : ", ") + quoted(text(row[5]));
    // Another database's table keeps its database in the line; this database's does not.
    referenced = quoted(text(row[4]));
    rules = references + ") on update " + lower(text(row[6])) + " on delete " + lower(text(row[7]));
  }
  flush();
}

void add_checks(MysqlConnection& db, std::vector<std::string>& out) {
  // MariaDB lists table and column checks with their table; MySQL only through TABLE_CONSTRAINTS.
  std::string sql =
      db.is_mariadb()
          ? "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM "
            "information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND "
            "TABLE_NAME NOT LIKE 'migpkg\\_%'"
          : "SELECT t.TABLE_NAME, t.CONSTRAINT_NAME, c.CHECK_CLAUSE FROM "
            "information_schema.TABLE_CONSTRAINTS t JOIN information_schema.CHECK_CONSTRAINTS c "
            "ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = "
            "t.CONSTRAINT_NAME WHERE t.CONSTRAINT_TYPE = 'CHECK' AND t.TABLE_SCHEMA = DATABASE() "
            "AND t.TABLE_NAME NOT LIKE 'migpkg\\_%'";
  for (const Row& row : db.query(sql).rows)
    out.push_back("table " + quoted(text(row[0])) + " constraint " + quoted(text(row[1])) +
                  " check (" + collapse_whitespace(text(row[2])) + ")");
}

void add_triggers_and_routines(Connection& db, const std::string& database,
                               std::vector<std::string>& out) {
  for (const Row& row : db.query("SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_TIMING, "
                                 "EVENT_MANIPULATION, ACTION_ORDER, ACTION_STATEMENT FROM "
                                 "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()")
                            .rows)
    out.push_back("trigger " + quoted(text(row[0])) + "." + quoted(text(row[1])) + " " +
                  lower(text(row[2])) + " " + lower(text(row[3])) + " order " + text(row[4]) + " " +
                  collapse_whitespace(without_database(text(row[5]), database)));
  std::map<std::string, std::string> parameters;
  for (const Row& row :
       db.query("SELECT SPECIFIC_NAME, ROUTINE_TYPE, PARAMETER_MODE, "
                "PARAMETER_NAME, DTD_IDENTIFIER FROM information_schema.PARAMETERS "
                "WHERE SPECIFIC_SCHEMA = DATABASE() AND ORDINAL_POSITION > 0 "
                "ORDER BY SPECIFIC_NAME, ROUTINE_TYPE, ORDINAL_POSITION")
           .rows) {
    std::string& list = parameters[text(row[1]) + " " + text(row[0])];
    std::string mode = row[2] ? lower(*row[2]) + " " : "";
    list += (list.empty() ? "" : ", ") + mode + quoted(text(row[3])) + " " + text(row[4]);
  }
  for (const Row& row : db.query("SELECT ROUTINE_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, "
                                 "IS_DETERMINISTIC, SQL_DATA_ACCESS, SECURITY_TYPE, "
                                 "ROUTINE_DEFINITION FROM information_schema.ROUTINES "
                                 "WHERE ROUTINE_SCHEMA = DATABASE()")
                            .rows) {
    std::string type = text(row[1]);
    std::string line = lower(type) + " " + quoted(text(row[0])) + "(" +
                       parameters[type + " " + text(row[0])] + ")";
    if (row[2]) line += " returns " + *row[2];
    line += text(row[3]) == "YES" ? " deterministic" : " not deterministic";
    line += " " + lower(text(row[4])) + " security " + lower(text(row[5]));
    line += " definition " + collapse_whitespace(without_database(text(row[6]), database));
    out.push_back(line);
  }
}

}  // namespace

std::vector<std::string> MysqlEngine::inspect_schema(Connection& connection) const {
  MysqlConnection& db = as_mysql(connection);
  std::string database = text(db.query("SELECT DATABASE()").rows.at(0)[0]);
  if (database.empty()) throw DatabaseError("the MySQL connection uses no database", "");
  std::vector<std::string> out;
  add_tables_and_views(db, database, out);
  add_columns(db, out);
  add_indexes(db, out);
  add_foreign_keys(db, out);
  add_checks(db, out);
  add_triggers_and_routines(db, database, out);
  return out;
}

}  // namespace migpkg::runtime::mysql
