#pragma once
// The CSV row encoder (row_codec.hpp): RFC 4180, a header row of the column names, records
// ending in CRLF. A field is quoted when it is empty or holds a comma, a quote, CR or LF
// (quotes doubled), so NULL, an empty unquoted field, stays apart from the empty string "".
// Values are their portable text; bytes are base64. CSV holds any bytes, invalid UTF-8 too.
#include <string>

#include "runtime/data/row_codec.hpp"

namespace migpkg::data {

class CsvEncoder : public RowEncoder {
 public:
  explicit CsvEncoder(const DataTable& table) : table_(table) {}
  void append_header(std::string& out) const override;
  void append_row(const Row& row, std::uint64_t row_number, std::string& out) const override;

 private:
  DataTable table_;
};

// Appends `text` as one CSV field (quoted when it must be).
void append_csv_field(std::string& out, std::string_view text);

}  // namespace migpkg::data
