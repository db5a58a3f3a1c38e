#pragma once
// The --json report of import and copy (schemas/import-report.schema.json,
// copy-report.schema.json), and the run lock and audit row around a move: built once for the
// command line and for operations (runtime/operations/) alike.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/data/move_run.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::data {

// "ok", "failed" or "cancelled".
const char* move_status_name(const MoveReport& report);

// The exit code: ok 0, cancelled 6, failed 1.
int move_exit_code(const MoveReport& report);

nlohmann::ordered_json move_report_json(const MoveReport& report);

// Who runs a move, for the run lock's holder and the audit row.
struct MoveActor {
  std::string actor;         // recorded in the audit row
  std::string command_line;  // the audit row's command (no secrets)
  int lock_timeout_seconds = 60;
};

// Runs `move` on `target` under the run lock with an audit row ("ok", "failed", "cancelled";
// "refused" and rethrown when `move` throws). A dry run takes neither.
MoveReport run_locked_move(runtime::Connection& target, const runtime::DatabaseUrl& target_url,
                           const std::string& command, const MoveActor& who, bool dry_run,
                           const std::function<MoveReport()>& move);

}  // namespace migpkg::data
