#include "runtime/data/csv_encoder.hpp"

#include <cstring>

#include "runtime/data/base64.hpp"

namespace migpkg::data {

void append_csv_field(std::string& out, std::string_view text) {
  bool quote = text.empty();
  for (char c : text)
    if (c == ',' || c == '"' || c == '\r' || c == '\n') {
      quote = true;
      break;
    }
  if (!quote) {
    out += text;
    return;
  }
  out += '"';
  std::size_t start = 0;
  for (std::size_t q; (q = text.find('"', start)) != std::string_view::npos; start = q + 1) {
    out.append(text.data() + start, q + 1 - start);
    out += '"';
  }
  out.append(text.data() + start, text.size() - start);
  out += '"';
}

void CsvEncoder::append_header(std::string& out) const {
  for (std::size_t i = 0; i < table_.columns.size(); ++i) {
    if (i) out += ',';
    append_csv_field(out, table_.columns[i].name);
  }
  out += "\r\n";
}

void CsvEncoder::append_row(const Row& row, std::uint64_t row_number, std::string& out) const {
  const std::size_t n = table_.columns.size();
  if (row.size() != n)
    throw EncodeError("table " + table_.name + ", row #" + std::to_string(row_number) + ": " +
                      std::to_string(row.size()) + " values for " + std::to_string(n) + " columns");
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out += ',';
    const Value& value = row[i];
    if (!value) continue;  // NULL: an empty unquoted field
    if (table_.columns[i].type.kind == ir::ColumnType::Kind::Bytes) {
      if (value->empty()) {
        out += "\"\"";
      } else {
        append_base64(out, *value);  // the alphabet needs no quotes
      }
    } else {
      append_csv_field(out, *value);
    }
  }
  out += "\r\n";
}

}  // namespace migpkg::data
