#pragma once
// migpkg's own tables in the target database, created on first use and versioned:
//   migpkg_meta     key/value; "bookkeeping_version"
//   migpkg_plugins  installed plugins: version, declared conflicts
//   migpkg_applied  one row per applied migration, with its checksum and its stored plan
//                   (up and down steps for this engine), so rollback needs no sources, and
//                   the package it came from (provenance, since version 2)
//   migpkg_inflight migrations started but not finished (they hold non-transactional steps),
//                   with their plan, so a later run can resume or undo them
//   migpkg_journal  the steps of in-flight migrations that are done
//   migpkg_history  append-only: every migration applied, rolled back or failed
//   migpkg_audit    append-only: every command run against the database
// Writes that belong to a migration happen inside the caller's transaction.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/planner/plan.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

// 2 added the provenance columns (package_sha256, signing_key) to migpkg_applied and
// migpkg_history; a version-1 database is upgraded in place by the next run that writes
// (bookkeeping_upgrade.cpp) and read as it is until then.
inline constexpr int kBookkeepingVersion = 2;

// Where a migration came from: the SHA-256 of the .migpkg file's bytes (64 lower-case hex
// digits) and the id of the key that signed it (16 upper-case hex digits, as minisign prints
// it). Both empty (NULL in the tables) for a migration installed from sources.
struct Provenance {
  std::string package_sha256, signing_key;
  bool empty() const { return package_sha256.empty() && signing_key.empty(); }
};

struct InstalledPlugin {
  std::string plugin_id, version, installed_at, updated_at;
  std::vector<std::string> conflicts;  // as declared by the plugin's migrations
};

struct AppliedMigration {
  std::string plugin_id, migration_id, version, checksum, applied_at, applied_by;
  std::int64_t sequence = 0;  // application order across the database
  std::string plan_json;      // plan::Migration for this engine (plan_json_reader)
  Provenance provenance;      // empty for sources, and for rows of a version-1 database
};

struct JournalEntry {
  std::string plugin_id, migration_id, direction, step_id, at;
  int step_index = 0;
};

struct InflightMigration {
  std::string plugin_id, migration_id, version, direction, checksum, started_at;
  std::string plan_json;
};

struct HistoryRow {
  std::int64_t id = 0;
  std::string plugin_id, migration_id, version;
  std::string direction;  // "up" or "down"
  std::string state;      // "applied", "rolled-back", "failed", "partial"
  std::string checksum, applied_by, started_at, finished_at;
  std::int64_t duration_ms = 0;
  std::string backup;  // path of the backup taken before it, if any
  std::string error;   // for failed/partial: plugin, migration, step, SQL, engine error
  std::vector<std::string> skipped_steps;
  Provenance provenance;  // the package the migration came from (rollbacks: the applied row's)
};

// A row of the audit log: one run of a command that writes (install, rollback, restore,
// import, copy). `outcome` is "running" while it runs, then "ok", "failed", "refused", "drift"
// or, for a run that never finished, "interrupted"; `detail` says why (or how many migrations).
struct AuditRow {
  std::int64_t id = 0;
  std::string at, actor, command, arguments, outcome, detail;
};

// What start_run found and wrote.
struct RunStart {
  std::int64_t audit_id = 0;
  std::vector<std::string> interrupted;  // earlier runs that never finished (see below)
};

// UTC now as ISO-8601 with milliseconds: "2026-11-21T06:40:00.123Z".
std::string utc_now();

class Bookkeeping {
 public:
  explicit Bookkeeping(Connection& connection) : c_(connection) {}

  // Creates the tables (in their own transaction) or checks their version and upgrades older
  // ones in place (bookkeeping_upgrade.cpp); refuses a database whose bookkeeping is newer than
  // this migpkg understands. Only a run holding the run lock calls it: it may write.
  void ensure_tables();
  // The start of a run that changes the database, committed at once: ensure_tables(), then
  // take_interrupted_runs(), then this run's audit row.
  RunStart start_run(const std::string& actor, const std::string& command,
                     const std::string& arguments);
  bool tables_exist();
  // Throws when the tables are newer than this migpkg understands: their layout may differ,
  // so even reading them could mislead. Read-only commands call it too.
  void check_version();
  // The tables' version as migpkg_meta records it (0 when it records none), read once.
  int version();
  // Whether the tables have the provenance columns (version 2 on): a version-1 database is
  // read without them, so read-only commands work on it without upgrading it.
  bool records_provenance() { return version() >= 2; }

  std::vector<InstalledPlugin> plugins();
  // Without `with_plan_text`, plan_json is left empty: reports that never print the stored
  // plans (status) skip reading them, which is most of the bytes of a long history.
  std::vector<AppliedMigration> applied(const std::string& plugin_id = "",
                                        bool with_plan_text = true);
  std::vector<JournalEntry> journal();
  std::vector<InflightMigration> inflight();
  std::vector<HistoryRow> history(const std::string& plugin_id = "");
  // The audit log, newest first; `since` (an ISO-8601 date or time, UTC) keeps the runs that
  // started then or later (bookkeeping_audit.cpp).
  std::vector<AuditRow> audit_log(const std::string& since = "");

  // The writes that record a migration's outcome. They happen at once, or, between
  // defer_writes() and flush(), are kept in memory and written by flush() as a few multi-row
  // statements (bookkeeping_writes.cpp). Either way they belong to the caller's transaction:
  // a caller that defers flushes inside the transaction, right before committing it.
  void add_history(HistoryRow row);
  void mark_applied(const plan::Migration& migration, const std::string& actor,
                    const std::string& at, const Provenance& provenance = {});
  void mark_rolled_back(const std::string& plugin_id, const std::string& migration_id);
  // Sets the plugin's version to its highest applied migration's (removes it when none);
  // `conflicts` replaces the stored ones when given. After applying a migration, pass its
  // version: the plugin's version is then the greater of it and the stored one (no re-scan).
  void refresh_plugin(const std::string& plugin_id,
                      const std::optional<std::vector<std::string>>& conflicts,
                      const std::string& just_applied_version = "");
  void defer_writes() { deferring_ = true; }
  void flush();  // writes what is pending and stops deferring
  // Writes what is pending (and `more`) and commits the caller's transaction, in one round trip
  // where the engine can (Connection::commit_after); stops deferring.
  void commit_pending(std::vector<Connection::Statement> more = {});
  // What commit_pending would write (and `more`), for a caller that sends it itself, inside
  // a transaction of its own in the same script (Connection::sends_scripts); stops deferring.
  std::vector<Connection::Statement> take_pending(std::vector<Connection::Statement> more = {});
  // The transaction those writes belonged to was rolled back: drops them, and forgets what
  // this object remembers of the rows it wrote (forget_written_rows).
  void discard_pending();
  bool deferring() const { return deferring_; }
  // A run holds the run lock, so no one else writes migpkg_applied or migpkg_plugins: after
  // reading the highest sequence, a plugin's row or its applied versions once, this object
  // keeps them up to date with its own writes instead of reading them again per migration.
  // A caller whose transaction with such writes was rolled back calls this.
  void forget_written_rows();

  void journal_step(const std::string& plugin_id, const std::string& migration_id,
                    const std::string& direction, int step_index, const std::string& step_id);
  // A journalled step was undone (its reverse ran): its row goes, so the journal lists only the
  // steps still in effect.
  void unjournal_step(const std::string& plugin_id, const std::string& migration_id,
                      const std::string& direction, int step_index);
  void begin_inflight(const plan::Migration& migration, const std::string& direction);
  // The statements of the three above, for a caller that sends them in one round trip with a
  // step's own (Connection::execute_all).
  Connection::Statement journal_statement(const std::string& plugin_id,
                                          const std::string& migration_id,
                                          const std::string& direction, int step_index,
                                          const std::string& step_id) const;
  Connection::Statement unjournal_statement(const std::string& plugin_id,
                                            const std::string& migration_id,
                                            const std::string& direction, int step_index) const;
  // The in-flight row of `migration`. A down's row leaves `plan` empty: a down is always of an
  // applied migration, whose applied row holds the same plan and is deleted in the same
  // transaction as the in-flight row, so inflight() reads the plan from there. That keeps a
  // rollback's bookkeeping commit per migration small (on MySQL one such commit follows every
  // DDL step; bench/README.md).
  Connection::Statement inflight_statement(const plan::Migration& migration,
                                           const std::string& direction) const;
  // Forgets an in-flight migration and its journal (it finished, or was undone). Deferred like
  // the writes above between defer_writes() and flush().
  void end_inflight(const std::string& plugin_id, const std::string& migration_id);
  // The audit log: a run's row is written (and committed) when it starts, with outcome
  // "running", and finished at the end; a row still "running" when the next run holds the lock
  // belongs to a run that was killed.
  std::int64_t audit_start(const std::string& actor, const std::string& command,
                           const std::string& arguments);
  void audit_finish(std::int64_t id, const std::string& outcome, const std::string& detail);
  // A finished row in one statement, for what is recorded without a run: `migpkg serve`'s
  // denied requests (outcome "denied", aggregated, docs/serve.md). Never "running", so the next
  // run cannot take it for an interrupted one.
  void audit_record(const std::string& actor, const std::string& command,
                    const std::string& arguments, const std::string& outcome,
                    const std::string& detail);
  // Marks runs that never finished as "interrupted" and returns them ("at actor command").
  std::vector<std::string> take_interrupted_runs();

  // A backup taken before a rollback holds migrations that the rollback then takes away from
  // migpkg_applied. Their rows (plans included) and the plugin's conflicts are kept in
  // migpkg_meta under "rollback-backup:<backup path>", committed with the caller's statement,
  // so that restoring that backup can record them as applied again
  // (bookkeeping_rollback_backups.cpp).
  void remember_rollback_backup(const std::string& backup_path,
                                const std::vector<AppliedMigration>& applied,
                                const std::vector<std::string>& conflicts);
  struct RollbackBackup {
    std::vector<AppliedMigration> applied;
    std::vector<std::string> conflicts;
  };
  std::optional<RollbackBackup> rollback_backup(const std::string& backup_path);
  // Puts a remembered row back into migpkg_applied as it was (its sequence and times too).
  void reinstate_applied(const AppliedMigration& applied);

  // `migpkg baseline`: records a migration whose schema the database already has as applied,
  // without running it (bookkeeping_baseline.cpp): its applied row with the stored plan (so a
  // rollback runs its down steps) and an "applied" history row of no duration, in the caller's
  // transaction. The plugin's row follows with refresh_plugin.
  void record_baseline(const plan::Migration& migration, const std::string& actor,
                       const Provenance& provenance = {});
  // migpkg repair (runtime/installer/repair.cpp; bookkeeping_repair.cpp), inside the caller's
  // transaction. An applied migration's checksum and stored plan, rewritten after an intended
  // source change: the plan goes with the checksum, so rollback runs the down steps of the
  // sources the checksum now describes.
  void update_applied_checksum(const std::string& plugin_id, const std::string& migration_id,
                               const std::string& checksum, const std::string& plan_json);
  // The history row of one repair: state "repaired", `detail` (what was changed, and from what)
  // in its error column, so `history` shows every manual decision next to the runs.
  void record_repair(const std::string& plugin_id, const std::string& migration_id,
                     const std::string& version, const std::string& direction,
                     const std::string& checksum, const std::string& actor,
                     const std::string& detail, const Provenance& provenance = {});

 private:
  struct PendingApplied {
    std::string plugin_id, migration_id, version, checksum, at, actor, plan_json;
    Provenance provenance;
  };
  // A plugin whose row must be brought up to date: with the highest version applied since the
  // last flush, or by a re-scan of its applied migrations (after a rollback).
  struct PendingPlugin {
    std::string plugin_id;
    std::optional<std::vector<std::string>> conflicts;
    std::string highest_applied;
    bool rescan = false;
  };
  // The row of migpkg_plugins as this run last read or wrote it.
  struct PluginRow {
    bool exists = false;
    std::string conflicts_json, version;
  };
  using Statements = std::vector<Connection::Statement>;
  // Adds what versions after `from` added, each change only when it is not there yet, then
  // records the new version (bookkeeping_upgrade.cpp).
  void upgrade_tables(int from);
  // The statements that write what is pending (reading what they need first); stops deferring.
  Statements pending_statements();
  void clear_pending();
  void write_history(std::vector<HistoryRow>&& rows, Statements& out);
  void write_applied(std::vector<PendingApplied>&& rows, Statements& out);
  void write_rolled_back(const std::vector<std::pair<std::string, std::string>>& rows,
                         Statements& out);
  void write_ended_inflight(const std::vector<std::pair<std::string, std::string>>& rows,
                            Statements& out);
  void write_plugin(const PendingPlugin& plugin, Statements& out);
  PluginRow& plugin_row(const std::string& plugin_id);
  std::map<std::string, std::string>& applied_versions(const std::string& plugin_id);

  Connection& c_;
  std::optional<int> version_;  // version(), once read or written
  bool deferring_ = false;
  std::vector<HistoryRow> pending_history_;
  std::vector<PendingApplied> pending_applied_;
  std::vector<std::pair<std::string, std::string>> pending_rolled_back_;
  std::vector<std::pair<std::string, std::string>> pending_ended_inflight_;
  std::vector<PendingPlugin> pending_plugins_;
  // What forget_written_rows() forgets: the highest sequence in migpkg_applied, plugin rows,
  // and per plugin its applied migrations' versions (by migration id).
  std::optional<std::int64_t> last_sequence_;
  std::map<std::string, PluginRow> plugin_rows_;
  std::map<std::string, std::map<std::string, std::string>> applied_versions_;
};

}  // namespace migpkg::runtime
