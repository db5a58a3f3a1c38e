#pragma once
// Stable topological order: among the nodes whose prerequisites are done, the one that sorts
// first by `less` goes next. Used for steps (listed order) and migrations (plugin, version).
#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

namespace migpkg {

struct TopoResult {
  std::vector<std::size_t> order;  // complete when there is no cycle
  std::vector<std::size_t>
      cycle;  // one cycle: each node depends on the next, the last on the first
};

// `prerequisites[i]` lists the nodes that must come before node i.
TopoResult topo_sort(const std::vector<std::vector<std::size_t>>& prerequisites,
                     const std::function<bool(std::size_t, std::size_t)>& less);

}  // namespace migpkg
