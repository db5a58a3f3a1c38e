#include "runtime/installer/preflight.hpp"

#include <map>

#include "compiler/planner/plan_json_reader.hpp"
#include "compiler/util/semver.hpp"

namespace migpkg::runtime {

const InstalledPlugin* InstalledState::plugin(const std::string& id) const {
  for (const auto& p : plugins)
    if (p.plugin_id == id) return &p;
  return nullptr;
}

const AppliedMigration* InstalledState::applied_migration(const std::string& plugin,
                                                          const std::string& id) const {
  for (const auto& a : applied)
    if (a.plugin_id == plugin && a.migration_id == id) return &a;
  return nullptr;
}

const InflightMigration* InstalledState::inflight_migration(const std::string& plugin,
                                                            const std::string& id) const {
  for (const auto& f : inflight)
    if (f.plugin_id == plugin && f.migration_id == id) return &f;
  return nullptr;
}

int InstalledState::steps_done(const std::string& plugin, const std::string& id,
                               const std::string& direction) const {
  int done = 0;
  for (const auto& j : journal)
    if (j.plugin_id == plugin && j.migration_id == id && j.direction == direction)
      done = std::max(done, j.step_index + 1);
  return done;
}

InstalledState read_installed_state(Bookkeeping& bk, bool with_plan_text) {
  bk.check_version();  // dry runs and status read without writing: they check here
  return {bk.plugins(), bk.applied("", with_plan_text), bk.inflight(), bk.journal()};
}

std::vector<std::string> find_drift(const plan::Plan& plan, const InstalledState& state) {
  std::vector<std::string> drift;
  for (const auto& m : plan.migrations) {
    std::string recorded;
    if (const auto* a = state.applied_migration(m.plugin_id, m.id)) recorded = a->checksum;
    if (const auto* f = state.inflight_migration(m.plugin_id, m.id)) recorded = f->checksum;
    if (!recorded.empty() && recorded != m.checksum)
      drift.push_back(m.plugin_id + "/" + m.id + " was applied with " + recorded +
                      " but the source now gives " + m.checksum +
                      ": an applied migration must not change; add a new migration instead");
  }
  return drift;
}

namespace {

// The version the plugin will have after this run: the highest of the program's migrations.
const SemVer* program_version(const ir::Program& program, const std::string& plugin) {
  const ir::Plugin* p = program.find_plugin(plugin);
  return p ? p->version() : nullptr;
}

}  // namespace

std::vector<std::string> find_refusals(const ir::Program& program,
                                       const std::vector<const plan::Migration*>& pending,
                                       const InstalledState& state) {
  std::vector<std::string> refusals;
  // Conflicts declared by the plugins being installed, against installed plugins.
  for (const auto& plugin : program.plugins)
    for (const auto& m : plugin.migrations)
      for (const auto& conflict : m.conflicts) {
        auto requirement = PluginRequirement::parse(conflict.text, nullptr);
        if (!requirement || program.find_plugin(requirement->plugin)) continue;
        const InstalledPlugin* installed = state.plugin(requirement->plugin);
        auto version = installed ? SemVer::parse(installed->version) : std::nullopt;
        if (version && requirement->range.contains(*version))
          refusals.push_back(plugin.id + " conflicts with the installed " + installed->plugin_id +
                             " " + installed->version + " (\"" + conflict.text + "\" in " + m.id +
                             ")");
      }
  // Conflicts declared by installed plugins, against the plugins being installed.
  for (const auto& installed : state.plugins)
    for (const auto& conflict : installed.conflicts) {
      auto requirement = PluginRequirement::parse(conflict, nullptr);
      if (!requirement) continue;
      const SemVer* version = program_version(program, requirement->plugin);
      if (version && requirement->range.contains(*version) &&
          !program.find_plugin(installed.plugin_id))
        refusals.push_back("the installed " + installed.plugin_id + " " + installed.version +
                           " conflicts with " + requirement->plugin + " " + version->to_string() +
                           " (\"" + conflict + "\")");
    }
  // Plugin requirements of the pending migrations, against what is installed.
  for (const auto* pm : pending) {
    const plan::Migration& m = *pm;
    for (const auto& dependency : m.dependencies) {
      if (dependency.find('@') == std::string::npos) continue;
      auto requirement = PluginRequirement::parse(dependency, nullptr);
      if (!requirement || program.find_plugin(requirement->plugin))
        continue;  // checked by validate
      const InstalledPlugin* installed = state.plugin(requirement->plugin);
      if (!installed)
        refusals.push_back(m.plugin_id + "/" + m.id + " requires " + dependency +
                           ", which is not installed: install " + requirement->plugin +
                           " (a version matching " + requirement->range.text() +
                           ") first, or give its sources in the same run");
      else if (auto version = SemVer::parse(installed->version);
               !version || !requirement->range.contains(*version))
        refusals.push_back(m.plugin_id + "/" + m.id + " requires " + dependency + " but " +
                           installed->plugin_id + " " + installed->version +
                           " is installed: upgrade it to a version matching " +
                           requirement->range.text());
    }
  }
  return refusals;
}

std::vector<std::string> find_dependents(const std::string& plugin_id, const InstalledState& state,
                                         const std::vector<std::string>& undone,
                                         const std::optional<SemVer>& version_after,
                                         const std::set<std::string>& skip) {
  std::vector<std::string> problems;
  // A stored plan names its dependencies as JSON strings: one that mentions neither the plugin
  // nor an undone id needs no parsing (an install asks this of every applied migration).
  auto may_depend = [&](const std::string& plan_json) {
    if (plan_json.find("\"" + plugin_id + "@") != std::string::npos) return true;
    for (const auto& id : undone)
      if (plan_json.find("\"" + id + "\"") != std::string::npos) return true;
    return false;
  };
  for (const auto& other : state.applied) {
    if (other.plugin_id == plugin_id || skip.count(other.plugin_id) || !may_depend(other.plan_json))
      continue;
    plan::Migration m = migration_from_text(other.plan_json);
    for (const auto& dependency : m.dependencies) {
      if (dependency.find('@') != std::string::npos) {
        auto requirement = PluginRequirement::parse(dependency, nullptr);
        if (requirement && requirement->plugin == plugin_id &&
            (!version_after || !requirement->range.contains(*version_after)))
          problems.push_back(
              other.plugin_id + "/" + other.migration_id + " requires " + dependency +
              (version_after ? ", and " + plugin_id + " would be " + version_after->to_string()
                             : ", and " + plugin_id + " would be uninstalled"));
        continue;
      }
      if (std::find(undone.begin(), undone.end(), dependency) != undone.end())
        problems.push_back(other.plugin_id + "/" + other.migration_id + " depends on " + plugin_id +
                           "/" + dependency + ", which would be rolled back");
    }
  }
  return problems;
}

std::vector<std::string> find_broken_dependents(const ir::Program& program,
                                                const std::vector<const plan::Migration*>& pending,
                                                const InstalledState& state) {
  // The version each installed plugin of the run will have, and the plugins whose pending
  // migrations state a requirement of their own on it.
  std::map<std::string, SemVer> version_after;
  std::map<std::string, std::set<std::string>> restated;
  for (const auto* m : pending) {
    const InstalledPlugin* installed = state.plugin(m->plugin_id);
    auto version = SemVer::parse(m->version);
    if (!installed || !version) continue;
    auto known = version_after.find(m->plugin_id);
    if (known == version_after.end()) {
      auto before = SemVer::parse(installed->version);
      known = version_after.emplace(m->plugin_id, before ? *before : *version).first;
    }
    if (known->second < *version) known->second = *version;
  }
  for (const auto* m : pending)
    for (const auto& dependency : m->dependencies)
      if (auto at = dependency.find('@'); at != std::string::npos)
        restated[dependency.substr(0, at)].insert(m->plugin_id);
  std::vector<std::string> problems;
  for (const auto& [plugin, version] : version_after) {
    if (!program.find_plugin(plugin)) continue;
    const InstalledPlugin* installed = state.plugin(plugin);
    if (installed && installed->version == version.to_string()) continue;  // no move
    for (auto& problem : find_dependents(plugin, state, {}, version, restated[plugin]))
      problems.push_back(problem + ": roll back or upgrade the dependent first");
  }
  return problems;
}

}  // namespace migpkg::runtime
