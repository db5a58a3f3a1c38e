#include <climits>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>

#include "runtime/backup/backup.hpp"
#include "runtime/history/bookkeeping.hpp"
#include "runtime/installer/backup_listing.hpp"
#include "runtime/installer/installer.hpp"
#include "runtime/installer/migration_runner.hpp"
#include "runtime/installer/run_opening.hpp"
#include "runtime/lock/run_lock.hpp"

namespace migpkg::runtime {
namespace {

// The history row of one migration a restore took away ("down") or brought back ("up").
HistoryRow restored_row(const AppliedMigration& a, const std::string& direction,
                        const std::string& actor, const std::string& backup,
                        const std::string& why) {
  HistoryRow h;
  h.plugin_id = a.plugin_id;
  h.migration_id = a.migration_id;
  h.version = a.version;
  h.direction = direction;
  h.state = "restored";
  h.checksum = a.checksum;
  h.applied_by = actor;
  h.started_at = h.finished_at = utc_now();
  h.backup = backup;
  h.error = why;
  h.provenance = a.provenance;
  return h;
}

RunReport run_restore(Connection& c, const DatabaseUrl& url, const std::string& backup_path,
                      const RunContext& context) {
  RunReport report;
  // The audit row comes later, and only where migpkg's tables exist.
  std::unique_ptr<RunLock> lock = lock_run(c, url, "restore", context, report);
  if (!lock) return report;
  Bookkeeping bk(c);
  bool bookkept = bk.tables_exist();
  std::int64_t audit_id = 0;
  std::string taken_before;  // when the migration the backup preceded started
  std::optional<Bookkeeping::RollbackBackup> before_rollback;
  const std::string wanted = canonical_backup_path(backup_path);
  if (bookkept) {
    // Also refuses bookkeeping newer than this migpkg understands, before anything is restored.
    audit_id = bk.start_run(context.actor, "restore", context.command_line).audit_id;
    // The first migration that names the backup: a --single-transaction run records one backup
    // for all of its migrations, and everything from the first of them on is undone.
    for (const auto& h : bk.history())
      if (!h.backup.empty() && canonical_backup_path(h.backup) == wanted) {
        taken_before = h.started_at;
        // A backup taken before a rollback: what that rollback took away is applied again.
        if (h.direction == "down") before_rollback = bk.rollback_backup(h.backup);
        break;
      }
  }
  try {
    restore_backup(c, url, backup_path, context.backup_decryption.get());
  } catch (const LockTimeout&) {
    throw;  // the copy could not get the database's write lock: nothing was restored
  } catch (const BackupAuthenticationError& e) {
    // Refused before the engine read a byte of the backup: the database is as it was.
    report.status = RunStatus::Refused;
    report.trust_failure = true;
    report.problems.push_back(std::string("refused: ") + e.what());
    if (audit_id) bk.audit_finish(audit_id, "refused", e.what());
    return report;
  } catch (const std::exception& e) {
    report.status = RunStatus::Failed;
    report.problems.push_back(e.what());
    if (audit_id) bk.audit_finish(audit_id, "failed", e.what());
    return report;
  }
  if (!bookkept) return report;
  if (taken_before.empty()) {
    report.problems.push_back(
        "warning: this backup is not in the history, so migpkg's records were left as they were; "
        "check `migpkg status`");
    bk.audit_finish(audit_id, "ok", "restored " + backup_path + " (not in the history)");
    return report;
  }
  // Everything applied from the moment the backup was taken is gone from the data now.
  c.begin();
  try {
    std::set<std::string> plugins;
    for (const auto& a : bk.applied()) {
      if (a.applied_at < taken_before) continue;
      bk.add_history(restored_row(a, "down", context.actor, wanted,
                                  "undone by restoring the backup taken before it"));
      bk.mark_rolled_back(a.plugin_id, a.migration_id);
      plugins.insert(a.plugin_id);
      report.migrations.push_back({a.plugin_id,
                                   a.migration_id,
                                   a.version,
                                   "restored-away",
                                   0,
                                   backup_path,
                                   {},
                                   "",
                                   nullptr});
    }
    for (const auto& f : bk.inflight())
      if (f.started_at >= taken_before) {
        bk.end_inflight(f.plugin_id, f.migration_id);
        plugins.insert(f.plugin_id);
      }
    std::map<std::string, std::vector<std::string>> conflicts;
    if (before_rollback) {
      std::set<std::pair<std::string, std::string>> applied_now;
      for (const auto& a : bk.applied()) applied_now.emplace(a.plugin_id, a.migration_id);
      for (const auto& a : before_rollback->applied) {
        if (applied_now.count({a.plugin_id, a.migration_id})) continue;
        bk.reinstate_applied(a);
        bk.add_history(restored_row(a, "up", context.actor, wanted,
                                    "applied again by restoring the backup taken before its "
                                    "rollback"));
        plugins.insert(a.plugin_id);
        conflicts[a.plugin_id] = before_rollback->conflicts;
        report.migrations.push_back({a.plugin_id,
                                     a.migration_id,
                                     a.version,
                                     "restored-back",
                                     0,
                                     backup_path,
                                     {},
                                     "",
                                     nullptr});
      }
    }
    for (const auto& plugin : plugins) {
      auto known = conflicts.find(plugin);
      bk.refresh_plugin(plugin, known == conflicts.end()
                                    ? std::nullopt
                                    : std::optional<std::vector<std::string>>(known->second));
    }
    c.commit();
  } catch (...) {
    if (c.in_transaction()) c.rollback();
    throw;
  }
  bk.audit_finish(audit_id, "ok", "restored " + backup_path);
  return report;
}

}  // namespace

RunReport restore(Connection& c, const DatabaseUrl& url, const std::string& backup_path,
                  const RunContext& context) {
  try {
    return run_restore(c, url, backup_path, context);
  } catch (const LockTimeout& e) {
    // A statement, or the copy of the backup into the database, met another connection's lock
    // for --lock-timeout (the run lock's own timeout is reported inside).
    return locked_report(c, foreign_writer_message(e));
  }
}

}  // namespace migpkg::runtime
