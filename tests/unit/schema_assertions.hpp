#pragma once
// The test assertion over json_schema_check.hpp that the report and statement tests share.
#include <string>

namespace migpkg::test {

// Fails the test unless `text` parses and matches schemas/<schema>, listing every violation.
void require_schema(const std::string& schema, const std::string& text);

}  // namespace migpkg::test
