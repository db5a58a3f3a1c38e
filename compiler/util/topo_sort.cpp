#include "compiler/util/topo_sort.hpp"

#include <set>

namespace migpkg {

TopoResult topo_sort(const std::vector<std::vector<std::size_t>>& prerequisites,
                     const std::function<bool(std::size_t, std::size_t)>& less) {
  std::size_t n = prerequisites.size();
  std::vector<std::vector<std::size_t>> dependents(n);
  std::vector<std::size_t> waiting(n, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t p : prerequisites[i]) {
      dependents[p].push_back(i);
      ++waiting[i];
    }
  auto cmp = [&](std::size_t a, std::size_t b) { return less(a, b) || (!less(b, a) && a < b); };
  std::set<std::size_t, decltype(cmp)> ready(cmp);
  for (std::size_t i = 0; i < n; ++i)
    if (waiting[i] == 0) ready.insert(i);
  TopoResult result;
  while (!ready.empty()) {
    std::size_t next = *ready.begin();
    ready.erase(ready.begin());
    result.order.push_back(next);
    for (std::size_t d : dependents[next])
      if (--waiting[d] == 0) ready.insert(d);
  }
  if (result.order.size() == n) return result;

  // Some nodes never became ready: walk prerequisites among them until a node repeats.
  std::vector<bool> done(n, false);
  for (std::size_t i : result.order) done[i] = true;
  std::size_t start = 0;
  while (done[start]) ++start;
  std::vector<std::size_t> path;
  std::vector<int> position(n, -1);
  std::size_t node = start;
  while (position[node] < 0) {
    position[node] = static_cast<int>(path.size());
    path.push_back(node);
    for (std::size_t p : prerequisites[node])
      if (!done[p]) {
        node = p;
        break;
      }
  }
  // path walks from dependents to prerequisites; the cycle is the tail from `node`.
  result.cycle.assign(path.begin() + position[node], path.end());
  return result;
}

}  // namespace migpkg
