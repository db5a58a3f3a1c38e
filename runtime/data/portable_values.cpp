#include "runtime/data/portable_values.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "compiler/util/utf8.hpp"
#include "runtime/data/fit_rows.hpp"
#include "runtime/data/portable_scan.hpp"

namespace migpkg::data::portable {
namespace {

using Kind = ir::ColumnType::Kind;
using namespace scan;

std::string hex_digit_pair(unsigned char byte) {
  static const char* digits = "0123456789abcdef";
  return std::string{digits[byte >> 4], digits[byte & 15]};
}

// A signed integer in [low, high], normalised.
std::string ranged_integer(std::string_view text, std::int64_t low, std::int64_t high) {
  std::string normal = integer(text);
  std::int64_t value = 0;
  auto result = std::from_chars(normal.data(), normal.data() + normal.size(), value);
  if (result.ec != std::errc() || value < low || value > high)
    refuse("out of range (" + std::to_string(low) + " to " + std::to_string(high) + ")");
  return normal;
}

// Whether `text` is an integer in [low, high] in its normal form already (no "+", no leading
// zeros, no "-0"), which ranged_integer would return unchanged.
bool normal_integer_in(std::string_view text, std::int64_t low, std::int64_t high) {
  std::string_view digits = text;
  if (!digits.empty() && digits[0] == '-') digits.remove_prefix(1);
  // "007", "-07" and "-0" are integers, but not in their normal form.
  if (!all_digits(digits) || (digits[0] == '0' && (digits.size() > 1 || digits != text)))
    return false;
  std::int64_t value = 0;
  return parse_int64(text, value) && value >= low && value <= high;
}

// Whether `text` is a decimal in its portable form for `scale` already, which decimal() would
// return unchanged: most values a load writes were read into that form, and checking is cheaper
// than building the same text again.
bool portable_decimal(std::string_view text, std::optional<std::int64_t> scale) {
  std::string_view rest = text;
  const bool negative = !rest.empty() && rest[0] == '-';
  if (negative) rest.remove_prefix(1);
  const std::size_t point = rest.find('.');
  std::string_view whole = rest.substr(0, point);
  std::string_view fraction =
      point == std::string_view::npos ? std::string_view() : rest.substr(point + 1);
  if (!all_digits(whole) || (whole.size() > 1 && whole[0] == '0')) return false;
  if (point != std::string_view::npos && !all_digits(fraction)) return false;
  if (scale ? static_cast<std::int64_t>(fraction.size()) != *scale
            : !fraction.empty() && fraction.back() == '0')
    return false;
  // "-0", "-0.00": the portable form of zero has no sign.
  return !(negative && whole == "0" && fraction.find_first_not_of('0') == std::string_view::npos);
}

// Whether a decimal in portable form has at most the digits before its point that a decimal
// column of `type` allows.
bool whole_digits_fit(const ir::ColumnType& type, std::string_view value) {
  if (!type.precision) return true;
  std::int64_t scale = type.scale.value_or(0);
  std::string_view whole = value;
  if (whole[0] == '-') whole.remove_prefix(1);
  whole = whole.substr(0, whole.find('.'));
  std::size_t whole_digits = whole == "0" ? 0 : whole.size();
  return static_cast<std::int64_t>(whole_digits) <= *type.precision - scale;
}

void fit_decimal(const ir::ColumnType& type, std::string& value) {
  if (!portable_decimal(value, type.scale)) value = decimal(value, type.scale);
  if (whole_digits_fit(type, value)) return;
  std::int64_t scale = type.scale.value_or(0);
  refuse("more than " + std::to_string(*type.precision - scale) +
         " digits before the decimal point (decimal(" + std::to_string(*type.precision) + "," +
         std::to_string(scale) + "))");
}

// Whether `text` is valid UTF-8 of at most `limit` characters (no limit: nullopt); the test of
// utf8_length without its exception, ASCII eight bytes at a time.
bool utf8_within(std::string_view text, std::optional<std::int64_t> limit) {
  std::size_t count = 0, at = 0;
  while (at < text.size()) {
    std::uint64_t block = 0;
    if (text.size() - at >= 8) {
      std::memcpy(&block, text.data() + at, 8);
      if ((block & 0x8080808080808080ULL) == 0) {
        at += 8, count += 8;
        continue;
      }
    }
    std::size_t length = utf8_sequence_length(text, at);
    if (length == 0) return false;
    at += length, ++count;
  }
  return !limit || static_cast<std::int64_t>(count) <= *limit;
}

void fit_float32(std::string& value) {
  double wide = parse_double(value);
  float narrow = static_cast<float>(wide);
  if (std::isnan(wide)) {
    value = "NaN";
    return;
  }
  if (std::isinf(narrow) && !std::isinf(wide)) refuse("out of range for a float32");
  std::string text = shortest_float(narrow);
  if (parse_double(text) != wide && !(wide == 0 && narrow == 0))
    refuse("more precise than a float32 holds (it would become " + text + ")");
  value = text;
}

void fit_vector(const ir::ColumnType& type, std::string& value) {
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(value);
  } catch (const nlohmann::json::exception&) {
    refuse("not a JSON array of numbers");
  }
  if (!parsed.is_array()) refuse("not a JSON array of numbers");
  for (const auto& element : parsed)
    if (!element.is_number()) refuse("not a JSON array of numbers");
  if (type.length && static_cast<std::int64_t>(parsed.size()) != *type.length)
    refuse("has " + std::to_string(parsed.size()) + " dimensions, not " +
           std::to_string(*type.length));
  value = parsed.dump();
}

}  // namespace

std::string shortest_double(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value < 0 ? "-Infinity" : "Infinity";
  std::array<char, 64> buffer{};
  auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

std::string shortest_float(float value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value < 0 ? "-Infinity" : "Infinity";
  std::array<char, 64> buffer{};
  auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

double parse_double(std::string_view text) {
  if (text == "NaN") return std::nan("");
  if (text == "Infinity" || text == "inf") return HUGE_VAL;
  if (text == "-Infinity" || text == "-inf") return -HUGE_VAL;
  std::string_view digits = text;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
  // Only decimal literals: strtod would also read "0x1p3", "nan(...)" and leading spaces.
  bool seen_digit = false;
  for (char c : digits) {
    if (digit(c)) {
      seen_digit = true;
    } else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+') {
      refuse("not a number");
    }
  }
  if (!seen_digit) refuse("not a number");
  std::string copy(text);
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) refuse("not a number");
  if (errno == ERANGE && std::isinf(value)) refuse("out of range for a float64");
  return value;
}

std::string integer(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (!all_digits(text)) refuse("not an integer");
  while (text.size() > 1 && text[0] == '0') text.remove_prefix(1);
  if (text == "0") return "0";
  return (negative ? "-" : "") + std::string(text);
}

std::string decimal(std::string_view text, std::optional<std::int64_t> scale) {
  if (portable_decimal(text, scale)) return std::string(text);  // the common case
  std::string_view rest = text;
  bool negative = false;
  if (!rest.empty() && (rest[0] == '-' || rest[0] == '+')) {
    negative = rest[0] == '-';
    rest.remove_prefix(1);
  }
  std::string_view mantissa = rest, exponent_text;
  std::size_t e = rest.find_first_of("eE");
  if (e != std::string_view::npos) {
    mantissa = rest.substr(0, e);
    exponent_text = rest.substr(e + 1);
  }
  std::size_t point = mantissa.find('.');
  std::string whole(mantissa.substr(0, point));
  std::string fraction(point == std::string_view::npos ? "" : mantissa.substr(point + 1));
  if ((whole.empty() && fraction.empty()) || (!whole.empty() && !all_digits(whole)) ||
      (!fraction.empty() && !all_digits(fraction)))
    refuse("not a decimal number");
  long exponent = 0;
  if (e != std::string_view::npos) {
    std::string normal = integer(exponent_text);  // throws "not an integer"
    if (normal.size() > 6) refuse("exponent out of range");
    exponent = std::stol(normal);
  }
  // Shift the point by the exponent: digits move between the two parts.
  std::string digits = whole + fraction;
  long point_at = static_cast<long>(whole.size()) + exponent;
  if (point_at < 0) {
    digits.insert(0, static_cast<std::size_t>(-point_at), '0');
    point_at = 0;
  }
  if (point_at > static_cast<long>(digits.size()))
    digits.append(static_cast<std::size_t>(point_at) - digits.size(), '0');
  whole = digits.substr(0, static_cast<std::size_t>(point_at));
  fraction = digits.substr(static_cast<std::size_t>(point_at));
  while (whole.size() > 1 && whole[0] == '0') whole.erase(0, 1);
  if (whole.empty()) whole = "0";
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (scale) {
    if (static_cast<std::int64_t>(fraction.size()) > *scale)
      refuse("more than " + std::to_string(*scale) + " digits after the decimal point");
    fraction.append(static_cast<std::size_t>(*scale) - fraction.size(), '0');
  }
  bool zero = whole == "0" && fraction.find_first_not_of('0') == std::string::npos;
  return (negative && !zero ? "-" : "") + whole + (fraction.empty() ? "" : "." + fraction);
}

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t at = 0; at < text.size(); ++count) {
    std::size_t length = utf8_sequence_length(text, at);
    if (length == 0) refuse("not valid UTF-8 (byte " + std::to_string(at + 1) + ")");
    at += length;
  }
  return count;
}

std::string without_pad(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return std::string(text);
}

std::string uuid(std::string_view text) {
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') text = text.substr(1, 36);
  std::string hex;
  if (text.size() == 36) {
    for (std::size_t i = 0; i < 36; ++i) {
      bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash != (text[i] == '-')) refuse("not a UUID (8-4-4-4-12 hex digits)");
      if (!dash) hex += text[i];
    }
  } else if (text.size() == 32) {
    hex = text;
  } else {
    refuse("not a UUID (8-4-4-4-12 hex digits)");
  }
  std::string out;
  for (std::size_t i = 0; i < 32; ++i) {
    char c = hex[i];
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!digit(c) && !(c >= 'a' && c <= 'f')) refuse("not a UUID (8-4-4-4-12 hex digits)");
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    out += c;
  }
  return out;
}

std::string uuid_from_bytes(std::string_view bytes) {
  if (bytes.size() != 16) refuse("not a UUID (16 bytes)");
  return uuid(to_hex(bytes));
}

std::string canonical_json(std::string_view text) {
  try {
    // nlohmann's json keeps objects in a std::map: dump() writes the keys sorted.
    return nlohmann::json::parse(text).dump(-1, ' ', false,
                                            nlohmann::json::error_handler_t::strict);
  } catch (const nlohmann::json::exception&) {
    refuse("not valid JSON");
  }
}

void fit(const ir::ColumnType& type, std::string& value) {
  switch (type.kind) {
    case Kind::Bool:
      if (value != "true" && value != "false") refuse("not a boolean (true or false)");
      return;
    case Kind::Int16:
      value = ranged_integer(value, -32768, 32767);
      return;
    case Kind::Int32:
    case Kind::Serial:
      value = ranged_integer(value, -2147483648LL, 2147483647LL);
      return;
    case Kind::Int64:
    case Kind::BigSerial:
      value = ranged_integer(value, INT64_MIN, INT64_MAX);
      return;
    case Kind::Decimal:
      fit_decimal(type, value);
      return;
    case Kind::Float32:
      fit_float32(value);
      return;
    case Kind::Float64:
      value = shortest_double(parse_double(value));
      return;
    case Kind::Text:
      utf8_length(value);
      return;
    case Kind::String:
    case Kind::Char: {
      std::size_t length = utf8_length(value);
      if (type.length && static_cast<std::int64_t>(length) > *type.length)
        refuse(std::to_string(length) + " characters, more than " + std::to_string(*type.length));
      return;
    }
    case Kind::Enum:
      utf8_length(value);
      if (!type.values.empty()) {
        for (const auto& allowed : type.values)
          if (allowed == value) return;
        refuse("not one of the enum's values");
      }
      return;
    case Kind::Bytes:
      return;
    case Kind::Uuid:
      value = uuid(value);
      return;
    case Kind::Json:
      value = canonical_json(value);
      return;
    case Kind::Date:
      value = date(value);
      return;
    case Kind::Time:
      value = time(value);
      return;
    case Kind::Timestamp:
      if (!portable_timestamp(value, false)) value = timestamp(value);
      return;
    case Kind::TimestampTz:
      if (!portable_timestamp(value, true)) value = timestamptz(value);
      return;
    case Kind::Vector:
      fit_vector(type, value);
      return;
  }
}

bool fits_as_it_is(const ir::ColumnType& type, std::string_view value) {
  switch (type.kind) {
    case Kind::Bool:
      return value == "true" || value == "false";
    case Kind::Int16:
      return normal_integer_in(value, -32768, 32767);
    case Kind::Int32:
    case Kind::Serial:
      return normal_integer_in(value, -2147483648LL, 2147483647LL);
    case Kind::Int64:
    case Kind::BigSerial:
      return normal_integer_in(value, INT64_MIN, INT64_MAX);
    case Kind::Decimal:
      return portable_decimal(value, type.scale) && whole_digits_fit(type, value);
    case Kind::Text:
      return utf8_within(value, std::nullopt);
    case Kind::String:
    case Kind::Char:
      return utf8_within(value, type.length);
    case Kind::Bytes:
      return true;
    case Kind::Timestamp:
      return portable_timestamp(value, false);
    case Kind::TimestampTz:
      return portable_timestamp(value, true);
    default:
      return false;  // `fit` tells
  }
}

std::vector<const DataColumn*> columns_of(const DataTable& table,
                                          const std::vector<std::string>& names) {
  std::vector<const DataColumn*> out;
  for (const auto& name : names) {
    const DataColumn* column = table.find_column(name);
    if (!column) throw std::invalid_argument("table " + table.name + " has no column " + name);
    out.push_back(column);
  }
  return out;
}

namespace {

// A row with one value for each column read or written; `number` counts from 1.
void check_value_count(const DataTable& table, const Row& row, std::size_t columns,
                       std::size_t number) {
  if (row.size() != columns)
    throw std::invalid_argument("table " + table.name + ", row " + std::to_string(number) + ": " +
                                std::to_string(row.size()) + " values for " +
                                std::to_string(columns) + " columns");
}

}  // namespace

std::vector<Row> fitted_rows(const DataTable& table, const std::vector<std::string>& names,
                             const std::vector<Row>& rows, const EngineFit& before,
                             const EngineFit& after) {
  std::vector<const DataColumn*> columns = columns_of(table, names);
  std::vector<Row> out;
  out.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const Row& row = rows[r];
    check_value_count(table, row, columns.size(), r + 1);
    Row fitted = row;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const DataColumn& column = *columns[i];
      try {
        if (!fitted[i]) {
          if (!column.nullable && !column.generated) refuse("NULL in a NOT NULL column");
          continue;
        }
        if (before) before(column, *fitted[i]);
        fit(column.type, *fitted[i]);
        if (after) after(column, *fitted[i]);
      } catch (const std::invalid_argument& error) {
        throw ValueError(table.name, row_key(table, names, row, r + 1), column.name,
                         row[i] ? shortened(*row[i]) : "NULL", error.what());
      }
    }
    out.push_back(std::move(fitted));
  }
  return out;
}

FittedRows fit_rows(const DataTable& table, const std::vector<std::string>& names,
                    const std::vector<Row>& rows, const EngineCheck& check) {
  std::vector<const DataColumn*> columns = columns_of(table, names);
  FittedRows out;
  out.rows_.reserve(rows.size());
  std::string fitted;  // a value `fit` is tried on (its buffer reused from value to value)
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const Row& row = rows[r];
    check_value_count(table, row, columns.size(), r + 1);
    Row* copy = nullptr;  // the row's copy, once a value of it changes
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const DataColumn& column = *columns[i];
      try {
        if (!row[i]) {
          if (!column.nullable && !column.generated) refuse("NULL in a NOT NULL column");
          continue;
        }
        if (!fits_as_it_is(column.type, *row[i])) {
          fitted = *row[i];
          fit(column.type, fitted);
          if (fitted != *row[i]) {
            if (!copy) copy = &out.copies_.emplace_back(row);
            (*copy)[i] = fitted;
          }
        }
        if (check) check(column, copy ? *(*copy)[i] : *row[i]);
      } catch (const std::invalid_argument& error) {
        throw ValueError(table.name, row_key(table, names, row, r + 1), column.name,
                         row[i] ? shortened(*row[i]) : "NULL", error.what());
      }
    }
    out.rows_.push_back(copy ? copy : &row);
  }
  return out;
}

std::string shortened(std::string_view value) {
  constexpr std::size_t kShown = 60;
  std::string out;
  std::size_t at = 0;
  for (; at < value.size() && out.size() < kShown; ++at) {
    unsigned char c = static_cast<unsigned char>(value[at]);
    if (c < 0x20 || c == 0x7f)
      out += "\\x" + hex_digit_pair(c);
    else
      out += static_cast<char>(c);
  }
  // Never cut inside a UTF-8 sequence.
  while (at < value.size() && (static_cast<unsigned char>(value[at]) & 0xC0) == 0x80)
    out += value[at++];
  if (at < value.size()) out += "... (" + std::to_string(value.size()) + " bytes)";
  return out;
}

std::string row_key(const DataTable& table, const std::vector<std::string>& columns, const Row& row,
                    std::size_t number) {
  if (table.primary_key.empty()) return "#" + std::to_string(number);
  std::string out = "(";
  for (std::size_t k = 0; k < table.primary_key.size(); ++k) {
    std::size_t at = 0;
    while (at < columns.size() && columns[at] != table.primary_key[k]) ++at;
    if (at >= columns.size() || at >= row.size()) return "#" + std::to_string(number);
    const Value& value = row[at];
    const DataColumn* column = table.find_column(table.primary_key[k]);
    bool numeric =
        column && (column->type.kind == Kind::Int16 || column->type.kind == Kind::Int32 ||
                   column->type.kind == Kind::Int64 || column->type.kind == Kind::Serial ||
                   column->type.kind == Kind::BigSerial);
    std::string shown = !value    ? "NULL"
                        : numeric ? shortened(*value)
                                  : "'" + shortened(*value) + "'";
    out += (k ? ", " : "") + shown;
  }
  return out + ")";
}

std::string to_hex(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) out += hex_digit_pair(static_cast<unsigned char>(c));
  return out;
}

std::string from_hex(std::string_view digits) {
  // Each byte's value as a hex digit, or -1: a table, as every bytea value read from
  // PostgreSQL comes through here and branches on random digits mispredict.
  static constexpr std::array<std::int8_t, 256> kNibble = [] {
    std::array<std::int8_t, 256> values{};
    for (auto& v : values) v = -1;
    for (int i = 0; i < 10; ++i) values['0' + i] = static_cast<std::int8_t>(i);
    for (int i = 0; i < 6; ++i) {
      values['a' + i] = static_cast<std::int8_t>(10 + i);
      values['A' + i] = static_cast<std::int8_t>(10 + i);
    }
    return values;
  }();
  if (digits.size() % 2) refuse("an odd number of hex digits");
  std::string out(digits.size() / 2, '\0');
  const auto* in = reinterpret_cast<const unsigned char*>(digits.data());
  for (std::size_t i = 0; i < out.size(); ++i) {
    int high = kNibble[in[2 * i]], low = kNibble[in[2 * i + 1]];
    if ((high | low) < 0) refuse("not hex digits");
    out[i] = static_cast<char>(high << 4 | low);
  }
  return out;
}

}  // namespace migpkg::data::portable
