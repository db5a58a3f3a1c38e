#pragma once
// The work of each operation kind (docs/operations.md, "Kinds"): small adapters over the public
// API's calls (include/migpkg/, the ones the commands make; restore: the installer's restore, as
// `migpkg restore` runs it), which report progress and log lines through the OperationContext,
// stop at the library's safe points when the operation is cancelled (its CancelToken), and
// return the command's --json report as the result. applied_by (the audit row's actor) is the
// requester's name.
#include <optional>
#include <string>
#include <vector>

#include "runtime/data/data_runs.hpp"
#include "runtime/installer/installer.hpp"
#include "runtime/operations/operation_registry.hpp"

namespace migpkg::operations {

// What every kind that writes to a database shares.
struct RunOptions {
  int lock_timeout_seconds = 60;  // --lock-timeout
};

struct InstallOperationRequest {
  std::string database;              // URL
  std::vector<std::string> inputs;   // sources, plugin directories and .migpkg packages
  std::optional<std::string> trust;  // the trust directory for packages (unset: the default)
  std::string to;                    // [PLUGIN@]VERSION, or empty
  bool dry_run = false;
  bool allow_downgrade = false;
  bool no_backup = false;
  bool single_transaction = false;
  std::string backup_directory;  // empty: the engine's default
  RunOptions run;
};

struct RollbackOperationRequest {
  std::string database;
  std::string plugin;
  runtime::RollbackTarget target;
  bool dry_run = false;
  bool no_backup = false;
  std::string backup_directory;
  RunOptions run;
};

struct RestoreOperationRequest {
  std::string database;
  std::string backup;  // the backup's path (an unencrypted one: an operation carries no keys)
  RunOptions run;
};

// import and copy.
struct MoveOperationOptions {
  std::vector<std::string> plugins, tables;
  data::OnConflict on_conflict = data::OnConflict::Fail;
  std::size_t batch_rows = 10000;
  bool dry_run = false;
  RunOptions run;
};

struct CopyOperationRequest {
  std::string from, to;  // URLs
  bool create = false;
  MoveOperationOptions move;
};

struct ImportOperationRequest {
  std::string database;
  std::string input;  // a data set: directory or unencrypted .migdata
  MoveOperationOptions move;
};

struct ExportOperationRequest {
  std::string database;
  std::string output;                        // the data set to write
  std::vector<std::string> plugins, tables;  // empty: every user table
  bool csv = false, zstd = false;
};

// The request as the record keeps it (request_json): URLs without passwords.
std::string request_json(const InstallOperationRequest& request);
std::string request_json(const RollbackOperationRequest& request);
std::string request_json(const RestoreOperationRequest& request);
std::string request_json(const CopyOperationRequest& request);
std::string request_json(const ImportOperationRequest& request);
std::string request_json(const ExportOperationRequest& request);

// The work of each kind; `requested_by` is recorded as applied_by / the audit row's actor.
OperationWork install_work(InstallOperationRequest request, std::string requested_by);
OperationWork rollback_work(RollbackOperationRequest request, std::string requested_by);
OperationWork restore_work(RestoreOperationRequest request, std::string requested_by);
OperationWork copy_work(CopyOperationRequest request, std::string requested_by);
OperationWork import_work(ImportOperationRequest request, std::string requested_by);
OperationWork export_work(ExportOperationRequest request, std::string requested_by);

// Submits the work of the kind with its request_json: the operation's id.
std::string submit_install(OperationRegistry& registry, const std::string& requested_by,
                           const InstallOperationRequest& request);
std::string submit_rollback(OperationRegistry& registry, const std::string& requested_by,
                            const RollbackOperationRequest& request);
std::string submit_restore(OperationRegistry& registry, const std::string& requested_by,
                           const RestoreOperationRequest& request);
std::string submit_copy(OperationRegistry& registry, const std::string& requested_by,
                        const CopyOperationRequest& request);
std::string submit_import(OperationRegistry& registry, const std::string& requested_by,
                          const ImportOperationRequest& request);
std::string submit_export(OperationRegistry& registry, const std::string& requested_by,
                          const ExportOperationRequest& request);

}  // namespace migpkg::operations
