#include "runtime/installer/run_opening.hpp"

namespace migpkg::runtime {

std::unique_ptr<RunLock> lock_run(Connection& connection, const DatabaseUrl& url,
                                  const std::string& command, const RunContext& context,
                                  RunReport& report) {
  try {
    return acquire_run_lock(connection, url, "migpkg " + command + " by " + context.actor,
                            context.lock_timeout_seconds);
  } catch (const LockTimeout& e) {
    report.status = RunStatus::Locked;
    report.problems.push_back(e.what());
    return nullptr;
  }
}

std::optional<RunStart> lock_and_audit_run(Connection& connection, const DatabaseUrl& url,
                                           Bookkeeping& bookkeeping, const std::string& command,
                                           const RunContext& context, RunReport& report,
                                           std::unique_ptr<RunLock>& lock) {
  lock = lock_run(connection, url, command, context, report);
  if (!lock) return std::nullopt;
  return bookkeeping.start_run(context.actor, command, context.command_line);
}

}  // namespace migpkg::runtime
