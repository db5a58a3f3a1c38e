#pragma once
// What portable_values.cpp and portable_time.cpp both need to take a value's text apart: the
// reason a value is refused, digit runs, and the timestamp check fit() uses. Internal to those
// two files (the public interface is portable_values.hpp).
#include <stdexcept>
#include <string>
#include <string_view>

namespace migpkg::data::portable::scan {

[[noreturn]] inline void refuse(const std::string& reason) {
  throw std::invalid_argument(reason);
}

inline bool digit(char c) {
  return c >= '0' && c <= '9';
}

inline bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!digit(c)) return false;
  return true;
}

inline int number(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

// Whether `text` is a timestamp in its portable form already ("YYYY-MM-DDTHH:MM:SS[.ffffff]",
// then "Z" when `zoned`), which timestamp() or timestamptz() would return unchanged.
bool portable_timestamp(std::string_view text, bool zoned);

}  // namespace migpkg::data::portable::scan
