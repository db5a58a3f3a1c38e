#pragma once
// What `check --seed` and `check --against` hold the data to: after an up, no surviving table
// has fewer rows and every foreign key points at a row; after a down, every row of every table
// as it was before the up is back with the same values, except what the migration declares
// lost. Each problem is one line naming the table, the row's key and the column.
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "runtime/check/table_rows.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

// What a migration's down cannot bring back, as the compiler's `down-loses-data` warning says:
// the automatic down of a dropped table recreates it empty, of a dropped column empty.
struct DeclaredLoss {
  std::set<std::string> tables;
  std::set<std::pair<std::string, std::string>> columns;  // (table, column)
};

// Tables of `before` that still exist in `after` with fewer rows.
std::vector<std::string> rows_lost(const DataSnapshot& before, const DataSnapshot& after);

// Rows and values of `before` missing from `after` (rows `after` has in addition are allowed:
// later seeding may have added them). At most a few lines per table, then a count.
std::vector<std::string> rows_not_restored(const DataSnapshot& before, const DataSnapshot& after,
                                           const DeclaredLoss& lost);

// Rows inserted, deleted or changed between the two snapshots (a table created counts its rows,
// a dropped one its rows; a changed table compares the columns both have, by key).
std::int64_t rows_touched(const DataSnapshot& before, const DataSnapshot& after);

// Rows whose foreign key points at no row: SQLite's foreign_key_check; on PostgreSQL the
// constraints hold by themselves except NOT VALID ones, which are checked by query.
std::vector<std::string> foreign_key_violations(Connection& connection);

}  // namespace migpkg::runtime
