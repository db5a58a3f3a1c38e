#pragma once
// The checks that run before an install (or a rollback) changes anything: drift, conflicts,
// dependencies, dependents.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/planner/plan.hpp"
#include "compiler/util/semver.hpp"
#include "runtime/history/bookkeeping.hpp"

namespace migpkg::runtime {

struct InstalledState {
  std::vector<InstalledPlugin> plugins;
  std::vector<AppliedMigration> applied;
  std::vector<InflightMigration> inflight;
  std::vector<JournalEntry> journal;

  const InstalledPlugin* plugin(const std::string& id) const;
  const AppliedMigration* applied_migration(const std::string& plugin, const std::string& id) const;
  const InflightMigration* inflight_migration(const std::string& plugin,
                                              const std::string& id) const;
  // Steps of that direction done so far, from the journal.
  int steps_done(const std::string& plugin, const std::string& id,
                 const std::string& direction) const;
};

// `with_plan_text` false leaves the applied migrations' plan_json empty (for reports).
InstalledState read_installed_state(Bookkeeping& bookkeeping, bool with_plan_text = true);

// "acme.crm/crm-001 was applied with sha256-v1:... but the source now gives sha256-v1:...".
std::vector<std::string> find_drift(const plan::Plan& plan, const InstalledState& state);

// Conflicts (declared by either side) and unmet plugin requirements of the pending migrations
// against what is installed.
std::vector<std::string> find_refusals(const ir::Program& program,
                                       const std::vector<const plan::Migration*>& pending,
                                       const InstalledState& state);

// Installed plugins other than `plugin_id` whose applied migrations would lose what they depend
// on: a `plugin_id@RANGE` requirement that `version_after` (nullopt: uninstalled) leaves, or a
// dependency on one of the `undone` migration ids. Plugins in `skip` are not asked. Shared by
// rollback (which takes migrations away) and install (which moves a plugin to a new version).
std::vector<std::string> find_dependents(const std::string& plugin_id, const InstalledState& state,
                                         const std::vector<std::string>& undone,
                                         const std::optional<SemVer>& version_after,
                                         const std::set<std::string>& skip = {});

// Installed plugins that an install would move out of a range they require: for each plugin of
// the run that is installed, its version after the run (the highest of its installed version
// and the pending migrations that will run) against every other plugin's stored requirements.
// A dependent whose own pending migrations in this run declare a requirement on that plugin is
// left to validation: its newer requirement is the one that counts.
std::vector<std::string> find_broken_dependents(const ir::Program& program,
                                                const std::vector<const plan::Migration*>& pending,
                                                const InstalledState& state);

}  // namespace migpkg::runtime
