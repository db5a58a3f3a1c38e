#include "runtime/data/move_run.hpp"

#include <chrono>
#include <map>
#include <stdexcept>

#include "compiler/util/topo_sort.hpp"
#include "runtime/data/plugin_scope.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/installer/database_opening.hpp"

namespace migpkg::data {
namespace {

// Parents before children, so that foreign keys find their rows; otherwise the given order.
std::vector<std::size_t> parents_first(runtime::Connection& target,
                                       const std::vector<DataTable>& tables) {
  const runtime::Engine& engine = runtime::engine_of(target);
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < tables.size(); ++i) index[tables[i].name] = i;
  std::vector<std::vector<std::size_t>> prerequisites(tables.size());
  for (std::size_t i = 0; i < tables.size(); ++i) {
    std::optional<runtime::TableDescription> description =
        engine.describe_table(target, tables[i].name);
    if (!description) continue;
    for (const runtime::ForeignKeyDescription& key : description->foreign_keys) {
      auto parent = index.find(key.ref_table);
      if (parent != index.end() && parent->second != i) prerequisites[i].push_back(parent->second);
    }
  }
  TopoResult sorted = topo_sort(prerequisites, [](std::size_t a, std::size_t b) { return a < b; });
  if (sorted.order.size() == tables.size()) return sorted.order;
  // A cycle of foreign keys: the given order (the database says which row it cannot take).
  std::vector<std::size_t> given;
  for (std::size_t i = 0; i < tables.size(); ++i) given.push_back(i);
  return given;
}

}  // namespace

void check_plugin_versions(runtime::Connection& target, const std::vector<DatasetPlugin>& needed,
                           const std::string& holder) {
  for (const DatasetPlugin& plugin : needed) {
    std::optional<std::string> installed = installed_plugin_version(target, plugin.id);
    if (!installed)
      throw std::runtime_error("plugin " + plugin.id + " is not installed in the target; " +
                               holder + " holds its data at schema version " + plugin.version +
                               ": install " + plugin.id + " " + plugin.version + " there first");
    if (*installed != plugin.version)
      throw std::runtime_error("plugin " + plugin.id + " is installed in the target at version " +
                               *installed + "; " + holder + " holds its data at schema version " +
                               plugin.version + ": bring the target's " + plugin.id + " to " +
                               plugin.version + " first");
  }
}

OnConflict parse_on_conflict(const std::string& text) {
  if (text == "fail") return OnConflict::Fail;
  if (text == "skip") return OnConflict::Skip;
  if (text == "overwrite") return OnConflict::Overwrite;
  if (text == "merge") return OnConflict::Merge;
  throw std::invalid_argument("--on-conflict takes fail, skip, overwrite or merge, not '" + text +
                              "'");
}

const char* on_conflict_name(OnConflict mode) {
  switch (mode) {
    case OnConflict::Fail:
      return "fail";
    case OnConflict::Skip:
      return "skip";
    case OnConflict::Overwrite:
      return "overwrite";
    case OnConflict::Merge:
      return "merge";
  }
  return "fail";
}

MoveReport move_tables(runtime::Connection& target, const std::string& target_url,
                       std::vector<std::unique_ptr<TableSource>>& sources,
                       const MoveRequest& request, const DataMapping* mapping,
                       const std::string& run_key, const std::string& command) {
  const auto start = std::chrono::steady_clock::now();
  const runtime::Engine& engine = runtime::engine_of(target);
  MoveReport report;
  report.command = command;
  report.dry_run = request.dry_run;

  // Every target table and column is checked before a row is written.
  std::vector<DataTable> targets;
  for (const auto& source : sources) {
    const DataTable& table = source->table();
    std::string name = mapping ? mapping->target_table(table.name) : table.name;
    std::string from = name == table.name ? "" : " (mapped from " + table.name + ")";
    RowProjection projection(table, mapping ? mapping->find(table.name) : nullptr);
    std::optional<DataTable> described = engine.data_table(target, name);
    if (!described)
      throw std::runtime_error("the target has no table " + name + from +
                               ": create it first (install the plugin, or copy --create)");
    for (const std::string& column : projection.target_columns())
      if (!described->find_column(column))
        throw std::runtime_error("table " + name + " in the target has no column " + column +
                                 " (the source's " + table.name + " has it)");
    if (auto key = request.keys_after_load.find(name);
        key != request.keys_after_load.end() && described->primary_key.empty())
      described->primary_key = key->second;
    targets.push_back(std::move(*described));
  }
  std::vector<std::size_t> order = parents_first(target, targets);

  if (request.dry_run) {
    for (std::size_t i : order) {
      TableResult result;
      result.source_table = sources[i]->table().name;
      result.target_table = targets[i].name;
      if (auto known = sources[i]->known_digest()) result.source_rows = known->first;
      report.tables.push_back(result);
    }
    report.ok = true;
    return report;
  }

  MoveOptions options;
  options.on_conflict = request.on_conflict;
  options.lenient = request.lenient;
  options.rejects_path = request.rejects_path;
  options.batch_rows = request.batch_rows;
  options.run_key = run_key;
  options.mapping = mapping;
  options.progress = request.progress;
  options.cancel_requested = request.cancel_requested;
  if (!target_url.empty())
    options.open_target = [target_url] {
      return runtime::open_for_reading(runtime::DatabaseUrl::parse(target_url));
    };
  for (const auto& [name, columns] : request.keys_after_load) options.keyed_after_load.insert(name);
  DataMove move(target, options);
  move.prepare();
  report.resumed = move.resuming();

  std::vector<std::pair<TableSource*, const DataTable*>> loaded;
  try {
    for (std::size_t i : order) {
      if (request.cancel_requested && request.cancel_requested())
        throw MoveCancelled("cancelled before table " + targets[i].name);
      loaded.push_back({sources[i].get(), &targets[i]});
      report.tables.push_back(move.load(*sources[i], targets[i]));
    }
  } catch (const MoveCancelled& stopped) {
    // Not a failure: fail mode's undo does not run, so the run stays resumable.
    report.cancelled = true;
    report.error = std::string(stopped.what()) +
                   "; the batches committed before stay: the same command again goes on after them";
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
  } catch (const std::exception& error) {
    report.error = error.what();
    if (request.on_conflict == OnConflict::Fail) {
      // "The first existing key stops the import and nothing of it stays": every batch
      // committed so far held new keys only (or fail would have stopped it), so deleting the
      // keys this run wrote puts the target back as it was.
      report.undone_rows = move.undo(loaded);
      report.error += "; on-conflict fail: nothing of this " + command + " stays (" +
                      std::to_string(report.undone_rows) + " rows written before were deleted)";
    } else {
      report.error +=
          "; the batches committed before stay: the same command again goes on "
          "after them";
    }
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
  }

  if (request.after_load) {
    try {
      request.after_load();
    } catch (const std::exception& error) {
      // A key the rows break (two source rows mapped to one key): fail mode takes them out again.
      report.error =
          std::string("adding the keys, indexes and foreign keys after the rows: ") + error.what();
      if (request.on_conflict == OnConflict::Fail) {
        report.undone_rows = move.undo(loaded);
        report.error += "; on-conflict fail: nothing of this " + command + " stays (" +
                        std::to_string(report.undone_rows) + " rows written before were deleted)";
      }
      report.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return report;
    }
  }
  // Counters (serial, identity, AUTO_INCREMENT) past the keys just loaded: after the keys, so
  // that PostgreSQL's max() of the key reads its index instead of scanning the table.
  for (std::size_t i : order) {
    bool generated = false;
    for (const DataColumn& column : targets[i].columns) generated = generated || column.generated;
    if (!generated) continue;
    try {
      engine.reset_identity(target, targets[i]);
    } catch (const std::exception& error) {
      report.error = "table " + targets[i].name +
                     ": moving its identity counter past the keys loaded failed: " + error.what() +
                     " (the rows are loaded; the same command again only retries this)";
      report.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return report;
    }
  }
  // Verified before the checkpoints go: they hold how many rows each target had before.
  try {
    for (std::size_t k = 0; k < order.size(); ++k)
      move.verify(*sources[order[k]], targets[order[k]], report.tables[k]);
    report.ok = true;
  } catch (const std::exception& error) {
    report.error = error.what();
  }
  move.finish();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace migpkg::data
