#include "runtime/data/row_codec.hpp"

#include "runtime/data/csv_decoder.hpp"
#include "runtime/data/csv_encoder.hpp"
#include "runtime/data/ndjson_decoder.hpp"
#include "runtime/data/ndjson_encoder.hpp"

namespace migpkg::data {

std::unique_ptr<RowEncoder> make_row_encoder(FileFormat format, const DataTable& table) {
  if (format == FileFormat::Csv) return std::make_unique<CsvEncoder>(table);
  return std::make_unique<NdjsonEncoder>(table);
}

std::unique_ptr<RowDecoder> make_row_decoder(FileFormat format, const DataTable& table,
                                             const std::string& file) {
  if (format == FileFormat::Csv) return std::make_unique<CsvDecoder>(table, file);
  return std::make_unique<NdjsonDecoder>(table, file);
}

std::string quoted_for_message(std::string_view text) {
  static const char hex[] = "0123456789abcdef";
  constexpr std::size_t kShown = 60;
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < kShown; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += char(c);
    }
  }
  out += '"';
  if (text.size() > kShown) out += " (" + std::to_string(text.size()) + " bytes)";
  return out;
}

}  // namespace migpkg::data
