#pragma once
// The conventions of tests/data/edge-values.json, which the engine tests (test_data_engines.cpp)
// and the copy tests (test_data_move.cpp) both read: a value is a string, null (NULL) or
// {"repeat": S, "times": N} (S N times); an entry's input is "in", or "hex" for bytes.
#include <nlohmann/json.hpp>

#include "runtime/data/data_table.hpp"

namespace migpkg::test {

migpkg::data::Value edge_text(const nlohmann::json& value);
migpkg::data::Value edge_input(const nlohmann::json& entry);

}  // namespace migpkg::test
