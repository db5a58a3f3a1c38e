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

int octal(char c) {
  return c >= '0' && c <= '7' ? c - '0' : -1;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string read_value(std::string text, const ir::ColumnType& type) {
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
      return text;
    case Kind::Decimal:
      return portable::decimal(text, type.scale);
    case Kind::Float32:
      return portable::shortest_float(static_cast<float>(portable::parse_double(text)));
    case Kind::Float64:
      return portable::shortest_double(portable::parse_double(text));
    case Kind::Text:
    case Kind::String:
    case Kind::Enum:
      return text;
    case Kind::Char:
      return portable::without_pad(text);
    case Kind::Bytes:
      if (text.rfind("\\x", 0) != 0) refuse("bytea not in hex output");
      return portable::from_hex(std::string_view(text).substr(2));
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

std::vector<data::Value> split_copy_line(std::string_view line) {
  std::vector<data::Value> fields;
  std::string field;
  bool null = false;
  auto finish = [&] {
    fields.push_back(null ? data::Value() : data::Value(std::move(field)));
    field.clear();
    null = false;
  };
  for (std::size_t at = 0; at < line.size(); ++at) {
    char c = line[at];
    if (c == '\t') {
      finish();
      continue;
    }
    if (c != '\\' || at + 1 >= line.size()) {
      field += c;
      continue;
    }
    char e = line[++at];
    switch (e) {
      case 'N':
        null = true;
        break;
      case 'b':
        field += '\b';
        break;
      case 'f':
        field += '\f';
        break;
      case 'n':
        field += '\n';
        break;
      case 'r':
        field += '\r';
        break;
      case 't':
        field += '\t';
        break;
      case 'v':
        field += '\v';
        break;
      case 'x':
        if (at + 1 < line.size() && hex(line[at + 1]) >= 0) {
          int value = hex(line[++at]);
          if (at + 1 < line.size() && hex(line[at + 1]) >= 0) value = value * 16 + hex(line[++at]);
          field += static_cast<char>(value);
        } else {
          field += 'x';
        }
        break;
      default:
        if (octal(e) >= 0) {
          int value = octal(e);
          for (int k = 0; k < 2 && at + 1 < line.size() && octal(line[at + 1]) >= 0; ++k)
            value = value * 8 + octal(line[++at]);
          field += static_cast<char>(value);
        } else {
          field += e;  // \\ and any other escaped character stand for themselves
        }
    }
  }
  finish();
  return fields;
}

void append_copy_field(std::string& line, const data::Value& text) {
  if (!text) {
    line += "\\N";
    return;
  }
  for (char c : *text) {
    switch (c) {
      case '\\':
        line += "\\\\";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      case '\t':
        line += "\\t";
        break;
      default:
        line += c;
    }
  }
}

}  // namespace migpkg::runtime::postgresql_data
