#pragma once
// migpkg public API: the operations. Each call does what the command of the same name does,
// through the same library functions, and returns its result (results.hpp); none throws for
// what the command would report (bad sources, a refused package, a held lock, a failed
// migration): that is the result's status. Calls are synchronous; run them on a thread of the
// host's to keep it responsive, and stop them with a CancelToken.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "results.hpp"

namespace migpkg::api {

// Set from any thread; the call stops at its next safe point (before a migration, between the
// committed steps of a journalled one, between batches of rows) with status Cancelled, keeping
// what is committed. Running the same call again resumes. A single-transaction install is not
// stopped inside its one transaction.
class CancelToken {
 public:
  void cancel() noexcept { cancelled_.store(true); }
  bool cancelled() const noexcept { return cancelled_.load(); }

 private:
  std::atomic<bool> cancelled_{false};
};

// Progress of long work: migrations of a run ("migrations"), rows of a data move or a batched
// transform ("rows"). `total` is 0 when it is not known; `item` names the table when there is
// one.
struct Progress {
  std::string unit;
  std::uint64_t done = 0;
  std::uint64_t total = 0;
  std::string item;
  bool item_done = false;  // export: the last report of `item` (the table is written)
};

// Who can decrypt what a call encrypts (age; docs/encryption.md): recipients, or a passphrase
// alone. Both empty: nothing is encrypted.
struct EncryptTo {
  std::vector<std::string> recipients;  // age public keys, "age1..."
  std::string passphrase;               // instead of recipients
  bool empty() const { return recipients.empty() && passphrase.empty(); }
};

// The keys that decrypt an age-encrypted input: identities, or its passphrase.
struct DecryptWith {
  std::vector<std::string> identities;  // age secret keys, "AGE-SECRET-KEY-1..."
  std::string passphrase;
  bool empty() const { return identities.empty() && passphrase.empty(); }
};

// Which of a database's backups a successful install or rollback keeps (not a dry run): the
// others in the backup directory are deleted, never one the run took. Neither set: none is.
struct BackupRetention {
  std::optional<std::int64_t> keep;       // the N newest
  std::optional<std::int64_t> keep_days;  // those younger than D days
};

// What calls that write to a database share. Callbacks run on the calling thread.
struct RunOptions {
  std::string actor;                // recorded as applied_by and in the audit log ("" : the user)
  int lock_timeout_seconds = 60;    // waiting for another run's lock
  std::string backup_directory;     // "" : the engine's default (beside a SQLite file)
  bool no_backup = false;           // install/rollback --no-backup
  bool single_transaction = false;  // install --single-transaction
  const CancelToken* cancel = nullptr;
  std::function<void(const Progress&)> on_progress;
  std::function<void(const std::string&)> on_log;  // the lines the command prints as it goes
  // What the audit log records as the command line; "": the call and what it names, followed
  // by "(library)".
  std::string command_line;
  // install and rollback --commit-interval: migrations applied one after another share a
  // transaction committed once it has run this long; 0 commits after every migration.
  int commit_interval_ms = 200;
  EncryptTo backup_encryption;  // install and rollback: encrypted backups (empty: plain)
  BackupRetention retention;    // install and rollback: backups kept after the run
  // install and plan: the sources' diagnostics once they are validated and planned, before
  // anything runs (errors among them stop the call with status Invalid).
  std::function<void(const std::vector<Diagnostic>&)> on_diagnostics;
};

// Sources are files (.json, .mig) and plugin directories, as the commands take them.
ValidateResult validate(const std::vector<std::string>& sources);

// Which of the plan's texts compile writes into its result: all three, or just one (the others
// stay empty), as `migpkg compile` asks for the one it prints.
enum class CompileOutput { All, PlanJson, UpSql, DownSql };

// The plan of the sources for a dialect: "postgresql", "sqlite", "mysql", "sqlserver", "oracle".
CompileResult compile(const std::vector<std::string>& sources, const std::string& dialect,
                      CompileOutput output = CompileOutput::All);

struct InstallRequest {
  std::string database;              // URL: sqlite:PATH, postgresql://..., mysql://...
  std::vector<std::string> inputs;   // sources, plugin directories and .migpkg packages
  std::optional<std::string> trust;  // trust directory for packages (unset: the default)
  std::string to;                    // [PLUGIN@]VERSION, or "" for everything pending
  bool allow_downgrade = false;
  // A signed registry index (install --index): `inputs` are then PLUGIN[@RANGE] requirements,
  // resolved from it. `trust` (or the default) must be a directory: its index-state/ keeps the
  // highest index version accepted, recorded once everything passed (not by a plan).
  std::string index;
};

RunResult install(const InstallRequest& request, const RunOptions& options = {});
// install's dry run: what would run, changing nothing.
RunResult plan(const InstallRequest& request, const RunOptions& options = {});

struct RollbackRequest {
  std::string database;
  std::string plugin;
  enum class Target { LatestVersion, ToVersion, Steps, All } target = Target::LatestVersion;
  std::string version;  // ToVersion
  int steps = 0;        // Steps
  bool dry_run = false;
};

RunResult rollback(const RollbackRequest& request, const RunOptions& options = {});

StatusResult status(const std::string& database);
// `plugin`: only its rows ("" : all).
HistoryResult history(const std::string& database, const std::string& plugin = "");

// A signed .migpkg checked against the trust directory (unset: the default).
VerifyResult verify(const std::string& package, const std::optional<std::string>& trust = {});

struct ExportRequest {
  std::string database;
  std::string output;                // the data set: a directory, or a .migdata file
  std::vector<std::string> plugins;  // their tables; with `tables` empty too: every user table
  std::vector<std::string> tables;
  bool csv = false;                          // else NDJSON
  bool zstd = false;                         // compressed table files
  std::map<std::string, std::string> where;  // table -> SQL condition on its rows (--where)
  EncryptTo encrypt_to;  // an age-encrypted data set: `output` is then a .migdata file
};

ExportResult export_data(const ExportRequest& request, const RunOptions& options = {});

enum class OnConflict { Fail, Skip, Overwrite, Merge };

struct MoveOptions {
  std::vector<std::string> plugins, tables;
  OnConflict on_conflict = OnConflict::Fail;
  std::size_t batch_rows = 10000;
  bool dry_run = false;
  // Source table -> condition on its rows (--where): copy, SQL of the source; import, the
  // data set's row filter (docs/data.md).
  std::map<std::string, std::string> where;
  std::string map_file;  // a mapping file renaming tables and columns (--map)
  // --lenient: refused rows go to `rejects_path` (required then) instead of stopping the run.
  bool lenient = false;
  std::string rejects_path;
};

struct ImportRequest {
  std::string database;
  std::string input;  // a data set: a directory or a .migdata file
  MoveOptions move;
  DecryptWith decrypt_with;  // the keys of an age-encrypted .migdata
};

struct CopyRequest {
  std::string from, to;  // URLs
  bool create = false;   // make the target tables first
  MoveOptions move;
};

MoveResult import_data(const ImportRequest& request, const RunOptions& options = {});
MoveResult copy_data(const CopyRequest& request, const RunOptions& options = {});

}  // namespace migpkg::api
