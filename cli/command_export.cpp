// export: tables of a database (a plugin's, named ones, or every user table) into a data set
// (runtime/data/dataset.hpp), read in one snapshot, streamed batch by batch. Everything the
// arguments name is checked before the data set is created, and the data set appears only
// when complete: a failed export leaves no OUT behind.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/age_options.hpp"
#include "cli/commands.hpp"
#include "cli/data_move_support.hpp"
#include "cli/output.hpp"
#include "cli/progress_lines.hpp"
#include "cli/runtime_support.hpp"
#include "runtime/data/dataset.hpp"
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
  data::FileFormat format = data::FileFormat::Ndjson;
  if (auto f = args.value("--format")) {
    if (*f == "csv") {
      format = data::FileFormat::Csv;
    } else if (*f != "ndjson") {
      throw UsageError("--format must be ndjson or csv, not '" + *f + "'");
    }
  }
  data::Compression compression = data::Compression::None;
  if (auto c = args.value("--compress")) {
    if (*c == "zstd") {
      compression = data::Compression::Zstd;
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
  data::ExportRequest request;
  request.where = where_conditions(args.all("--where"));
  request.database = database_argument(args);
  parse_database(request.database);  // UsageError for a bad URL
  request.output = *out;
  request.format = format;
  request.compression = compression;
  request.encrypt_to = encrypt_to ? &*encrypt_to : nullptr;
  request.plugins = args.positionals();
  if (auto named = args.value("--tables")) request.tables = comma_list(*named);

  const bool progress = !args.flag("--json") && isatty(STDERR_FILENO) == 1;
  Clock::time_point table_start = Clock::now(), last_line = table_start;
  std::string current;
  if (progress)
    request.progress = [&](const std::string& table, std::uint64_t rows, bool finished) {
      if (table != current) {
        current = table;
        table_start = last_line = Clock::now();
      }
      if (finished) {
        const double seconds = seconds_since(table_start);
        ProgressLines::instance().line("  " + table + ": " + std::to_string(rows) + " rows in " +
                                       std::to_string(seconds).substr(0, 5) + " s, " +
                                       rate(rows, seconds));
      } else if (seconds_since(last_line) >= 1.0) {
        last_line = Clock::now();
        ProgressLines::instance().line("  " + table + ": " + std::to_string(rows) + " rows, " +
                                       rate(rows, seconds_since(table_start)));
      }
    };
  data::ExportReport report;
  try {
    report = data::run_export(request);
  } catch (const data::ExportRefused& e) {
    throw UsageError(e.what());
  }
  ProgressLines::instance().flush();

  if (args.flag("--json")) {
    std::cout << data::export_report_json(report).dump(2) << "\n";
    return kOk;
  }
  const auto& results = report.tables;
  const std::uint64_t total_rows = report.rows;
  for (const auto& r : results)
    std::cout << "  " << r.table.table.name << ": " << r.table.rows << " rows, " << r.table.bytes
              << " bytes (" << r.table.file << ")\n";
  std::cout << "exported " << total_rows << " row" << (total_rows == 1 ? "" : "s") << " of "
            << results.size() << " table" << (results.size() == 1 ? "" : "s") << " to " << *out
            << (encrypt_to ? " (age-encrypted to " + describe_age_encryption(*encrypt_to) + ")"
                           : std::string())
            << "\n";
  return kOk;
}

}  // namespace migpkg::cli
