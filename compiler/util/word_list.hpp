#pragma once
// Lists of names in messages and help texts, built from the one list they come from.
#include <cstddef>
#include <string>
#include <vector>

namespace migpkg {

// "a, b, c or d" ("a" for one name, "" for none).
inline std::string or_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace migpkg
