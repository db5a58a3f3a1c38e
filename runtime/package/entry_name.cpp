#include "runtime/package/entry_name.hpp"

#include <cstdio>

namespace migpkg::package {
namespace {

bool allowed_character(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-' || c == '+' || c == '@' || c == '=' || c == ',';
}

}  // namespace

std::string entry_name_problem(const std::string& name) {
  if (name.empty()) return "empty name";
  if (name.size() > kMaxEntryNameBytes)
    return "name longer than " + std::to_string(kMaxEntryNameBytes) + " bytes";
  if (name[0] == '/') return "absolute path";
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    std::string part = name.substr(start, end - start);
    if (part.empty()) return "empty path component";
    if (part == "..") return "'..' component (path traversal)";
    if (part == ".") return "'.' component";
    for (unsigned char c : part)
      if (!allowed_character(c))
        return c == '\\' ? std::string("backslash in name")
                         : "character not allowed in a package name (allowed: A-Z a-z 0-9 . _ "
                           "- + @ = ,)";
    start = end + 1;
  }
  return "";
}

std::string printable_name(const std::string& name) {
  std::string out = "'";
  for (unsigned char c : name) {
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    }
    if (out.size() > 300) {
      out += "...";
      break;
    }
  }
  return out + "'";
}

}  // namespace migpkg::package
