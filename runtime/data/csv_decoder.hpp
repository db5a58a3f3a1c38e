#pragma once
// The CSV row decoder (row_codec.hpp): the header must name exactly the table's columns (in any
// order); each record has one field per column; an unquoted empty field is NULL, a quoted one
// the empty string; a quote inside an unquoted field, or text after a closing quote, is an
// error.
#include <string>
#include <vector>

#include "runtime/data/row_codec.hpp"

namespace migpkg::data {

class CsvDecoder : public RowDecoder {
 public:
  CsvDecoder(const DataTable& table, std::string file);
  bool has_header() const override { return true; }
  void read_header(std::string_view record, std::uint64_t line) override;
  void read_row(std::string_view record, std::uint64_t line, Row& row) override;
  // The fields of one record, unquoted (a header's names); `where` starts errors.
  static std::vector<std::string> fields_of(std::string_view record, const std::string& where);

 private:
  struct Field {
    std::string text;
    bool quoted = false;
  };
  // Splits `record` into fields_ (reused); returns how many.
  std::size_t split(std::string_view record, const std::string& where);

  DataTable table_;
  std::string file_;
  std::vector<std::size_t> order_;  // field i holds column order_[i]
  std::vector<Field> fields_;
};

}  // namespace migpkg::data
