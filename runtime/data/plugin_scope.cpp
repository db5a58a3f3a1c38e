#include "runtime/data/plugin_scope.hpp"

#include <algorithm>
#include <stdexcept>

#include "compiler/planner/plan_json_reader.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/history/bookkeeping.hpp"
#include "runtime/history/object_owners.hpp"

namespace migpkg::data {
namespace {

std::vector<runtime::InstalledPlugin> installed_plugins(runtime::Bookkeeping& bookkeeping) {
  if (!bookkeeping.tables_exist()) return {};
  bookkeeping.check_version();
  return bookkeeping.plugins();
}

std::string installed_list(const std::vector<runtime::InstalledPlugin>& plugins) {
  if (plugins.empty()) return "no plugin is installed there";
  std::string out = "installed: ";
  for (std::size_t i = 0; i < plugins.size(); ++i)
    out += (i ? ", " : "") + plugins[i].plugin_id + " " + plugins[i].version;
  return out;
}

}  // namespace

std::optional<std::string> installed_plugin_version(runtime::Connection& connection,
                                                    const std::string& plugin_id) {
  runtime::Bookkeeping bookkeeping(connection);
  for (const auto& p : installed_plugins(bookkeeping))
    if (p.plugin_id == plugin_id) return p.version;
  return std::nullopt;
}

std::vector<PluginScope> plugin_scopes(runtime::Connection& connection,
                                       const std::vector<std::string>& plugin_ids) {
  if (plugin_ids.empty()) return {};
  runtime::Bookkeeping bookkeeping(connection);
  const auto plugins = installed_plugins(bookkeeping);
  std::vector<PluginScope> scopes;
  for (const auto& id : plugin_ids) {
    auto found = std::find_if(plugins.begin(), plugins.end(),
                              [&](const runtime::InstalledPlugin& p) { return p.plugin_id == id; });
    if (found == plugins.end())
      throw std::runtime_error("plugin " + id + " is not installed in this database (" +
                               installed_list(plugins) + ")");
    scopes.push_back({id, found->version, {}});
  }
  // applied() is in application order across the database: replaying every plugin's plans
  // keeps a rename by a later migration attached to the table's creator.
  runtime::ObjectOwners owners;
  for (const auto& applied : bookkeeping.applied())
    owners.replay(migration_from_text(applied.plan_json));
  const runtime::Engine& engine = runtime::engine_of(connection);
  for (const auto& table : engine.user_tables(connection)) {
    const runtime::ObjectOwner* owner = owners.owner(runtime::normalized_object_name(table));
    if (!owner) continue;
    for (auto& scope : scopes)
      if (scope.plugin_id == owner->plugin_id) scope.tables.push_back(table);
  }
  for (auto& scope : scopes) std::sort(scope.tables.begin(), scope.tables.end());
  return scopes;
}

}  // namespace migpkg::data
