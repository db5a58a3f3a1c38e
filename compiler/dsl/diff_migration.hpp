#pragma once
// `migpkg diff`'s output: the changes schema_diff found, as one DSL migration whose down steps
// the compiler derives (docs/diff.md).
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace migpkg::dsl {

struct DiffMigrationSpec {
  std::string plugin_id;
  std::string id;
  std::string version;  // a semantic version
  std::string name;
  // Migrations it builds on (the last one of the plugin the diff started from).
  std::vector<std::string> depends_on;
  // Down steps written out (the changes from the target back to the start), for a migration
  // whose tables the compiler does not know from sources (a database's) and so cannot derive
  // downs for. Unset: the down steps are derived.
  std::optional<std::vector<ir::SchemaChange>> down;
};

// One step per change (up and, when given, down), each in the DSL's short form where its id is
// unique. Throws std::invalid_argument when spec.version is no semantic version.
ir::Migration diff_migration(const std::vector<ir::SchemaChange>& changes,
                             const DiffMigrationSpec& spec);

}  // namespace migpkg::dsl
