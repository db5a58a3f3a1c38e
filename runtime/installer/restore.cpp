#include <algorithm>
#include <climits>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>

#include "compiler/planner/plan_json_reader.hpp"
#include "runtime/backup/backup.hpp"
#include "runtime/history/bookkeeping.hpp"
#include "runtime/history/object_owners.hpp"
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

// The tables a restore per plugin puts back: those the backup's plugins created, as the
// migrations applied when it was taken left them (a table dropped since comes back) and as those
// applied now do (a table created since goes). Owners come from the stored plans
// (object_owners.hpp), replayed in application order.
RestoreScope plugin_tables(const std::vector<AppliedMigration>& applied_now,
                           const std::vector<AppliedMigration>& applied_then,
                           const std::set<std::string>& plugins) {
  ObjectOwners now, then;
  for (const auto& a : applied_now) now.replay(migration_from_text(a.plan_json));
  for (const auto& a : applied_then) then.replay(migration_from_text(a.plan_json));
  RestoreScope scope;
  scope.tables = now.names_owned_by(plugins);
  for (auto& name : then.names_owned_by(plugins)) scope.tables.insert(name);
  return scope;
}

RunReport run_restore(Connection& c, const DatabaseUrl& url, const std::string& backup_path,
                      const RunContext& context, bool every_table) {
  RunReport report;
  // The audit row comes later, and only where migpkg's tables exist.
  std::unique_ptr<RunLock> lock = lock_run(c, url, "restore", context, report);
  if (!lock) return report;
  Bookkeeping bk(c);
  bool bookkept = bk.tables_exist();
  std::int64_t audit_id = 0;
  std::string taken_before;  // when the migration the backup preceded started
  std::optional<Bookkeeping::RollbackBackup> before_rollback;
  std::set<std::string> backup_plugins;  // the plugins whose migrations name the backup
  const std::string wanted = canonical_backup_path(backup_path);
  if (bookkept) {
    // Also refuses bookkeeping newer than this migpkg understands, before anything is restored.
    audit_id = bk.start_run(context.actor, "restore", context.command_line).audit_id;
    // The first migration that names the backup: a --single-transaction run records one backup
    // for all of its migrations, and everything from the first of them on is undone.
    for (const auto& h : bk.history())
      if (!h.backup.empty() && canonical_backup_path(h.backup) == wanted) {
        backup_plugins.insert(h.plugin_id);
        if (!taken_before.empty()) continue;
        taken_before = h.started_at;
        // A backup taken before a rollback: what that rollback took away is applied again.
        if (h.direction == "down") before_rollback = bk.rollback_backup(h.backup);
      }
  }
  // A backup in the history was taken for its plugins: only their tables are put back, and only
  // their migrations taken away. --all-tables (and a backup not in the history, whose plugins
  // are unknown) puts back every table of the backup, as migpkg did before restores per plugin.
  const bool per_plugin = !taken_before.empty() && !every_table;
  std::optional<RestoreScope> scope;
  std::vector<AppliedMigration> applied_now;
  if (bookkept) applied_now = bk.applied();
  if (per_plugin) {
    std::vector<AppliedMigration> applied_then;
    for (const auto& a : applied_now)
      if (a.applied_at < taken_before) applied_then.push_back(a);
    if (before_rollback)
      for (const auto& a : before_rollback->applied)
        if (std::none_of(applied_then.begin(), applied_then.end(), [&](const AppliedMigration& b) {
              return b.plugin_id == a.plugin_id && b.migration_id == a.migration_id;
            }))
          applied_then.push_back(a);
    std::sort(applied_then.begin(), applied_then.end(),
              [](const AppliedMigration& a, const AppliedMigration& b) {
                return a.sequence < b.sequence;
              });
    scope = plugin_tables(applied_now, applied_then, backup_plugins);
  }
  try {
    restore_backup(c, url, backup_path, context.backup_decryption.get(), scope ? &*scope : nullptr);
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
    for (const auto& a : applied_now) {
      if (a.applied_at < taken_before) continue;
      // Another plugin's migration applied since: its tables were not put back, so it stays.
      if (per_plugin && !backup_plugins.count(a.plugin_id)) continue;
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
      if (f.started_at >= taken_before && (!per_plugin || backup_plugins.count(f.plugin_id))) {
        bk.end_inflight(f.plugin_id, f.migration_id);
        plugins.insert(f.plugin_id);
      }
    std::map<std::string, std::vector<std::string>> conflicts;
    if (before_rollback) {
      std::set<std::pair<std::string, std::string>> still_applied;
      for (const auto& a : bk.applied()) still_applied.emplace(a.plugin_id, a.migration_id);
      for (const auto& a : before_rollback->applied) {
        if (still_applied.count({a.plugin_id, a.migration_id})) continue;
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
  std::string plugins;
  for (const auto& p : backup_plugins) plugins += (plugins.empty() ? "" : ", ") + p;
  bk.audit_finish(audit_id, "ok",
                  "restored " + backup_path +
                      (per_plugin ? " (the tables of " + plugins + ")" : " (every table)"));
  return report;
}

}  // namespace

RunReport restore(Connection& c, const DatabaseUrl& url, const std::string& backup_path,
                  const RunContext& context, bool every_table) {
  try {
    return run_restore(c, url, backup_path, context, every_table);
  } catch (const LockTimeout& e) {
    // A statement, or the copy of the backup into the database, met another connection's lock
    // for --lock-timeout (the run lock's own timeout is reported inside).
    return locked_report(c, foreign_writer_message(e));
  }
}

}  // namespace migpkg::runtime
