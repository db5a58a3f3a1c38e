#include "runtime/engines/mysql/data_values.hpp"

#include <stdexcept>
#include <utility>

#include "compiler/util/utf8.hpp"
#include "runtime/data/portable_values.hpp"
#include "runtime/engines/mysql/connection.hpp"

namespace migpkg::runtime::mysql {
namespace {

namespace portable = data::portable;
using Kind = ir::ColumnType::Kind;

[[noreturn]] void refuse(const std::string& reason) {
  throw std::invalid_argument(reason);
}

bool has_zone(const std::string& value) {
  return value.size() > 19 && value.find_first_of("Z+-", 19) != std::string::npos;
}

// The largest code point in UTF-8 text (0 for empty text).
std::uint32_t widest_character(const std::string& text) {
  std::uint32_t widest = 0;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t length = utf8_sequence_length(text, at);
    if (length == 0) return 0x110000;
    std::uint32_t code = static_cast<unsigned char>(text[at]);
    if (length > 1) {
      code &= 0x7F >> length;
      for (std::size_t k = 1; k < length; ++k)
        code = (code << 6) | (static_cast<unsigned char>(text[at + k]) & 0x3F);
    }
    widest = std::max(widest, code);
    at += length;
  }
  return widest;
}

}  // namespace

std::string read_value(std::string& text, const ir::ColumnType& type) {
  switch (type.kind) {
    case Kind::Bool:
      if (text == "0") return "false";
      if (text == "1") return "true";
      refuse("not a boolean (0 or 1)");
    case Kind::Int16:
    case Kind::Int32:
    case Kind::Int64:
    case Kind::Serial:
    case Kind::BigSerial:
      return portable::integer(text);
    case Kind::Decimal:
      return portable::decimal(text, type.scale);
    case Kind::Float32:
      return portable::shortest_float(static_cast<float>(portable::parse_double(text)));
    case Kind::Float64:
      return portable::shortest_double(portable::parse_double(text));
    case Kind::Text:
    case Kind::String:
    case Kind::Enum:
    case Kind::Bytes:
      return std::move(text);
    case Kind::Char:
      return portable::without_pad(text);
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
      return portable::timestamptz(text, true);  // the session's time zone is UTC
  }
  refuse("unknown type");
}

void fit_mysql_before(const ir::ColumnType& type, std::string& value) {
  if (type.kind == Kind::Timestamp && has_zone(value)) {
    value = portable::timestamptz(value);
    value.pop_back();  // the "Z"
  }
}

void fit_mysql_after(const ir::ColumnType& type, const std::string& value,
                     const std::string& charset, const std::string& sql_type) {
  switch (type.kind) {
    case Kind::Float32:
    case Kind::Float64:
      if (value == "NaN" || value == "Infinity" || value == "-Infinity")
        refuse("MySQL's FLOAT and DOUBLE have no NaN or Infinity");
      if (value == "-0") refuse("MySQL keeps -0 as 0");
      return;
    case Kind::TimestampTz:
      if (sql_type != "timestamp") return;  // a DATETIME holding UTC: the server checks its range
      if (value < "1970-01-01T00:00:01Z" || value >= "2038-01-19T03:14:08Z")
        refuse("MySQL's TIMESTAMP holds 1970-01-01 00:00:01 to 2038-01-19 03:14:07 UTC");
      return;
    case Kind::Text:
    case Kind::String:
    case Kind::Char:
    case Kind::Enum:
    case Kind::Json: {
      std::uint32_t limit = charset == "utf8mb3" || charset == "utf8"    ? 0xFFFF
                            : charset == "latin1" || charset == "cp1252" ? 0xFF
                            : charset == "ascii"                         ? 0x7F
                                                                         : 0x10FFFF;
      if (widest_character(value) > limit)
        refuse("a character the column's character set " + charset + " cannot hold");
      return;
    }
    default:
      return;
  }
}

std::string value_literal(const MysqlConnection& db, const ir::ColumnType& type,
                          const data::Value& value) {
  if (!value) return "NULL";
  const std::string& text = *value;
  switch (type.kind) {
    case Kind::Bool:
      return text == "true" ? "1" : "0";
    case Kind::Int16:
    case Kind::Int32:
    case Kind::Int64:
    case Kind::Serial:
    case Kind::BigSerial:
    case Kind::Decimal:
    case Kind::Float64:
      return text;  // checked by portable::fit: digits, a point, an exponent
    case Kind::Float32:
      // The float's exact value: its shortest text may read as a double just past the largest
      // float ("3.4028235e+38"), which MySQL refuses as out of range instead of rounding.
      return portable::shortest_double(static_cast<float>(portable::parse_double(text)));
    case Kind::Bytes:
      return "X'" + portable::to_hex(text) + "'";
    case Kind::Timestamp: {
      std::string spaced = text;
      spaced[10] = ' ';
      return db.literal(spaced);
    }
    case Kind::TimestampTz: {
      std::string spaced = text.substr(0, text.size() - 1);  // UTC without the "Z"
      spaced[10] = ' ';
      return db.literal(spaced);
    }
    default:
      return db.literal(text);
  }
}

}  // namespace migpkg::runtime::mysql
