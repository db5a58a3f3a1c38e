// Engine::data_table on MySQL / MariaDB: each column's portable type from information_schema's
// COLUMN_TYPE (TINYINT(1) is a boolean, AUTO_INCREMENT a counter, MariaDB's JSON a LONGTEXT with a
// json_valid() CHECK). docs/data.md, "Type mapping".
#include <map>
#include <stdexcept>

#include "compiler/dialects/type_markers.hpp"
#include "runtime/engines/mysql/connection.hpp"
#include "runtime/engines/mysql/data_values.hpp"
#include "runtime/engines/mysql/mysql_engine.hpp"

namespace migpkg::runtime::mysql {
namespace {

using Kind = ir::ColumnType::Kind;

// "decimal(38,10) unsigned" -> base "decimal", args {38, 10}, unsigned.
void split_type(const std::string& type, std::string& base, std::vector<std::int64_t>& args,
                bool& is_unsigned) {
  std::size_t open = type.find('(');
  std::size_t space = type.find(' ');
  base = type.substr(0, std::min(open, space));
  is_unsigned = type.find(" unsigned") != std::string::npos;
  if (open == std::string::npos || base == "enum" || base == "set") return;
  std::string inside = type.substr(open + 1, type.find(')', open) - open - 1);
  std::size_t at = 0;
  while (at <= inside.size()) {
    std::size_t comma = inside.find(',', at);
    try {
      args.push_back(std::stoll(inside.substr(at, comma - at)));
    } catch (const std::exception&) {
    }
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
}

std::optional<ir::ColumnType> portable_type(const std::string& column_type, bool counter) {
  std::string base;
  std::vector<std::int64_t> args;
  bool is_unsigned = false;
  split_type(column_type, base, args, is_unsigned);
  ir::ColumnType type;
  auto kind = [&](Kind k) {
    type.kind = k;
    return type;
  };
  if (base == "tinyint" && !args.empty() && args[0] == 1 && !is_unsigned) return kind(Kind::Bool);
  if (base == "bool" || base == "boolean") return kind(Kind::Bool);
  if (base == "tinyint" || base == "year") return kind(counter ? Kind::Serial : Kind::Int16);
  if (base == "smallint")
    return kind(counter ? Kind::Serial : is_unsigned ? Kind::Int32 : Kind::Int16);
  if (base == "mediumint") return kind(counter ? Kind::Serial : Kind::Int32);
  if (base == "int" || base == "integer")
    return kind(counter       ? (is_unsigned ? Kind::BigSerial : Kind::Serial)
                : is_unsigned ? Kind::Int64
                              : Kind::Int32);
  if (base == "bigint") {
    if (counter) return kind(Kind::BigSerial);
    if (!is_unsigned) return kind(Kind::Int64);
    type.kind = Kind::Decimal;  // up to 18446744073709551615
    type.precision = 20;
    type.scale = 0;
    return type;
  }
  if (base == "decimal" || base == "numeric" || base == "fixed") {
    type.kind = Kind::Decimal;
    type.precision = args.empty() ? 10 : args[0];
    type.scale = args.size() > 1 ? args[1] : 0;
    return type;
  }
  if (base == "float") return kind(Kind::Float32);
  if (base == "double" || base == "real") return kind(Kind::Float64);
  if (base == "varchar") {
    type.kind = Kind::String;
    type.length = args.empty() ? 255 : args[0];
    return type;
  }
  if (base == "char") {
    type.kind = Kind::Char;
    type.length = args.empty() ? 1 : args[0];
    return type;
  }
  if (base == "tinytext" || base == "text" || base == "mediumtext" || base == "longtext")
    return kind(Kind::Text);
  if (base == "binary" || base == "varbinary" || base == "tinyblob" || base == "blob" ||
      base == "mediumblob" || base == "longblob")
    return kind(Kind::Bytes);
  if (base == "json") return kind(Kind::Json);
  if (base == "uuid") return kind(Kind::Uuid);
  if (base == "date") return kind(Kind::Date);
  if (base == "time") return kind(Kind::Time);
  if (base == "datetime") return kind(Kind::Timestamp);
  // TIMESTAMP keeps the instant (UTC) and converts to the session's time zone: read and written
  // in UTC, it is a timestamp with time zone.
  if (base == "timestamp") return kind(Kind::TimestampTz);
  return std::nullopt;
}

// migpkg's DDL spells a uuid CHAR(36) and a timestamptz DATETIME(6), and marks them in the
// column's comment (compiler/dialects/type_markers.hpp). A column without the marker (made by
// hand, or by migpkg before the marker) reads as its SQL type says, as it always did.
ir::ColumnType just(Kind kind) {
  ir::ColumnType type;
  type.kind = kind;
  return type;
}

ir::ColumnType marked_type(ir::ColumnType type, const std::string& comment) {
  if (type.kind == Kind::Char && type.length == 36 &&
      type_markers::has_marker(comment, type_markers::kUuid))
    return just(Kind::Uuid);
  if (type.kind == Kind::Timestamp && type_markers::has_marker(comment, type_markers::kTimestampTz))
    return just(Kind::TimestampTz);
  return type;
}

}  // namespace

std::optional<data::DataTable> MysqlEngine::data_table(Connection& connection,
                                                       const std::string& table) const {
  std::optional<TableDescription> described = describe_table(connection, table);
  if (!described) return std::nullopt;
  ResultSet extras = connection.query(
      "SELECT COLUMN_NAME, EXTRA, COLUMN_COMMENT FROM information_schema.COLUMNS WHERE "
      "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1",
      {table});
  std::map<std::string, std::string> extra, comment;
  for (const Row& row : extras.rows) {
    extra[row[0].value_or("")] = row[1].value_or("");
    comment[row[0].value_or("")] = row[2].value_or("");
  }
  data::DataTable out;
  out.name = table;
  for (const ColumnDescription& description : described->columns) {
    std::string what = extra[description.name];
    for (char& c : what) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // A generated (computed) column: VIRTUAL / STORED / PERSISTENT GENERATED, or MariaDB's
    // "VIRTUAL GENERATED" / "PERSISTENT GENERATED".
    if (what.find("generated") != std::string::npos || what.find("virtual") != std::string::npos ||
        what.find("persistent") != std::string::npos || what.find("stored") != std::string::npos)
      continue;
    bool counter = what.find("auto_increment") != std::string::npos;
    data::DataColumn column;
    column.name = description.name;
    column.nullable = description.nullable;
    column.generated = counter;
    if (!description.enum_values.empty()) {
      column.type.kind = Kind::Enum;
      column.type.values = description.enum_values;
    } else {
      std::optional<ir::ColumnType> type = portable_type(description.type, counter);
      if (!type)
        throw std::runtime_error("table " + table + ", column " + column.name + ": MySQL type " +
                                 description.type + " has no portable type");
      column.type = marked_type(*type, comment[description.name]);
      if (description.json && column.type.kind == Kind::Text) column.type.kind = Kind::Json;
    }
    out.columns.push_back(column);
  }
  out.primary_key =
      described->unique_keys.empty() ? std::vector<std::string>{} : primary_key(connection, table);
  return out;
}

}  // namespace migpkg::runtime::mysql
