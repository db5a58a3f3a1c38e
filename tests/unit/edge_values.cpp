#include "unit/edge_values.hpp"

#include "runtime/data/portable_values.hpp"

namespace migpkg::test {

migpkg::data::Value edge_text(const nlohmann::json& value) {
  if (value.is_null()) return std::nullopt;
  if (value.is_object()) {
    std::string out;
    for (int i = 0; i < value["times"].get<int>(); ++i) out += value["repeat"].get<std::string>();
    return out;
  }
  return value.get<std::string>();
}

migpkg::data::Value edge_input(const nlohmann::json& entry) {
  if (entry.contains("hex")) return migpkg::data::portable::from_hex(*edge_text(entry["hex"]));
  return edge_text(entry["in"]);
}

}  // namespace migpkg::test
