#include "runtime/check/seed_table.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <utility>

#include "runtime/engines/engine_registry.hpp"

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
  std::optional<TableDescription> described =
      engine_of(connection).describe_table(connection, table);
  if (!described) return std::nullopt;
  SeedTable out;
  out.name = table;
  for (const ColumnDescription& found : described->columns) {
    SeedColumn column;
    column.name = found.name;
    column.type = column_type_from_sql(found.type);
    if (!found.enum_values.empty()) {
      column.type.kind = Kind::Enum;
      column.type.values = found.enum_values;
    }
    if (found.json) column.type.kind = Kind::Json;
    column.nullable = found.nullable;
    column.generated = found.generated;
    column.plain = found.checked;
    out.columns.push_back(column);
  }
  out.unique_keys = std::move(described->unique_keys);
  for (ForeignKeyDescription& key : described->foreign_keys)
    out.foreign_keys.push_back(
        {std::move(key.columns), std::move(key.ref_table), std::move(key.ref_columns)});
  return out;
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
