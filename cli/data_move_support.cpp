#include "cli/data_move_support.hpp"

#include <chrono>
#include <iostream>

#include "cli/allocator_tuning.hpp"
#include "cli/api_client.hpp"
#include "cli/output.hpp"
#include "cli/progress_lines.hpp"
#include "cli/runtime_support.hpp"
#include "runtime/data/move_run.hpp"

namespace migpkg::cli {
namespace {

// How soon freed pages go back to the system during import and copy (allocator_tuning.hpp): a
// batch takes well under this, so the pages of one batch are reused by the next and what an
// earlier one left is gone; bench/README.md, "Data", has the measurements.
constexpr long kFreedMemoryMilliseconds = 500;

// One line per table, redrawn at most every 200 ms: rows, rows/s (of this run, since the
// table's first report) and, when the total is known (a data set's manifest), the ETA.
void draw_progress(const api::Progress& p) {
  static auto last = std::chrono::steady_clock::time_point();
  static std::string table;
  static auto table_start = std::chrono::steady_clock::time_point();
  static std::uint64_t rows_at_start = 0;
  auto now = std::chrono::steady_clock::now();
  if (p.item != table) {
    table = p.item;
    table_start = now;
    rows_at_start = p.done;
  }
  if (now - last < std::chrono::milliseconds(200) && p.done != p.total) return;
  last = now;
  const double seconds = std::chrono::duration<double>(now - table_start).count();
  double rate = seconds > 0 ? (p.done - rows_at_start) / seconds : 0;
  std::string line = "\r  " + p.item + ": " + std::to_string(p.done);
  if (p.total) line += "/" + std::to_string(p.total);
  line += " rows  " + std::to_string(static_cast<long>(rate)) + " rows/s";
  if (p.total > p.done && rate > 0)
    line += "  ETA " + std::to_string(static_cast<long>((p.total - p.done) / rate)) + "s";
  std::cerr << line << "   " << std::flush;
}

void print_report(const api::MoveResult& report, const std::string& command, bool json) {
  ProgressLines::instance().flush();
  if (stderr_is_terminal() && !report.dry_run) std::cerr << "\n";
  if (json) {
    std::cout << report.json << "\n";
    return;
  }
  std::uint64_t rows = 0, rejects = 0;
  for (const std::string& table : report.created) std::cout << "created " << table << "\n";
  for (const std::string& note : report.notes)
    std::cerr << "migpkg " << command << ": note: " << note << "\n";
  for (const api::TableMove& t : report.tables) {
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
  if (!report.ok()) {
    std::cerr << "migpkg " << command
              << ": error: " << (report.problems.empty() ? "" : report.problems.front()) << "\n";
    return;
  }
  if (!report.dry_run)
    std::cout << command << ": " << rows << " rows into " << report.tables.size() << " tables"
              << (rejects ? ", " + std::to_string(rejects) + " refused" : "")
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

void read_move_options(const Arguments& args, api::MoveOptions& move) {
  if (auto tables = args.value("--tables")) move.tables = comma_list(*tables, "--tables");
  move.where = where_conditions(args.all("--where"));
  if (auto mode = args.value("--on-conflict")) {
    try {
      switch (data::parse_on_conflict(*mode)) {
        case data::OnConflict::Fail:
          move.on_conflict = api::OnConflict::Fail;
          break;
        case data::OnConflict::Skip:
          move.on_conflict = api::OnConflict::Skip;
          break;
        case data::OnConflict::Overwrite:
          move.on_conflict = api::OnConflict::Overwrite;
          break;
        case data::OnConflict::Merge:
          move.on_conflict = api::OnConflict::Merge;
          break;
      }
    } catch (const std::invalid_argument& e) {
      throw UsageError(e.what());
    }
  }
  move.map_file = args.value("--map").value_or("");
  move.lenient = args.flag("--lenient");
  move.rejects_path = args.value("--rejects").value_or("");
  if (move.lenient && move.rejects_path.empty())
    throw UsageError("--lenient needs --rejects FILE (where the refused rows go)");
  if (!move.lenient && !move.rejects_path.empty())
    throw UsageError("--rejects goes with --lenient (strict runs stop at the first refused row)");
  move.dry_run = args.flag("--dry-run");
  if (auto batch = args.value("--batch-rows")) {
    try {
      std::size_t used = 0;
      long long rows = std::stoll(*batch, &used);
      if (used != batch->size() || rows < 1 || rows > 1000000) throw std::invalid_argument("");
      move.batch_rows = static_cast<std::size_t>(rows);
    } catch (const std::exception&) {
      throw UsageError("--batch-rows takes a number of rows from 1 to 1000000, not '" + *batch +
                       "'");
    }
  }
}

api::RunOptions move_run_options(const Arguments& args, const std::string& command,
                                 const runtime::DatabaseUrl& target_url) {
  api::RunOptions options = api_run_options(args, command, target_url, false);
  if (!args.flag("--json") && stderr_is_terminal()) options.on_progress = draw_progress;
  return options;
}

int finish_data_move(const Arguments& args, const std::string& command,
                     const std::function<api::MoveResult()>& move) {
  // Peak memory of a load independent of its rows: one batch's pages, not ten seconds' worth.
  return_freed_memory_within(kFreedMemoryMilliseconds);
  api::MoveResult report = move();
  rethrow_failure(report);
  print_report(report, command, args.flag("--json"));
  return report.exit_code;
}

}  // namespace migpkg::cli
