#include "runtime/engines/postgresql/data_values.hpp"

#include <stdexcept>

#include "runtime/data/portable_values.hpp"

namespace migpkg::runtime::postgresql_data {
namespace {

namespace portable = data::portable;
using Kind = ir::ColumnType::Kind;

[[noreturn]] void refuse(const std::string& reason) {
  throw std::invalid_argument(reason);
}

}  // namespace

std::string read_value(std::string_view text, const ir::ColumnType& type) {
  switch (type.kind) {
    case Kind::Bool:
      if (text == "t") return "true";
      if (text == "f") return "false";
      refuse("not a boolean");
    case Kind::Int16:
    case Kind::Int32:
    case Kind::Int64:
    case Kind::Serial:
    case Kind::BigSerial:
      return std::string(text);
    case Kind::Decimal:
      return portable::decimal(text, type.scale);
    case Kind::Float32:
      return portable::shortest_float(static_cast<float>(portable::parse_double(text)));
    case Kind::Float64:
      return portable::shortest_double(portable::parse_double(text));
    case Kind::Text:
    case Kind::String:
    case Kind::Enum:
      return std::string(text);
    case Kind::Char:
      return portable::without_pad(text);
    case Kind::Bytes:
      if (text.substr(0, 2) != "\\x") refuse("bytea not in hex output");
      return portable::from_hex(text.substr(2));
    case Kind::Uuid:
      return portable::uuid(text);
    case Kind::Json:
    case Kind::Vector:
      return portable::canonical_json(text);
    case Kind::Date:
      return portable::date(text);
    case Kind::Time:
      return portable::time(text);
    case Kind::Timestamp:
      return portable::timestamp(text);
    case Kind::TimestampTz:
      return portable::timestamptz(text);
  }
  refuse("unknown type");
}

void fit_postgresql(const ir::ColumnType& type, const std::string& value) {
  switch (type.kind) {
    case Kind::Text:
    case Kind::String:
    case Kind::Char:
    case Kind::Enum:
      if (value.find('\0') != std::string::npos) refuse("PostgreSQL text cannot hold a NUL byte");
      return;
    case Kind::Json:
      if (value.find("\\u0000") != std::string::npos)
        refuse("PostgreSQL's jsonb cannot hold a NUL character (\\u0000)");
      return;
    default:
      return;
  }
}

std::string input_text(const ir::ColumnType& type, const std::string& value) {
  if (type.kind == Kind::Bytes) return "\\x" + portable::to_hex(value);
  return value;
}

void append_copy_field(std::string& line, const data::Value& text) {
  if (!text) {
    line += "\\N";
    return;
  }
  std::string_view rest = *text;
  while (true) {
    std::size_t special = rest.find_first_of("\\\n\r\t");
    line.append(rest.substr(0, special));
    if (special == std::string_view::npos) return;
    switch (rest[special]) {
      case '\\':
        line += "\\\\";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      default:
        line += "\\t";
    }
    rest.remove_prefix(special + 1);
  }
}

}  // namespace migpkg::runtime::postgresql_data
