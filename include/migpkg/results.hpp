#pragma once
// migpkg public API: results as plain structs. Each holds the data the matching command prints
// with --json, typed, and that report itself in `json` (schemas/*.schema.json describe it), so a
// host can store or forward exactly what `migpkg ... --json` would have printed.
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "diagnostics.hpp"

namespace migpkg::api {

// How a call ended. The names and exit codes are the command line's (docs/cli.md, "Exit
// codes"): ok 0, invalid (sources with errors) 1, failed 1, refused 1 (3 when refused for
// trust), usage 2, locked 4, drift 5, cancelled 6.
enum class Status { Ok, Invalid, Failed, Refused, Locked, Drift, Cancelled, Usage };

const char* status_name(Status status);

// What every result has.
struct Outcome {
  Status status = Status::Ok;
  int exit_code = 0;                    // what the command line would exit with
  std::vector<std::string> problems;    // why it is not ok: refusals, drift, errors
  std::vector<Diagnostic> diagnostics;  // of the sources, for calls that read sources
  std::string json;                     // the command's --json report ("" when it has none)
  // The exception that ended the call, when one did (status Failed, Refused, Locked or Usage
  // from a thrown failure; null otherwise): for hosts that would rather rethrow it.
  std::exception_ptr error;
  bool ok() const { return status == Status::Ok; }
};

// validate: `diagnostics` and counts of what validated.
struct ValidateResult : Outcome {
  std::size_t plugins = 0;
  std::size_t migrations = 0;
};

// compile: a plan for one dialect.
struct CompileResult : Outcome {
  std::string dialect;
  std::string plan_json;  // `compile --format json` (schemas/plan.schema.json)
  std::string up_sql;     // `compile --format sql`
  std::string down_sql;   // `compile --format sql --direction down`
};

// One migration of an install, plan or rollback (schemas/run-report.schema.json).
struct MigrationRun {
  std::string plugin_id, migration_id, version;
  // "applied", "resumed", "rolled-back", "would-apply", "would-roll-back", "failed"
  std::string action;
  std::int64_t duration_ms = 0;
  std::string backup;  // the backup taken before it, if any
  std::vector<std::string> skipped_steps;
  std::string error;
  bool partial = false;  // left half-done: install resumes it, rollback undoes it
  std::vector<std::string> undone_steps;
};

// install, plan and rollback.
struct RunResult : Outcome {
  std::string command;  // "install", "plan" or "rollback"
  std::vector<MigrationRun> migrations;
  // plan and a rollback dry run: the SQL that would run, as `migpkg plan` prints it.
  std::string sql;
  // install and plan: applied migrations of the sources' plugins that the sources lack, one
  // sentence each (the command's warnings), whatever the status.
  std::vector<std::string> warnings;
  // RunOptions::retention: the backups it deleted, and what it could not do (the run stays ok).
  std::vector<std::string> pruned_backups;
  std::vector<std::string> retention_problems;
};

struct AppliedMigration {
  std::string id, version, checksum, applied_at, applied_by;
  std::string package_sha256, signing_key;  // empty for a migration from sources
};

struct InstalledPlugin {
  std::string plugin_id, version, installed_at, updated_at;
  std::vector<std::string> conflicts;
  std::vector<AppliedMigration> migrations;  // in the order they were applied
};

// A migration left half-done, for install to resume or rollback to undo.
struct PartialMigration {
  std::string plugin_id, migration_id, version, direction, started_at;
  int steps_done = 0, steps_total = 0;
  std::string last_step_done, next_step;  // empty when there is none
};

// status (schemas/status.schema.json).
struct StatusResult : Outcome {
  std::string database;  // the URL, password redacted
  std::string engine;    // "sqlite", "postgresql", "mysql"
  std::vector<InstalledPlugin> plugins;
  std::vector<PartialMigration> partial;
};

struct HistoryEntry {
  std::int64_t id = 0;
  std::string plugin_id, migration_id, version;
  std::string direction;  // "up" or "down"
  std::string state;      // "applied", "rolled-back", "failed", "partial", "restored"
  std::string checksum, applied_by, started_at, finished_at;
  std::int64_t duration_ms = 0;
  std::string backup, error;
  std::vector<std::string> skipped_steps;
  std::string package_sha256, signing_key;
};

// history (schemas/history.schema.json), oldest first.
struct HistoryResult : Outcome {
  std::vector<HistoryEntry> entries;
};

// verify: a signed package checked against a trust directory.
struct VerifyResult : Outcome {
  std::string plugin, version;
  std::string key_id;       // the signing key's id (hex)
  std::string trusted_key;  // the .pub file that verified it
  std::string rotation;     // how the key is trusted through rotation statements, or ""
  std::size_t files = 0;
  std::uint64_t bytes = 0;
};

// One table of an import or copy (schemas/import-report.schema.json, copy-report).
struct TableMove {
  std::string source_table, target_table;
  std::uint64_t rows_read = 0, rows_written = 0, rejects = 0;
  std::string verified;  // "rows and content", "rows", or "" when not verified
  std::uint64_t source_rows = 0, target_rows = 0;
  bool already_done = false;        // loaded whole by the stopped run this one resumed
  std::uint64_t resumed_after = 0;  // rows the stopped run had loaded before this one went on
};

// import and copy.
struct MoveResult : Outcome {
  bool dry_run = false;
  bool resumed = false;  // a stopped run of the same command was continued
  std::vector<TableMove> tables;
  std::vector<std::string> created;  // copy with create: the tables made in the target
  std::vector<std::string> notes;    // copy with create: defaults and checks left out
};

struct ExportedTable {
  std::string name, file;
  std::uint64_t rows = 0, bytes = 0;
};

// export (schemas/export-report.schema.json).
struct ExportResult : Outcome {
  std::string output;
  std::vector<ExportedTable> tables;
  std::uint64_t rows = 0;
};

}  // namespace migpkg::api
