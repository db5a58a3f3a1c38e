#pragma once
// The rows of a load step's data file, record by record, as portable values of the file's
// columns (docs/format.md, "load"). NDJSON: one JSON object per line, the same keys on every
// line, each a column of the table; strings, numbers and booleans are the values' portable
// text, objects and arrays embedded JSON (compact, keys sorted), null is NULL. CSV: a header
// line naming the columns; an unquoted empty field is NULL, a quoted one the empty string.
// Anything else is a DecodeError "FILE:LINE: what".
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/data/data_table.hpp"

namespace migpkg::runtime {

class LoadFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class LoadRowReader {
 public:
  // `label` names the file in errors; `content` must outlive the reader.
  LoadRowReader(const std::string& content, bool csv, std::string label,
                const data::DataTable& table);
  // The file's columns, in the order rows hold their values.
  const std::vector<std::string>& columns() const { return columns_; }
  // The next row and the line it starts on; false at the end.
  bool next(data::Row& row, std::uint64_t& line);

 private:
  bool next_ndjson(data::Row& row, std::uint64_t& line);
  bool next_csv(data::Row& row, std::uint64_t& line);
  [[noreturn]] void fail(std::uint64_t line, const std::string& what) const;

  const std::string& content_;
  bool csv_;
  std::string label_;
  std::vector<std::string> columns_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 0;  // lines consumed
};

}  // namespace migpkg::runtime
