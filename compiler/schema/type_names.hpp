#pragma once
// The portable column type names both front ends accept: "int64", "string(255)",
// "decimal(10,2)", "enum('a','b')", "vector(3)", ... (case-insensitive; "identity" is an alias
// of "bigserial"). Parsing gives a ColumnType or a precise error; type_name() gives back the
// one canonical spelling, so DSL -> JSON -> DSL round trips print the same text.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/schema_change.hpp"

namespace migpkg::schema {

struct TypeNameError {
  std::string message;     // "string needs a length: string(n)"
  std::string hint;        // "did you mean `timestamptz`?" or ""
  std::size_t offset = 0;  // byte offset in the text where the problem is
};

// Parses a type name. On failure returns nullopt and fills `error` (when given).
std::optional<ir::ColumnType> parse_type_name(const std::string& text,
                                              TypeNameError* error = nullptr);

// The canonical spelling: lower case, no spaces, enum values quoted with '' escaping.
std::string type_name(const ir::ColumnType& type);

// Every accepted base name ("bool", ..., "vector", "identity"), for "did you mean" hints.
const std::vector<std::string>& type_base_names();

// Limits checked by the parser (the per-dialect limits are checked when compiling).
inline constexpr std::int64_t kMaxDecimalPrecision = 38;     // Oracle and SQL Server stop at 38
inline constexpr std::int64_t kMaxVectorDimensions = 16000;  // pgvector's limit

}  // namespace migpkg::schema
