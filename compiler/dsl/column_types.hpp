#pragma once
// The DSL's spelling of portable column types: `string(255)`, `decimal(10, 2)`, `enum("a", "b")`.
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/schema_change.hpp"

namespace migpkg::dsl {

// A type as written: its name and its arguments (numbers or enum values).
struct TypeSpelling {
  std::string name;
  std::vector<std::string> arguments;
  std::vector<bool> argument_is_number;
};

// Resolves a spelling; on failure returns nullopt with `error` and, for an unknown name, `hint`.
std::optional<ir::ColumnType> resolve_type(const TypeSpelling& spelling, std::string& error,
                                           std::string& hint);
// The canonical DSL text of a type (what the printer writes).
std::string type_text(const ir::ColumnType& type);

}  // namespace migpkg::dsl
