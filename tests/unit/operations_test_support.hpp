#pragma once
// What the operations tests share: waiting for an operation to finish, with its record checked
// against schemas/operation.schema.json.
#include <chrono>
#include <string>

#include "runtime/operations/operation_registry.hpp"

namespace migpkg::test {

// `text` (JSON) matches schemas/`schema`.
void check_schema(const std::string& text, const std::string& schema);

// Waits up to `timeout` for operation `id` to finish (fails the test if it does not) and returns
// its record, which must match operation.schema.json.
operations::OperationRecord finished_operation(operations::OperationRegistry& registry,
                                               const std::string& id, std::chrono::seconds timeout);

}  // namespace migpkg::test
