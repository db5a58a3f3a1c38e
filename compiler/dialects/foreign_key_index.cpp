#include "compiler/dialects/foreign_key_index.hpp"

#include <algorithm>

namespace migpkg::ddl {
namespace {

bool leftmost(const std::vector<std::string>& index_columns,
              const std::vector<std::string>& columns) {
  return !columns.empty() && index_columns.size() >= columns.size() &&
         std::equal(columns.begin(), columns.end(), index_columns.begin());
}

bool is_foreign_key(const ir::Constraint& k) {
  return k.kind == ir::Constraint::Kind::ForeignKey;
}

}  // namespace

bool fk_covered(const IndexedTable& table, const std::vector<std::string>& columns) {
  for (const auto& k : table.constraints)
    if ((k.kind == ir::Constraint::Kind::PrimaryKey || k.kind == ir::Constraint::Kind::Unique) &&
        leftmost(k.columns, columns))
      return true;
  for (const auto& index : table.indexes)
    if (index.where.empty() && leftmost(index.columns, columns)) return true;
  return false;
}

std::vector<const ir::Constraint*> fk_indexes_made_redundant(const IndexedTable& before,
                                                             const IndexedTable& after) {
  std::vector<const ir::Constraint*> out;
  for (const auto& k : after.constraints)
    if (is_foreign_key(k) && !fk_covered(before, k.columns) && fk_covered(after, k.columns))
      out.push_back(&k);
  return out;
}

std::vector<const ir::Constraint*> fk_indexes_needed(const IndexedTable& before,
                                                     const IndexedTable& after) {
  std::vector<const ir::Constraint*> out;
  for (const auto& k : after.constraints)
    if (is_foreign_key(k) && fk_covered(before, k.columns) && !fk_covered(after, k.columns))
      out.push_back(&k);
  return out;
}

}  // namespace migpkg::ddl
