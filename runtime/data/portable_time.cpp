// The portable forms of dates, times and timestamps (portable_values.hpp): parsing the text
// engines print, checking the calendar, and writing "YYYY-MM-DDTHH:MM:SS[.ffffff][Z]".
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/data/portable_scan.hpp"
#include "runtime/data/portable_values.hpp"

namespace migpkg::data::portable {
namespace {

using namespace scan;

bool leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : days[month - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil; the way
// back, civil_from_days, is public: portable_values.hpp).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
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

namespace scan {

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

}  // namespace scan

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

}  // namespace migpkg::data::portable
