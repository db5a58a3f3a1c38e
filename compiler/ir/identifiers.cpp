#include "compiler/ir/identifiers.hpp"

#include <regex>

namespace migpkg {

bool is_valid_plugin_id(const std::string& id) {
  static const std::regex pattern(R"(^[a-z0-9]([a-z0-9._-]{0,126}[a-z0-9])?$)");
  return std::regex_match(id, pattern);
}

bool is_valid_id(const std::string& id) {
  static const std::regex pattern(R"(^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$)");
  return std::regex_match(id, pattern);
}

}  // namespace migpkg
