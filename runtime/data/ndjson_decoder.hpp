#pragma once
// The NDJSON row decoder (row_codec.hpp): each line one JSON object whose keys are exactly the
// table's columns (in any order); an unknown, repeated or missing key is an error, and so is a
// value of the wrong JSON kind for its column (a string for an integer, a number for text).
#include <string>
#include <unordered_map>

#include "runtime/data/row_codec.hpp"

namespace migpkg::data {

class NdjsonDecoder : public RowDecoder {
 public:
  NdjsonDecoder(const DataTable& table, std::string file);
  bool has_header() const override { return false; }
  void read_header(std::string_view, std::uint64_t) override {}
  void read_row(std::string_view record, std::uint64_t line, Row& row) override;

 private:
  DataTable table_;
  std::string file_;
  std::unordered_map<std::string, std::size_t> columns_;
  std::vector<char> seen_;
  std::string key_, text_;  // reused between values
};

}  // namespace migpkg::data
