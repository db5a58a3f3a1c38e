#include "runtime/data/portable_values.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "compiler/util/utf8.hpp"

namespace migpkg::data::portable {
namespace {

using Kind = ir::ColumnType::Kind;

[[noreturn]] void refuse(const std::string& reason) {
  throw std::invalid_argument(reason);
}

bool digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!digit(c)) return false;
  return true;
}

int number(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

bool leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : days[month - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& year, int& month, int& day) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2));
}

struct Date {
  int year = 0, month = 0, day = 0;
};
struct Time {
  int hour = 0, minute = 0, second = 0;
  std::string fraction;  // digits after the point, trailing zeros dropped
};

Date parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !all_digits(text.substr(0, 4)) ||
      !all_digits(text.substr(5, 2)) || !all_digits(text.substr(8, 2)))
    refuse("not a date (YYYY-MM-DD)");
  Date d{number(text.substr(0, 4)), number(text.substr(5, 2)), number(text.substr(8, 2))};
  if (d.year < 1) refuse("year 0000 is outside 0001-9999");
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month))
    refuse("no such day");
  return d;
}

Time parse_time(std::string_view text) {
  if (text.size() < 8 || text[2] != ':' || text[5] != ':' || !all_digits(text.substr(0, 2)) ||
      !all_digits(text.substr(3, 2)) || !all_digits(text.substr(6, 2)))
    refuse("not a time of day (HH:MM:SS[.ffffff])");
  Time t{number(text.substr(0, 2)), number(text.substr(3, 2)), number(text.substr(6, 2)), ""};
  if (t.hour > 23 || t.minute > 59 || t.second > 59)
    refuse("not a time of day (00:00:00-23:59:59)");
  std::string_view rest = text.substr(8);
  if (!rest.empty()) {
    if (rest[0] != '.' || !all_digits(rest.substr(1)))
      refuse("not a time of day (HH:MM:SS[.ffffff])");
    std::string fraction(rest.substr(1));
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    if (fraction.size() > 6) refuse("finer than microseconds");
    t.fraction = fraction;
  }
  return t;
}

// `n` (0 <= n < 10^width) as `width` digits with leading zeros, appended to `out`. Written
// without temporaries: every date and time value of a load goes through here.
void append_digits(std::string& out, int n, int width) {
  char digits[4];
  for (int i = width - 1; i >= 0; --i, n /= 10) digits[i] = static_cast<char>('0' + n % 10);
  out.append(digits, static_cast<std::size_t>(width));
}

void append_time(std::string& out, const Time& t) {
  append_digits(out, t.hour, 2);
  out += ':';
  append_digits(out, t.minute, 2);
  out += ':';
  append_digits(out, t.second, 2);
  if (!t.fraction.empty()) out.append(1, '.').append(t.fraction);
}

void append_date(std::string& out, const Date& d) {
  append_digits(out, d.year, 4);
  out += '-';
  append_digits(out, d.month, 2);
  out += '-';
  append_digits(out, d.day, 2);
}

std::string time_text(const Time& t) {
  std::string out;
  append_time(out, t);
  return out;
}

std::string date_text(const Date& d) {
  std::string out;
  append_date(out, d);
  return out;
}

// "YYYY-MM-DDTHH:MM:SS[.ffffff]" and `zone` ("" or "Z").
std::string timestamp_text(const Date& d, const Time& t, const char* zone) {
  std::string out;
  out.reserve(28);
  append_date(out, d);
  out += 'T';
  append_time(out, t);
  out += zone;
  return out;
}

// Splits "date[T ]time" at the separator.
void split_timestamp(std::string_view text, std::string_view& date_part, std::string_view& rest) {
  if (text.size() < 19 || (text[10] != 'T' && text[10] != ' '))
    refuse("not a timestamp (YYYY-MM-DDTHH:MM:SS[.ffffff])");
  date_part = text.substr(0, 10);
  rest = text.substr(11);
}

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

// The same for a timestamp ("YYYY-MM-DDTHH:MM:SS[.ffffff]", then "Z" when `zoned`), checked
// as timestamp() and timestamptz() check it.
bool portable_timestamp(std::string_view text, bool zoned) {
  if (zoned) {
    if (text.empty() || text.back() != 'Z') return false;
    text.remove_suffix(1);
  }
  if (text.size() < 19 || text[10] != 'T') return false;
  std::string_view clock = text.substr(11);
  if (clock.size() > 8 && (clock[8] != '.' || clock.size() < 10 || clock.size() > 15 ||
                           clock.back() == '0' || !all_digits(clock.substr(9))))
    return false;
  try {
    parse_date(text.substr(0, 10));
    parse_time(clock);
  } catch (const std::invalid_argument&) {
    return false;
  }
  return true;
}

void fit_decimal(const ir::ColumnType& type, std::string& value) {
  if (!portable_decimal(value, type.scale)) value = decimal(value, type.scale);
  if (!type.precision) return;
  std::int64_t scale = type.scale.value_or(0);
  std::string_view whole = value;
  if (whole[0] == '-') whole.remove_prefix(1);
  whole = whole.substr(0, whole.find('.'));
  std::size_t whole_digits = whole == "0" ? 0 : whole.size();
  if (static_cast<std::int64_t>(whole_digits) > *type.precision - scale)
    refuse("more than " + std::to_string(*type.precision - scale) +
           " digits before the decimal point (decimal(" + std::to_string(*type.precision) + "," +
           std::to_string(scale) + "))");
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

// The length of `text`'s portable form when `text` is a timestamp in portable form but for its
// separator (a space, as PostgreSQL's ISO output and MySQL print it) and perhaps trailing
// fraction zeros (MySQL's DATETIME(6) prints all six): YYYY-MM-DD HH:MM:SS, then perhaps "."
// and 1 to 6 digits, a real day and time of day. 0 for anything else, which timestamp() takes
// apart the long way. The common case, checked without taking the text apart.
std::size_t portable_timestamp_length(std::string_view text) {
  const std::size_t n = text.size();
  if (n != 19 && (n < 21 || n > 26)) return 0;
  static const char shape[] = "0000-00-00 00:00:00";
  for (std::size_t i = 0; i < 19; ++i) {
    if (shape[i] == '0' ? !digit(text[i]) : (i != 10 && text[i] != shape[i])) return 0;
  }
  if (text[10] != ' ' && text[10] != 'T') return 0;
  std::size_t length = 19;
  if (n > 19) {
    if (text[19] != '.') return 0;
    for (std::size_t i = 20; i < n; ++i) {
      if (!digit(text[i])) return 0;
      if (text[i] != '0') length = i + 1;
    }
  }
  const int year = number(text.substr(0, 4)), month = number(text.substr(5, 2));
  const int day = number(text.substr(8, 2));
  const bool real = year >= 1 && month >= 1 && month <= 12 && day >= 1 &&
                    day <= days_in_month(year, month) && number(text.substr(11, 2)) <= 23 &&
                    number(text.substr(14, 2)) <= 59 && number(text.substr(17, 2)) <= 59;
  return real ? length : 0;
}

// The portable form of a timestamp whose portable_timestamp_length is `length`, and `zone`.
std::string portable_timestamp_text(std::string_view text, std::size_t length, const char* zone) {
  std::string out(text.substr(0, length));
  out[10] = 'T';
  out += zone;
  return out;
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

std::string date(std::string_view text) {
  return date_text(parse_date(text));
}

std::string time(std::string_view text) {
  return time_text(parse_time(text));
}

std::string timestamp(std::string_view text) {
  if (std::size_t length = portable_timestamp_length(text))
    return portable_timestamp_text(text, length, "");
  std::string_view day, rest;
  split_timestamp(text, day, rest);
  return timestamp_text(parse_date(day), parse_time(rest), "");
}

std::string timestamptz(std::string_view text, bool zone_if_missing_is_utc) {
  // Already UTC, as PostgreSQL prints a timestamptz in a UTC session ("+00") and MySQL a
  // TIMESTAMP in one (no zone): only the separator and trailing zeros change.
  for (std::string_view utc : {"Z", "+00", "+00:00"}) {
    if (text.size() > utc.size() && text.substr(text.size() - utc.size()) == utc)
      if (std::size_t length = portable_timestamp_length(text.substr(0, text.size() - utc.size())))
        return portable_timestamp_text(text, length, "Z");
  }
  if (zone_if_missing_is_utc)
    if (std::size_t length = portable_timestamp_length(text))
      return portable_timestamp_text(text, length, "Z");
  std::string_view day, rest;
  split_timestamp(text, day, rest);
  // The zone starts at "Z", "+" or "-" after the seconds.
  std::size_t zone_at = rest.find_first_of("Z+-", 8);
  std::string_view clock = rest.substr(0, zone_at);
  std::string_view zone = zone_at == std::string_view::npos ? "" : rest.substr(zone_at);
  int offset_seconds = 0;
  if (zone.empty()) {
    if (!zone_if_missing_is_utc) refuse("a timestamp with time zone without its zone");
  } else if (zone != "Z") {
    int sign = zone[0] == '-' ? -1 : 1;
    std::string digits;
    for (char c : zone.substr(1))
      if (c != ':') digits += c;
    if (!all_digits(digits) || (digits.size() != 2 && digits.size() != 4 && digits.size() != 6))
      refuse("not a time zone offset (Z, +HH, +HH:MM)");
    int hours = number(digits.substr(0, 2));
    int minutes = digits.size() >= 4 ? number(digits.substr(2, 2)) : 0;
    int seconds = digits.size() == 6 ? number(digits.substr(4, 2)) : 0;
    if (hours > 15 || minutes > 59 || seconds > 59) refuse("not a time zone offset");
    offset_seconds = sign * (hours * 3600 + minutes * 60 + seconds);
  }
  Date d = parse_date(day);
  Time t = parse_time(clock);
  std::int64_t total =
      days_from_civil(d.year, static_cast<unsigned>(d.month), static_cast<unsigned>(d.day)) *
          86400 +
      t.hour * 3600 + t.minute * 60 + t.second - offset_seconds;
  std::int64_t days = total >= 0 ? total / 86400 : -((-total + 86399) / 86400);
  std::int64_t second_of_day = total - days * 86400;
  civil_from_days(days, d.year, d.month, d.day);
  if (d.year < 1 || d.year > 9999) refuse("outside the years 0001-9999 in UTC");
  t.hour = static_cast<int>(second_of_day / 3600);
  t.minute = static_cast<int>(second_of_day / 60 % 60);
  t.second = static_cast<int>(second_of_day % 60);
  return timestamp_text(d, t, "Z");
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

std::vector<Row> fitted_rows(const DataTable& table, const std::vector<std::string>& names,
                             const std::vector<Row>& rows, const EngineFit& before,
                             const EngineFit& after) {
  std::vector<const DataColumn*> columns = columns_of(table, names);
  std::vector<Row> out;
  out.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const Row& row = rows[r];
    if (row.size() != columns.size())
      throw std::invalid_argument("table " + table.name + ", row " + std::to_string(r + 1) + ": " +
                                  std::to_string(row.size()) + " values for " +
                                  std::to_string(columns.size()) + " columns");
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
