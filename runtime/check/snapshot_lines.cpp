// The line formatting schema snapshots share (schema_snapshot.hpp), apart from inspect_schema so
// that module engines (runtime/engines/<name>/schema_snapshot.cpp) can link it in too.
#include "runtime/check/schema_snapshot.hpp"

namespace migpkg::runtime {

namespace snapshot_detail {

std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string collapse_whitespace(const std::string& sql) {
  std::string out;
  char quote = 0;  // the quote character of the literal or quoted name we are inside
  bool pending_space = false;
  for (char c : sql) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (!quote && space) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += c;
    if (quote) {
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
    } else if (c == '\'' || c == '"' || c == '`') {
      quote = c;
    }
  }
  return out;
}

}  // namespace snapshot_detail
}  // namespace migpkg::runtime
