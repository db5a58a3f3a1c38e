#include "runtime/package/utc_time.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace migpkg::package {
namespace {

bool digits(const std::string& text, std::size_t from, std::size_t count, int& out) {
  if (from + count > text.size()) return false;
  out = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

bool leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// Days from 1970-01-01 to the date (proleptic Gregorian), without the C library's time zone.
std::int64_t days_from_civil(int year, int month, int day) {
  year -= month <= 2;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<std::int64_t> parse_date(const std::string& text) {
  int year, month, day;
  if (text.size() < 10 || !digits(text, 0, 4, year) || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day))
    return std::nullopt;
  static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1970 || month < 1 || month > 12 || day < 1) return std::nullopt;
  int last = month_days[month - 1] + (month == 2 && leap(year) ? 1 : 0);
  if (day > last) return std::nullopt;
  return days_from_civil(year, month, day) * 86400;
}

}  // namespace

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string format_utc(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::optional<std::int64_t> parse_utc(const std::string& text) {
  int hour, minute, second;
  if (text.size() != 20 || text[10] != 'T' || !digits(text, 11, 2, hour) || text[13] != ':' ||
      !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second) ||
      text[19] != 'Z' || hour > 23 || minute > 59 || second > 59)
    return std::nullopt;
  auto day = parse_date(text.substr(0, 10));
  if (!day) return std::nullopt;
  return *day + hour * 3600 + minute * 60 + second;
}

std::optional<std::int64_t> parse_expiry(const std::string& text, std::int64_t now) {
  if (text.size() >= 2 && text.size() <= 6 && (text.back() == 'd' || text.back() == 'h')) {
    int count;
    if (!digits(text, 0, text.size() - 1, count) || count == 0) return std::nullopt;
    return now + static_cast<std::int64_t>(count) * (text.back() == 'd' ? 86400 : 3600);
  }
  if (text.size() == 10) {
    auto day = parse_date(text);
    if (!day) return std::nullopt;
    return *day + 86400 - 1;
  }
  return parse_utc(text);
}

}  // namespace migpkg::package
