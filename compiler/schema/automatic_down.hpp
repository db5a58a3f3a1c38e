#pragma once
// The inverse of a declarative change, computed from the schema before it. Used to derive the
// down steps of a migration written with "down": "automatic" (the DSL default).
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/schema_change.hpp"
#include "compiler/schema/schema_model.hpp"

namespace migpkg::schema {

struct Inverse {
  std::vector<ir::SchemaChange> changes;  // run in this order to undo the change
  std::string data_loss;                  // non-empty: what undoing cannot bring back
};

// nullopt when the inverse needs structure the model does not have (a table created by raw
// SQL); `why` then says what is missing.
std::optional<Inverse> inverse_of(const ir::SchemaChange& change, const SchemaModel& before,
                                  std::string* why);

}  // namespace migpkg::schema
