#pragma once
// Rows in their portable form (data_table.hpp) to the lines of a table file and back, in either
// file format (docs/data.md, "Data sets"). The encoders append to one buffer the caller reuses;
// the decoders read one record at a time (record_reader.hpp) and refuse anything that is not
// exactly a row of the table, naming the file, line and column.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "runtime/data/data_table.hpp"
#include "runtime/data/dataset.hpp"

namespace migpkg::data {

// A row the file cannot hold (text that is not UTF-8 in NDJSON) or a value that is not in the
// portable form the engine promised.
class EncodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A table file that is not what dataset.json says: "FILE:LINE: column C: what".
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RowEncoder {
 public:
  virtual ~RowEncoder() = default;
  // What comes before the first row (CSV's header line; nothing in NDJSON).
  virtual void append_header(std::string& out) const = 0;
  // `row` (one value per column) as one record; `row_number` (from 1) names it in errors.
  virtual void append_row(const Row& row, std::uint64_t row_number, std::string& out) const = 0;
};

class RowDecoder {
 public:
  virtual ~RowDecoder() = default;
  // Whether the file's first record is a header to give to read_header (CSV).
  virtual bool has_header() const = 0;
  virtual void read_header(std::string_view record, std::uint64_t line) = 0;
  // One record (without its line end) into `row`, one portable value per column in the table's
  // order. `line` is the record's first line in the file.
  virtual void read_row(std::string_view record, std::uint64_t line, Row& row) = 0;
};

std::unique_ptr<RowEncoder> make_row_encoder(FileFormat format, const DataTable& table);
// `file` names the file in errors.
std::unique_ptr<RowDecoder> make_row_decoder(FileFormat format, const DataTable& table,
                                             const std::string& file);

// "name" with control and quote characters escaped and long text cut, for messages.
std::string quoted_for_message(std::string_view text);

}  // namespace migpkg::data
