#pragma once
// The content hash that `verify` compares between source and target, and that dataset.json
// records per table: a digest of every row's portable form (data_table.hpp), independent of row
// order. Order-independent on purpose: "primary-key order" is not one order across engines
// (PostgreSQL, MySQL and SQLite collate text keys differently), so a digest that depended on it
// would differ for equal tables. Each row's encoding (every value length-prefixed, NULL distinct
// from the empty string) is hashed with SHA-256 and the digests are added as 256-bit integers;
// equal multisets of rows give equal sums, and a missing, extra, doubled or changed row changes
// it. docs/data.md, "Verification".
#include <array>
#include <cstdint>
#include <string>

#include "runtime/data/data_table.hpp"

namespace migpkg::data {

class ContentDigest {
 public:
  void add(const Row& row);
  void add(const ValueViews& row);  // the same digest for the same values
  // Adds the rows another digest took: the sum of a table's digests taken batch by batch is
  // the table's (the sum does not depend on how the rows are split or ordered).
  void add(const ContentDigest& rows);
  std::uint64_t rows() const { return rows_; }
  // "sha256-sum:" and 64 hex digits.
  std::string hex() const;

 private:
  std::array<std::uint64_t, 4> sum_{};  // the 256-bit sum of the rows' digests, low limb first
  std::uint64_t rows_ = 0;
};

}  // namespace migpkg::data
