#pragma once
// `check --seed N`: tops every table up to N rows before a migration's up, so the up and its down
// run over data instead of empty tables. Rows respect the column types, NOT NULL, primary and
// unique keys (distinct values per row) and foreign keys (values taken from the parent's rows;
// parents are filled first, a self reference points at an earlier row). A row the database
// still refuses (a CHECK the generator cannot see, a key that collides) is tried once more with
// plain values and otherwise left out: the generator never fails a check run.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "runtime/check/seed_table.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

struct SeedRequest {
  std::int64_t rows = 0;  // per table
  std::uint64_t seed = 1;
  // Which seeding of the run this is (one per migration): keys start past those of earlier
  // rounds, so new rows do not collide with rows an earlier round wrote.
  std::uint64_t round = 0;
};

struct SeedOutcome {
  std::map<std::string, std::int64_t> inserted;  // table -> rows added
  std::int64_t refused = 0;                      // rows the database refused twice
};

// Runs in one transaction (committed at the end); `connection` must not be in one.
SeedOutcome seed_tables(Connection& connection, const std::vector<SeedTable>& tables,
                        const SeedRequest& request);

}  // namespace migpkg::runtime
