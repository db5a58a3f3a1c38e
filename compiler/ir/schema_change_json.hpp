#pragma once
// A SchemaChange written as the JSON `change` member of a step (the exact shape the JSON front
// end reads, see compiler/json/change_reader.cpp and docs/format.md). Names are always written:
// after normalization every constraint and index has one.
#include <nlohmann/json.hpp>

#include "compiler/ir/literal.hpp"
#include "compiler/ir/schema_change.hpp"

namespace migpkg {

nlohmann::ordered_json schema_change_json(const ir::SchemaChange& change);
nlohmann::ordered_json literal_json(const ir::Literal& literal);

}  // namespace migpkg
