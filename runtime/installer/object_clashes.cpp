#include "runtime/installer/object_clashes.hpp"

#include <map>
#include <optional>
#include <set>

#include "compiler/planner/plan_json_reader.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/history/object_owners.hpp"

namespace migpkg::runtime {
namespace {

// What a declarative change does to names: the name it creates, and the names it frees.
struct ChangeNames {
  std::string object;  // of the created name
  std::string created;
  std::vector<std::string> freed;
};

ChangeNames names_of(const ir::SchemaChange& change) {
  using K = ir::SchemaChange::Kind;
  ChangeNames out;
  switch (change.kind) {
    case K::CreateTable:
      out = {"table", normalized_object_name(change.table), {}};
      break;
    case K::CreateView:
      out = {"view", normalized_object_name(change.view.name), {}};
      break;
    case K::CreateIndex:
      out = {"index", normalized_object_name(change.index.name), {}};
      break;
    case K::RenameTable:
      out = {
          "table", normalized_object_name(change.new_name), {normalized_object_name(change.table)}};
      break;
    case K::DropTable:
      out.freed.push_back(normalized_object_name(change.table));
      break;
    case K::DropView:
      out.freed.push_back(normalized_object_name(change.view.name));
      break;
    case K::DropIndex:
      out.freed.push_back(normalized_object_name(change.index.name));
      break;
    default:
      break;
  }
  return out;
}

// Tables, views and indexes (and on PostgreSQL any other relation, which shares their names) of
// the schema migpkg works in, but migpkg's own: normalized name -> kind.
std::map<std::string, std::string> existing_objects(Connection& c) {
  ResultSet rows = engine_of(c).list_objects(c);
  std::map<std::string, std::string> out;
  for (const auto& row : rows.rows) {
    std::string name = normalized_object_name("\"" + row[1].value_or("") + "\"");
    if (name.rfind("migpkg_", 0) == 0) continue;
    out.emplace(name, row[0].value_or(""));
  }
  return out;
}

}  // namespace

std::vector<std::string> find_object_clashes(Connection& c, const ir::Program& program,
                                             const std::vector<const plan::Migration*>& pending,
                                             const InstalledState& state) {
  std::vector<std::string> problems;
  std::optional<std::map<std::string, std::string>> existing;  // read once, when first needed
  std::optional<ObjectOwners> owners;                          // replayed once, when needed
  std::set<std::string> seen_in_run;
  std::map<std::pair<std::string, std::string>, const ir::Migration*> sources;
  for (const auto& plugin : program.plugins)
    for (const auto& migration : plugin.migrations) sources[{plugin.id, migration.id}] = &migration;
  for (const auto* m : pending) {
    // A half-done migration resumes: what its done steps created is its own.
    if (state.inflight_migration(m->plugin_id, m->id)) continue;
    auto source = sources.find({m->plugin_id, m->id});
    if (source == sources.end()) continue;
    const ir::Migration* migration = source->second;
    const std::string who = m->plugin_id + "/" + m->id;
    for (const auto& step : migration->up) {
      if (!step.change) continue;
      ChangeNames names = names_of(*step.change);
      for (const auto& name : names.freed) seen_in_run.insert(name);
      if (names.created.empty()) continue;
      const std::string what = names.object + " \"" + names.created + "\"";
      // Created or freed earlier in this run: the schema replay of validation has checked it.
      if (!seen_in_run.insert(names.created).second) continue;
      if (!existing) existing = existing_objects(c);
      auto found = existing->find(names.created);
      if (found == existing->end()) continue;
      if (!owners) {
        owners.emplace();
        for (const auto& a : state.applied) owners->replay(migration_from_text(a.plan_json));
        for (const auto& f : state.inflight)
          if (f.direction == "up") owners->replay(migration_from_text(f.plan_json));
      }
      const ObjectOwner* owner = owners->owner(names.created);
      // The plugin's own object: its own migrations know what they do (and the step fails on
      // its own if they do not).
      if (owner && owner->plugin_id == m->plugin_id) continue;
      problems.push_back(who + " creates " + what + ", but " + found->second + " \"" +
                         names.created + "\" exists already and " +
                         (owner ? "belongs to plugin " + owner->plugin_id + " (migration " +
                                      owner->migration_id + ")"
                                : std::string("belongs to no plugin")));
    }
  }
  return problems;
}

}  // namespace migpkg::runtime
