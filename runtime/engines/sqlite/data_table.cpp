// Engine::data_table on SQLite: each column's portable type from the type name it was declared
// with (SQLite keeps the name as written), a json_valid() CHECK (JSON) and a CHECK (c IN (...))
// over a TEXT column (an enum, as the compiler writes one). docs/data.md, "Type mapping".
#include <cctype>
#include <map>
#include <stdexcept>

#include "runtime/engines/sql_names.hpp"
#include "runtime/engines/sqlite/sqlite_engine.hpp"

namespace migpkg::runtime {
namespace {

using Kind = ir::ColumnType::Kind;

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string trimmed(const std::string& text) {
  std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

// "NUMERIC(10, 2)" -> base "NUMERIC", arguments {10, 2}.
void split_type(const std::string& declared, std::string& base, std::vector<std::int64_t>& args) {
  std::string type = upper(trimmed(declared));
  std::size_t open = type.find('(');
  base = trimmed(type.substr(0, open));
  // Collapse inner runs of spaces: "DOUBLE  PRECISION".
  std::string single;
  for (char c : base)
    if (!(c == ' ' && !single.empty() && single.back() == ' ')) single += c;
  base = single;
  if (open == std::string::npos) return;
  std::string inside = type.substr(open + 1, type.find(')', open) - open - 1);
  std::size_t at = 0;
  while (at < inside.size()) {
    std::size_t comma = inside.find(',', at);
    std::string part = trimmed(inside.substr(at, comma - at));
    try {
      args.push_back(std::stoll(part));
    } catch (const std::exception&) {
      // Not a number (a collation, an expression): no length then.
    }
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
}

ir::ColumnType with_kind(Kind kind) {
  ir::ColumnType type;
  type.kind = kind;
  return type;
}

// The portable type of a declared type name, or nullopt when it has none.
std::optional<ir::ColumnType> portable_type(const std::string& declared) {
  std::string base;
  std::vector<std::int64_t> args;
  split_type(declared, base, args);
  static const std::map<std::string, Kind> exact = {
      {"", Kind::Text},
      {"BOOLEAN", Kind::Bool},
      {"BOOL", Kind::Bool},
      {"TINYINT", Kind::Int16},
      {"SMALLINT", Kind::Int16},
      {"INT2", Kind::Int16},
      {"MEDIUMINT", Kind::Int32},
      {"INT4", Kind::Int32},
      {"INTEGER", Kind::Int64},
      {"INT", Kind::Int64},
      {"BIGINT", Kind::Int64},
      {"INT8", Kind::Int64},
      {"UNSIGNED BIG INT", Kind::Int64},
      {"NUMERIC", Kind::Decimal},
      {"DECIMAL", Kind::Decimal},
      {"REAL", Kind::Float64},
      {"DOUBLE", Kind::Float64},
      {"DOUBLE PRECISION", Kind::Float64},
      {"FLOAT", Kind::Float64},
      {"FLOAT8", Kind::Float64},
      {"TEXT", Kind::Text},
      {"CLOB", Kind::Text},
      {"VARCHAR", Kind::String},
      {"CHARACTER VARYING", Kind::String},
      {"VARYING CHARACTER", Kind::String},
      {"NVARCHAR", Kind::String},
      {"NATIVE CHARACTER", Kind::String},
      {"CHAR", Kind::Char},
      {"CHARACTER", Kind::Char},
      {"NCHAR", Kind::Char},
      {"BLOB", Kind::Bytes},
      {"BYTEA", Kind::Bytes},
      {"UUID", Kind::Uuid},
      {"JSON", Kind::Json},
      {"JSONB", Kind::Json},
      {"DATE", Kind::Date},
      {"TIME", Kind::Time},
      {"DATETIME", Kind::Timestamp},
      {"TIMESTAMP", Kind::Timestamp},
      {"TIMESTAMP WITHOUT TIME ZONE", Kind::Timestamp},
      {"TIMESTAMPTZ", Kind::TimestampTz},
      {"TIMESTAMP WITH TIME ZONE", Kind::TimestampTz},
  };
  auto found = exact.find(base);
  if (found != exact.end()) {
    ir::ColumnType type = with_kind(found->second);
    if (type.kind == Kind::Decimal && !args.empty()) {
      type.precision = args[0];
      type.scale = args.size() > 1 ? args[1] : 0;
    }
    if (type.kind == Kind::String || type.kind == Kind::Char) {
      if (!args.empty())
        type.length = args[0];
      else if (type.kind == Kind::String)
        type.kind = Kind::Text;  // VARCHAR without a length bounds nothing
      else
        type.length = 1;  // CHAR is CHAR(1)
    }
    return type;
  }
  // Any other name: SQLite's own affinity rules (https://sqlite.org/datatype3.html, 3.1).
  if (base.find("INT") != std::string::npos) return with_kind(Kind::Int64);
  if (base.find("CHAR") != std::string::npos || base.find("CLOB") != std::string::npos ||
      base.find("TEXT") != std::string::npos)
    return with_kind(Kind::Text);
  if (base.find("BLOB") != std::string::npos) return with_kind(Kind::Bytes);
  if (base.find("REAL") != std::string::npos || base.find("FLOA") != std::string::npos ||
      base.find("DOUB") != std::string::npos)
    return with_kind(Kind::Float64);
  return std::nullopt;  // NUMERIC affinity under an unknown name: nothing tells what it holds
}

// The string literals of `CHECK ("c" IN ('a', 'b'))` as the compiler writes an enum.
std::optional<std::vector<std::string>> enum_values(const std::string& sql,
                                                    const std::string& column) {
  std::string upper_sql = upper(sql);
  for (const std::string& name : {double_quoted(column), column}) {
    std::string pattern = "CHECK (" + upper(name) + " IN (";
    std::size_t at = upper_sql.find(pattern);
    if (at == std::string::npos) continue;
    at += pattern.size();
    std::vector<std::string> values;
    while (at < sql.size() && sql[at] == '\'') {
      std::string value;
      for (++at; at < sql.size(); ++at) {
        if (sql[at] == '\'') {
          if (at + 1 < sql.size() && sql[at + 1] == '\'') {
            value += '\'';
            ++at;
            continue;
          }
          break;
        }
        value += sql[at];
      }
      values.push_back(value);
      ++at;  // the closing quote
      if (sql.compare(at, 2, ", ") == 0) {
        at += 2;
      } else if (sql.compare(at, 2, "))") == 0) {
        return values;
      } else {
        break;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<data::DataTable> SqliteEngine::data_table(Connection& db,
                                                        const std::string& table) const {
  ResultSet columns = db.query(
      "SELECT name, type, \"notnull\", pk, hidden FROM "
      "pragma_table_xinfo($1) ORDER BY cid",
      {table});
  if (columns.rows.empty()) return std::nullopt;
  auto definition =
      db.query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1", {table});
  std::string sql = definition.rows.empty() ? "" : definition.rows[0][0].value_or("");
  std::string lower_sql = sql;
  for (char& c : lower_sql) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));

  data::DataTable out;
  out.name = table;
  std::map<std::int64_t, std::string> key_parts;
  std::map<std::string, std::string> declared;
  for (const Row& row : columns.rows) {
    // hidden 2 and 3: generated (computed) columns, which cannot be written; 1: a virtual
    // table's hidden column.
    if (row[4].value_or("0") != "0") continue;
    data::DataColumn column;
    column.name = row[0].value_or("");
    declared[column.name] = row[1].value_or("");
    std::optional<ir::ColumnType> type = portable_type(declared[column.name]);
    if (!type)
      throw std::runtime_error("table " + table + ", column " + column.name + ": SQLite type " +
                               declared[column.name] + " has no portable type");
    column.type = *type;
    std::string lower_name = column.name;
    for (char& c : lower_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (column.type.kind == Kind::Text &&
        (lower_sql.find("json_valid(" + lower_name + ")") != std::string::npos ||
         lower_sql.find("json_valid(\"" + lower_name + "\")") != std::string::npos))
      column.type.kind = Kind::Json;
    if (column.type.kind == Kind::Text)
      if (auto values = enum_values(sql, column.name)) {
        column.type.kind = Kind::Enum;
        column.type.values = *values;
      }
    column.nullable = row[2].value_or("0") == "0";
    std::int64_t pk = std::stoll(row[3].value_or("0"));
    if (pk > 0) key_parts[pk] = column.name;
    out.columns.push_back(column);
  }
  for (const auto& [position, name] : key_parts) out.primary_key.push_back(name);
  // INTEGER PRIMARY KEY is the rowid: SQLite numbers rows inserted without it, like a serial.
  if (out.primary_key.size() == 1 && upper(trimmed(declared[out.primary_key[0]])) == "INTEGER")
    for (auto& column : out.columns)
      if (column.name == out.primary_key[0]) {
        column.type = with_kind(Kind::BigSerial);
        column.generated = true;
        column.nullable = false;
      }
  return out;
}

}  // namespace migpkg::runtime
