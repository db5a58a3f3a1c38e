#pragma once
// Double-quoted SQL names, as the engines' own catalog queries write them (header-only, so that
// module engines need no libmigpkg code for it).
#include <string>

namespace migpkg::runtime {

inline std::string double_quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// "a.b" -> "a"."b": each dot-separated part quoted.
inline std::string double_quoted_qualified(const std::string& dotted_name) {
  std::string out;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = dotted_name.find('.', start);
    if (start) out += '.';
    out += double_quoted(dotted_name.substr(start, dot - start));
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

}  // namespace migpkg::runtime
