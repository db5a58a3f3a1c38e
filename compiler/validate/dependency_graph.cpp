#include "compiler/validate/dependency_graph.hpp"

#include "compiler/ir/identifiers.hpp"

#include <map>
#include <unordered_map>

namespace migpkg {

DependencyGraph build_dependency_graph(const ir::Program& program, Diagnostics* diagnostics,
                                       const std::set<std::string>* installed) {
  DependencyGraph graph;
  for (std::size_t p = 0; p < program.plugins.size(); ++p) {
    const auto& plugin = program.plugins[p];
    for (std::size_t m = 0; m < plugin.migrations.size(); ++m)
      graph.nodes.push_back({&plugin, &plugin.migrations[m], p, m});
  }
  graph.prerequisites.resize(graph.nodes.size());
  // Node indexes by migration id, in node order: looking every dependency up by scanning all
  // nodes made 10,000 chained migrations take a second.
  std::unordered_map<std::string, std::vector<std::size_t>> nodes_by_id;
  for (std::size_t j = 0; j < graph.nodes.size(); ++j)
    nodes_by_id[graph.nodes[j].migration->id].push_back(j);
  auto report = [&](const SourceLocation& where, std::string message, std::string hint = {}) {
    if (diagnostics)
      diagnostics->error("unknown-dependency", where, std::move(message), std::move(hint));
  };

  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    const auto& node = graph.nodes[i];
    for (const auto& dependency : node.migration->dependencies) {
      const std::string& text = dependency.text;
      if (text.find('@') != std::string::npos) {
        std::string why;
        auto requirement = PluginRequirement::parse(text, &why);
        if (!requirement) {
          if (diagnostics) diagnostics->error("invalid-range", dependency.location, why);
          continue;
        }
        if (!is_valid_plugin_id(requirement->plugin)) {
          if (diagnostics)
            diagnostics->error(
                "invalid-id", dependency.location,
                "\"" + requirement->plugin + "\" is not a plugin id (e.g. \"acme.crm\")");
          continue;
        }
        const ir::Plugin* required = program.find_plugin(requirement->plugin);
        if (!required) continue;  // resolved against installed plugins at install time
        if (required == node.plugin) {
          report(dependency.location, "migration \"" + node.migration->id +
                                          "\" requires its own plugin \"" + text + "\"");
          continue;
        }
        const SemVer* version = required->version();
        if (version && !requirement->range.contains(*version) && diagnostics)
          diagnostics->error("unsatisfied-dependency", dependency.location,
                             "requires " + text + " but the given " + required->id + " is " +
                                 version->to_string());
        for (std::size_t j = 0; j < graph.nodes.size(); ++j)
          if (graph.nodes[j].plugin == required) graph.prerequisites[i].push_back(j);
        continue;
      }
      if (text == node.migration->id) {
        report(dependency.location, "migration \"" + text + "\" depends on itself");
        continue;
      }
      // Same plugin first: ids are unique only within a plugin.
      std::vector<std::size_t> matches;
      auto same_id = nodes_by_id.find(text);
      if (same_id != nodes_by_id.end()) {
        for (std::size_t j : same_id->second)
          if (graph.nodes[j].plugin == node.plugin) matches.push_back(j);
        if (matches.empty()) matches = same_id->second;
      }
      if (matches.size() == 1) {
        const auto& target = graph.nodes[matches[0]];
        // Installing version V applies migrations up to V; one cannot need a later version.
        if (target.plugin == node.plugin && node.migration->version < target.migration->version &&
            diagnostics)
          diagnostics->error("dependency-on-later-version", dependency.location,
                             "migration \"" + node.migration->id + "\" (" +
                                 node.migration->version_text + ") depends on \"" + text +
                                 "\", which belongs to a later version (" +
                                 target.migration->version_text + ")");
        graph.prerequisites[i].push_back(matches[0]);
      } else if (matches.size() > 1 && graph.nodes[matches[0]].plugin == node.plugin) {
        graph.prerequisites[i].push_back(matches[0]);  // duplicate id: reported elsewhere
      } else if (matches.empty() && installed && installed->count(text)) {
        continue;  // applied earlier, by a plugin not in this run
      } else if (matches.size() > 1) {
        report(dependency.location, "dependency \"" + text +
                                        "\" is ambiguous: several plugins have a migration with "
                                        "that id");
      } else {
        std::vector<std::string> ids;
        for (const auto& other : graph.nodes) ids.push_back(other.migration->id);
        std::string suggestion = closest_match(text, ids);
        report(
            dependency.location,
            "unknown dependency \"" + text + "\": no migration with this id among the " +
                std::to_string(graph.nodes.size()) + " given",
            suggestion.empty()
                ? "to depend on another plugin, write \"plugin@range\" (e.g. \"acme.auth@>=1.0\")"
                : "did you mean \"" + suggestion + "\"?");
      }
    }
  }
  return graph;
}

std::vector<const MigrationNode*> order_migrations(const DependencyGraph& graph,
                                                   std::vector<std::size_t>* cycle) {
  auto less = [&](std::size_t a, std::size_t b) {
    const auto &x = graph.nodes[a], &y = graph.nodes[b];
    if (x.plugin_index != y.plugin_index) return x.plugin_index < y.plugin_index;
    int c = compare(x.migration->version, y.migration->version);
    if (c != 0) return c < 0;
    return x.position < y.position;
  };
  TopoResult result = topo_sort(graph.prerequisites, less);
  std::vector<const MigrationNode*> order;
  if (!result.cycle.empty()) {
    if (cycle) *cycle = result.cycle;
    return order;
  }
  for (std::size_t i : result.order) order.push_back(&graph.nodes[i]);
  return order;
}

TopoResult order_steps(const std::vector<ir::Step>& steps, Diagnostics* diagnostics) {
  // Most migrations' steps declare no dependencies and run as written: no index, no sort.
  bool any_dependency = false;
  for (const auto& step : steps) any_dependency = any_dependency || !step.dependencies.empty();
  if (!any_dependency) {
    TopoResult result;
    result.order.resize(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) result.order[i] = i;
    return result;
  }
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < steps.size(); ++i) index.emplace(steps[i].id, i);
  std::vector<std::vector<std::size_t>> prerequisites(steps.size());
  for (std::size_t i = 0; i < steps.size(); ++i)
    for (const auto& dependency : steps[i].dependencies) {
      auto it = index.find(dependency.text);
      if (it != index.end() && dependency.text != steps[i].id) {
        prerequisites[i].push_back(it->second);
        continue;
      }
      if (!diagnostics) continue;
      if (dependency.text == steps[i].id) {
        diagnostics->error("unknown-dependency", dependency.location,
                           "step \"" + steps[i].id + "\" depends on itself");
        continue;
      }
      std::vector<std::string> ids;
      for (const auto& step : steps) ids.push_back(step.id);
      std::string suggestion = closest_match(dependency.text, ids);
      diagnostics->error("unknown-dependency", dependency.location,
                         "unknown step dependency \"" + dependency.text +
                             "\": no step with this id in the same direction",
                         suggestion.empty() ? "" : "did you mean \"" + suggestion + "\"?");
    }
  return topo_sort(prerequisites, [](std::size_t a, std::size_t b) { return a < b; });
}

}  // namespace migpkg
