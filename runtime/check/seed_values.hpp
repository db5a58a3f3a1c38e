#pragma once
// The values `check --seed` writes, as the text a parameterised statement binds: per portable
// column type a set of edge values (the type's minimum and maximum, empty and full-length
// strings, non-ASCII text, leap days), plain values drawn from a seeded PRNG, and values that
// are distinct for distinct numbers, for columns of primary and unique keys.
#include <cstdint>
#include <string>

#include "compiler/ir/schema_change.hpp"
#include "runtime/engines/engine.hpp"

namespace migpkg::runtime {

// splitmix64: small, fast and the same on every platform, so a seed gives the same rows.
class SeedRandom {
 public:
  explicit SeedRandom(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::uint64_t below(std::uint64_t bound) { return bound == 0 ? 0 : next() % bound; }

 private:
  std::uint64_t state_;
};

// FNV-1a: mixes a table or column name into a seed.
std::uint64_t seed_hash(const std::string& text, std::uint64_t seed);

// How many edge values the type has; edge_value cycles through them.
std::size_t edge_value_count(const ir::ColumnType& type);
std::string edge_value(const ir::ColumnType& type, std::size_t which, const Engine& engine);
std::string plain_value(const ir::ColumnType& type, SeedRandom& random, const Engine& engine);
// Distinct for distinct `n` (as far as the type has room: a bool has two values).
std::string unique_value(const ir::ColumnType& type, std::uint64_t n, const Engine& engine);

}  // namespace migpkg::runtime
