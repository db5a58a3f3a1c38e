#pragma once
// A plugin's data in a database: the user tables its applied migrations created and the schema
// version it is installed at. `export acme.crm` exports those tables and records the version in
// dataset.json; `import` and `copy` check the target has the plugin at that version before a
// row is written (docs/data.md, "Data sets").
//
// Owners come from the plans stored at install time (runtime/history/object_owners.hpp): every
// applied migration of every plugin is replayed in application order, so a table created by
// one plugin and renamed later still belongs to it, and a table of another plugin never does.
#include <optional>
#include <string>
#include <vector>

#include "runtime/drivers/connection.hpp"

namespace migpkg::data {

struct PluginScope {
  std::string plugin_id;
  std::string version;              // its installed schema version
  std::vector<std::string> tables;  // as the database names them, sorted; migpkg_* never
};

// The installed version of `plugin_id`, or nullopt when it is not installed (or the database
// has no migpkg bookkeeping at all).
std::optional<std::string> installed_plugin_version(runtime::Connection& connection,
                                                    const std::string& plugin_id);

// The scopes of `plugin_ids`, in that order. A plugin that is not installed throws
// std::runtime_error naming it and the plugins that are installed.
std::vector<PluginScope> plugin_scopes(runtime::Connection& connection,
                                       const std::vector<std::string>& plugin_ids);

}  // namespace migpkg::data
