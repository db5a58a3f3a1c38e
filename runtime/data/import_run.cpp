#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "compiler/util/file_text.hpp"
#include "compiler/util/sha256.hpp"
#include "compiler/util/word_list.hpp"
#include "runtime/data/dataset.hpp"
#include "runtime/data/move_run.hpp"
#include "runtime/data/plugin_scope.hpp"
#include "runtime/data/row_filter.hpp"

namespace migpkg::data {
namespace {

// One table of a data set: its rows come from the table file, resumed by row count.
class DatasetSource : public TableSource {
 public:
  DatasetSource(DatasetReader& reader, const DatasetTable& entry, std::optional<RowFilter> filter)
      : reader_(reader), entry_(entry), filter_(std::move(filter)) {}
  const DataTable& table() const override { return entry_.table; }
  void read(const Checkpoint& after, std::size_t batch_rows,
            const std::function<void(std::vector<Row>)>& sink) override {
    if (!filter_) {
      reader_.read_rows(entry_.table.name, after.rows_done, batch_rows, sink);
      return;
    }
    // --where: the source is the rows that meet the condition, and a checkpoint counts those;
    // so a resumed run skips the first rows_done of them, not of the file.
    std::uint64_t skip = after.rows_done;
    std::vector<Row> out;
    reader_.read_rows(entry_.table.name, 0, batch_rows, [&](std::vector<Row> rows) {
      for (Row& row : rows) {
        if (!filter_->matches(row)) continue;
        if (skip > 0) {
          --skip;
          continue;
        }
        out.push_back(std::move(row));
        if (out.size() == batch_rows) {
          sink(std::move(out));
          out = {};
        }
      }
    });
    if (!out.empty()) sink(std::move(out));
  }
  bool resumable() const override { return true; }
  std::optional<std::pair<std::uint64_t, std::string>> known_digest() const override {
    if (filter_) return std::nullopt;  // the manifest's digest is of every row
    return std::make_pair(entry_.rows, entry_.content_hash);
  }

 private:
  DatasetReader& reader_;
  const DatasetTable& entry_;
  std::optional<RowFilter> filter_;
};

std::vector<std::string> manifest_table_names(const DatasetManifest& manifest) {
  std::vector<std::string> names;
  for (const DatasetTable& table : manifest.tables) names.push_back(table.table.name);
  return names;
}

// The data set's plugins (all, or those named) must be installed in the target at the
// versions it was exported at: the tables' columns are those of that schema version.
void check_dataset_plugins(runtime::Connection& target, const DatasetManifest& manifest,
                           const std::vector<std::string>& selected) {
  std::vector<std::string> held;
  for (const DatasetPlugin& plugin : manifest.plugins)
    held.push_back(plugin.id + " " + plugin.version);
  std::vector<DatasetPlugin> needed;
  for (const std::string& id : selected) {
    auto it = std::find_if(manifest.plugins.begin(), manifest.plugins.end(),
                           [&](const DatasetPlugin& plugin) { return plugin.id == id; });
    if (it == manifest.plugins.end())
      throw std::runtime_error(
          "the data set holds no data of plugin " + id +
          (held.empty() ? " (it holds no plugin's)" : " (it holds " + or_list(held) + ")"));
    needed.push_back(*it);
  }
  check_plugin_versions(target, selected.empty() ? manifest.plugins : needed, "the data set");
}

}  // namespace

MoveReport run_import(runtime::Connection& target, const ImportRequest& request) {
  std::unique_ptr<DatasetReader> reader = DatasetReader::open(request.input, request.age);
  const DatasetManifest& manifest = reader->manifest();
  std::optional<DataMapping> mapping;
  if (!request.map_file.empty()) mapping = DataMapping::read(request.map_file);

  check_dataset_plugins(target, manifest, request.plugins);

  // Which of the data set's tables: --tables, else the plugins' tables in the target, else all.
  std::vector<const DatasetTable*> chosen;
  if (!request.tables.empty()) {
    for (const std::string& name : request.tables) {
      const DatasetTable* table = manifest.find_table(name);
      if (!table)
        throw std::runtime_error("the data set has no table " + name + " (it has " +
                                 or_list(manifest_table_names(manifest)) + ")");
      chosen.push_back(table);
    }
  } else if (!request.plugins.empty()) {
    std::set<std::string> scope;
    for (const PluginScope& plugin : plugin_scopes(target, request.plugins))
      scope.insert(plugin.tables.begin(), plugin.tables.end());
    for (const DatasetTable& table : manifest.tables) {
      std::string name = mapping ? mapping->target_table(table.table.name) : table.table.name;
      if (scope.count(name)) chosen.push_back(&table);
    }
  } else {
    for (const DatasetTable& table : manifest.tables) chosen.push_back(&table);
  }

  // --where: each condition is parsed against its table's columns before a row is written.
  for (const auto& [name, condition] : request.where)
    if (std::none_of(chosen.begin(), chosen.end(),
                     [&](const DatasetTable* table) { return table->table.name == name; }))
      throw std::runtime_error("--where names table " + name + ", which is not imported");
  std::vector<std::unique_ptr<TableSource>> sources;
  for (const DatasetTable* table : chosen) {
    std::optional<RowFilter> filter;
    if (auto where = request.where.find(table->table.name); where != request.where.end())
      filter.emplace(table->table, where->second);
    sources.push_back(std::make_unique<DatasetSource>(*reader, *table, std::move(filter)));
  }

  // The same data set (its files' hashes), target and arguments: the same run.
  std::vector<std::string> key{"import", runtime::redact_password(request.db_url),
                               on_conflict_name(request.on_conflict),
                               request.lenient ? "lenient " + request.rejects_path : "strict"};
  for (const DatasetTable* table : chosen) key.push_back(table->table.name + " " + table->sha256);
  for (const std::string& plugin : request.plugins) key.push_back("plugin " + plugin);
  for (const auto& [name, condition] : request.where)
    key.push_back("where " + name + ":" + condition);
  if (!request.map_file.empty())
    key.push_back("map " + sha256_hex(read_file_text(request.map_file, 1 << 20).text));
  return move_tables(target, request.db_url, sources, request, mapping ? &*mapping : nullptr,
                     run_key(key), "import");
}

}  // namespace migpkg::data
