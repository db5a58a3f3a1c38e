#include "runtime/engines/sqlite/data_values.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>

#include "runtime/data/portable_values.hpp"

namespace migpkg::runtime::sqlite_data {
namespace {

namespace portable = data::portable;
using Kind = ir::ColumnType::Kind;

[[noreturn]] void refuse(const std::string& reason) {
  throw std::invalid_argument(reason);
}

std::string text_of(sqlite3_stmt* statement, int index) {
  const unsigned char* text = sqlite3_column_text(statement, index);
  int size = sqlite3_column_bytes(statement, index);
  return text ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size))
              : std::string();
}

// The value's text without a copy, for the normalisers that read a view and build their own
// result; valid until the statement steps.
std::string_view view_of(sqlite3_stmt* statement, int index) {
  const unsigned char* text = sqlite3_column_text(statement, index);
  int size = sqlite3_column_bytes(statement, index);
  return text
             ? std::string_view(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size))
             : std::string_view();
}

std::string blob_of(sqlite3_stmt* statement, int index) {
  const void* blob = sqlite3_column_blob(statement, index);
  int size = sqlite3_column_bytes(statement, index);
  return blob ? std::string(static_cast<const char*>(blob), static_cast<std::size_t>(size))
              : std::string();
}

const char* storage_name(int storage) {
  switch (storage) {
    case SQLITE_INTEGER:
      return "an INTEGER";
    case SQLITE_FLOAT:
      return "a REAL";
    case SQLITE_BLOB:
      return "a BLOB";
    default:
      return "TEXT";
  }
}

[[noreturn]] void wrong_storage(int storage, const char* column_kind) {
  refuse(std::string(storage_name(storage)) + " value in " + column_kind + " column");
}

// A number in a date or time column: seconds, milliseconds or days since some epoch, which
// migpkg does not guess (docs/data.md: epoch numbers stay numbers).
[[noreturn]] void epoch_number(const char* column_kind) {
  refuse(std::string("a number in ") + column_kind +
         " column (an epoch time? migpkg does not guess its unit; declare the column as an "
         "integer to move it as a number)");
}

bool integral(std::string_view decimal) {
  return decimal.find('.') == std::string_view::npos;
}

bool fits_int64(std::string_view digits) {
  std::int64_t value = 0;
  auto result = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return result.ec == std::errc() && result.ptr == digits.data() + digits.size();
}

std::size_t significant_digits(std::string_view decimal) {
  std::string digits;
  for (char c : decimal)
    if (c >= '0' && c <= '9') digits += c;
  std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 0;
  std::size_t last = digits.find_last_not_of('0');
  return last - first + 1;
}

// A REAL as the same number SQLite's "%!.15g" text is, without SQLite's printf: the shortest
// text that reads back as the double (std::to_chars) when it has at most 15 significant digits.
// Then it is the 15-digit rounding of the double too (the double is within half an ulp of it,
// far closer than half a step of 15 digits), so both texts are one decimal number, which
// portable::decimal writes one way. That takes the double's full 53 bits: a subnormal one
// (below 2.2e-308) has fewer, and its shortest text can be another 15-digit number than
// SQLite's. Returns the text's length, or 0 for a double that needs SQLite's own rounding (more
// digits, subnormal) or is not finite.
std::size_t real_as_sqlite_text(double value, char (&out)[32]) {
  if (value != 0 && !std::isnormal(value)) return 0;
  auto result = std::to_chars(out, out + sizeof out, value);
  if (result.ec != std::errc()) return 0;
  std::size_t significant = 0;
  bool leading = true;
  for (const char* at = out; at < result.ptr && *at != 'e'; ++at) {
    if (*at < '0' || *at > '9' || (leading && *at == '0')) continue;
    leading = false;
    ++significant;
  }
  return significant <= 15 ? static_cast<std::size_t>(result.ptr - out) : 0;
}

// A REAL that is a decimal D = n / 10^scale of at most 15 significant digits (cents in a money
// column: most REALs a decimal column holds), written without the search for the double's
// shortest text (std::to_chars, about 570 instructions a value, the most of any step of reading
// the data benchmark's rows). D is the decimal that text reads as: the double rounds D (checked
// exactly: n and 10^scale are exact doubles and the division is correctly rounded), so SQLite's
// 15-digit text of the double is D (the double is within half an ulp of D, far less than half a
// step of 15 digits), and no other decimal of `scale` fraction digits rounds to the same double
// (they are 10^-scale apart, more than an ulp below 10^15 / 10^scale). Nullopt otherwise.
std::optional<std::string> real_at_scale(double value, std::optional<std::int64_t> scale) {
  static const double kPowers[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  if (!scale || *scale < 0 || *scale > 15) return std::nullopt;
  const std::size_t digits_after = static_cast<std::size_t>(*scale);
  const double power = kPowers[digits_after];
  const double scaled = std::nearbyint(value * power);
  if (!(std::fabs(scaled) < 1e15) || scaled / power != value) return std::nullopt;
  const bool negative = scaled < 0;
  std::uint64_t magnitude = static_cast<std::uint64_t>(std::fabs(scaled));
  // Digits from the last: the fraction (zero-padded to `scale`), the point, the whole part.
  char text[40];
  char* at = text + sizeof text;
  for (std::size_t i = 0; i < digits_after; ++i, magnitude /= 10)
    *--at = static_cast<char>('0' + magnitude % 10);
  if (digits_after) *--at = '.';
  do {
    *--at = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude);
  if (negative) *--at = '-';  // scaled is not zero (-0.0 < 0 is false)
  return std::string(at, static_cast<std::size_t>(text + sizeof text - at));
}

}  // namespace

data::Value read_value(sqlite3_stmt* statement, int index, const ir::ColumnType& type) {
  int storage = sqlite3_column_type(statement, index);
  if (storage == SQLITE_NULL) return std::nullopt;
  switch (type.kind) {
    case Kind::Bool: {
      if (storage == SQLITE_INTEGER || storage == SQLITE_FLOAT) {
        double value = sqlite3_column_double(statement, index);
        if (value == 0) return "false";
        if (value == 1) return "true";
        refuse("not a boolean (0 or 1)");
      }
      std::string text = text_of(statement, index);
      for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (text == "true" || text == "t" || text == "1") return "true";
      if (text == "false" || text == "f" || text == "0") return "false";
      refuse("not a boolean (0 or 1, true or false)");
    }
    case Kind::Int16:
    case Kind::Int32:
    case Kind::Int64:
    case Kind::Serial:
    case Kind::BigSerial:
      if (storage == SQLITE_INTEGER) return std::to_string(sqlite3_column_int64(statement, index));
      if (storage == SQLITE_FLOAT) {
        double value = sqlite3_column_double(statement, index);
        if (std::trunc(value) != value || std::fabs(value) >= 9.2e18)
          refuse("a fraction or out-of-range REAL in an integer column");
        return std::to_string(static_cast<std::int64_t>(value));
      }
      if (storage == SQLITE_BLOB) wrong_storage(storage, "an integer");
      return portable::integer(view_of(statement, index));
    case Kind::Decimal:
      if (storage == SQLITE_BLOB) wrong_storage(storage, "a decimal");
      // A REAL's text is SQLite's 15 significant digits ("%!.15g"), which is what a decimal of
      // up to 15 digits written as text reads back as.
      if (storage == SQLITE_FLOAT) {
        const double value = sqlite3_column_double(statement, index);
        if (std::optional<std::string> text = real_at_scale(value, type.scale)) return text;
        char digits[32];
        if (std::size_t size = real_as_sqlite_text(value, digits))
          return portable::decimal(std::string_view(digits, size), type.scale);
      }
      return portable::decimal(view_of(statement, index), type.scale);
    case Kind::Float32:
    case Kind::Float64: {
      if (storage == SQLITE_BLOB) wrong_storage(storage, "a float");
      double value = storage == SQLITE_TEXT ? portable::parse_double(view_of(statement, index))
                                            : sqlite3_column_double(statement, index);
      return type.kind == Kind::Float32 ? portable::shortest_float(static_cast<float>(value))
                                        : portable::shortest_double(value);
    }
    case Kind::Text:
    case Kind::String:
    case Kind::Char:
    case Kind::Enum: {
      if (storage == SQLITE_BLOB) wrong_storage(storage, "a text");
      if (storage == SQLITE_FLOAT)
        return portable::shortest_double(sqlite3_column_double(statement, index));
      if (type.kind == Kind::Char) return portable::without_pad(view_of(statement, index));
      return text_of(statement, index);
    }
    case Kind::Bytes:
      if (storage == SQLITE_BLOB) return blob_of(statement, index);
      if (storage == SQLITE_TEXT) return text_of(statement, index);
      wrong_storage(storage, "a binary");
    case Kind::Uuid:
      if (storage == SQLITE_BLOB) return portable::uuid_from_bytes(blob_of(statement, index));
      if (storage != SQLITE_TEXT) wrong_storage(storage, "a uuid");
      return portable::uuid(view_of(statement, index));
    case Kind::Json:
    case Kind::Vector:
      if (storage == SQLITE_BLOB) wrong_storage(storage, "a JSON");
      return portable::canonical_json(view_of(statement, index));
    case Kind::Date:
      if (storage != SQLITE_TEXT) epoch_number("a date");
      return portable::date(view_of(statement, index));
    case Kind::Time:
      if (storage != SQLITE_TEXT) epoch_number("a time");
      return portable::time(view_of(statement, index));
    case Kind::Timestamp:
      if (storage != SQLITE_TEXT) epoch_number("a timestamp");
      return portable::timestamp(view_of(statement, index));
    case Kind::TimestampTz:
      if (storage != SQLITE_TEXT) epoch_number("a timestamp");
      // SQLite's date functions write UTC without a zone.
      return portable::timestamptz(view_of(statement, index), true);
  }
  refuse("unknown type");
}

void fit_sqlite(const ir::ColumnType& type, std::string& value) {
  switch (type.kind) {
    // Timestamps as SQLite writes them (datetime(), CURRENT_TIMESTAMP, a column's now()
    // default): a space between date and time, and UTC without a zone. Text comparisons (a
    // range query, ORDER BY) then agree between rows the application wrote and rows loaded.
    // Read back, both are the same portable value.
    case Kind::TimestampTz:
      if (!value.empty() && value.back() == 'Z') value.pop_back();
      [[fallthrough]];
    case Kind::Timestamp:
      if (value.size() > 10 && value[10] == 'T') value[10] = ' ';
      return;
    case Kind::Float32:
    case Kind::Float64:
      if (value == "NaN") refuse("SQLite stores NaN as NULL");
      if (value == "-0") refuse("SQLite keeps -0 as 0");
      return;
    case Kind::Decimal:
      if (integral(value) && fits_int64(value)) return;
      // NUMERIC affinity turns any other number written as text into a REAL.
      if (significant_digits(value) > 15)
        refuse("SQLite keeps 15 significant digits of a decimal that is not a 64-bit integer");
      return;
    default:
      return;
  }
}

int bind_value(sqlite3_stmt* statement, int index, const ir::ColumnType& type,
               const data::Value& value) {
  if (!value) return sqlite3_bind_null(statement, index);
  const std::string& text = *value;
  switch (type.kind) {
    case Kind::Bool:
      return sqlite3_bind_int(statement, index, text == "true" ? 1 : 0);
    case Kind::Int16:
    case Kind::Int32:
    case Kind::Int64:
    case Kind::Serial:
    case Kind::BigSerial: {
      std::int64_t number = 0;
      std::from_chars(text.data(), text.data() + text.size(), number);
      return sqlite3_bind_int64(statement, index, number);
    }
    case Kind::Decimal:
      if (integral(text) && fits_int64(text)) {
        std::int64_t number = 0;
        std::from_chars(text.data(), text.data() + text.size(), number);
        return sqlite3_bind_int64(statement, index, number);
      }
      break;
    case Kind::Float32:
    case Kind::Float64:
      return sqlite3_bind_double(statement, index, portable::parse_double(text));
    case Kind::Bytes:
      // An empty std::string's data() is not null, so this is an empty BLOB, not NULL.
      return sqlite3_bind_blob64(statement, index, text.data(), text.size(), SQLITE_STATIC);
    default:
      break;
  }
  return sqlite3_bind_text64(statement, index, text.data(), text.size(), SQLITE_STATIC,
                             SQLITE_UTF8);
}

}  // namespace migpkg::runtime::sqlite_data
