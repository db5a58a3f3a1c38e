#include "runtime/data/csv_decoder.hpp"

#include "runtime/data/file_values.hpp"

namespace migpkg::data {

CsvDecoder::CsvDecoder(const DataTable& table, std::string file)
    : table_(table), file_(std::move(file)) {}

std::size_t CsvDecoder::split(std::string_view record, const std::string& where) {
  std::size_t count = 0, i = 0, n = record.size();
  for (;;) {
    if (fields_.size() <= count) fields_.emplace_back();
    Field& field = fields_[count++];
    field.text.clear();
    field.quoted = i < n && record[i] == '"';
    if (field.quoted) {
      ++i;
      for (;;) {
        std::size_t quote = record.find('"', i);
        if (quote == std::string_view::npos)
          throw DecodeError(where + "field " + std::to_string(count) + ": a quote is not closed");
        field.text.append(record.data() + i, quote - i);
        i = quote + 1;
        if (i < n && record[i] == '"') {
          field.text += '"';
          ++i;
          continue;
        }
        break;
      }
      if (i < n && record[i] != ',')
        throw DecodeError(where + "field " + std::to_string(count) +
                          ": text after the closing quote");
    } else {
      std::size_t end = record.find(',', i);
      if (end == std::string_view::npos) end = n;
      std::string_view text = record.substr(i, end - i);
      if (text.find('"') != std::string_view::npos)
        throw DecodeError(where + "field " + std::to_string(count) +
                          ": a quote inside an unquoted field");
      field.text.assign(text);
      i = end;
    }
    if (i >= n) return count;
    ++i;  // the comma
  }
}

std::vector<std::string> CsvDecoder::fields_of(std::string_view record, const std::string& where) {
  CsvDecoder decoder(DataTable{}, "");
  std::size_t count = decoder.split(record, where);
  std::vector<std::string> fields;
  for (std::size_t i = 0; i < count; ++i) fields.push_back(std::move(decoder.fields_[i].text));
  return fields;
}

void CsvDecoder::read_header(std::string_view record, std::uint64_t line) {
  const std::string where = file_ + ":" + std::to_string(line) + ": header: ";
  std::size_t count = split(record, where);
  order_.assign(count, 0);
  std::vector<char> seen(table_.columns.size());
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t column = 0;
    while (column < table_.columns.size() && table_.columns[column].name != fields_[i].text)
      ++column;
    if (column == table_.columns.size())
      throw DecodeError(where + quoted_for_message(fields_[i].text) + " is not a column of table " +
                        table_.name);
    if (seen[column])
      throw DecodeError(where + quoted_for_message(fields_[i].text) + " is there twice");
    seen[column] = 1;
    order_[i] = column;
  }
  for (std::size_t c = 0; c < seen.size(); ++c)
    if (!seen[c])
      throw DecodeError(where + "column " + quoted_for_message(table_.columns[c].name) +
                        " is missing");
}

void CsvDecoder::read_row(std::string_view record, std::uint64_t line, Row& row) {
  const std::string where = file_ + ":" + std::to_string(line) + ": ";
  std::size_t count = split(record, where);
  if (count != order_.size())
    throw DecodeError(where + std::to_string(count) + " fields where the header has " +
                      std::to_string(order_.size()));
  row.assign(table_.columns.size(), std::nullopt);
  for (std::size_t i = 0; i < count; ++i) {
    Field& field = fields_[i];
    if (field.text.empty() && !field.quoted) continue;  // NULL
    const DataColumn& column = table_.columns[order_[i]];
    std::string reason = portable_from_file(column.type, field.text, row[order_[i]].emplace());
    if (!reason.empty())
      throw DecodeError(where + "column " + quoted_for_message(column.name) + ": value " +
                        quoted_for_message(field.text) + ": " + reason);
  }
}

}  // namespace migpkg::data
