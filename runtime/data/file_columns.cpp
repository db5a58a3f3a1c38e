#include "runtime/data/file_columns.hpp"

#include <set>

#include "runtime/data/csv_decoder.hpp"
#include "runtime/data/json_text.hpp"
#include "runtime/data/row_codec.hpp"

namespace migpkg::data {

std::vector<std::string> file_columns(FileFormat format, std::string_view first_record,
                                      std::uint64_t line, const std::string& file) {
  const std::string where = file + ":" + std::to_string(line) + ": ";
  if (format == FileFormat::Csv) return CsvDecoder::fields_of(first_record, where + "header: ");
  std::vector<std::string> keys;
  JsonCursor cursor(first_record);
  try {
    cursor.expect('{');
    if (!cursor.accept('}')) {
      std::string key, value;
      do {
        cursor.read_string(key);
        keys.push_back(key);
        cursor.expect(':');
        value.clear();
        cursor.read_canonical_value(value);
      } while (cursor.accept(','));
      cursor.expect('}');
    }
    cursor.skip_space();
    if (!cursor.at_end()) cursor.fail("text after the row's object");
  } catch (const JsonSyntaxError& e) {
    throw DecodeError(where + e.what() + " at byte " + std::to_string(e.offset() + 1));
  }
  return keys;
}

DataTable column_subset(const DataTable& table, const std::vector<std::string>& names,
                        std::uint64_t line, const std::string& file) {
  const std::string where = file + ":" + std::to_string(line) + ": ";
  DataTable subset;
  // The decoders name the table when a row's column is not one of its columns: here that is
  // a column the first record did not name.
  subset.name = table.name + " as line " + std::to_string(line) +
                " names them (every row names the same columns)";
  std::set<std::string> seen;
  for (const std::string& name : names) {
    const DataColumn* column = table.find_column(name);
    if (!column)
      throw DecodeError(where + quoted_for_message(name) + " is not a column of table " +
                        table.name);
    if (!seen.insert(name).second)
      throw DecodeError(where + "column " + quoted_for_message(name) + " is there twice");
    subset.columns.push_back(*column);
  }
  bool whole_key = !table.primary_key.empty();
  for (const std::string& key : table.primary_key) whole_key = whole_key && seen.count(key);
  if (whole_key) subset.primary_key = table.primary_key;
  return subset;
}

}  // namespace migpkg::data
