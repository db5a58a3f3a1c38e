#include "runtime/check/seed_table.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace migpkg::runtime {
namespace {

using Kind = ir::ColumnType::Kind;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool contains(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
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

std::string value(const std::optional<std::string>& cell) {
  return cell.value_or("");
}

// The numbers in "(10,2)" of a type name.
std::vector<std::int64_t> type_arguments(const std::string& name) {
  std::vector<std::int64_t> out;
  auto open = name.find('(');
  if (open == std::string::npos) return out;
  std::int64_t number = 0;
  bool digits = false;
  for (std::size_t i = open + 1; i < name.size() && name[i] != ')'; ++i) {
    if (std::isdigit(static_cast<unsigned char>(name[i]))) {
      number = number * 10 + (name[i] - '0');
      digits = true;
    } else if (name[i] == ',') {
      if (digits) out.push_back(number);
      number = 0;
      digits = false;
    }
  }
  if (digits) out.push_back(number);
  return out;
}

std::string sqlite_quote(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::optional<SeedTable> from_sqlite(Connection& db, const std::string& table) {
  ResultSet columns = db.query("PRAGMA table_xinfo(" + sqlite_quote(table) + ")");
  if (columns.rows.empty()) return std::nullopt;
  SeedTable out;
  out.name = table;
  std::vector<std::string> primary_key;
  std::map<int, std::string> pk_order;
  std::map<std::string, std::string> declared;  // column -> its type as written
  for (const Row& row : columns.rows) {
    SeedColumn column;
    column.name = value(row[1]);
    column.type = column_type_from_sql(value(row[2]));
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
    if (contains(sql, ("json_valid(" + name + ")").c_str())) column.type.kind = Kind::Json;
    for (std::size_t at = sql.find("check"); at != std::string::npos;
         at = sql.find("check", at + 1))
      if (mentions_word(sql.substr(at, sql.find(')', at) - at), name)) column.plain = true;
  }
  // INTEGER PRIMARY KEY is the rowid: SQLite numbers it, like a serial.
  if (primary_key.size() == 1 && declared[primary_key[0]] == "integer")
    for (auto& column : out.columns)
      if (column.name == primary_key[0]) column.generated = true;
  if (!primary_key.empty()) out.unique_keys.push_back(primary_key);
  for (const Row& index : db.query("PRAGMA index_list(" + sqlite_quote(table) + ")").rows) {
    if (value(index[2]) != "1" || value(index[3]) == "pk") continue;
    std::vector<std::string> key;
    bool expression = false;
    for (const Row& part :
         db.query("PRAGMA index_info(" + sqlite_quote(value(index[1])) + ")").rows) {
      if (!part[2]) expression = true;
      key.push_back(value(part[2]));
    }
    if (!expression && !key.empty()) out.unique_keys.push_back(key);
  }
  std::map<std::string, SeedForeignKey> keys;  // by the pragma's id
  for (const Row& row : db.query("PRAGMA foreign_key_list(" + sqlite_quote(table) + ")").rows) {
    SeedForeignKey& key = keys[value(row[0])];
    key.ref_table = value(row[2]);
    key.columns.push_back(value(row[3]));
    if (row[4]) key.ref_columns.push_back(*row[4]);
  }
  for (auto& [id, key] : keys) {
    if (key.ref_columns.empty()) {  // REFERENCES parent: its primary key
      std::map<int, std::string> parent_pk;
      for (const Row& row : db.query("PRAGMA table_info(" + sqlite_quote(key.ref_table) + ")").rows)
        if (value(row[5]) != "0") parent_pk[std::stoi(value(row[5]))] = value(row[1]);
      for (const auto& [position, name] : parent_pk) key.ref_columns.push_back(name);
    }
    if (key.ref_columns.size() == key.columns.size()) out.foreign_keys.push_back(key);
  }
  return out;
}

// Column names of a pg_constraint / pg_index key, separated by the unit separator.
const char* const kKeyColumns =
    "(SELECT string_agg(a.attname, chr(31) ORDER BY k.ord) FROM unnest(%s) WITH ORDINALITY "
    "k(num, ord) JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.num)";

std::string key_columns(const std::string& array, const std::string& relation) {
  std::string sql = kKeyColumns;
  sql.replace(sql.find("%s"), 2, array);
  sql.replace(sql.find("%s"), 2, relation);
  return sql;
}

std::vector<std::string> split_names(const std::string& joined) {
  std::vector<std::string> out;
  std::string current;
  for (char c : joined) {
    if (c == '\x1f') {
      out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!joined.empty()) out.push_back(current);
  return out;
}

std::optional<SeedTable> from_postgresql(Connection& db, const std::string& table) {
  const std::string relation = "to_regclass(quote_ident($1))";
  ResultSet columns = db.query(
      "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
      "a.attidentity <> '' OR a.attgenerated <> '' OR "
      "coalesce(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%', "
      "(SELECT string_agg(e.enumlabel, chr(31) ORDER BY e.enumsortorder) FROM pg_enum e "
      "WHERE e.enumtypid = a.atttypid) "
      "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
      "WHERE a.attrelid = " +
          relation + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
      {table});
  if (columns.rows.empty()) return std::nullopt;
  SeedTable out;
  out.name = table;
  for (const Row& row : columns.rows) {
    SeedColumn column;
    column.name = value(row[0]);
    column.type = column_type_from_sql(value(row[1]));
    if (row[4]) {
      column.type.kind = Kind::Enum;
      column.type.values = split_names(*row[4]);
    }
    column.nullable = value(row[2]) != "t";
    column.generated = value(row[3]) == "t";
    out.columns.push_back(column);
  }
  for (const Row& row :
       db.query("SELECT " + key_columns("i.indkey::int2[]", "i.indrelid") +
                    " FROM pg_index i WHERE i.indrelid = " + relation +
                    " AND i.indisunique AND i.indexprs IS NULL ORDER BY i.indisprimary DESC",
                {table})
           .rows)
    if (row[0]) out.unique_keys.push_back(split_names(*row[0]));
  for (const Row& row : db.query("SELECT " + key_columns("c.conkey", "c.conrelid") +
                                     ", p.relname, " + key_columns("c.confkey", "c.confrelid") +
                                     " FROM pg_constraint c JOIN pg_class p ON p.oid = c.confrelid "
                                     "WHERE c.contype = 'f' AND c.conrelid = " +
                                     relation,
                                 {table})
                            .rows) {
    SeedForeignKey key;
    key.columns = split_names(value(row[0]));
    key.ref_table = value(row[1]);
    key.ref_columns = split_names(value(row[2]));
    out.foreign_keys.push_back(key);
  }
  return out;
}

}  // namespace

const SeedColumn* SeedTable::find_column(const std::string& column) const {
  for (const auto& c : columns)
    if (c.name == column) return &c;
  return nullptr;
}

SeedTable seed_table_from_model(const schema::Table& table) {
  SeedTable out;
  out.name = table.name;
  for (const auto& column : table.columns) {
    SeedColumn seed;
    seed.name = column.name;
    seed.type = column.type;
    seed.nullable = column.nullable;
    seed.generated = column.type.kind == Kind::Serial || column.type.kind == Kind::BigSerial;
    out.columns.push_back(seed);
  }
  for (const auto& constraint : table.constraints) {
    using C = ir::Constraint::Kind;
    if (constraint.kind == C::PrimaryKey) {
      out.unique_keys.insert(out.unique_keys.begin(), constraint.columns);
      for (auto& column : out.columns)
        if (std::count(constraint.columns.begin(), constraint.columns.end(), column.name))
          column.nullable = false;
    } else if (constraint.kind == C::Unique) {
      out.unique_keys.push_back(constraint.columns);
    } else if (constraint.kind == C::ForeignKey) {
      out.foreign_keys.push_back(
          {constraint.columns, constraint.ref_table, constraint.ref_columns});
    } else if (constraint.kind == C::Check) {
      for (auto& column : out.columns)
        if (mentions_word(constraint.check, column.name)) column.plain = true;
    }
  }
  for (const auto& index : table.indexes)
    if (index.unique) out.unique_keys.push_back(index.columns);
  return out;
}

std::optional<SeedTable> seed_table_from_database(Connection& connection,
                                                  const std::string& table) {
  if (connection.engine() == ir::Engine::PostgreSQL) return from_postgresql(connection, table);
  return from_sqlite(connection, table);
}

ir::ColumnType column_type_from_sql(const std::string& type_name) {
  std::string name = lower(type_name);
  std::vector<std::int64_t> args = type_arguments(name);
  ir::ColumnType type;
  auto base = name.substr(0, name.find('('));
  if (contains(base, "bigserial") || contains(base, "serial8"))
    type.kind = Kind::BigSerial;
  else if (contains(base, "serial"))
    type.kind = Kind::Serial;
  else if (contains(base, "bigint") || base == "int8")
    type.kind = Kind::Int64;
  else if (contains(base, "smallint") || base == "int2" || contains(base, "tinyint"))
    type.kind = Kind::Int16;
  else if (contains(base, "int"))  // SQLite's INTEGER affinity: any name with INT
    type.kind = Kind::Int32;
  else if (contains(base, "bool"))
    type.kind = Kind::Bool;
  else if (contains(base, "numeric") || contains(base, "decimal"))
    type.kind = Kind::Decimal;
  else if (contains(base, "double") || contains(base, "float8"))
    type.kind = Kind::Float64;
  else if (contains(base, "real") || contains(base, "float"))
    type.kind = Kind::Float32;
  else if (contains(base, "timestamp") &&
           (contains(name, "with time zone") || contains(base, "tz")))
    type.kind = Kind::TimestampTz;
  else if (contains(base, "timestamp") || contains(base, "datetime"))
    type.kind = Kind::Timestamp;
  else if (contains(base, "date"))
    type.kind = Kind::Date;
  else if (contains(base, "time"))
    type.kind = Kind::Time;
  else if (contains(base, "uuid"))
    type.kind = Kind::Uuid;
  else if (contains(base, "json"))
    type.kind = Kind::Json;
  else if (contains(base, "bytea") || contains(base, "blob"))
    type.kind = Kind::Bytes;
  else if ((contains(base, "char") && !contains(base, "var") && !contains(base, "varying")) &&
           !args.empty())
    type.kind = Kind::Char;
  else if ((contains(base, "char") || contains(base, "text")) && !args.empty())
    type.kind = Kind::String;
  else
    type.kind = Kind::Text;
  if ((type.kind == Kind::String || type.kind == Kind::Char) && !args.empty())
    type.length = args[0];
  if (type.kind == Kind::Decimal && !args.empty()) {
    type.precision = args[0];
    type.scale = args.size() > 1 ? args[1] : 0;
  }
  return type;
}

}  // namespace migpkg::runtime
