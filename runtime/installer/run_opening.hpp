#pragma once
// How install, rollback and restore begin: the run lock first (named after the command and the
// actor, so a run that waits can say who holds it), then the run's audit row.
#include <memory>
#include <optional>
#include <string>

#include "runtime/history/bookkeeping.hpp"
#include "runtime/installer/installer.hpp"
#include "runtime/lock/run_lock.hpp"

namespace migpkg::runtime {

// Takes the run lock as "migpkg <command> by <actor>". Null when another run holds it past
// context.lock_timeout_seconds: `report` is then Locked, with the reason in its problems.
std::unique_ptr<RunLock> lock_run(Connection& connection, const DatabaseUrl& url,
                                  const std::string& command, const RunContext& context,
                                  RunReport& report);

// lock_run, then the run's audit row (Bookkeeping::start_run, which also creates or checks the
// bookkeeping tables). nullopt when the lock was not had (see lock_run); `lock` holds it for
// the rest of the run.
std::optional<RunStart> lock_and_audit_run(Connection& connection, const DatabaseUrl& url,
                                           Bookkeeping& bookkeeping, const std::string& command,
                                           const RunContext& context, RunReport& report,
                                           std::unique_ptr<RunLock>& lock);

}  // namespace migpkg::runtime
