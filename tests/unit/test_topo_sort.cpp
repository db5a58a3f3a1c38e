#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "compiler/util/topo_sort.hpp"

using migpkg::topo_sort;
using migpkg::TopoResult;
using Graph = std::vector<std::vector<std::size_t>>;
using Order = std::vector<std::size_t>;

namespace {

bool by_index(std::size_t a, std::size_t b) {
  return a < b;
}

// Every node appears once and after all of its prerequisites.
void check_respects_prerequisites(const Graph& prerequisites, const Order& order) {
  REQUIRE(order.size() == prerequisites.size());
  std::vector<int> position(order.size(), -1);
  for (std::size_t i = 0; i < order.size(); ++i) {
    REQUIRE(order[i] < order.size());
    REQUIRE(position[order[i]] == -1);  // no node twice
    position[order[i]] = static_cast<int>(i);
  }
  for (std::size_t node = 0; node < prerequisites.size(); ++node)
    for (std::size_t p : prerequisites[node]) {
      INFO("node " << node << " needs " << p);
      CHECK(position[p] < position[node]);
    }
}

// Each node of the cycle depends on the next, the last on the first.
void check_is_cycle(const Graph& prerequisites, const Order& cycle) {
  REQUIRE_FALSE(cycle.empty());
  for (std::size_t k = 0; k < cycle.size(); ++k) {
    std::size_t node = cycle[k], next = cycle[(k + 1) % cycle.size()];
    INFO("cycle step " << node << " -> " << next);
    const auto& needs = prerequisites[node];
    CHECK(std::find(needs.begin(), needs.end(), next) != needs.end());
  }
  Order sorted = cycle;
  std::sort(sorted.begin(), sorted.end());
  CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());  // no repeats
}

Order rotate_to_smallest(Order cycle) {
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
  return cycle;
}

}  // namespace

TEST_CASE("topo_sort of nothing is nothing", "[topo]") {
  TopoResult r = topo_sort({}, by_index);
  CHECK(r.order.empty());
  CHECK(r.cycle.empty());
}

TEST_CASE("topo_sort without edges follows `less`", "[topo]") {
  Graph none(5);
  CHECK(topo_sort(none, by_index).order == Order{0, 1, 2, 3, 4});
  CHECK(topo_sort(none, [](std::size_t a, std::size_t b) { return a > b; }).order ==
        Order{4, 3, 2, 1, 0});
  // Ties under `less` keep index order: stable.
  std::vector<int> key = {2, 1, 2, 1, 0};
  auto by_key = [&](std::size_t a, std::size_t b) { return key[a] < key[b]; };
  TopoResult r = topo_sort(none, by_key);
  CHECK(r.order == Order{4, 1, 3, 0, 2});
  CHECK(r.cycle.empty());
}

TEST_CASE("topo_sort puts prerequisites first and otherwise keeps `less` order", "[topo]") {
  SECTION("one edge against the listed order") {
    Graph g = {{2}, {}, {}};  // 0 needs 2
    TopoResult r = topo_sort(g, by_index);
    CHECK(r.order == Order{1, 2, 0});
    CHECK(r.cycle.empty());
  }
  SECTION("a chain listed backwards") {
    Graph g = {{1}, {2}, {3}, {}};
    CHECK(topo_sort(g, by_index).order == Order{3, 2, 1, 0});
  }
  SECTION("a node becomes ready and then competes by `less`") {
    // 1 needs 3. Ready at first: 0, 2, 3. After 3, node 1 is ready and beats 4.
    Graph g = {{}, {3}, {}, {}, {}};
    CHECK(topo_sort(g, by_index).order == Order{0, 2, 3, 1, 4});
  }
  SECTION("a diamond") {
    Graph g = {{1, 2}, {3}, {3}, {}};  // 0 needs 1 and 2; both need 3
    TopoResult r = topo_sort(g, by_index);
    CHECK(r.order == Order{3, 1, 2, 0});
    check_respects_prerequisites(g, r.order);
  }
  SECTION("repeated prerequisites count once each way") {
    Graph g = {{1, 1}, {}};
    CHECK(topo_sort(g, by_index).order == Order{1, 0});
  }
  SECTION("a larger graph with a custom order") {
    //      name: 0=e 1=d 2=c 3=b 4=a 5=f 6=g 7=h
    std::vector<std::string> name = {"e", "d", "c", "b", "a", "f", "g", "h"};
    Graph g = {{4}, {}, {1, 7}, {}, {}, {0, 2}, {}, {6}};
    auto by_name = [&](std::size_t a, std::size_t b) { return name[a] < name[b]; };
    TopoResult r = topo_sort(g, by_name);
    CHECK(r.cycle.empty());
    check_respects_prerequisites(g, r.order);
    // Ready: a, b, d, g. a frees e; b; d (c still needs h); e (f still needs c); g frees h;
    // h frees c; c frees f.
    CHECK(r.order == Order{4, 3, 1, 0, 6, 7, 2, 5});
  }
}

TEST_CASE("topo_sort reports a cycle of three without the nodes outside it", "[topo]") {
  // 1 -> 2 -> 3 -> 1 (each needs the next); 0 needs 1 (blocked, not in the cycle);
  // 4 is free; 5 needs 4; 6 needs 0 (blocked further out).
  Graph g = {{1}, {2}, {3}, {1}, {}, {4}, {0}};
  TopoResult r = topo_sort(g, by_index);
  CHECK(r.order == Order{4, 5});  // only what could be ordered
  check_is_cycle(g, r.cycle);
  CHECK(r.cycle.size() == 3);
  CHECK(rotate_to_smallest(r.cycle) == Order{1, 2, 3});
  for (std::size_t outside : {0, 4, 5, 6}) {
    INFO("node " << outside << " is not part of the cycle");
    CHECK(std::find(r.cycle.begin(), r.cycle.end(), outside) == r.cycle.end());
  }
}

TEST_CASE("topo_sort reports a self-loop as a cycle of one", "[topo]") {
  Graph g = {{}, {2}, {2}, {}};  // 2 needs itself; 1 needs 2
  TopoResult r = topo_sort(g, by_index);
  CHECK(r.cycle == Order{2});
  CHECK(r.order == Order{0, 3});
}

TEST_CASE("topo_sort finds a cycle reached only through a long tail", "[topo]") {
  // 0 -> 1 -> 2 -> 3 -> 4 -> 5 -> 3: the cycle is {3, 4, 5}.
  Graph g = {{1}, {2}, {3}, {4}, {5}, {3}};
  TopoResult r = topo_sort(g, by_index);
  CHECK(r.order.empty());
  check_is_cycle(g, r.cycle);
  CHECK(rotate_to_smallest(r.cycle) == Order{3, 4, 5});
}

TEST_CASE("topo_sort with two cycles reports one of them whole", "[topo]") {
  Graph g = {{1}, {0}, {3}, {2}, {}};
  TopoResult r = topo_sort(g, by_index);
  CHECK(r.order == Order{4});
  check_is_cycle(g, r.cycle);
  CHECK(r.cycle.size() == 2);
}
