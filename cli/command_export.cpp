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
#include "runtime/data/plugin_scope.hpp"
#include "runtime/engines/engine_registry.hpp"

namespace migpkg::cli {
namespace {

using ojson = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kBatchRows = 10000;

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

struct TableResult {
  data::DatasetTable table;
  double seconds = 0;
};

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
  const auto where = where_conditions(args.all("--where"));
  const std::string database = database_argument(args);
  const runtime::DatabaseUrl url = parse_database(database);
  if (database_missing(url)) throw UsageError("database " + url.path + " does not exist");
  auto connection = runtime::open_connection(url, runtime::kDefaultSqliteLockWaitMs);
  const runtime::Engine& engine = runtime::engine_of(*connection);
  engine.begin_read_snapshot(*connection);

  // Which tables: a plugin's (and only those), --tables, or every user table.
  data::DatasetManifest manifest;
  manifest.source_engine = engine.name();
  std::vector<std::string> tables;
  const auto scopes = data::plugin_scopes(*connection, args.positionals());
  std::set<std::string> in_scope;
  for (const auto& scope : scopes) {
    manifest.plugins.push_back({scope.plugin_id, scope.version});
    for (const auto& t : scope.tables)
      if (in_scope.insert(t).second) tables.push_back(t);
  }
  if (auto named = args.value("--tables")) {
    std::vector<std::string> chosen = comma_list(*named);
    for (const auto& t : chosen)
      if (!scopes.empty() && !in_scope.count(t))
        throw UsageError("table " + t + " is not one of the tables of plugin" +
                         (scopes.size() > 1 ? "s " : " ") + [&] {
                           std::string ids;
                           for (const auto& s : scopes)
                             ids += (ids.empty() ? "" : ", ") + s.plugin_id;
                           return ids;
                         }());
    tables = chosen;
  } else if (scopes.empty()) {
    tables = engine.user_tables(*connection);
  }
  std::set<std::string> seen;
  std::vector<data::DataTable> described;
  for (const auto& t : tables) {
    if (!seen.insert(t).second) throw UsageError("--tables names " + t + " twice");
    if (t.rfind("migpkg_", 0) == 0)
      throw UsageError("table " + t + " is migpkg's own bookkeeping, not data to export");
    auto table = engine.data_table(*connection, t);
    if (!table)
      throw UsageError("there is no table " + t + " in " + runtime::redact_password(database));
    described.push_back(std::move(*table));
  }
  for (const auto& w : where)
    if (!seen.count(w.first))
      throw UsageError("--where names table " + w.first + ", which is not exported");

  const bool progress = !args.flag("--json") && isatty(STDERR_FILENO) == 1;
  const Clock::time_point started = Clock::now();
  auto writer =
      data::DatasetWriter::create(*out, format, compression, encrypt_to ? &*encrypt_to : nullptr);
  std::vector<TableResult> results;
  for (const auto& table : described) {
    const Clock::time_point table_start = Clock::now();
    Clock::time_point last_line = table_start;
    std::uint64_t rows = 0;
    writer->begin_table(table);
    runtime::Engine::DataRead read;
    read.table = &table;
    if (auto w = where.find(table.name); w != where.end()) read.where = w->second;
    read.batch_rows = kBatchRows;
    engine.read_data(*connection, read, [&](std::vector<data::Row> batch) {
      writer->write_rows(batch);
      rows += batch.size();
      if (progress && seconds_since(last_line) >= 1.0) {
        last_line = Clock::now();
        ProgressLines::instance().line("  " + table.name + ": " + std::to_string(rows) + " rows, " +
                                       rate(rows, seconds_since(table_start)));
      }
    });
    TableResult result{writer->end_table(), seconds_since(table_start)};
    if (progress)
      ProgressLines::instance().line("  " + table.name + ": " + std::to_string(result.table.rows) +
                                     " rows in " + std::to_string(result.seconds).substr(0, 5) +
                                     " s, " + rate(result.table.rows, result.seconds));
    results.push_back(std::move(result));
  }
  writer->finish(manifest);
  connection->rollback();  // the read snapshot: nothing was written
  ProgressLines::instance().flush();

  std::uint64_t total_rows = 0, total_bytes = 0;
  for (const auto& r : results) {
    total_rows += r.table.rows;
    total_bytes += r.table.bytes;
  }
  const double total_seconds = seconds_since(started);
  if (args.flag("--json")) {
    ojson report;
    report["ok"] = true;
    report["database"] = runtime::redact_password(database);
    report["engine"] = engine.name();
    report["output"] = *out;
    report["format"] = format == data::FileFormat::Csv ? "csv" : "ndjson";
    report["compression"] = compression == data::Compression::Zstd ? "zstd" : "none";
    if (encrypt_to) {
      ojson encryption{{"format", "age"}};
      if (encrypt_to->passphrase)
        encryption["passphrase"] = true;
      else
        encryption["recipients"] = encrypt_to->recipients.size();
      report["encryption"] = encryption;
    } else {
      report["encryption"] = nullptr;
    }
    auto plugins = ojson::array();
    for (const auto& p : manifest.plugins)
      plugins.push_back({{"id", p.id}, {"version", p.version}});
    report["plugins"] = plugins;
    auto list = ojson::array();
    for (const auto& r : results)
      list.push_back({{"name", r.table.table.name},
                      {"file", r.table.file},
                      {"rows", r.table.rows},
                      {"bytes", r.table.bytes},
                      {"seconds", r.seconds},
                      {"contentHash", r.table.content_hash}});
    report["tables"] = list;
    report["rows"] = total_rows;
    report["bytes"] = total_bytes;
    report["seconds"] = total_seconds;
    std::cout << report.dump(2) << "\n";
    return kOk;
  }
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
