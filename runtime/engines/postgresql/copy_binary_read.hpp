#pragma once
// Internal to runtime/engines/postgresql/: reading a table's rows in COPY's binary format
// (`COPY (SELECT ...) TO STDOUT (FORMAT binary)`), what read_data does. Only values whose send
// form is as plain as their text are decoded from it (booleans, integers, bytea, uuid, text,
// json); every other column is cast to text in the SELECT, and its output text is read as the
// text format's values are (data_values.hpp). So the server no longer escapes text or writes
// bytea in hex, nor the client undo both, while decimals, floats, dates and times still come
// from PostgreSQL's own output functions.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/data/data_table.hpp"
#include "runtime/engines/postgresql/copy_binary.hpp"

namespace migpkg::runtime::postgresql_data {

// Whether a column of that binary form is read in it (else: selected as `::text`).
bool read_in_binary(const std::optional<BinaryForm>& form);

// The portable form of one binary field of a column read in `form`; throws std::invalid_argument
// with the reason when the bytes are not a value of it, or the value has no portable form.
std::string decode_binary_field(std::string_view bytes, BinaryForm form,
                                const ir::ColumnType& type);

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
