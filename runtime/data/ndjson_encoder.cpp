// NDJSON rows: one JSON object per line, keys the column names in the table's order. Values by
// portable type: integers and finite floats as bare numbers (the portable text itself, so
// 64-bit integers never pass through a double), NaN and the infinities as strings, booleans as
// true/false, json and vector columns embedded (a JSON null value is refused: it would read
// back as NULL), bytes as base64 strings, everything else as
// strings, NULL as null. Written with appends to one buffer: no DOM, no allocation per value.
#include "runtime/data/ndjson_encoder.hpp"

#include <string_view>

#include "runtime/data/base64.hpp"
#include "runtime/data/file_values.hpp"
#include "runtime/data/json_text.hpp"

namespace migpkg::data {
namespace {

using Kind = ir::ColumnType::Kind;

bool integer_text(const std::string& text) {
  if (text.empty()) return false;
  for (std::size_t i = text[0] == '-' ? 1 : 0; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  return text != "-";
}

}  // namespace

NdjsonEncoder::NdjsonEncoder(const DataTable& table) : table_(table) {
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    std::string prefix = i == 0 ? "{" : ",";
    append_json_string(prefix, table.columns[i].name);
    prefix += ':';
    prefixes_.push_back(std::move(prefix));
  }
}

void NdjsonEncoder::fail(std::uint64_t row_number, std::size_t column, const std::string& value,
                         const std::string& why) const {
  throw EncodeError("table " + table_.name + ", row #" + std::to_string(row_number) + ", column " +
                    table_.columns[column].name + ", value " + quoted_for_message(value) + ": " +
                    why);
}

void NdjsonEncoder::append_row(const Row& row, std::uint64_t row_number, std::string& out) const {
  const std::size_t n = table_.columns.size();
  if (row.size() != n)
    throw EncodeError("table " + table_.name + ", row #" + std::to_string(row_number) + ": " +
                      std::to_string(row.size()) + " values for " + std::to_string(n) + " columns");
  if (n == 0) out += '{';
  for (std::size_t i = 0; i < n; ++i) {
    out += prefixes_[i];
    const Value& value = row[i];
    if (!value) {
      out += "null";
      continue;
    }
    const std::string& text = *value;
    switch (table_.columns[i].type.kind) {
      case Kind::Int16:
      case Kind::Int32:
      case Kind::Int64:
      case Kind::Serial:
      case Kind::BigSerial:
        if (!integer_text(text)) fail(row_number, i, text, "not an integer in portable form");
        out += text;
        break;
      case Kind::Float32:
      case Kind::Float64:
        if (std::string_view(text) == "NaN" || std::string_view(text) == "Infinity" ||
            std::string_view(text) == "-Infinity") {
          out += '"';
          out += text;
          out += '"';
        } else if (is_json_number(text)) {
          out += text;
        } else {
          fail(row_number, i, text, "not a number in portable form");
        }
        break;
      case Kind::Bool:
        // Compared as views: std::string's compare with a C string measured its length first.
        if (std::string_view(text) != "true" && std::string_view(text) != "false")
          fail(row_number, i, text, "not true or false");
        out += text;
        break;
      case Kind::Json:
      case Kind::Vector:
        if (text.empty()) fail(row_number, i, text, "empty text is not JSON");
        // Embedded, JSON's null would read back as SQL NULL: refused rather than changed.
        if (text == "null")
          fail(row_number, i, text,
               "a JSON null in a json column cannot be told from NULL in NDJSON (--format csv "
               "can hold it)");
        out += text;  // the portable form is compact JSON already
        break;
      case Kind::Bytes:
        out += '"';
        append_base64(out, text);
        out += '"';
        break;
      default:
        if (!append_json_string(out, text))
          fail(row_number, i, text,
               "text that is not valid UTF-8 cannot be written to NDJSON (--format csv can hold "
               "it)");
    }
  }
  out += "}\n";
}

}  // namespace migpkg::data
