#include <algorithm>
#include <set>
#include <stdexcept>

#include "compiler/util/file_text.hpp"
#include "compiler/util/sha256.hpp"
#include "runtime/data/copy_create.hpp"
#include "runtime/data/move_run.hpp"
#include "runtime/data/plugin_scope.hpp"
#include "runtime/engines/engine_registry.hpp"

namespace migpkg::data {
namespace {

// One table of the source database, read in primary-key order and resumed after a key.
class DatabaseSource : public TableSource {
 public:
  DatabaseSource(runtime::Connection& connection, DataTable table, std::string where)
      : c_(connection), table_(std::move(table)), where_(std::move(where)) {}
  const DataTable& table() const override { return table_; }
  void read(const Checkpoint& after, std::size_t batch_rows,
            const std::function<void(std::vector<Row>)>& sink) override {
    runtime::Engine::DataRead read;
    read.table = &table_;
    read.where = where_;  // loading, verifying and undoing all see the same rows
    read.batch_rows = batch_rows;
    if (resumable() && after.rows_done > 0) read.after_key = after.last_key;
    runtime::engine_of(c_).read_data(c_, read, sink);
  }
  bool resumable() const override { return !table_.primary_key.empty(); }

 private:
  runtime::Connection& c_;
  DataTable table_;
  std::string where_;  // --where: SQL of the source; empty: every row
};

// A --where condition the source refuses is found before anything is written: the condition
// with a false term after it reads no row, but the database still checks it.
void check_where(runtime::Connection& source, const DataTable& table,
                 const std::string& condition) {
  runtime::Engine::DataRead probe;
  probe.table = &table;
  probe.where = "(" + condition + ") AND 1 = 0";
  probe.batch_rows = 1;
  try {
    runtime::engine_of(source).read_data(source, probe, [](std::vector<Row>) {});
  } catch (const std::exception& error) {
    throw std::runtime_error("--where " + table.name + ":" + condition +
                             ": the source database refuses the condition: " + error.what());
  }
}

// The checkpoint row that lists the tables `copy --create` made (no table has this name: '#'
// is not a character of a name migpkg writes).
constexpr const char* kCreatedNote = "#created-by-copy";

}  // namespace

MoveReport run_copy(runtime::Connection& source, runtime::Connection& target,
                    const CopyRequest& request) {
  const runtime::Engine& from = runtime::engine_of(source);
  // Every source table is read (loaded, verified, undone) in one snapshot of the source, as
  // export reads: rows committed there meanwhile are in none of them. Nothing is written to it.
  from.begin_read_snapshot(source);
  struct EndSnapshot {
    runtime::Connection& c;
    ~EndSnapshot() {
      try {
        if (c.in_transaction()) c.rollback();
      } catch (...) {
      }
    }
  } end_snapshot{source};
  std::optional<DataMapping> mapping;
  if (!request.map_file.empty()) mapping = DataMapping::read(request.map_file);

  // Which tables: --tables, else the plugins' tables in the source, else every user table.
  std::vector<std::string> names = request.tables;
  if (names.empty() && !request.plugins.empty()) {
    std::vector<DatasetPlugin> needed;
    for (const PluginScope& plugin : plugin_scopes(source, request.plugins)) {
      names.insert(names.end(), plugin.tables.begin(), plugin.tables.end());
      needed.push_back({plugin.plugin_id, plugin.version});
    }
    // A plugin's rows fit the target only at the schema version they were written for.
    if (!request.create) check_plugin_versions(target, needed, "the source");
  } else if (names.empty()) {
    names = from.user_tables(source);
  }
  for (const auto& [name, condition] : request.where)
    if (std::find(names.begin(), names.end(), name) == names.end())
      throw std::runtime_error("--where names table " + name + ", which is not copied");
  std::vector<std::unique_ptr<TableSource>> sources;
  std::vector<DataTable> tables;
  for (const std::string& name : names) {
    std::optional<DataTable> table = from.data_table(source, name);
    if (!table) throw std::runtime_error("the source has no table " + name);
    std::string where;
    if (auto it = request.where.find(name); it != request.where.end()) {
      where = it->second;
      check_where(source, *table, where);
    }
    tables.push_back(*table);
    sources.push_back(std::make_unique<DatabaseSource>(source, std::move(*table), where));
  }

  std::vector<std::string> key{"copy",
                               runtime::redact_password(request.from_url),
                               runtime::redact_password(request.to_url),
                               on_conflict_name(request.on_conflict),
                               request.lenient ? "lenient " + request.rejects_path : "strict",
                               request.create ? "create" : "existing"};
  for (const std::string& name : names) key.push_back("table " + name);
  for (const std::string& plugin : request.plugins) key.push_back("plugin " + plugin);
  for (const auto& [name, condition] : request.where)
    key.push_back("where " + name + ":" + condition);
  if (!request.map_file.empty())
    key.push_back("map " + sha256_hex(read_file_text(request.map_file, 1 << 20).text));

  // --create: the tables without their secondary indexes and foreign keys first; those come
  // after the rows, when building them is one pass instead of one per row. Which tables this
  // command created is kept with its checkpoints, so a rerun after a stop still adds their keys.
  const std::string key_text = run_key(key);
  CopyRequest effective = request;
  std::optional<CreatePlan> plan;
  if (request.create) {
    DataRuns runs(target);
    std::vector<std::string> created_before;
    if (!request.dry_run) {
      runs.ensure_table();
      if (std::optional<Checkpoint> note = runs.load(key_text, kCreatedNote))
        for (const Value& name : note->last_key.value_or(Row{}))
          if (name) created_before.push_back(*name);
    }
    // Only a strict on-conflict-fail load can do without the key while it runs: the others
    // need it to find the rows a key already has.
    const bool keys_later = request.on_conflict == OnConflict::Fail && !request.lenient;
    plan = plan_create(source, target, tables, mapping ? &*mapping : nullptr, created_before,
                       keys_later);
    if (request.dry_run) {
      MoveReport report;
      report.command = "copy";
      report.dry_run = true;
      report.ok = true;
      report.created = plan->created;
      report.notes = plan->notes;
      for (const DataTable& table : tables) {
        TableResult result;
        result.source_table = table.name;
        result.target_table = mapping ? mapping->target_table(table.name) : table.name;
        report.tables.push_back(result);
      }
      return report;
    }
    if (!plan->created.empty()) {
      Checkpoint note;
      note.last_key = Row(created_before.begin(), created_before.end());
      for (const std::string& name : plan->created) note.last_key->push_back(name);
      target.begin();
      runs.save(key_text, kCreatedNote, note);
      target.commit();
    }
    create_tables(target, *plan);
    const CreatePlan* made = &*plan;
    effective.after_load = [&target, made] { finish_tables(target, *made); };
    effective.keys_after_load = plan->keys_after_load;
  }
  MoveReport report = move_tables(target, request.to_url, sources, effective,
                                  mapping ? &*mapping : nullptr, key_text, "copy");
  if (plan) report.created = plan->created, report.notes = plan->notes;
  return report;
}

}  // namespace migpkg::data
