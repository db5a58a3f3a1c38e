#pragma once
// Which migration must run before which, across every plugin of a run. Built once and used by
// the validator (unknown ids, cycles, version requirements) and the planner (order).
#include <set>
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/util/topo_sort.hpp"

namespace migpkg {

struct MigrationNode {
  const ir::Plugin* plugin;
  const ir::Migration* migration;
  std::size_t plugin_index;  // order in which plugins were given
  std::size_t position;      // order within the plugin's sources
};

struct DependencyGraph {
  std::vector<MigrationNode> nodes;
  std::vector<std::vector<std::size_t>> prerequisites;  // per node
};

// Resolves each dependency entry: a migration id (same plugin first, then any other plugin in
// the run) or `plugin@range` (every migration of that plugin when it is in the run). Problems
// go to `diagnostics` when given.
// `installed` lists migration ids already applied in the target database (of plugins not in
// the run); a dependency on one of them is satisfied and adds no edge.
DependencyGraph build_dependency_graph(const ir::Program& program, Diagnostics* diagnostics,
                                       const std::set<std::string>* installed = nullptr);

// Every migration in the order it must run: dependencies first, then by plugin (as given),
// version, and source order. Returns an empty list when there is a cycle.
std::vector<const MigrationNode*> order_migrations(const DependencyGraph& graph,
                                                   std::vector<std::size_t>* cycle = nullptr);

// The steps of one direction in the order they run: as listed, except where a step's
// dependencies force a later-listed step earlier. Unknown and self dependencies are reported
// to `diagnostics` when given (and ignored for ordering); a cycle leaves `order` incomplete.
TopoResult order_steps(const std::vector<ir::Step>& steps, Diagnostics* diagnostics);

}  // namespace migpkg
