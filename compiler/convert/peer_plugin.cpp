// A peer tool's history as a migpkg plugin (docs/convert.md, "Mapping").
#include "compiler/convert/peer_plugin.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

#include "compiler/dsl/dsl_printer.hpp"
#include "compiler/sql/statement_splitter.hpp"

namespace migpkg::convert {
namespace {

// Deliberate no-ops (empty up or down scripts) keep a step so that migpkg still sees the
// migration as reversible: a down with no steps makes it irreversible, and an up needs one.
constexpr const char* kNoOpSql = "SELECT 1";

ir::Step sql_step(const std::string& id, const PeerScript& script, bool reversible) {
  ir::Step step;
  step.id = id;
  bool blank = is_blank_sql(script.sql);
  step.name = blank ? "No-op: " + script.file + " has no SQL" : script.file;
  step.sql.emplace();
  step.sql->universal = ir::LocatedText{blank ? kNoOpSql : script.sql, {}};
  step.transactional = script.transactional;
  if (!script.transactional)
    step.description = "Not transactional: " + script.non_transactional_reason;
  step.rollback_supported = reversible;
  return step;
}

}  // namespace

std::string migration_id_of(const std::string& key) {
  std::string id;
  for (char c : key) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    id += ok ? c : '_';
  }
  if (id.empty() || !std::isalnum(static_cast<unsigned char>(id[0]))) id = "m" + id;
  if (id.size() > 128) id.resize(128);
  return id;
}

ir::Migration peer_migration_ir(const PeerHistory& history, std::size_t index,
                                const PeerPluginOptions& options) {
  const PeerMigration& peer = history.migrations[index];
  ir::Migration m;
  m.id = migration_id_of(peer.key);
  m.plugin_id = options.plugin_id;
  // The peer's order is the plugin's: the N-th migration is version 1.0.N (peer versions such
  // as timestamps or 1.2.3.4 are not semantic versions).
  m.version_text = "1.0." + std::to_string(index + 1);
  m.version = *SemVer::parse(m.version_text);
  m.name = peer.title.empty() ? peer.key : peer.title;
  m.description = "Converted from " + options.tool + ": " + peer.key;
  m.database_engines = options.engines;
  std::vector<std::string> depends;
  if (index > 0) depends.push_back(migration_id_of(history.migrations[index - 1].key));
  for (const auto& key : peer.requires_keys) {
    std::string id = migration_id_of(key);
    if (std::find(depends.begin(), depends.end(), id) == depends.end()) depends.push_back(id);
  }
  for (const auto& id : depends) m.dependencies.push_back({id, {}});
  bool reversible = peer.down.has_value();
  m.up.push_back(sql_step("up", peer.up, reversible));
  if (peer.down) m.down.push_back(sql_step("down", *peer.down, true));
  return m;
}

std::vector<std::pair<std::string, std::string>> peer_plugin_files(
    const PeerHistory& history, const PeerPluginOptions& options) {
  std::vector<std::pair<std::string, std::string>> files;
  std::map<std::string, std::string> key_of_id;
  for (std::size_t i = 0; i < history.migrations.size(); ++i) {
    const PeerMigration& peer = history.migrations[i];
    ir::Migration m = peer_migration_ir(history, i, options);
    auto [it, fresh] = key_of_id.emplace(m.id, peer.key);
    if (!fresh)
      throw PeerError(peer.up.file + ": `" + peer.key + "` and `" + it->second +
                      "` both become the migration id " + m.id);
    char number[24];
    std::snprintf(number, sizeof number, "%04zu", i + 1);
    std::string header =
        "-- Converted by `migpkg convert --from " + options.tool + "` from " + peer.up.file +
        (peer.down && peer.down->file != peer.up.file ? " and " + peer.down->file : std::string()) +
        ".\n";
    if (!peer.down) header += "-- The " + options.tool + " migration has no down: irreversible.\n";
    files.emplace_back(std::string(number) + "-" + m.id + ".mig", header + dsl::print_dsl({m}));
  }
  return files;
}

}  // namespace migpkg::convert
