#include "compiler/transform/function_catalog.hpp"

namespace migpkg {

using Kind = FunctionSignature::ParameterKind;

const std::vector<FunctionSignature>& builtin_functions() {
  static const std::vector<FunctionSignature> functions = {
      {"upper", 0, 0, Kind::Any, "upper-cases text"},
      {"lower", 0, 0, Kind::Any, "lower-cases text"},
      {"trim", 0, 0, Kind::Any, "removes leading and trailing spaces"},
      {"ltrim", 0, 0, Kind::Any, "removes leading spaces"},
      {"rtrim", 0, 0, Kind::Any, "removes trailing spaces"},
      {"length", 0, 0, Kind::Any, "number of characters"},
      {"abs", 0, 0, Kind::Any, "absolute value"},
      {"round", 0, 1, Kind::Integer, "rounds to [digits] decimal places (default 0)"},
      {"substring", 1, 2, Kind::Integer, "characters from [start] (1-based), [length] of them"},
      {"replace", 2, 2, Kind::String, "replaces every [from] with [to]"},
      {"concat", 1, -1, Kind::Any, "appends the parameters as text"},
      {"coalesce", 1, 1, Kind::Any, "[fallback] when the value is NULL"},
      {"nullif", 1, 1, Kind::Any, "NULL when the value equals [value]"},
      {"to_text", 0, 0, Kind::Any, "casts to text"},
      {"to_integer", 0, 0, Kind::Any, "casts to a 64-bit integer"},
      {"to_decimal", 0, 0, Kind::Any, "casts to a decimal number"},
      {"to_boolean", 0, 0, Kind::Any, "casts to a boolean (SQLite: 0 or 1)"},
  };
  return functions;
}

const FunctionSignature* find_function(const std::string& name) {
  for (const auto& function : builtin_functions())
    if (function.name == name) return &function;
  return nullptr;
}

std::vector<std::string> builtin_function_names() {
  std::vector<std::string> names;
  for (const auto& function : builtin_functions()) names.push_back(function.name);
  return names;
}

std::string check_parameters(const FunctionSignature& signature,
                             const std::vector<ir::Literal>& parameters) {
  int count = static_cast<int>(parameters.size());
  if (count < signature.min_parameters ||
      (signature.max_parameters >= 0 && count > signature.max_parameters)) {
    std::string expected = signature.min_parameters == signature.max_parameters
                               ? std::to_string(signature.min_parameters)
                           : signature.max_parameters < 0
                               ? "at least " + std::to_string(signature.min_parameters)
                               : std::to_string(signature.min_parameters) + " to " +
                                     std::to_string(signature.max_parameters);
    bool singular = signature.max_parameters == 1;
    return "function \"" + signature.name + "\" takes " + expected + " parameter" +
           (singular ? "" : "s") + ", found " + std::to_string(count);
  }
  for (const auto& parameter : parameters) {
    if (signature.kind == Kind::Integer && parameter.kind != ir::Literal::Kind::Integer)
      return "function \"" + signature.name + "\" takes integer parameters";
    if (signature.kind == Kind::String && parameter.kind != ir::Literal::Kind::String)
      return "function \"" + signature.name + "\" takes string parameters";
  }
  return {};
}

}  // namespace migpkg
