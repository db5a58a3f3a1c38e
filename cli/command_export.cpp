// export: tables of a database (a plugin's, named ones, or every user table) into a data set
// (runtime/data/dataset.hpp), read in one snapshot, streamed batch by batch, through the public
// API (include/migpkg/, api/). Everything the arguments name is checked before the data set is
// created, and the data set appears only when complete: a failed export leaves no OUT behind.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/age_options.hpp"
#include "cli/api_client.hpp"
#include "cli/commands.hpp"
#include "cli/data_move_support.hpp"
#include "cli/output.hpp"
#include "cli/progress_lines.hpp"
#include "cli/runtime_support.hpp"
#include "include/migpkg/operations.hpp"
#include "runtime/data/export_run.hpp"

namespace migpkg::cli {
namespace {

using ojson = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (item.empty()) throw UsageError("--tables has an empty name in '" + text + "'");
    out.push_back(item);
  }
  return out;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string rate(std::uint64_t rows, double seconds) {
  return std::to_string(static_cast<std::uint64_t>(seconds > 0 ? rows / seconds : 0)) + " rows/s";
}

}  // namespace

int run_export(const Arguments& args) {
  const auto out = args.value("--output");
  if (!out || out->empty()) throw UsageError("missing -o OUT (the data set to write)");
  bool csv = false;
  if (auto f = args.value("--format")) {
    if (*f == "csv") {
      csv = true;
    } else if (*f != "ndjson") {
      throw UsageError("--format must be ndjson or csv, not '" + *f + "'");
    }
  }
  bool zstd = false;
  if (auto c = args.value("--compress")) {
    if (*c == "zstd") {
      zstd = true;
    } else if (*c != "none") {
      throw UsageError("--compress must be zstd or none, not '" + *c + "'");
    }
  }
  // Encryption: checked (and key files read) before the database is opened.
  const AgeEncryptOptions age_names{"--encrypt-to", "--recipients-file", "--passphrase-file"};
  std::optional<crypto::AgeEncryptTo> encrypt_to;
  if (wants_age_encryption(args, age_names)) {
    const bool tar =
        out->size() > 8 && (out->rfind(".migdata") == out->size() - 8 ||
                            (out->size() > 12 && out->rfind(".migdata.age") == out->size() - 12));
    if (!tar)
      throw UsageError(
          "only a .migdata file can be encrypted, not a directory: name the output "
          "NAME.migdata (or NAME.migdata.age)");
    encrypt_to = age_encrypt_to(args, age_names);
  }
  api::ExportRequest request;
  request.where = where_conditions(args.all("--where"));
  request.database = database_argument(args);
  parse_database(request.database);  // UsageError for a bad URL
  request.output = *out;
  request.csv = csv;
  request.zstd = zstd;
  if (encrypt_to) request.encrypt_to = api_encrypt_to(*encrypt_to);
  request.plugins = args.positionals();
  if (auto named = args.value("--tables")) request.tables = comma_list(*named);

  api::RunOptions options;
  const bool progress = !args.flag("--json") && isatty(STDERR_FILENO) == 1;
  Clock::time_point table_start = Clock::now(), last_line = table_start;
  std::string current;
  std::uint64_t before = 0;  // rows of the tables written before this one
  if (progress)
    options.on_progress = [&](const api::Progress& p) {
      if (p.item != current) {
        current = p.item;
        table_start = last_line = Clock::now();
      }
      const std::uint64_t rows = p.done - before;
      if (p.item_done) {
        before = p.done;
        const double seconds = seconds_since(table_start);
        ProgressLines::instance().line("  " + p.item + ": " + std::to_string(rows) + " rows in " +
                                       std::to_string(seconds).substr(0, 5) + " s, " +
                                       rate(rows, seconds));
      } else if (seconds_since(last_line) >= 1.0) {
        last_line = Clock::now();
        ProgressLines::instance().line("  " + p.item + ": " + std::to_string(rows) + " rows, " +
                                       rate(rows, seconds_since(table_start)));
      }
    };
  api::ExportResult report = api::export_data(request, options);
  if (report.error) {
    try {
      std::rethrow_exception(report.error);
    } catch (const data::ExportRefused& e) {
      throw UsageError(e.what());
    }
  }
  ProgressLines::instance().flush();

  if (args.flag("--json")) {
    std::cout << report.json << "\n";
    return kOk;
  }
  const auto& results = report.tables;
  const std::uint64_t total_rows = report.rows;
  for (const auto& r : results)
    std::cout << "  " << r.name << ": " << r.rows << " rows, " << r.bytes << " bytes (" << r.file
              << ")\n";
  std::cout << "exported " << total_rows << " row" << (total_rows == 1 ? "" : "s") << " of "
            << results.size() << " table" << (results.size() == 1 ? "" : "s") << " to " << *out
            << (encrypt_to ? " (age-encrypted to " + describe_age_encryption(*encrypt_to) + ")"
                           : std::string())
            << "\n";
  return kOk;
}

}  // namespace migpkg::cli
