#pragma once
// Any IR migration written as canonical DSL: what `migpkg convert --to dsl` prints. Parsing the
// output gives back the same IR (and so the same portable-migration-v1 JSON), which makes
// JSON -> DSL -> JSON a fixed point. Canonical means: one fixed order of members, defaults
// left out, two-space indentation, SQL in dollar-quoted blocks (docs/dsl.md, "Canonical form").
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace migpkg::dsl {

// `migrations` must all belong to one plugin (a .mig file declares one).
std::string print_dsl(const std::vector<ir::Migration>& migrations);

// Pieces, also used by tests.
std::string print_literal(const ir::Literal& literal);
std::string print_change(const ir::SchemaChange& change, const std::string& indent);

}  // namespace migpkg::dsl
