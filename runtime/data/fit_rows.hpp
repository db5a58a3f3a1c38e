#pragma once
// The batch check of a load without a copy of every row (docs/data.md, "Type mapping": `fit`).
// Most rows a load writes are in the form portable::fit gives already: an engine read them into
// it, or the load fitted them on its reader thread (data_move.cpp). fits_as_it_is tells so
// without building the normal form, and fit_rows copies only a row with a value `fit` changes.
// Defined in portable_values.cpp, beside `fit`, whose checks they share.
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/data/data_table.hpp"

namespace migpkg::data::portable {

// Whether `fit` would take `value` for a column of `type` and leave it as it is, found without
// building its normal form: false when it would change or refuse it, or when that takes `fit`
// itself to tell (the types without a cheap check: floats, uuid, json, dates, times...).
bool fits_as_it_is(const ir::ColumnType& type, std::string_view value);

// What an engine cannot hold of a fitted value (PostgreSQL: a NUL byte in text): throws
// std::invalid_argument with the reason, and leaves the value as it is.
using EngineCheck = std::function<void(const DataColumn&, const std::string&)>;

// portable::fitted_rows' rows, for an engine whose own hook only checks (`check`, may be empty).
class FittedRows {
 public:
  // One per row given, in order: the caller's row, or its fitted copy.
  const std::vector<const Row*>& rows() const { return rows_; }
  bool empty() const { return rows_.empty(); }
  std::size_t size() const { return rows_.size(); }

 private:
  friend FittedRows fit_rows(const DataTable&, const std::vector<std::string>&,
                             const std::vector<Row>&, const EngineCheck&);
  std::vector<const Row*> rows_;
  std::deque<Row> copies_;  // a deque: rows_ points into it while it grows
};

// The same checks and ValueErrors as portable::fitted_rows (`check` in place of its `after`,
// no `before`), the rows not copied unless a value of theirs changes.
FittedRows fit_rows(const DataTable& table, const std::vector<std::string>& names,
                    const std::vector<Row>& rows, const EngineCheck& check);

}  // namespace migpkg::data::portable
