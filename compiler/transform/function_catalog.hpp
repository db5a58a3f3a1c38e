#pragma once
// The built-in value functions a field mapping may name. Names and parameter shapes are
// dialect-free; each dialect says how to spell them (compiler/dialects).
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace migpkg {

struct FunctionSignature {
  std::string name;
  int min_parameters = 0;
  int max_parameters = 0;  // -1 = any number
  enum class ParameterKind { Any, Integer, String } kind = ParameterKind::Any;
  std::string summary;  // one line for docs and hints
};

const std::vector<FunctionSignature>& builtin_functions();
const FunctionSignature* find_function(const std::string& name);
std::vector<std::string> builtin_function_names();

// An empty string when the parameters fit the signature, else why not.
std::string check_parameters(const FunctionSignature& signature,
                             const std::vector<ir::Literal>& parameters);

}  // namespace migpkg
