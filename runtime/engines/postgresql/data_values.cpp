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

// One COPY text field with its backslash escapes (\b \f \n \r \t \v, octal \ooo, hex \xhh, and
// a backslash before any other character standing for that character) resolved.
void unescape(std::string_view raw, std::string& field) {
  field.clear();
  field.reserve(raw.size());
  for (std::size_t at = 0; at < raw.size(); ++at) {
    char c = raw[at];
    if (c != '\\' || at + 1 >= raw.size()) {
      field += c;
      continue;
    }
    char e = raw[++at];
    switch (e) {
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
        if (at + 1 < raw.size() && hex(raw[at + 1]) >= 0) {
          int value = hex(raw[++at]);
          if (at + 1 < raw.size() && hex(raw[at + 1]) >= 0) value = value * 16 + hex(raw[++at]);
          field += static_cast<char>(value);
        } else {
          field += 'x';
        }
        break;
      default:
        if (octal(e) >= 0) {
          int value = octal(e);
          for (int k = 0; k < 2 && at + 1 < raw.size() && octal(raw[at + 1]) >= 0; ++k)
            value = value * 8 + octal(raw[++at]);
          field += static_cast<char>(value);
        } else {
          field += e;
        }
    }
  }
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

data::Value read_copy_field(std::string_view raw, const ir::ColumnType& type,
                            std::string& scratch) {
  if (raw == "\\N") return std::nullopt;
  if (raw.find('\\') != std::string_view::npos) {
    // bytea's hex output, "\x" with its backslash doubled by COPY: the digits are decoded
    // where they are, without unescaping a copy of a field that may be megabytes long.
    if (type.kind == Kind::Bytes && raw.substr(0, 3) == "\\\\x")
      return portable::from_hex(raw.substr(3));
    unescape(raw, scratch);
    raw = scratch;
  }
  return read_value(raw, type);
}

std::vector<data::Value> split_copy_line(std::string_view line) {
  std::vector<data::Value> fields;
  std::size_t start = 0;
  while (true) {
    std::size_t end = line.find('\t', start);
    std::string_view raw = line.substr(start, end == std::string_view::npos ? end : end - start);
    if (raw == "\\N") {
      fields.emplace_back();
    } else if (raw.find('\\') == std::string_view::npos) {
      fields.emplace_back(std::string(raw));  // the common case: nothing escaped
    } else {
      fields.emplace_back(std::string());
      unescape(raw, *fields.back());
    }
    if (end == std::string_view::npos) return fields;
    start = end + 1;
  }
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
