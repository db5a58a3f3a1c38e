#include "runtime/installer/unresolved_migrations.hpp"

#include <set>

namespace migpkg::runtime {

std::vector<UnresolvedMigration> unresolved_migrations(const ir::Program& program,
                                                       const InstalledState& state) {
  std::set<std::pair<std::string, std::string>> given;
  for (const auto& plugin : program.plugins)
    for (const auto& m : plugin.migrations) given.emplace(plugin.id, m.id);
  std::vector<UnresolvedMigration> out;
  for (const auto& a : state.applied)  // read in application order
    if (program.find_plugin(a.plugin_id) && !given.count({a.plugin_id, a.migration_id}))
      out.push_back({a.plugin_id, a.migration_id, a.version, false});
  for (const auto& f : state.inflight)
    if (f.direction == "up" && program.find_plugin(f.plugin_id) &&
        !given.count({f.plugin_id, f.migration_id}))
      out.push_back({f.plugin_id, f.migration_id, f.version, true});
  return out;
}

std::string unresolved_warning(const UnresolvedMigration& m) {
  return "warning: " + m.plugin_id + "/" + m.migration_id + " " + m.version + " is " +
         (m.half_done ? "half-applied" : "applied") +
         " but not in the sources given (applied migration not resolved locally): its drift "
         "cannot be checked; give the plugin's whole directory";
}

std::vector<std::string> unresolved_refusals(const std::vector<UnresolvedMigration>& unresolved) {
  std::vector<std::string> out;
  for (const auto& m : unresolved)
    if (m.half_done)
      out.push_back(m.plugin_id + "/" + m.migration_id + " " + m.version +
                    " is half-applied but not in the sources given, so install cannot resume "
                    "it: give its source, undo it with `migpkg rollback " +
                    m.plugin_id + "`, or settle it with `migpkg repair " + m.plugin_id +
                    " --mark-undone|--mark-applied " + m.migration_id + "`");
  return out;
}

}  // namespace migpkg::runtime
