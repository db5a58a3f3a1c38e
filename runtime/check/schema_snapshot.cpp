#include "runtime/check/schema_snapshot.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <utility>

namespace migpkg::runtime {

SchemaSnapshot inspect_schema(Connection& connection) {
  SchemaSnapshot snapshot;
  std::string engine = connection.engine();
  if (engine == "sqlite")
    snapshot.objects = snapshot_detail::inspect_sqlite(connection);
  else if (engine == "postgresql")
    snapshot.objects = snapshot_detail::inspect_postgresql(connection);
  else
    throw std::invalid_argument("schema inspection does not support engine '" + engine + "'");
  std::sort(snapshot.objects.begin(), snapshot.objects.end());
  return snapshot;
}

std::vector<std::string> diff_schema(const SchemaSnapshot& before, const SchemaSnapshot& after) {
  std::vector<std::string> removed, added;
  std::set_difference(before.objects.begin(), before.objects.end(), after.objects.begin(),
                      after.objects.end(), std::back_inserter(removed));
  std::set_difference(after.objects.begin(), after.objects.end(), before.objects.begin(),
                      before.objects.end(), std::back_inserter(added));
  // Interleaved by line, so a changed column shows as a "-" line next to its "+" line.
  std::vector<std::pair<std::string, int>> changes;
  for (auto& line : removed) changes.emplace_back(std::move(line), 0);
  for (auto& line : added) changes.emplace_back(std::move(line), 1);
  std::sort(changes.begin(), changes.end());
  std::vector<std::string> lines;
  lines.reserve(changes.size());
  for (const auto& [line, sign] : changes) lines.push_back((sign == 0 ? "- " : "+ ") + line);
  return lines;
}

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
