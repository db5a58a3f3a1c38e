#pragma once
// MySQL (DdlSpec::foreign_key_index): which foreign keys get an index of their own.
//
// InnoDB needs an index whose leftmost columns are a foreign key's columns. When none exists it
// creates one by itself, drops that one silently when a later index covers the columns, and
// then refuses to drop the later index ("needed in a foreign key constraint"). So migpkg keeps
// this rule true at every point of the replayed schema, which every change and automatic down
// is compiled against:
//
//   a foreign key has its own index, named like it, exactly when no other index covers it
//
// where the covering indexes are the primary key, the unique constraints and the declared
// (createIndex) indexes of the table, never another foreign key's own index (that one goes
// away with its foreign key). A change that adds a covering index drops the own indexes it
// makes redundant; one that drops the last cover first gives the foreign key its own index.
#include <string>
#include <vector>

#include "compiler/ir/schema_change.hpp"

namespace migpkg::ddl {

// The constraints and indexes of a table, as far as covering foreign keys goes.
struct IndexedTable {
  std::vector<ir::Constraint> constraints;
  std::vector<ir::Index> indexes;
};

// Whether an index of `table` other than the foreign keys' own has `columns` as its leftmost
// columns, in order.
bool fk_covered(const IndexedTable& table, const std::vector<std::string>& columns);

// The foreign keys of `after` that have their own index in `before` (uncovered there) and need
// none in `after`: their own index is dropped.
std::vector<const ir::Constraint*> fk_indexes_made_redundant(const IndexedTable& before,
                                                             const IndexedTable& after);

// The foreign keys of `after` covered in `before` but not in `after`: each gets its own index
// before the cover goes.
std::vector<const ir::Constraint*> fk_indexes_needed(const IndexedTable& before,
                                                     const IndexedTable& after);

}  // namespace migpkg::ddl
