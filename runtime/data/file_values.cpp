#include "runtime/data/file_values.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "runtime/data/base64.hpp"
#include "runtime/data/json_text.hpp"

namespace migpkg::data {
namespace {

using Kind = ir::ColumnType::Kind;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

// Decimal digits, an optional '-'; "-0" is "0". `max_digits` of the largest magnitude and its
// text ("9223372036854775807" for int64) bound the range; `negative_max` is one more.
std::string integer_value(std::string_view text, std::string_view max, std::string_view min_abs,
                          std::string& out) {
  bool negative = !text.empty() && text[0] == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  if (!all_digits(digits)) return "not an integer";
  if (digits.size() > 1 && digits[0] == '0') return "an integer with a leading zero";
  std::string_view limit = negative ? min_abs : max;
  if (digits.size() > limit.size() || (digits.size() == limit.size() && digits > limit))
    return "out of the column type's range";
  out.assign(negative && digits != "0" ? "-" : "");
  out.append(digits);
  return "";
}

std::string decimal_value(const ir::ColumnType& type, std::string_view text, std::string& out) {
  bool negative = !text.empty() && text[0] == '-';
  std::string_view rest = negative ? text.substr(1) : text;
  std::size_t dot = rest.find('.');
  std::string_view whole = rest.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : rest.substr(dot + 1);
  if (!all_digits(whole) || (dot != std::string_view::npos && !all_digits(fraction)))
    return "not a decimal in plain notation (digits, an optional '-' and '.')";
  if (whole.size() > 1 && whole[0] == '0') return "a decimal with a leading zero";
  std::string frac(fraction);
  if (type.scale) {
    auto scale = static_cast<std::size_t>(*type.scale);
    while (frac.size() > scale && frac.back() == '0') frac.pop_back();
    if (frac.size() > scale)
      return "more fraction digits than the column's scale (" + std::to_string(scale) + ")";
    frac.append(scale - frac.size(), '0');
  } else {
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
  }
  bool zero = whole.find_first_not_of('0') == std::string_view::npos &&
              frac.find_first_not_of('0') == std::string::npos;
  out.assign(negative && !zero ? "-" : "");
  out.append(whole);
  if (!frac.empty()) out.append(".").append(frac);
  return "";
}

std::string float_value(Kind kind, std::string_view text, std::string& out) {
  if (text == "NaN" || text == "Infinity" || text == "-Infinity") {
    out.assign(text);
    return "";
  }
  if (!is_json_number(text)) return "not a number (nor NaN, Infinity, -Infinity)";
  std::string copy(text);  // strtod needs a terminated string
  errno = 0;
  double value = std::strtod(copy.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(value)) return "out of a double's range";
  // The shortest text that reads back as the same double, or for float32 as the same float
  // (data_table.hpp): "0.10000000149011612" in a float32 column is "0.1".
  char buffer[64];
  std::to_chars_result written{};
  if (kind == Kind::Float32) {
    float narrow = static_cast<float>(value);
    if (std::isinf(narrow) && !std::isinf(value)) return "out of a float32's range";
    written = std::to_chars(buffer, buffer + sizeof buffer, narrow);
  } else {
    written = std::to_chars(buffer, buffer + sizeof buffer, value);
  }
  out.assign(buffer, written.ptr);
  return "";
}

int two(std::string_view s, std::size_t at) {
  return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

bool digits_at(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return false;
  for (std::size_t i = at; i < at + n; ++i)
    if (!is_digit(s[i])) return false;
  return true;
}

int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

bool valid_date(std::string_view s) {
  if (s.size() != 10 || !digits_at(s, 0, 4) || s[4] != '-' || !digits_at(s, 5, 2) || s[7] != '-' ||
      !digits_at(s, 8, 2))
    return false;
  int year = std::stoi(std::string(s.substr(0, 4))), month = two(s, 5), day = two(s, 8);
  return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

// HH:MM:SS[.f...] -> out with at most six fraction digits and none trailing.
bool time_value(std::string_view s, std::string& out) {
  if (s.size() < 8 || !digits_at(s, 0, 2) || s[2] != ':' || !digits_at(s, 3, 2) || s[5] != ':' ||
      !digits_at(s, 6, 2))
    return false;
  if (two(s, 0) > 23 || two(s, 3) > 59 || two(s, 6) > 59) return false;
  std::string_view fraction;
  if (s.size() > 8) {
    if (s[8] != '.' || s.size() == 9 || s.size() > 15 || !digits_at(s, 9, s.size() - 9))
      return false;
    fraction = s.substr(9);
  }
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  out.append(s.substr(0, 8));
  if (!fraction.empty()) out.append(".").append(fraction);
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
void civil_from_days(std::int64_t z, std::int64_t& y, int& m, int& d) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = yoe + era * 400 + (m <= 2);
}

std::string timestamp_value(std::string_view s, bool with_zone, std::string& out) {
  const char* form = with_zone ? "a timestamp YYYY-MM-DDTHH:MM:SS[.ffffff] with Z or an offset"
                               : "a timestamp YYYY-MM-DDTHH:MM:SS[.ffffff] without a time zone";
  if (s.size() < 19 || !valid_date(s.substr(0, 10)) || (s[10] != 'T' && s[10] != ' ')) return form;
  std::string_view rest = s.substr(11);
  int offset_minutes = 0;
  if (with_zone) {
    if (!rest.empty() && rest.back() == 'Z') {
      rest.remove_suffix(1);
    } else if (rest.size() >= 6 && (rest[rest.size() - 6] == '+' || rest[rest.size() - 6] == '-') &&
               digits_at(rest, rest.size() - 5, 2) && rest[rest.size() - 3] == ':' &&
               digits_at(rest, rest.size() - 2, 2)) {
      int hours = two(rest, rest.size() - 5), minutes = two(rest, rest.size() - 2);
      if (hours > 15 || minutes > 59) return form;
      offset_minutes = (hours * 60 + minutes) * (rest[rest.size() - 6] == '-' ? -1 : 1);
      rest.remove_suffix(6);
    } else {
      return form;
    }
  }
  std::string time;
  if (!time_value(rest, time)) return form;
  std::int64_t year = std::stoi(std::string(s.substr(0, 4)));
  int month = two(s, 5), day = two(s, 8);
  if (offset_minutes != 0) {
    // The instant in UTC: local time minus the offset.
    std::int64_t minutes = days_from_civil(year, month, day) * 1440 + two(time, 0) * 60 +
                           two(time, 3) - offset_minutes;
    std::int64_t days = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
    std::int64_t in_day = minutes - days * 1440;
    civil_from_days(days, year, month, day);
    if (year < 0 || year > 9999) return "a timestamp out of the years 0000-9999";
    char hhmm[16];
    std::snprintf(hhmm, sizeof hhmm, "%02d:%02d", int(in_day / 60), int(in_day % 60));
    time.replace(0, 5, hhmm);
  }
  char date[32];
  std::snprintf(date, sizeof date, "%04d-%02d-%02d", int(year), month, day);
  out.assign(date).append("T").append(time);  // the date is 10 characters: 0000-9999
  if (with_zone) out += 'Z';
  return "";
}

std::string uuid_value(std::string_view s, std::string& out) {
  if (s.size() != 36) return "not a uuid (8-4-4-4-12 hexadecimal digits)";
  out.assign(s);
  for (std::size_t i = 0; i < 36; ++i) {
    char c = out[i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash) {
      if (c != '-') return "not a uuid (8-4-4-4-12 hexadecimal digits)";
      continue;
    }
    if (c >= 'A' && c <= 'F')
      out[i] = char(c - 'A' + 'a');
    else if (!is_digit(c) && !(c >= 'a' && c <= 'f'))
      return "not a uuid (8-4-4-4-12 hexadecimal digits)";
  }
  return "";
}

std::string json_value(Kind kind, std::string_view text, std::string& out) {
  try {
    out = canonical_json(text);
  } catch (const JsonSyntaxError& e) {
    return std::string("not JSON: ") + e.what() + " at offset " + std::to_string(e.offset());
  }
  if (kind == Kind::Vector) {
    // An array of numbers, nothing else.
    if (out.size() < 2 || out.front() != '[' || out.back() != ']')
      return "not a vector (a JSON array of numbers)";
    std::string_view inner = std::string_view(out).substr(1, out.size() - 2);
    while (!inner.empty()) {
      std::size_t comma = inner.find(',');
      if (!is_json_number(inner.substr(0, comma))) return "not a vector (a JSON array of numbers)";
      inner = comma == std::string_view::npos ? std::string_view() : inner.substr(comma + 1);
    }
  }
  return "";
}

}  // namespace

std::string portable_from_file(const ir::ColumnType& type, std::string_view text,
                               std::string& out) {
  switch (type.kind) {
    case Kind::Bool:
      if (text != "true" && text != "false") return "not a boolean (true or false)";
      out.assign(text);
      return "";
    case Kind::Int16:
      return integer_value(text, "32767", "32768", out);
    case Kind::Int32:
    case Kind::Serial:
      return integer_value(text, "2147483647", "2147483648", out);
    case Kind::Int64:
    case Kind::BigSerial:
      return integer_value(text, "9223372036854775807", "9223372036854775808", out);
    case Kind::Decimal:
      return decimal_value(type, text, out);
    case Kind::Float32:
    case Kind::Float64:
      return float_value(type.kind, text, out);
    case Kind::Text:
    case Kind::String:
    case Kind::Enum:
      out.assign(text);
      return "";
    case Kind::Char: {
      std::size_t end = text.find_last_not_of(' ');
      out.assign(text.substr(0, end == std::string_view::npos ? 0 : end + 1));
      return "";
    }
    case Kind::Bytes:
      if (!decode_base64(text, out)) return "not base64 (RFC 4648, padded)";
      return "";
    case Kind::Uuid:
      return uuid_value(text, out);
    case Kind::Json:
    case Kind::Vector:
      return json_value(type.kind, text, out);
    case Kind::Date:
      if (!valid_date(text)) return "not a date YYYY-MM-DD";
      out.assign(text);
      return "";
    case Kind::Time:
      out.clear();
      if (!time_value(text, out)) return "not a time HH:MM:SS[.ffffff]";
      return "";
    case Kind::Timestamp:
      return timestamp_value(text, false, out);
    case Kind::TimestampTz:
      return timestamp_value(text, true, out);
  }
  return "a column type data sets do not know";
}

bool written_as_json_number(Kind kind) {
  switch (kind) {
    case Kind::Int16:
    case Kind::Int32:
    case Kind::Int64:
    case Kind::Serial:
    case Kind::BigSerial:
    case Kind::Float32:
    case Kind::Float64:
      return true;
    default:
      return false;
  }
}

bool written_as_embedded_json(Kind kind) {
  return kind == Kind::Json || kind == Kind::Vector;
}

}  // namespace migpkg::data
