#pragma once
// Narrowing type changes: an alterColumn whose new type cannot hold every value of the old one
// (a shorter string, text -> string(n), fewer integer or fraction digits of a decimal, a smaller
// integer, float64 -> float32, an enum that loses values). Engines differ in what they do with
// a value that does not fit (PostgreSQL's cast truncates a string, MySQL may clip, SQLite keeps
// it whatever the declared type), so the planner puts a pre-check before every such change that
// refuses while a stored value does not fit, and validation warns about it.
#include <cstdint>
#include <optional>
#include <string>

#include "compiler/ir/schema_change.hpp"
#include "compiler/schema/schema_model.hpp"

namespace migpkg::schema {

struct Narrowing {
  std::string table, column;
  ir::ColumnType from, to;
  // What a stored value must satisfy to fit the new type; several may apply at once.
  std::optional<std::int64_t> max_length;  // characters (string(n), char(n))
  // Integer range of the new type (int16/int32/int64), inclusive, as decimal text: the bounds
  // of int64 do not fit in a literal of every engine's integer type.
  std::optional<std::string> min_value, max_value;
  // The new type has at most this many digits before the point: |value| < 10^digits.
  std::optional<std::int64_t> integer_digits;
  // The new type has at most this many digits after the point (0 for integers): the value must
  // equal itself rounded to that many.
  std::optional<std::int64_t> fraction_digits;
  std::optional<double> float_magnitude;  // float32: |value| <= its largest finite value
  bool enum_values = false;               // the value must be one of to.values
};

// The narrowing the change makes, given the schema before it; nullopt when the change sets no
// type, widens or keeps the type, or the column's old type is unknown (a raw-SQL table).
std::optional<Narrowing> narrowing_of(const ir::SchemaChange& change, const SchemaModel& before);

// `"orders"."note" from text to string(200)`: how messages name a narrowing.
std::string describe(const Narrowing& narrowing);

}  // namespace migpkg::schema
