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
#include "runtime/history/state_report_json.hpp"
#include "runtime/installer/backup_listing.hpp"
#include "runtime/installer/preflight.hpp"
#include "runtime/package/package_verifier.hpp"
#include "runtime/package/verify_report_json.hpp"

namespace migpkg::cli {

// Built in the library (runtime/history/state_report_json.hpp, runtime/package/
// verify_report_json.hpp), where the public API (api/) builds them too.
using package::verify_json;
using runtime::history_json;
using runtime::status_json;
nlohmann::ordered_json audit_json(const std::vector<runtime::AuditRow>& rows);
nlohmann::ordered_json backup_json(const runtime::DatabaseBackup& entry, std::time_t now);

// `reader`, where given, is an open connection to --db's database to read through (serve keeps
// some open between requests); without one, each report opens its own.

// `status --json`: --db.
nlohmann::ordered_json status_report(const Arguments& args, runtime::Connection* reader = nullptr);
// `history --json`: --db, --plugin.
nlohmann::ordered_json history_report(const Arguments& args, runtime::Connection* reader = nullptr);
// `audit --json`: --db, --plugin, --since, --limit.
nlohmann::ordered_json audit_report(const Arguments& args, runtime::Connection* reader = nullptr);
// `backups --json` without --prune: --db, --backup-dir, --config.
nlohmann::ordered_json backups_report(const Arguments& args, runtime::Connection* reader = nullptr);

// What `audit` reads: the rows its options select, and whether the database has migpkg tables.
struct AuditSelection {
  std::vector<runtime::AuditRow> rows;
  bool has_tables = false;
};
AuditSelection select_audit_rows(const Arguments& args, runtime::Connection* reader = nullptr);

}  // namespace migpkg::cli
