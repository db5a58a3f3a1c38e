#include "compiler/schema/derived_unload.hpp"

#include "compiler/load/file_keys.hpp"
#include "compiler/schema/replay.hpp"

namespace migpkg::schema {

std::optional<ir::Step> unload_step(const ir::Migration& m, const ir::Step& up,
                                    const SchemaModel& before, Diagnostics& diagnostics) {
  const ir::Load& load = *up.load;
  const bool dsl = load.location.is_dsl();
  const Table* table = before.find_table(load.table);
  if (!table) {
    if (before.raw_sql_seen())
      diagnostics.error(
          "cannot-derive-down", load.location,
          step_context(m, up) + ": cannot derive the unload of this load: the " +
              "compiler does not know table " + load.table +
              "'s primary key (it is created by raw SQL or outside this run)",
          std::string("create the table with a declarative change, or mark the "
                      "step ") +
              (dsl ? "`irreversible`" : "irreversible (\"rollbackSupported\": false)"));
    else
      diagnostics.error("unknown-table", load.location,
                        step_context(m, up) + ": loads into table " + load.table +
                            ", which does not exist at this point");
    return std::nullopt;
  }
  const ir::Constraint* pk = table->primary_key();
  if (!pk || pk->columns.empty()) {
    diagnostics.error("cannot-derive-down", load.location,
                      step_context(m, up) + ": table " + load.table +
                          " has no primary key, so the rows this load writes cannot be deleted "
                          "by key when it is rolled back",
                      "give the table a primary key");
    return std::nullopt;
  }
  std::vector<const ir::Column*> key_columns;
  for (const auto& name : pk->columns)
    if (const ir::Column* column = table->find_column(name)) key_columns.push_back(column);
  if (key_columns.size() != pk->columns.size()) return std::nullopt;  // the model reported it

  std::size_t errors = diagnostics.error_count();
  ir::Load unload;
  unload.file = load.file;
  unload.table = load.table;
  unload.sha256 = load.sha256;
  unload.unload = true;
  unload.key_columns = pk->columns;
  unload.keys = file_keys(load, table->columns, key_columns, diagnostics);
  unload.location = load.location;
  if (diagnostics.error_count() != errors) return std::nullopt;

  ir::Step step;
  step.id = "unload-" + up.id.substr(0, 110);
  step.name = "Unload " + load.file.text + " from " + load.table;
  step.load = std::move(unload);
  step.transactional = up.transactional;
  step.derived = true;
  step.location = up.location;
  return step;
}

}  // namespace migpkg::schema
