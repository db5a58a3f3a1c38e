#pragma once
// The built-in transform functions (compiler/transform/function_catalog.hpp: the same names and
// parameter shapes a transform step's mapping takes) evaluated on portable values, for the
// mappings of `import` and `copy` (docs/data.md, "Mappings"). A transform step runs them as SQL
// in the database; rows being imported come from a file, so here they run in migpkg, with the
// meaning docs/data.md gives each. NULL in gives NULL out, except for coalesce.
#include <string>
#include <vector>

#include "compiler/ir/literal.hpp"
#include "runtime/data/data_table.hpp"

namespace migpkg::data {

// `name` must be a catalog function whose parameters fit (check_parameters); throws
// std::runtime_error naming the function and the value when the value does not suit it (a
// number function given text that is not a number).
Value apply_function(const std::string& name, const std::vector<ir::Literal>& parameters,
                     const Value& value);

// A literal's text as a portable value (NULL: nullopt; booleans "true"/"false").
Value literal_value(const ir::Literal& literal);

}  // namespace migpkg::data
