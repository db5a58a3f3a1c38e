#pragma once
// The checks that run before an install changes anything: drift, conflicts, dependencies.
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/planner/plan.hpp"
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

InstalledState read_installed_state(Bookkeeping& bookkeeping);

// "acme.crm/crm-001 was applied with sha256-v1:... but the source now gives sha256-v1:...".
std::vector<std::string> find_drift(const plan::Plan& plan, const InstalledState& state);

// Conflicts (declared by either side) and unmet plugin requirements against what is installed.
std::vector<std::string> find_refusals(const ir::Program& program, const plan::Plan& plan,
                                       const InstalledState& state);

}  // namespace migpkg::runtime
