#pragma once
// `import --where T:COND`: which rows of a data set's table are loaded. The rows come from a
// file, not a database, so COND is not SQL of any engine: it is a small condition language over
// the row's columns, evaluated in migpkg on the portable values, with the transform functions
// of --map (value_functions.hpp) for the values (docs/data.md, "import"):
//
//   cond    := and ("OR" and)*           and := not ("AND" not)*
//   not     := "NOT" not | "(" cond ")" | operand ( CMP operand | "IS" ["NOT"] "NULL"
//                                                   | ["NOT"] "IN" "(" operand ("," operand)* ")" )
//   operand := column | 'text' | number | TRUE | FALSE | NULL
//            | function "(" operand ("," literal)* ")"        CMP := = <> != < <= > >=
//
// Columns are compared by their portable type: integers and decimals exactly (as numbers, never
// through a double), floats as doubles, dates, times and timestamps as instants (a literal must
// be a value of the column's type: '2024-01-01' for a date, '2024-01-01T10:00:00Z' for a
// timestamptz), uuids without regard to case, booleans with TRUE / FALSE, anything else as
// bytes. NULL follows SQL: a comparison with NULL is unknown, and a row is loaded only when
// COND is true.
#include <memory>
#include <string>

#include "runtime/data/data_table.hpp"

namespace migpkg::data {

class RowFilter {
 public:
  // Parses `condition` against `table`'s columns. Throws std::runtime_error naming the table,
  // the place in the condition and the problem (an unknown column or function, a literal that
  // is not a value of the column's type, a comparison of a number with text).
  RowFilter(const DataTable& table, const std::string& condition);
  ~RowFilter();
  RowFilter(RowFilter&&) noexcept;

  // Whether COND is true for `row` (the table's columns, in its order). Throws
  // std::runtime_error when a function cannot take a value of the row (abs of text).
  bool matches(const Row& row) const;

  const std::string& condition() const;

 private:
  struct Parsed;
  std::unique_ptr<Parsed> parsed_;
};

}  // namespace migpkg::data
