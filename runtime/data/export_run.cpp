#include "runtime/data/export_run.hpp"

#include <chrono>
#include <set>

#include "runtime/crypto/age_stream.hpp"
#include "runtime/data/batch_digester.hpp"
#include "runtime/data/plugin_scope.hpp"
#include "runtime/data/read_ahead.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/installer/database_opening.hpp"

namespace migpkg::data {
namespace {

using ojson = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kBatchRows = 1000;
// Batches read ahead of the one being written (memory: this many, one read, one written).
constexpr std::size_t kReadAheadBatches = 2;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

ExportReport run_export(const ExportRequest& request) {
  const runtime::DatabaseUrl url = runtime::DatabaseUrl::parse(request.database);
  if (runtime::database_missing(url))
    throw ExportRefused("database " + url.path + " does not exist");
  auto connection = runtime::open_connection(url, runtime::kDefaultSqliteLockWaitMs);
  const runtime::Engine& engine = runtime::engine_of(*connection);
  engine.begin_read_snapshot(*connection);

  // Which tables: a plugin's (and only those), --tables, or every user table.
  DatasetManifest manifest;
  manifest.source_engine = engine.name();
  std::vector<std::string> tables;
  const auto scopes = plugin_scopes(*connection, request.plugins);
  std::set<std::string> in_scope;
  for (const auto& scope : scopes) {
    manifest.plugins.push_back({scope.plugin_id, scope.version});
    for (const auto& t : scope.tables)
      if (in_scope.insert(t).second) tables.push_back(t);
  }
  if (request.tables) {
    for (const auto& t : *request.tables)
      if (!scopes.empty() && !in_scope.count(t)) {
        std::string ids;
        for (const auto& s : scopes) ids += (ids.empty() ? "" : ", ") + s.plugin_id;
        throw ExportRefused("table " + t + " is not one of the tables of plugin" +
                            (scopes.size() > 1 ? "s " : " ") + ids);
      }
    tables = *request.tables;
  } else if (scopes.empty()) {
    tables = engine.user_tables(*connection);
  }
  std::set<std::string> seen;
  std::vector<DataTable> described;
  for (const auto& t : tables) {
    if (!seen.insert(t).second) throw ExportRefused("--tables names " + t + " twice");
    if (t.rfind("migpkg_", 0) == 0)
      throw ExportRefused("table " + t + " is migpkg's own bookkeeping, not data to export");
    auto table = engine.data_table(*connection, t);
    if (!table)
      throw ExportRefused("there is no table " + t + " in " +
                          runtime::redact_password(request.database));
    described.push_back(std::move(*table));
  }
  for (const auto& w : request.where)
    if (!seen.count(w.first))
      throw ExportRefused("--where names table " + w.first + ", which is not exported");

  ExportReport report;
  report.database = request.database;
  report.output = request.output;
  report.engine = engine.name();
  report.format = request.format;
  report.compression = request.compression;
  const Clock::time_point started = Clock::now();
  auto writer = DatasetWriter::create(request.output, request.format, request.compression,
                                      request.encrypt_to);
  for (const auto& table : described) {
    const Clock::time_point table_start = Clock::now();
    std::uint64_t rows = 0;
    writer->begin_table(table);
    runtime::Engine::DataRead read;
    read.table = &table;
    if (auto w = request.where.find(table.name); w != request.where.end()) read.where = w->second;
    read.batch_rows = kBatchRows;
    // The table is read on another thread while this one encodes and writes it, as copy reads
    // its source (read_ahead.hpp), and each batch is digested on a third while it is encoded.
    BatchDigester digester;
    auto produce = [&](const std::function<void(std::vector<Row>)>& push) {
      engine.read_data(*connection, read, push);
    };
    read_ahead(produce, kReadAheadBatches, nullptr, [&](std::vector<Row> batch) {
      BatchDigester::Started digesting(digester, batch);
      writer->write_rows(batch, [&] { return digesting.wait(); });
      rows += batch.size();
      if (request.progress) request.progress(table.name, rows, false);
      // The writer, destroyed unfinished, leaves nothing at the output.
      if (request.cancel_requested && request.cancel_requested())
        throw ExportCancelled("cancelled in table " + table.name + " after " +
                              std::to_string(rows) + " rows; nothing was written to " +
                              request.output);
    });
    ExportedTable result{writer->end_table(), seconds_since(table_start)};
    if (request.progress) request.progress(table.name, result.table.rows, true);
    report.tables.push_back(std::move(result));
  }
  writer->finish(manifest);
  connection->rollback();  // the read snapshot: nothing was written

  if (request.encrypt_to) {
    ojson encryption{{"format", "age"}};
    if (request.encrypt_to->passphrase)
      encryption["passphrase"] = true;
    else
      encryption["recipients"] = request.encrypt_to->recipients.size();
    report.encryption = encryption;
  }
  report.plugins = manifest.plugins;
  for (const auto& r : report.tables) {
    report.rows += r.table.rows;
    report.bytes += r.table.bytes;
  }
  report.seconds = seconds_since(started);
  return report;
}

nlohmann::ordered_json export_report_json(const ExportReport& r) {
  ojson report;
  report["ok"] = true;
  report["database"] = runtime::redact_password(r.database);
  report["engine"] = r.engine;
  report["output"] = r.output;
  report["format"] = r.format == FileFormat::Csv ? "csv" : "ndjson";
  report["compression"] = r.compression == Compression::Zstd ? "zstd" : "none";
  report["encryption"] = r.encryption ? *r.encryption : ojson(nullptr);
  auto plugins = ojson::array();
  for (const auto& p : r.plugins) plugins.push_back({{"id", p.id}, {"version", p.version}});
  report["plugins"] = plugins;
  auto list = ojson::array();
  for (const auto& t : r.tables)
    list.push_back({{"name", t.table.table.name},
                    {"file", t.table.file},
                    {"rows", t.table.rows},
                    {"bytes", t.table.bytes},
                    {"seconds", t.seconds},
                    {"contentHash", t.table.content_hash}});
  report["tables"] = list;
  report["rows"] = r.rows;
  report["bytes"] = r.bytes;
  report["seconds"] = r.seconds;
  return report;
}

}  // namespace migpkg::data
