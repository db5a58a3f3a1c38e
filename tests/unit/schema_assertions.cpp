#include "unit/schema_assertions.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "unit/json_schema_check.hpp"

namespace migpkg::test {

void require_schema(const std::string& schema, const std::string& text) {
  INFO("checked against " << schema << ":\n" << text);
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    FAIL("not JSON: " << e.what());
  }
  std::string listed;
  for (const auto& v : schema_violations(load_schema(schema), document)) listed += "  " + v + "\n";
  INFO("violations:\n" << listed);
  CHECK(listed.empty());
}

}  // namespace migpkg::test
