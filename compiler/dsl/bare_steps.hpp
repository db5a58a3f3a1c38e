#pragma once
// A schema change written on its own in an `up` or `down` block (not inside a `step` block)
// becomes a step whose id and name are derived from the change. The printer uses the same
// functions to decide whether a step can be written back in that short form.
#include <string>

#include "compiler/ir/ir.hpp"

namespace migpkg::dsl {

std::string bare_step_id(const ir::SchemaChange& change);    // "create-table-crm_users"
std::string bare_step_name(const ir::SchemaChange& change);  // "Create table crm_users"

// A `load "data/x.ndjson" into t` written on its own.
std::string bare_step_id(const ir::Load& load);    // "load-countries"
std::string bare_step_name(const ir::Load& load);  // "Load data/countries.ndjson into countries"

// True when `step` is exactly what the short form of its change (or load) produces.
bool is_bare_step(const ir::Step& step);

}  // namespace migpkg::dsl
