#include "compiler/schema/replay.hpp"

#include <algorithm>
#include <set>

#include "compiler/schema/automatic_down.hpp"
#include "compiler/schema/derived_unload.hpp"
#include "compiler/schema/narrowing.hpp"
#include "compiler/validate/dependency_graph.hpp"

namespace migpkg::schema {
namespace {

// Steps of one direction in the order they run.
std::vector<const ir::Step*> run_order(const std::vector<ir::Step>& steps) {
  std::vector<const ir::Step*> out;
  for (std::size_t i : order_steps(steps, nullptr).order) out.push_back(&steps[i]);
  return out;
}

bool apply_step(SchemaModel& model, const ir::Migration& m, const ir::Step& step,
                Diagnostics& diagnostics) {
  if (step.change)
    return model.apply(
        *step.change, [&m, &step] { return step_context(m, step); }, diagnostics);
  if (step.load) return true;  // rows only: the schema stays as it was
  model.note_raw_sql();
  return true;
}

// A type change that narrows a column is planned with a pre-check that refuses while a stored
// value does not fit; the author hears of it when validating, not first from a failed run.
void warn_narrowing(const SchemaModel& model, const ir::Migration& m, const ir::Step& step,
                    bool down, Diagnostics& diagnostics) {
  if (!step.change) return;
  std::optional<Narrowing> narrowing = narrowing_of(*step.change, model);
  if (!narrowing) return;
  std::string what = step.derived ? "the automatic down narrows " : "narrows ";
  const char* hint =
      !down ? "make sure every stored value fits the new type before installing (the plan counts "
              "the rows that do not), or add a new column and copy what fits"
      : step.derived
          ? (step.change->location.is_dsl()
                 ? "a rollback needs every value to fit the old type again; where one may not, "
                   "mark the up step `irreversible` or write a down block that makes the values "
                   "fit first"
                 : "a rollback needs every value to fit the old type again; where one may not, "
                   "mark the up step irreversible (\"rollbackSupported\": false) or write down "
                   "steps that make the values fit first")
          : "a rollback needs every value to fit; shorten or move the values that do not in an "
            "earlier down step, or mark the migration's up steps irreversible";
  diagnostics.warning("narrowing-change", step.change->location,
                      step_context(m, step) + ": " + what + describe(*narrowing) + "; the " +
                          (down ? "rollback" : "install") +
                          " refuses to run it while a stored value does not fit",
                      hint);
}

std::string derived_id(const ir::Step& up, std::size_t part) {
  std::string id = "undo-" + up.id.substr(0, 110);
  return part == 0 ? id : id + "-" + std::to_string(part + 1);
}

// An up step with the inverse of its change, computed from the schema just before it.
struct Undoing {
  const ir::Step* up = nullptr;
  std::optional<Inverse> inverse;
  std::string why;  // when there is no inverse
};

// Fills m.down with the inverses of the up steps, last step first.
void derive_down(ir::Migration& m, const std::vector<Undoing>& undoings, Diagnostics& diagnostics) {
  std::vector<ir::Step> down;
  down.reserve(undoings.size());  // one step per undoing, usually
  for (auto it = undoings.rbegin(); it != undoings.rend(); ++it) {
    const ir::Step& up = *it->up;
    if (!up.rollback_supported) continue;  // the migration is not reversible anyway
    if (up.load) continue;                 // its unload is derived for every migration
    if (!up.change) {
      diagnostics.error("cannot-derive-down", up.location,
                        step_context(m, up) +
                            ": automatic down steps need declarative changes, but this "
                            "step is raw " +
                            (up.sql ? "SQL" : "transform"),
                        up.location.is_dsl()
                            ? "write the migration's down { ... } block, or mark this step "
                              "`irreversible`"
                            : "write the migration's down steps explicitly, or set "
                              "\"rollbackSupported\": false on this step");
      continue;
    }
    const std::optional<Inverse>& inverse = it->inverse;
    if (!inverse) {
      diagnostics.error("cannot-derive-down", up.change->location,
                        step_context(m, up) + ": cannot derive its down step: " + it->why,
                        "create it with a declarative change, or write the migration's down "
                        "steps explicitly");
      continue;
    }
    if (!inverse->data_loss.empty())
      diagnostics.warning("down-loses-data", up.change->location,
                          step_context(m, up) + ": the automatic down " + inverse->data_loss,
                          "rolling back cannot restore the data; write an explicit down that "
                          "copies it back if that matters");
    for (std::size_t part = 0; part < inverse->changes.size(); ++part) {
      ir::Step step;
      step.id = derived_id(up, part);
      step.name = "Undo: " + (up.name.empty() ? up.id : up.name);
      step.change = inverse->changes[part];
      step.transactional = up.transactional;
      step.derived = true;
      step.location = up.location;
      down.push_back(std::move(step));
    }
  }
  m.down = std::move(down);
}

// The ids of every migration given, to tell a dependency outside the run in one look.
std::set<std::string> migration_ids(const ir::Program& program) {
  std::set<std::string> ids;
  for (const auto& plugin : program.plugins)
    for (const auto& m : plugin.migrations) ids.insert(m.id);
  return ids;
}

// True when a dependency of the migration is not in the run: a migration of a plugin given
// alone may alter tables of one installed earlier, which the replay has not seen.
bool depends_outside(const ir::Program& program, const std::set<std::string>& ids,
                     const ir::Migration& m) {
  for (const auto& dependency : m.dependencies) {
    std::string why;
    if (dependency.text.find('@') != std::string::npos) {
      auto requirement = PluginRequirement::parse(dependency.text, &why);
      if (!requirement || !program.find_plugin(requirement->plugin)) return true;
      continue;
    }
    if (!ids.count(dependency.text)) return true;
  }
  return false;
}

// Visits the migrations in plan order; `model` learns which may build on unseen tables.
template <typename Visit>
void walk(const ir::Program& program, SchemaModel& model, Visit visit) {
  DependencyGraph graph = build_dependency_graph(program, nullptr);
  std::set<std::string> ids = migration_ids(program);
  for (const MigrationNode* node : order_migrations(graph)) {
    if (depends_outside(program, ids, *node->migration)) model.note_raw_sql();
    visit(*node->migration);
  }
}

}  // namespace

std::string step_context(const ir::Migration& migration, const ir::Step& step) {
  return "migration \"" + migration.id + "\" step \"" + step.id + "\"";
}

void prepare_schema_changes(ir::Program& program, Diagnostics& diagnostics) {
  SchemaModel model;
  walk(program, model, [&](const ir::Migration& visited) {
    // The graph hands out const pointers into `program`, which this function may change.
    ir::Migration& m = const_cast<ir::Migration&>(visited);
    std::vector<Undoing> undoings;
    std::vector<ir::Step> unloads;  // in the order of the loads
    bool up_failed = false;
    for (const ir::Step* step : run_order(m.up)) {
      if (step->load && !step->load->unload && step->rollback_supported &&
          !step->load->table.empty())
        if (auto unload = unload_step(m, *step, model, diagnostics)) {
          // The load's own reverse (undoing a journalled migration step by step) deletes the
          // same keys, whether or not the down steps need the unload.
          ir::Load& load = *const_cast<ir::Step*>(step)->load;
          load.key_columns = unload->load->key_columns;
          load.keys = unload->load->keys;
          unloads.push_back(std::move(*unload));
        }
      if (m.automatic_down) {
        Undoing undoing{step, std::nullopt, ""};
        if (step->change) undoing.inverse = inverse_of(*step->change, model, &undoing.why);
        undoings.push_back(std::move(undoing));
      }
      warn_narrowing(model, m, *step, false, diagnostics);
      up_failed = !apply_step(model, m, *step, diagnostics) || up_failed;
    }
    // After an error in the up steps, their inverses and the down steps would only repeat it.
    if (up_failed) return;
    if (m.automatic_down) derive_down(m, undoings, diagnostics);
    // The unloads come first, last load first: they delete rows from tables that the other
    // down steps may then drop.
    if (!unloads.empty()) {
      std::vector<ir::Step> down;
      down.reserve(unloads.size() + m.down.size());
      for (auto it = unloads.rbegin(); it != unloads.rend(); ++it) down.push_back(std::move(*it));
      for (auto& step : m.down)
        if (!step.derived || !step.load) down.push_back(std::move(step));
      m.down = std::move(down);
    }
    // The down steps, explicit or derived, must apply to what the up steps left.
    ScratchScope down(model);
    for (const ir::Step* step : run_order(m.down)) {
      warn_narrowing(model, m, *step, true, diagnostics);
      apply_step(model, m, *step, diagnostics);
    }
    // An unload of a table the down steps drop anyway deletes nothing the drop would not, and
    // would fail on rows of other tables that reference the loaded keys: left out.
    if (!unloads.empty())
      m.down.erase(std::remove_if(m.down.begin(), m.down.end(),
                                  [&model](const ir::Step& step) {
                                    return step.derived && step.load && step.load->unload &&
                                           !model.raw_sql_seen() &&
                                           !model.find_table(step.load->table);
                                  }),
                   m.down.end());
  });
}

void replay_program(const ir::Program& program, const StepVisitor& on_step,
                    const MigrationVisitor& done) {
  SchemaModel model;
  Diagnostics ignored;  // prepare_schema_changes reported them
  walk(program, model, [&](const ir::Migration& m) {
    for (const ir::Step* step : run_order(m.up)) {
      on_step(m, *step, false, model);
      apply_step(model, m, *step, ignored);
    }
    {
      ScratchScope down(model);
      for (const ir::Step* step : run_order(m.down)) {
        on_step(m, *step, true, model);
        apply_step(model, m, *step, ignored);
      }
    }
    if (done) done(m);
  });
}

SchemaModel replayed_schema(const ir::Program& program, const MigrationFilter& include) {
  SchemaModel model;
  Diagnostics ignored;
  walk(program, model, [&](const ir::Migration& m) {
    if (include && !include(m)) return;
    for (const ir::Step* step : run_order(m.up)) apply_step(model, m, *step, ignored);
  });
  return model;
}

std::set<std::string> mentioned_tables(const ir::Program& program) {
  std::set<std::string> names;
  for (const auto& plugin : program.plugins)
    for (const auto& m : plugin.migrations)
      for (const auto* steps : {&m.up, &m.down})
        for (const auto& step : *steps) {
          if (!step.change) continue;
          for (const auto* name :
               {&step.change->table, &step.change->new_name, &step.change->index.table})
            if (!name->empty()) names.insert(*name);
        }
  return names;
}

}  // namespace migpkg::schema
