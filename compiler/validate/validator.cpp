// Checks across migrations and plugins: ids, dependencies, cycles, conflicts.
#include "compiler/validate/validator.hpp"

#include <map>

#include "compiler/ir/identifiers.hpp"
#include "compiler/validate/dependency_graph.hpp"

namespace migpkg {
namespace {

void check_ids(const ir::Plugin& plugin, Diagnostics& diagnostics) {
  std::map<std::string, const ir::Migration*> seen;
  for (const auto& migration : plugin.migrations) {
    if (!migration.plugin_id.empty() && !is_valid_plugin_id(migration.plugin_id))
      diagnostics.error("invalid-id", migration.location.child("pluginId"),
                        "plugin id \"" + migration.plugin_id +
                            "\" must be lower-case letters, digits, '.', '_' or '-' (e.g. "
                            "\"acme.crm\")");
    if (migration.id.empty()) continue;
    if (!is_valid_id(migration.id))
      diagnostics.error("invalid-id", migration.location.child("id"),
                        "migration id \"" + migration.id +
                            "\" must start with a letter or digit and hold only letters, digits, "
                            "'.', '_' or '-' (at most 128)");
    auto [it, inserted] = seen.emplace(migration.id, &migration);
    if (!inserted)
      diagnostics.error(
          "duplicate-id", migration.location.child("id"),
          "plugin \"" + plugin.id + "\" has two migrations with id \"" + migration.id + "\"",
          "the other one is in " + it->second->location.file.str());
  }
}

void check_cycles(const DependencyGraph& graph, Diagnostics& diagnostics) {
  std::vector<std::size_t> cycle;
  if (!order_migrations(graph, &cycle).empty() || cycle.empty()) return;
  std::string path;
  for (std::size_t i : cycle) path += graph.nodes[i].migration->id + " -> ";
  path += graph.nodes[cycle.front()].migration->id;
  const ir::Migration& first = *graph.nodes[cycle.front()].migration;
  diagnostics.error("dependency-cycle", first.location.child("dependencies"),
                    "migration dependencies form a cycle: " + path);
}

void check_conflicts(const ir::Program& program, Diagnostics& diagnostics) {
  for (const auto& plugin : program.plugins)
    for (const auto& migration : plugin.migrations)
      for (const auto& conflict : migration.conflicts) {
        std::string why;
        auto requirement = PluginRequirement::parse(conflict.text, &why);
        if (!requirement) {
          diagnostics.error("invalid-range", conflict.location, why);
          continue;
        }
        if (!is_valid_plugin_id(requirement->plugin)) {
          diagnostics.error(
              "invalid-id", conflict.location,
              "\"" + requirement->plugin + "\" is not a plugin id (e.g. \"acme.crm\")");
          continue;
        }
        if (requirement->plugin == plugin.id) {
          diagnostics.error("invalid-conflict", conflict.location,
                            "plugin \"" + plugin.id + "\" cannot conflict with itself");
          continue;
        }
        const ir::Plugin* other = program.find_plugin(requirement->plugin);
        const SemVer* version = other ? other->version() : nullptr;
        if (version && requirement->range.contains(*version))
          diagnostics.error("plugin-conflict", conflict.location,
                            "plugin \"" + plugin.id + "\" conflicts with \"" + conflict.text +
                                "\", which is also given (" + other->id + " " +
                                version->to_string() + ")");
      }
}

}  // namespace

void validate_program(const ir::Program& program, Diagnostics& diagnostics,
                      const std::set<std::string>* installed) {
  for (const auto& plugin : program.plugins) {
    check_ids(plugin, diagnostics);
    for (const auto& migration : plugin.migrations) validate_migration(migration, diagnostics);
  }
  DependencyGraph graph = build_dependency_graph(program, &diagnostics, installed);
  check_cycles(graph, diagnostics);
  check_conflicts(program, diagnostics);
}

}  // namespace migpkg
