#pragma once
// A SchemaChange written as the JSON `change` member of a step (the exact shape the JSON front
// end reads, see compiler/json/change_reader.cpp and docs/format.md). Names are always written:
// after normalization every constraint and index has one.
#include "compiler/ir/literal.hpp"
#include "compiler/ir/schema_change.hpp"
#include "compiler/json/json_writer.hpp"

namespace migpkg {

void write_schema_change(JsonWriter& out, const ir::SchemaChange& change);
void write_literal(JsonWriter& out, const ir::Literal& literal);

}  // namespace migpkg
