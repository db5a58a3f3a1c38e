#pragma once
// The engine-neutral half of turning database values into their portable form and back
// (data_table.hpp has the rules; docs/data.md, "Type mapping", the table per engine). Engines
// read a value in their own text, call the normaliser of its portable type, and before writing
// ask `fit` whether a portable value fits the column at all. Linked into libmigpkg and into
// each module engine (CMakeLists.txt, MIGPKG_ENGINE_MODULE_HELPERS).
//
// Every function here throws std::invalid_argument whose what() is the reason alone ("not a
// date", "more than 10 characters"), for the caller to wrap into a ValueError naming table, row
// key and column.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/data/data_table.hpp"

namespace migpkg::data::portable {

// --- Numbers ---------------------------------------------------------------------------------
// The shortest text that reads back as the same double ("0.1", "1e+300", "-0", "NaN",
// "Infinity", "-Infinity").
std::string shortest_double(double value);
// The same for a single-precision value: the shortest text that reads back as the same float
// (a REAL 0.1 is "0.1", not the double nearest to it, "0.10000000149011612").
std::string shortest_float(float value);
// A double from the text "NaN", "Infinity", "-Infinity" or a decimal/exponent literal.
double parse_double(std::string_view text);
// Decimal digits after an optional "-", nothing else, as std::from_chars reads an int64 in base
// 10 (leading zeros allowed; false when out of range): libstdc++ 12's from_chars took about a
// hundred instructions a value, and a copy reads each of its integers three times.
inline bool parse_int64(std::string_view text, std::int64_t& value) {
  const char* at = text.data();
  const char* const end = at + text.size();
  const bool negative = at != end && *at == '-';
  if (negative) ++at;
  if (at == end) return false;
  while (end - at > 1 && *at == '0') ++at;
  if (end - at > 19) return false;  // 19 digits cannot overflow 64 unsigned bits
  std::uint64_t magnitude = 0;
  for (; at != end; ++at) {
    const unsigned digit = static_cast<unsigned char>(*at) - unsigned('0');
    if (digit > 9) return false;
    magnitude = magnitude * 10 + digit;
  }
  const std::uint64_t limit = std::uint64_t(INT64_MAX) + (negative ? 1 : 0);
  if (magnitude > limit) return false;
  value =
      negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
  return true;
}
// Decimal digits with an optional "-" ("+7", "007" and "-0" are accepted and normalised).
std::string integer(std::string_view text);
// A decimal in plain or exponent notation -> the portable form: plain notation, exactly `scale`
// fraction digits when given, else no trailing fraction zeros. Refuses NaN and infinities.
std::string decimal(std::string_view text, std::optional<std::int64_t> scale);

// --- Text and identifiers --------------------------------------------------------------------
// Characters (UTF-8 code points) in `text`; throws for text that is not UTF-8.
std::size_t utf8_length(std::string_view text);
// A CHAR(n) value without its trailing pad spaces.
std::string without_pad(std::string_view text);
// 8-4-4-4-12 hex digits in either case (or 32 without the dashes, or in braces) -> lowercase
// 8-4-4-4-12.
std::string uuid(std::string_view text);
// 16 bytes (a uuid stored as a BLOB / BINARY(16)) -> lowercase 8-4-4-4-12.
std::string uuid_from_bytes(std::string_view bytes);
// Compact JSON with object keys sorted; numbers as 64-bit integers or doubles.
std::string canonical_json(std::string_view text);

// --- Dates and times (years 0001 to 9999) ----------------------------------------------------
std::string date(std::string_view text);  // YYYY-MM-DD
// HH:MM:SS[.ffffff] (at most microseconds; trailing fraction zeros dropped).
std::string time(std::string_view text);
// YYYY-MM-DD[T or space]HH:MM:SS[.ffffff], no zone -> "YYYY-MM-DDTHH:MM:SS[.ffffff]".
std::string timestamp(std::string_view text);
// The same with a zone ("Z", "+HH", "+HHMM", "+HH:MM", "-..."), turned into the instant in UTC:
// "YYYY-MM-DDTHH:MM:SSZ". Text without a zone is refused unless `zone_if_missing_is_utc`
// (SQLite's date functions write UTC without a zone).
std::string timestamptz(std::string_view text, bool zone_if_missing_is_utc = false);

// The proleptic Gregorian date `days` days after 1970-01-01 (before it when negative), for any
// year: astronomical numbering (0 is 1 BC), as PostgreSQL's j2date gives it (H. Hinnant's
// civil_from_days).
void civil_from_days(std::int64_t days, int& year, int& month, int& day);

// --- Writing ---------------------------------------------------------------------------------
// Whether the portable `value` fits a column of `type`: normalises it in place (a UUID in
// upper case, a timestamp with an offset) or throws std::invalid_argument with the reason it
// does not fit (out of range, too long, too many digits, not a date, not UTF-8...).
void fit(const ir::ColumnType& type, std::string& value);

// The columns `names` names, in that order; throws std::invalid_argument naming one the table
// lacks.
std::vector<const DataColumn*> columns_of(const DataTable& table,
                                          const std::vector<std::string>& names);
// Engine::write_data's check of a whole batch before any of it is sent: every value through
// `before` (an engine's own reading of a value, which may rewrite it: MySQL stores a timestamp
// with an offset in a DATETIME as UTC), then `fit`, then `after` (what this engine cannot hold);
// the hooks throw std::invalid_argument with the reason and may be empty. NULL is refused in a
// NOT NULL column that the database does not fill. Returns the rows normalised; the first value
// that does not fit throws ValueError naming table, key, column and value. A row with the wrong
// number of values throws std::invalid_argument.
using EngineFit = std::function<void(const DataColumn&, std::string&)>;
std::vector<Row> fitted_rows(const DataTable& table, const std::vector<std::string>& names,
                             const std::vector<Row>& rows, const EngineFit& before,
                             const EngineFit& after);

// --- Messages --------------------------------------------------------------------------------
// A value for a message: at most about 60 bytes, control bytes as \xNN, the size when cut.
std::string shortened(std::string_view value);
// The row's primary key for ValueError and DatabaseError messages: "(1)", "(7, 'x')"; "#n" (the
// row's 1-based number in its batch) when the table has no key or `columns` lack part of it.
std::string row_key(const DataTable& table, const std::vector<std::string>& columns, const Row& row,
                    std::size_t number);

// --- Binary ----------------------------------------------------------------------------------
std::string to_hex(std::string_view bytes);  // lowercase, two digits a byte
std::string from_hex(std::string_view digits);

}  // namespace migpkg::data::portable
