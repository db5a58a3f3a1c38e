#include "runtime/check/schema_snapshot.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <utility>

#include "runtime/engines/engine_registry.hpp"

namespace migpkg::runtime {

SchemaSnapshot inspect_schema(Connection& connection) {
  SchemaSnapshot snapshot;
  snapshot.objects = engine_of(connection).inspect_schema(connection);
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

}  // namespace migpkg::runtime
