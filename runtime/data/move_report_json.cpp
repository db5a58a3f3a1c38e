#include "runtime/data/move_report_json.hpp"

#include <memory>

#include "runtime/history/bookkeeping.hpp"
#include "runtime/lock/run_lock.hpp"

namespace migpkg::data {
namespace {

nlohmann::ordered_json table_json(const TableResult& t) {
  nlohmann::ordered_json j;
  j["source"] = t.source_table;
  j["table"] = t.target_table;
  j["rowsRead"] = t.rows_read;
  j["rowsWritten"] = t.rows_written;
  j["rejects"] = t.rejects;
  j["resumedAfter"] = t.resumed_after;
  j["alreadyDone"] = t.already_done;
  j["bytes"] = t.bytes;
  j["seconds"] = t.seconds;
  j["verified"] = t.verified;
  j["sourceRows"] = t.source_rows;
  j["targetRows"] = t.target_rows;
  j["sourceHash"] = t.source_hash;
  j["targetHash"] = t.target_hash;
  return j;
}

}  // namespace

const char* move_status_name(const MoveReport& report) {
  return report.ok ? "ok" : report.cancelled ? "cancelled" : "failed";
}

int move_exit_code(const MoveReport& report) {
  return report.ok ? 0 : report.cancelled ? 6 : 1;
}

nlohmann::ordered_json move_report_json(const MoveReport& report) {
  nlohmann::ordered_json out;
  out["command"] = report.command;
  out["status"] = move_status_name(report);
  out["dryRun"] = report.dry_run;
  out["resumed"] = report.resumed;
  out["error"] = report.error;
  out["undoneRows"] = report.undone_rows;
  out["seconds"] = report.seconds;
  if (report.command == "copy") out["created"] = report.created;
  if (!report.notes.empty()) out["notes"] = report.notes;
  auto tables = nlohmann::ordered_json::array();
  for (const TableResult& t : report.tables) tables.push_back(table_json(t));
  out["tables"] = tables;
  return out;
}

MoveReport run_locked_move(runtime::Connection& target, const runtime::DatabaseUrl& target_url,
                           const std::string& command, const MoveActor& who, bool dry_run,
                           const std::function<MoveReport()>& move) {
  if (dry_run) return move();
  std::unique_ptr<runtime::RunLock> lock = runtime::acquire_run_lock(
      target, target_url, "migpkg " + command + " by " + who.actor, who.lock_timeout_seconds);
  runtime::Bookkeeping bookkeeping(target);
  std::int64_t audit = bookkeeping.start_run(who.actor, command, who.command_line).audit_id;
  MoveReport report;
  try {
    report = move();
  } catch (const std::exception& e) {
    bookkeeping.audit_finish(audit, "refused", e.what());
    throw;
  }
  std::uint64_t rows = 0;
  for (const TableResult& t : report.tables) rows += t.rows_written;
  bookkeeping.audit_finish(audit, move_status_name(report),
                           report.ok ? std::to_string(rows) + " rows" : report.error);
  return report;
}

}  // namespace migpkg::data
