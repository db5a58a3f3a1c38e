#include "compiler/ir/source_location.hpp"

namespace migpkg {

std::string escape_json_pointer_token(const std::string& token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

// DSL nodes have no pointer: a member is then located where its parent is.
SourceLocation SourceLocation::child(const std::string& key) const {
  if (pointer.empty() && line > 0) return *this;
  return SourceLocation{file, pointer + "/" + escape_json_pointer_token(key), 0, 0};
}

SourceLocation SourceLocation::child(std::size_t index) const {
  if (pointer.empty() && line > 0) return *this;
  return SourceLocation{file, pointer + "/" + std::to_string(index), 0, 0};
}

}  // namespace migpkg
