// Engine::data_table on PostgreSQL: each column's portable type from its catalog type
// (format_type), serial and identity columns as counters, and an enum from a native enum type or
// from the CHECK (c IN (...)) the compiler writes for one. docs/data.md, "Type mapping".
#include <map>
#include <stdexcept>

#include "runtime/engines/postgresql/postgresql_engine.hpp"

namespace migpkg::runtime {
namespace {

using Kind = ir::ColumnType::Kind;

std::vector<std::string> split_units(const std::string& joined) {
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

// "numeric(10,2)" -> base "numeric", args {10, 2}; "timestamp(3) without time zone" -> base
// "timestamp without time zone".
void split_type(const std::string& type, std::string& base, std::vector<std::int64_t>& args) {
  std::size_t open = type.find('(');
  if (open == std::string::npos) {
    base = type;
    return;
  }
  std::size_t close = type.find(')', open);
  base = type.substr(0, open) + type.substr(close + 1);
  std::string inside = type.substr(open + 1, close - open - 1);
  std::size_t at = 0;
  while (at <= inside.size()) {
    std::size_t comma = inside.find(',', at);
    args.push_back(std::stoll(inside.substr(at, comma - at)));
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
}

std::optional<ir::ColumnType> portable_type(const std::string& catalog_type, bool generated) {
  std::string base;
  std::vector<std::int64_t> args;
  split_type(catalog_type, base, args);
  static const std::map<std::string, Kind> kinds = {
      {"boolean", Kind::Bool},
      {"smallint", Kind::Int16},
      {"integer", Kind::Int32},
      {"bigint", Kind::Int64},
      {"numeric", Kind::Decimal},
      {"real", Kind::Float32},
      {"double precision", Kind::Float64},
      {"text", Kind::Text},
      {"character varying", Kind::String},
      {"character", Kind::Char},
      {"bytea", Kind::Bytes},
      {"uuid", Kind::Uuid},
      {"json", Kind::Json},
      {"jsonb", Kind::Json},
      {"date", Kind::Date},
      {"time without time zone", Kind::Time},
      {"timestamp without time zone", Kind::Timestamp},
      {"timestamp with time zone", Kind::TimestampTz},
      {"vector", Kind::Vector},
  };
  auto found = kinds.find(base);
  if (found == kinds.end()) return std::nullopt;
  ir::ColumnType type;
  type.kind = found->second;
  if (generated && (type.kind == Kind::Int16 || type.kind == Kind::Int32)) type.kind = Kind::Serial;
  if (generated && type.kind == Kind::Int64) type.kind = Kind::BigSerial;
  if (type.kind == Kind::Decimal && !args.empty()) {
    type.precision = args[0];
    type.scale = args.size() > 1 ? args[1] : 0;
  }
  if (type.kind == Kind::String || type.kind == Kind::Char || type.kind == Kind::Vector) {
    if (!args.empty())
      type.length = args[0];
    else if (type.kind == Kind::String)
      type.kind = Kind::Text;  // varchar without a length bounds nothing
  }
  return type;
}

// The labels of `CHECK ((c = ANY (ARRAY['a'::text, 'b'::text])))`, PostgreSQL's own text of the
// CHECK (c IN ('a', 'b')) the compiler writes for an enum on a text column.
std::optional<std::vector<std::string>> enum_labels(const std::string& definition,
                                                    const std::string& quoted_column) {
  const std::string head = "CHECK ((" + quoted_column + " = ANY (ARRAY[";
  if (definition.rfind(head, 0) != 0) return std::nullopt;
  std::size_t at = head.size();
  std::vector<std::string> labels;
  while (at < definition.size() && definition[at] == '\'') {
    std::string label;
    for (++at; at < definition.size(); ++at) {
      if (definition[at] == '\'') {
        if (at + 1 < definition.size() && definition[at + 1] == '\'') {
          label += '\'';
          ++at;
          continue;
        }
        break;
      }
      label += definition[at];
    }
    ++at;
    for (const char* cast : {"::text", "::character varying"})
      if (definition.compare(at, std::string(cast).size(), cast) == 0)
        at += std::string(cast).size();
    labels.push_back(label);
    if (definition.compare(at, 2, ", ") == 0) {
      at += 2;
    } else if (definition.compare(at, std::string::npos, "])))") == 0) {
      return labels;
    } else {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<data::DataTable> PostgresqlEngine::data_table(Connection& db,
                                                            const std::string& table) const {
  const std::string relation = "to_regclass(quote_ident($1))";
  ResultSet columns = db.query(
      "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
      "a.attidentity <> '' OR coalesce(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%', "
      "a.attgenerated <> '', "
      "(SELECT string_agg(e.enumlabel, chr(31) ORDER BY e.enumsortorder) FROM pg_enum e "
      "WHERE e.enumtypid = a.atttypid), "
      "(SELECT string_agg(pg_get_constraintdef(c.oid), chr(31)) FROM pg_constraint c "
      "WHERE c.conrelid = a.attrelid AND c.contype = 'c' AND c.conkey = ARRAY[a.attnum]), "
      "quote_ident(a.attname), t.typtype, format_type(t.typbasetype, t.typtypmod) "
      "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
      "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
      "WHERE a.attrelid = " +
          relation + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
      {table});
  if (columns.rows.empty()) return std::nullopt;
  data::DataTable out;
  out.name = table;
  for (const Row& row : columns.rows) {
    if (row[4].value_or("f") == "t") continue;  // GENERATED ALWAYS AS (...): computed, not data
    data::DataColumn column;
    column.name = row[0].value_or("");
    column.nullable = row[2].value_or("f") != "t";
    column.generated = row[3].value_or("f") == "t";
    std::string catalog_type = row[1].value_or("");
    if (row[5]) {
      column.type.kind = Kind::Enum;
      column.type.values = split_units(*row[5]);
    } else {
      // A domain is its base type (its own checks are the database's to enforce).
      std::string type = row[8].value_or("") == "d" ? row[9].value_or("") : catalog_type;
      std::optional<ir::ColumnType> portable = portable_type(type, column.generated);
      if (!portable)
        throw std::runtime_error("table " + table + ", column " + column.name +
                                 ": PostgreSQL type " + catalog_type + " has no portable type");
      column.type = *portable;
    }
    if (column.type.kind == Kind::Text && row[6])
      for (const std::string& definition : split_units(*row[6]))
        if (auto labels = enum_labels(definition, row[7].value_or(""))) {
          column.type.kind = Kind::Enum;
          column.type.values = *labels;
        }
    out.columns.push_back(column);
  }
  out.primary_key = primary_key(db, table);
  return out;
}

}  // namespace migpkg::runtime
