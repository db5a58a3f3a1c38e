#pragma once
// The JSON reports of the read-only commands (status, history, audit, backups, verify), built
// once for both `--json` on the command line and the HTTP API (serve/): each `*_report` takes
// the command's own parsed arguments, so options are checked by the same rules and a bad one is
// the same UsageError.
#include <ctime>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/arguments.hpp"
#include "runtime/history/bookkeeping.hpp"
#include "runtime/installer/backup_listing.hpp"
#include "runtime/installer/preflight.hpp"
#include "runtime/package/package_verifier.hpp"

namespace migpkg::cli {

nlohmann::ordered_json status_json(const std::string& database, const std::string& engine,
                                   const runtime::InstalledState& state);
nlohmann::ordered_json history_json(const std::vector<runtime::HistoryRow>& rows);
nlohmann::ordered_json audit_json(const std::vector<runtime::AuditRow>& rows);
nlohmann::ordered_json backup_json(const runtime::DatabaseBackup& entry, std::time_t now);
nlohmann::ordered_json verify_json(const std::string& path, const package::VerifiedPackage& v);

// `status --json`: --db.
nlohmann::ordered_json status_report(const Arguments& args);
// `history --json`: --db, --plugin.
nlohmann::ordered_json history_report(const Arguments& args);
// `audit --json`: --db, --plugin, --since, --limit.
nlohmann::ordered_json audit_report(const Arguments& args);
// `backups --json` without --prune: --db, --backup-dir, --config.
nlohmann::ordered_json backups_report(const Arguments& args);

// What `audit` reads: the rows its options select, and whether the database has migpkg tables.
struct AuditSelection {
  std::vector<runtime::AuditRow> rows;
  bool has_tables = false;
};
AuditSelection select_audit_rows(const Arguments& args);

}  // namespace migpkg::cli
