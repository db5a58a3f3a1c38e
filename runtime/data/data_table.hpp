#pragma once
// The shapes every data command (export, import, copy, the `load` step) shares: a table as data
// sees it (columns with portable types, its primary key) and rows of values in their *portable
// form*. Engines turn their own values into the portable form when they read
// (Engine::read_data) and back when they write (Engine::write_data); data-set files
// (NDJSON, CSV) and the content digest only ever see the portable form, so a value read from
// SQLite and the same value read from PostgreSQL are the same bytes. docs/data.md is the
// reference; the rules, per ir::ColumnType::Kind:
//
//   Bool                      "true" | "false"
//   Int16/Int32/Int64/Serial/BigSerial
//                             decimal digits, "-" for negatives, no "+", no leading zeros
//   Decimal                   plain notation (never an exponent), "-" for negatives, "-0" is
//                             "0"; exactly `scale` fraction digits when the column has a scale,
//                             otherwise no trailing fraction zeros (and no "." when integral)
//   Float32/Float64           the shortest text that reads back as the same double ("0.1",
//                             "1e+300", "-0"); "NaN", "Infinity", "-Infinity". Float32: as
//                             the same float (a REAL 0.1 is "0.1", not "0.10000000149011612")
//   Text/String/Enum          the UTF-8 text as stored (a NUL byte is a byte like any other)
//   Char                      the text without the trailing pad spaces
//   Bytes                     the bytes themselves (not hex, not base64: files encode them)
//   Uuid                      lowercase 8-4-4-4-12 hex
//   Json                      compact JSON, object keys sorted (so jsonb's reordering and
//                             SQLite's text compare equal)
//   Date                      YYYY-MM-DD
//   Time                      HH:MM:SS[.ffffff], no trailing fraction zeros
//   Timestamp                 YYYY-MM-DDTHH:MM:SS[.ffffff], no time zone
//   TimestampTz               the instant in UTC: YYYY-MM-DDTHH:MM:SS[.ffffff]Z
//   Vector                    a JSON array of numbers, compact: [1,2.5,3]
// NULL is std::nullopt, never an empty string.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/schema_change.hpp"

namespace migpkg::data {

// A value in its portable form; NULL is nullopt.
using Value = std::optional<std::string>;
// One row's values, in the order of the columns they go with.
using Row = std::vector<Value>;
// A row's values seen where they lie (valid while their owner is), for readers that only look
// at each row once: Engine::visit_data, ContentDigest.
using ValueViews = std::vector<std::optional<std::string_view>>;

struct DataColumn {
  std::string name;
  ir::ColumnType type;  // its portable type (docs/data.md, "Type mapping")
  bool nullable = true;
  bool generated = false;  // serial, identity, AUTO_INCREMENT: a counter to move after loading
};

struct DataTable {
  std::string name;  // unquoted
  std::vector<DataColumn> columns;
  std::vector<std::string> primary_key;  // column names in key order; empty: none

  const DataColumn* find_column(const std::string& column) const {
    for (const DataColumn& c : columns)
      if (c.name == column) return &c;
    return nullptr;
  }
};

// A value the target cannot hold (strict mode stops the run with it; lenient mode writes its
// row to the rejects file). what() reads "table T, row (key), column C, value V: reason".
class ValueError : public std::runtime_error {
 public:
  ValueError(std::string table, std::string key, std::string column, std::string value,
             std::string reason)
      : std::runtime_error("table " + table + ", row " + key + ", column " + column + ", value " +
                           value + ": " + reason),
        table_(std::move(table)),
        key_(std::move(key)),
        column_(std::move(column)),
        value_(std::move(value)),
        reason_(std::move(reason)) {}
  const std::string& table() const { return table_; }
  const std::string& key() const { return key_; }  // "(1)", "(7, 'x')"; "#12" without a key
  const std::string& column() const { return column_; }
  const std::string& value() const { return value_; }  // shortened for messages
  const std::string& reason() const { return reason_; }

 private:
  std::string table_, key_, column_, value_, reason_;
};

// What happens to a row whose primary key is already in the target (docs/data.md, seed 000).
enum class OnConflict {
  Fail,       // the first existing key stops the run
  Skip,       // the existing row is kept
  Overwrite,  // the existing row is replaced by the data set's
  Merge,      // the data set's columns are updated, the others kept
};

}  // namespace migpkg::data
