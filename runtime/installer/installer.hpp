#pragma once
// The installer: install (and upgrade), plan (dry run), rollback. Written once above the
// Connection interface; both engines get the same guarantees:
//   - checks before anything runs: drift, conflicts, missing dependencies, installed plugins
//     whose requirements an upgrade would break, names another plugin (or none) owns (nothing
//     is changed when one fails);
//   - one run per database (run lock);
//   - a migration's steps and its history row commit in one transaction; a migration with
//     non-transactional steps is journalled step by step: when it fails, the steps it committed
//     are undone at once with their reverses, or, when one has none, it is left half-done for a
//     later install to resume or rollback to undo;
//   - a backup before a migration that requires one or is high/critical risk, or that makes a
//     destructive change (backup_rules.hpp), and before a rollback that drops rows.
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/planner/plan.hpp"
#include "runtime/drivers/connection.hpp"
#include "runtime/executor/step_runner.hpp"
#include "runtime/history/bookkeeping.hpp"

namespace migpkg::crypto {
struct AgeEncryptTo;
struct AgeDecryptWith;
}  // namespace migpkg::crypto

namespace migpkg::runtime {

inline constexpr int kDefaultCommitIntervalMs = 200;

struct RunContext {
  std::string actor;         // recorded as applied_by
  std::string command_line;  // recorded in the audit log
  int lock_timeout_seconds = 60;
  std::string backup_directory;  // where backups go
  // Backups encrypted to these age recipients (install/rollback --encrypt-to, the configuration's
  // backups.encrypt_to); none: plain. The key(s) a restore decrypts them with.
  std::shared_ptr<const crypto::AgeEncryptTo> backup_encryption;
  std::shared_ptr<const crypto::AgeDecryptWith> backup_decryption;
  // All migrations of the run in one transaction (Flyway's "group"): all or none of them.
  // Refused when a migration has non-transactional steps or half-done work is pending.
  bool single_transaction = false;
  // Commit batching: migrations applied one after another share a transaction, committed once
  // it has run this long (and before anything that needs committed state), each one under a
  // savepoint so that a failure undoes only its own work. 0 = commit after every migration.
  int commit_interval_ms = kDefaultCommitIntervalMs;
  // The installer waives the backups migpkg takes on its own (before a destructive change,
  // before a rollback that drops rows): install/rollback --no-backup. Backups the author
  // requires (requiresBackup, high or critical risk) are still taken.
  bool no_backup = false;
  // The data files of load steps for plugins installed from packages: plugin id -> member
  // ("data/x.ndjson") -> bytes, from the verified package. A plugin not listed reads them
  // beside its sources (runtime/executor/load_step.hpp).
  std::map<std::string, std::map<std::string, std::string>> package_data;
  // How the packages were trusted, when that is worth recording (a registry index, keys
  // accepted through rotation statements): appended to the install's audit row detail.
  std::string trust_note;
  // Where the migrations installed from packages came from: (plugin id, migration id) -> the
  // package's SHA-256 and signing key id, recorded in migpkg_applied and migpkg_history.
  // Migrations not listed (sources) are recorded without.
  std::map<std::pair<std::string, std::string>, Provenance> provenance;
  std::function<void(const std::string&)> say;             // one line of progress
  std::function<void(const TransformProgress&)> progress;  // transform rows
  // Asked at the run's safe points (before each migration, and between the committed steps of a
  // journalled one): true stops the run there as a killed run would stop, with what is committed
  // kept and the rest not started; the same command again resumes. A --single-transaction run
  // is not stopped inside its one transaction. Unset: never cancelled.
  std::function<bool()> cancel_requested;
  // Before each migration of a run that writes, and once at its end: how many of the run's
  // migrations are done, of how many (an operation's progress).
  std::function<void(std::size_t done, std::size_t total)> migrations_done;
};

// Thrown at a safe point when RunContext::cancel_requested says so; install and rollback turn
// it into RunStatus::Cancelled.
class RunCancelled : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The problem a cancelled run reports.
std::string cancelled_problem(std::size_t done, std::size_t left);

// Why a run stopped before changing anything, or how it failed.
enum class RunStatus { Ok, Failed, Refused, Locked, Drift, Cancelled };

// An applied (or half-applied) migration of a plugin in the sources that the sources lack.
struct UnresolvedMigration {
  std::string plugin_id, migration_id, version;
  bool half_done = false;  // in flight (up), not applied
};

struct MigrationResult {
  std::string plugin_id, migration_id, version;
  std::string
      action;  // "applied", "resumed", "rolled-back", "would-apply", "would-roll-back", "failed"
  std::int64_t duration_ms = 0;
  std::string backup;
  std::vector<std::string> skipped_steps;
  std::string error;
  const plan::Migration* plan = nullptr;  // for dry runs: what would run
  // A failure that made the engine roll back the whole open transaction, so migrations applied
  // earlier in the same commit batch were undone too.
  bool transaction_lost = false;
  // A failed journalled migration whose committed steps were undone at once, with their
  // reverses: their ids, in the order they were undone (newest first). The migration is then
  // not applied and nothing of it is left.
  std::vector<std::string> undone_steps{};
  // A failed migration left half-done (PARTIAL, listed by `status`): some of its steps stay
  // committed, for `install` to resume or `rollback` to undo; `error` says which and why.
  bool partial = false;
};

struct RunReport {
  RunStatus status = RunStatus::Ok;
  std::vector<std::string> problems;  // refusals, drift, lock holder, failure message
  std::vector<MigrationResult> migrations;
  plan::Plan plan;  // the pending migrations, for plan/dry-run output
  // With status Refused: refused for trust (an encrypted backup that does not authenticate),
  // which the command line reports as exit 3 rather than 1.
  bool trust_failure = false;
  // install and plan: applied migrations of the sources' plugins that the sources lack
  // (unresolved_migrations.hpp): warned about, whatever the status.
  std::vector<UnresolvedMigration> not_in_sources;
};

// What the installer needs to know of a program: the sources' IR (validated) and its plan for
// the connection's engine.
struct InstallRequest {
  const ir::Program* program = nullptr;
  plan::Plan plan;
  bool dry_run = false;
  // install --to [PLUGIN@]VERSION: that plugin's pending migrations only up to VERSION.
  std::string target_plugin, target_version;
};

// The migration ids already applied in the database, for validating sources against it.
std::set<std::string> applied_migration_ids(Connection& connection);

// Consumes the request's plan: its pending migrations move into the report's.
RunReport install(Connection& connection, const DatabaseUrl& url, InstallRequest&& request,
                  const RunContext& context);

struct RollbackTarget {
  enum class Kind { LatestVersion, ToVersion, Steps, All } kind = Kind::LatestVersion;
  std::string version;  // ToVersion
  int steps = 0;        // Steps
};

// Puts back a backup the installer took, and makes the bookkeeping agree. A backup found in the
// history was taken for some plugins (the migrations naming it): only their tables are put back
// (as the backup holds them; theirs created since are dropped), and only their migrations
// applied since are recorded as undone ("restored" in the history); other plugins' and the
// application's tables keep what was written since. `every_table` (restore --all-tables) puts
// back every table of the backup and takes away every migration applied since. A backup not
// found in the history is restored whole with the bookkeeping left as it is (and a problem
// saying so).
RunReport restore(Connection& connection, const DatabaseUrl& url, const std::string& backup_path,
                  const RunContext& context, bool every_table = false);

RunReport rollback(Connection& connection, const DatabaseUrl& url, const std::string& plugin_id,
                   const RollbackTarget& target, bool dry_run, const RunContext& context);

}  // namespace migpkg::runtime
