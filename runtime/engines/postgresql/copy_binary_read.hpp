#pragma once
// Internal to runtime/engines/postgresql/: reading a table's rows in COPY's binary format
// (`COPY (SELECT ...) TO STDOUT (FORMAT binary)`), what read_data does. Every column with a
// binary form (copy_binary.hpp) is read in it; a decimal, date, time or timestamp is turned into
// the text the server's output function would print (numeric_out, date_out, ... in DateStyle ISO
// and TimeZone UTC) and read as the text format's values are (data_values.hpp), so it gives the
// same portable value and the same refusals, while the server no longer formats them: that
// formatting was a fourth of the server's time for a COPY TO of a table with a decimal and a
// timestamp. Only a column without a binary form (vector, a domain over a domain) is cast to text
// in the SELECT.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/data/data_table.hpp"
#include "runtime/engines/postgresql/copy_binary.hpp"

namespace migpkg::runtime::postgresql_data {

// The text the server prints for the value whose send form is `bytes` (for messages, and what
// decode_binary_field reads a decimal, date, time or timestamp from); throws
// std::invalid_argument when the bytes are not a value of the form.
std::string output_text(std::string_view bytes, BinaryForm form, const ir::ColumnType& type);

// The portable form of one binary field of a column read in `form`; throws std::invalid_argument
// with the reason when the bytes are not a value of it, or the value has no portable form.
std::string decode_binary_field(std::string_view bytes, BinaryForm form,
                                const ir::ColumnType& type);

// decode_binary_field's value (and refusals) as a view: of `bytes` itself where the portable
// form is those bytes (bytea, text), else of `scratch`, which is reused value after value. Valid
// until `bytes` or `scratch` changes.
std::string_view decode_binary_view(std::string_view bytes, BinaryForm form,
                                    const ir::ColumnType& type, std::string& scratch);

// The rows of a binary COPY stream, fed in the pieces libpq hands out (a piece need not hold a
// whole row). Checks the header, each row's field count and every length against what is left;
// throws std::runtime_error naming what is wrong. Rows are read where they lie in the piece
// (libpq hands out one row a piece): only an unfinished row's bytes are copied, to be completed
// by the next piece.
class BinaryCopyRows {
 public:
  explicit BinaryCopyRows(std::size_t fields) : fields_(fields) {}
  // The next piece. It must stay valid until next() has returned false for it.
  void feed(const char* data, std::size_t size);
  // The next whole row's fields (NULL as nullopt), pointing into the piece (or the copy of an
  // unfinished row): valid until the next feed. False when no whole row is left.
  bool next(std::vector<std::optional<std::string_view>>& row);
  // Whether the stream's trailer was read, and nothing after it.
  bool complete() const { return ended_; }

 private:
  bool header();
  bool unfinished();  // keeps what is left of view_ for the next piece; returns false
  const std::size_t fields_;
  std::string carried_;    // an unfinished row (or header) from earlier pieces
  std::string_view view_;  // what is read now: the piece fed, or carried_ and the piece
  std::size_t at_ = 0;     // what was read of view_
  bool started_ = false, ended_ = false;
};

}  // namespace migpkg::runtime::postgresql_data
