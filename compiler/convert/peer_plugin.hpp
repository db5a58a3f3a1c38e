#pragma once
// A peer tool's history as a migpkg plugin: one DSL file per peer migration, in the peer's order
// (docs/convert.md, "Mapping").
#include <string>
#include <utility>
#include <vector>

#include "compiler/convert/peer_history.hpp"
#include "compiler/ir/ir.hpp"

namespace migpkg::convert {

struct PeerPluginOptions {
  std::string tool;                 // flyway, liquibase, ...: named in each file's header
  std::string plugin_id;            // --plugin
  std::vector<ir::Engine> engines;  // --dialect: the engines the SQL was written for
};

// The migration the peer's N-th migration (0-based `index`) becomes.
ir::Migration peer_migration_ir(const PeerHistory& history, std::size_t index,
                                const PeerPluginOptions& options);

// (file name, DSL text) per migration: `NNNN-<migration id>.mig`, so that the directory lists
// in history order. Throws PeerError when two peer names map to the same migration id.
std::vector<std::pair<std::string, std::string>> peer_plugin_files(
    const PeerHistory& history, const PeerPluginOptions& options);

// A peer's name as a migration id: characters an id cannot hold become `_`.
std::string migration_id_of(const std::string& key);

}  // namespace migpkg::convert
