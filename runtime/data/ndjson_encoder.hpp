#pragma once
// The NDJSON row encoder (row_codec.hpp; the rules are in ndjson_encoder.cpp).
#include <string>
#include <vector>

#include "runtime/data/row_codec.hpp"

namespace migpkg::data {

class NdjsonEncoder : public RowEncoder {
 public:
  explicit NdjsonEncoder(const DataTable& table);
  void append_header(std::string&) const override {}
  void append_row(const Row& row, std::uint64_t row_number, std::string& out) const override;

 private:
  [[noreturn]] void fail(std::uint64_t row_number, std::size_t column, const std::string& value,
                         const std::string& why) const;
  DataTable table_;
  std::vector<std::string> prefixes_;  // '{' or ',', the key as a JSON string, ':'
};

}  // namespace migpkg::data
