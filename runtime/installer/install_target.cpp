#include "runtime/installer/install_target.hpp"

#include <algorithm>
#include <map>

#include "compiler/util/semver.hpp"

namespace migpkg::runtime {

std::vector<std::string> limit_to_target(const ir::Program& program, const InstallTarget& target,
                                         const InstalledState& state,
                                         std::vector<const plan::Migration*>& pending) {
  if (target.version.empty()) return {};
  std::string plugin_id = target.plugin;
  if (plugin_id.empty()) {
    if (program.plugins.size() != 1)
      return {"--to " + target.version + " is ambiguous: the sources hold " +
              std::to_string(program.plugins.size()) +
              " plugins; name one with --to PLUGIN@VERSION"};
    plugin_id = program.plugins.front().id;
  }
  const ir::Plugin* plugin = program.find_plugin(plugin_id);
  if (!plugin) return {"--to names " + plugin_id + ", which is not in the sources"};
  auto wanted = SemVer::parse(target.version);
  if (!wanted) return {"--to takes a semantic version, not '" + target.version + "'"};
  bool known = std::any_of(plugin->migrations.begin(), plugin->migrations.end(),
                           [&](const ir::Migration& m) { return m.version == *wanted; });
  if (!known) {
    std::string versions;
    for (const auto& m : plugin->migrations)
      if (versions.find(" " + m.version_text + ",") == std::string::npos)
        versions += " " + m.version_text + ",";
    if (!versions.empty()) versions.pop_back();
    return {"--to " + target.version + ": no migration of " + plugin_id +
            " in the sources has that version (they have" + versions + ")"};
  }
  if (const InstalledPlugin* installed = state.plugin(plugin_id))
    if (auto now = SemVer::parse(installed->version); now && *wanted < *now)
      return {plugin_id + " " + installed->version + " is installed, above --to " + target.version +
              ": install only goes up; run migpkg rollback " + plugin_id + " --to " +
              target.version + " to go down"};

  std::map<std::string, const plan::Migration*> left_out;  // by migration id
  std::vector<const plan::Migration*> kept;
  for (const auto* m : pending) {
    auto version = SemVer::parse(m->version);
    if (m->plugin_id == plugin_id && version && *wanted < *version)
      left_out.emplace(m->id, m);
    else
      kept.push_back(m);
  }
  std::vector<std::string> problems;
  for (const auto* m : kept)
    for (const auto& dependency : m->dependencies)
      if (auto it = left_out.find(dependency); it != left_out.end())
        problems.push_back(m->plugin_id + "/" + m->id + " depends on " + plugin_id + "/" +
                           dependency + " " + it->second->version + ", which --to " +
                           target.version + " leaves out");
  // A plugin@RANGE requirement of a kept migration on the target plugin: validation checked it
  // against the plugin's latest version, not the one --to stops at.
  for (const auto* m : kept)
    for (const auto& dependency : m->dependencies) {
      if (dependency.find('@') == std::string::npos) continue;
      auto requirement = PluginRequirement::parse(dependency, nullptr);
      if (requirement && requirement->plugin == plugin_id && !requirement->range.contains(*wanted))
        problems.push_back(m->plugin_id + "/" + m->id + " requires " + dependency + ", and --to " +
                           "leaves " + plugin_id + " at " + target.version);
    }
  pending = std::move(kept);
  return problems;
}

}  // namespace migpkg::runtime
