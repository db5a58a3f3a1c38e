#pragma once
// install --to: an upgrade to a chosen version of one plugin, not only to the latest.
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/planner/plan.hpp"
#include "runtime/installer/preflight.hpp"

namespace migpkg::runtime {

struct InstallTarget {
  std::string plugin;   // "" = the one plugin of the sources
  std::string version;  // "" = no target: every pending migration
};

// Keeps in `pending` (plan order) only the target plugin's migrations up to and including the
// target version, and the other plugins' migrations. Returns the refusals: a plugin that is not
// in the sources (or several plugins and none named), a version that is none of the plugin's
// migrations' versions, a version below the installed one (that is a rollback), and a kept
// migration that depends on one left out.
std::vector<std::string> limit_to_target(const ir::Program& program, const InstallTarget& target,
                                         const InstalledState& state,
                                         std::vector<const plan::Migration*>& pending);

}  // namespace migpkg::runtime
