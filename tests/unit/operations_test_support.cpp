#include "unit/operations_test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

#include "unit/json_schema_check.hpp"

namespace migpkg::test {

void check_schema(const std::string& text, const std::string& schema) {
  INFO(text);
  CHECK(schema_violations(load_schema(schema), nlohmann::json::parse(text)) ==
        std::vector<std::string>{});
}

operations::OperationRecord finished_operation(operations::OperationRegistry& registry,
                                               const std::string& id,
                                               std::chrono::seconds timeout) {
  std::optional<operations::OperationRecord> record = registry.wait(id, timeout);
  REQUIRE(record);
  INFO(record->to_json());
  REQUIRE(operations::is_finished(record->state));
  check_schema(record->to_json(), "operation.schema.json");
  return *record;
}

}  // namespace migpkg::test
