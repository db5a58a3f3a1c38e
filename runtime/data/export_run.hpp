#pragma once
// export as a library call (the CLI's `migpkg export`, the export operation; docs/data.md):
// tables of a database (a plugin's, named ones, or every user table) into a data set
// (dataset.hpp), read in one snapshot, streamed batch by batch. Everything the request names
// is checked before the data set is created, and the data set appears only when complete: a
// failed or cancelled export leaves nothing at its output.
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/data/dataset.hpp"

namespace migpkg::crypto {
struct AgeEncryptTo;
}  // namespace migpkg::crypto

namespace migpkg::data {

struct ExportRequest {
  std::string database;  // URL, as given
  std::string output;    // the data set to write
  FileFormat format = FileFormat::Ndjson;
  Compression compression = Compression::None;
  const crypto::AgeEncryptTo* encrypt_to = nullptr;  // an age-encrypted .migdata; null: plain
  std::vector<std::string> plugins;                  // their tables (plugin_scope.hpp)
  std::optional<std::vector<std::string>> tables;    // --tables
  std::map<std::string, std::string> where;          // --where: table -> SQL condition
  // After every batch and at a table's end (`finished`): its rows so far.
  std::function<void(const std::string& table, std::uint64_t rows, bool finished)> progress;
  // Asked after every batch: true stops the export with ExportCancelled (nothing is left).
  std::function<bool()> cancel_requested;
};

struct ExportedTable {
  DatasetTable table;
  double seconds = 0;
};

struct ExportReport {
  std::string database, output, engine;
  FileFormat format = FileFormat::Ndjson;
  Compression compression = Compression::None;
  std::optional<nlohmann::ordered_json> encryption;  // what export-report says of it
  std::vector<DatasetPlugin> plugins;
  std::vector<ExportedTable> tables;
  std::uint64_t rows = 0, bytes = 0;
  double seconds = 0;
};

// A request that names what is not there (a table, a --where table, a missing SQLite file).
class ExportRefused : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};
class ExportCancelled : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

ExportReport run_export(const ExportRequest& request);

// schemas/export-report.schema.json.
nlohmann::ordered_json export_report_json(const ExportReport& report);

}  // namespace migpkg::data
