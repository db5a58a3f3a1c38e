#pragma once
// What the data checks of `check` take from the compiled program: per migration, the tables the
// replayed schema model knows just before its up (what the row generator fills), and what its
// down declares lost (the `down-loses-data` warnings of the automatic down).
//
// The tables carry the constraints the plan puts on them later too (a unique key, NOT NULL, a
// foreign key, a CHECK added by this or a later migration, on columns the table already has):
// the rows a plan is judged on are rows it is meant to accept. Whether a migration that adds a
// constraint copes with rows that break it is the concern of its pre-checks, not of the row
// comparison.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/check/data_checks.hpp"
#include "runtime/check/seed_table.hpp"

namespace migpkg::runtime {

struct MigrationFacts {
  std::vector<SeedTable> tables_before;
  std::vector<SeedTable> tables_after;  // what its up steps leave
  DeclaredLoss down_loses;
  // Table -> columns a transform of the plan reads through a `required`
  // mapping: they must not be NULL (applied to tables the replay does not know too).
  std::map<std::string, std::set<std::string>> required_later;
};

// Marks the `required_later` columns of the table NOT NULL.
void require_not_null(SeedTable& table,
                      const std::map<std::string, std::set<std::string>>& required);

// By "pluginId/migrationId".
std::map<std::string, MigrationFacts> migration_facts(const ir::Program& program);

}  // namespace migpkg::runtime
