#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/runtime_support.hpp"
#include "runtime/backup/backup.hpp"
#include "runtime/history/bookkeeping.hpp"
#include "runtime/lock/run_lock.hpp"

namespace migpkg::cli {

int run_restore(const Arguments& args) {
  if (args.positionals().size() != 1) throw UsageError("restore takes one backup path");
  std::string database = database_argument(args);
  runtime::DatabaseUrl url = parse_database(database);
  auto context = run_context(args, joined_arguments("restore", args), url, false);
  auto connection = runtime::open_connection(url);
  std::unique_ptr<runtime::RunLock> lock;
  try {
    lock = runtime::acquire_run_lock(*connection, url, "migpkg restore by " + context.actor,
                                     context.lock_timeout_seconds);
  } catch (const runtime::LockTimeout& e) {
    std::cerr << "migpkg restore: " << e.what() << "\n";
    return kLocked;
  }
  runtime::Bookkeeping bk(*connection);
  std::int64_t audit_id = 0;
  if (bk.tables_exist()) audit_id = bk.audit_start(context.actor, "restore", context.command_line);
  try {
    runtime::restore_backup(*connection, url, args.positionals()[0]);
  } catch (const std::exception& e) {
    if (audit_id) bk.audit_finish(audit_id, "failed", e.what());
    std::cerr << "migpkg restore: " << e.what() << "\n";
    return kFailed;
  }
  if (audit_id) bk.audit_finish(audit_id, "ok", args.positionals()[0]);
  std::cout << "restore: ok, " << args.positionals()[0] << " restored into "
            << runtime::redact_password(database) << "\n";
  return kOk;
}

}  // namespace migpkg::cli
