#include "cli/data_move_support.hpp"

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/allocator_tuning.hpp"
#include "cli/output.hpp"
#include "cli/progress_lines.hpp"
#include "cli/runtime_support.hpp"
#include "runtime/data/move_report_json.hpp"

namespace migpkg::cli {
namespace {

// How soon freed pages go back to the system during import and copy (allocator_tuning.hpp): a
// batch takes well under this, so the pages of one batch are reused by the next and what an
// earlier one left is gone; bench/README.md, "Data", has the measurements.
constexpr long kFreedMemoryMilliseconds = 500;

// One line per table, redrawn at most every 200 ms: rows, rows/s and, when the total is known
// (a data set's manifest), the ETA.
void draw_progress(const data::MoveProgress& p) {
  static auto last = std::chrono::steady_clock::time_point();
  auto now = std::chrono::steady_clock::now();
  if (now - last < std::chrono::milliseconds(200) && p.rows_done != p.rows_total) return;
  last = now;
  double rate = p.seconds > 0 ? p.rows_this_run / p.seconds : 0;
  std::string line = "\r  " + p.table + ": " + std::to_string(p.rows_done);
  if (p.rows_total) line += "/" + std::to_string(p.rows_total);
  line += " rows  " + std::to_string(static_cast<long>(rate)) + " rows/s";
  if (p.rows_total > p.rows_done && rate > 0)
    line += "  ETA " + std::to_string(static_cast<long>((p.rows_total - p.rows_done) / rate)) + "s";
  std::cerr << line << "   " << std::flush;
}

void print_report(const data::MoveReport& report, bool json) {
  ProgressLines::instance().flush();
  if (stderr_is_terminal() && !report.dry_run) std::cerr << "\n";
  if (json) {
    std::cout << data::move_report_json(report).dump(2, ' ', false,
                                                     nlohmann::json::error_handler_t::replace)
              << "\n";
    return;
  }
  std::uint64_t rows = 0, rejects = 0;
  for (const std::string& table : report.created) std::cout << "created " << table << "\n";
  for (const std::string& note : report.notes)
    std::cerr << "migpkg " << report.command << ": note: " << note << "\n";
  for (const data::TableResult& t : report.tables) {
    rows += t.rows_written;
    rejects += t.rejects;
    if (report.dry_run) {
      std::cout << "would load " << t.target_table;
      if (t.source_rows) std::cout << " (" << t.source_rows << " rows)";
      std::cout << "\n";
      continue;
    }
    std::cout << t.target_table << ": ";
    if (t.already_done)
      std::cout << "done by the earlier run";
    else
      std::cout << t.rows_written << " rows written"
                << (t.resumed_after
                        ? " after the " + std::to_string(t.resumed_after) + " of the earlier run"
                        : "");
    if (t.rejects) std::cout << ", " << t.rejects << " refused";
    if (!t.verified.empty())
      std::cout << "; verified: " << t.verified << " (" << t.target_rows << " rows)";
    std::cout << "\n";
  }
  if (!report.ok) {
    std::cerr << "migpkg " << report.command << ": error: " << report.error << "\n";
    return;
  }
  if (!report.dry_run)
    std::cout << report.command << ": " << rows << " rows into " << report.tables.size()
              << " tables" << (rejects ? ", " + std::to_string(rejects) + " refused" : "")
              << (report.resumed ? " (resumed)" : "") << "\n";
}

}  // namespace

std::vector<std::string> comma_list(const std::string& text, const std::string& option) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = text.find(',', start);
    std::string part =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (part.empty())
      throw UsageError(option + " takes names separated by commas, not '" + text + "'");
    out.push_back(part);
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

std::map<std::string, std::string> where_conditions(const std::vector<std::string>& given) {
  std::map<std::string, std::string> out;
  for (const auto& w : given) {
    std::size_t colon = w.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == w.size())
      throw UsageError("--where '" + w + "' is not TABLE:CONDITION");
    std::string table = w.substr(0, colon);
    if (!out.emplace(table, w.substr(colon + 1)).second)
      throw UsageError("--where names table " + table + " twice");
  }
  return out;
}

void read_move_options(const Arguments& args, data::MoveRequest& request) {
  if (auto tables = args.value("--tables")) request.tables = comma_list(*tables, "--tables");
  request.where = where_conditions(args.all("--where"));
  if (auto mode = args.value("--on-conflict")) {
    try {
      request.on_conflict = data::parse_on_conflict(*mode);
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  }
  request.map_file = args.value("--map").value_or("");
  request.lenient = args.flag("--lenient");
  request.rejects_path = args.value("--rejects").value_or("");
  if (request.lenient && request.rejects_path.empty())
    throw UsageError("--lenient needs --rejects FILE (where the refused rows go)");
  if (!request.lenient && !request.rejects_path.empty())
    throw UsageError("--rejects goes with --lenient (strict runs stop at the first refused row)");
  request.dry_run = args.flag("--dry-run");
  if (auto batch = args.value("--batch-rows")) {
    try {
      std::size_t used = 0;
      long long rows = std::stoll(*batch, &used);
      if (used != batch->size() || rows < 1 || rows > 1000000) throw std::invalid_argument("");
      request.batch_rows = static_cast<std::size_t>(rows);
    } catch (const std::exception&) {
      throw UsageError("--batch-rows takes a number of rows from 1 to 1000000, not '" + *batch +
                       "'");
    }
  }
  if (!args.flag("--json") && stderr_is_terminal()) request.progress = draw_progress;
}

int run_data_move(const Arguments& args, const std::string& command,
                  const runtime::DatabaseUrl& target_url, runtime::Connection& target,
                  const std::function<data::MoveReport()>& move) {
  // Peak memory of a load independent of its rows: one batch's pages, not ten seconds' worth.
  return_freed_memory_within(kFreedMemoryMilliseconds);
  const bool json = args.flag("--json");
  runtime::RunContext context =
      run_context(args, joined_arguments(command, args), target_url, false);
  data::MoveActor who{context.actor, context.command_line, context.lock_timeout_seconds};
  data::MoveReport report =
      data::run_locked_move(target, target_url, command, who, args.flag("--dry-run"), move);
  print_report(report, json);
  return data::move_exit_code(report);
}

}  // namespace migpkg::cli
