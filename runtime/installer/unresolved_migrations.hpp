#pragma once
// Applied migrations that the sources given do not hold (Flyway's "applied migration not
// resolved locally"). `install` and `plan` report them: drift cannot be checked for them, and
// the sources are perhaps not the plugin's whole history (a deleted file, an older release).
// Only plugins that are in the sources are asked: installing plugin A without plugin B's
// sources is normal.
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/installer/installer.hpp"
#include "runtime/installer/preflight.hpp"

namespace migpkg::runtime {

// The applied (and half-applied) migrations of the sources' plugins that the sources lack, in
// application order.
std::vector<UnresolvedMigration> unresolved_migrations(const ir::Program& program,
                                                       const InstalledState& state);

// The warning for one: "acme.shop/shop-003-reviews 2.0.0 is applied but not in the sources
// given ...".
std::string unresolved_warning(const UnresolvedMigration& migration);

// Install needs the source of a half-applied migration to resume it (the sources' plan runs the
// remaining steps): a plugin of the run with one it lacks is refused, naming the ways out.
// Applied ones it never needs (rollback runs stored plans), so they are warnings only.
std::vector<std::string> unresolved_refusals(const std::vector<UnresolvedMigration>& unresolved);

}  // namespace migpkg::runtime
