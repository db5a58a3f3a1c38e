#include "runtime/installer/program_inputs.hpp"

#include <algorithm>

#include "compiler/schema/replay.hpp"
#include "compiler/sources.hpp"
#include "compiler/util/semver.hpp"
#include "compiler/validate/validator.hpp"
#include "runtime/package/package_error.hpp"
#include "runtime/package/trust_store.hpp"

namespace migpkg::runtime {

ProgramInputs verify_inputs(const std::vector<std::string>& paths,
                            const std::optional<std::string>& trust_dir, Diagnostics& diagnostics) {
  ProgramInputs inputs;
  std::optional<package::TrustStore> trust;
  for (const auto& path : paths) {
    if (!package::is_package_path(path)) {
      inputs.source_paths.push_back(path);
      continue;
    }
    if (!trust) trust = package::TrustStore::load(package::trust_location(trust_dir));
    inputs.packages.push_back(package::load_package(path, *trust, diagnostics));
  }
  return inputs;
}

namespace {

ir::Plugin& plugin_in(ir::Program& program, const std::string& id) {
  if (ir::Plugin* plugin = program.find_plugin(id)) return *plugin;
  program.plugins.push_back(ir::Plugin{id, {}});
  return program.plugins.back();
}

}  // namespace

ir::Program assemble_program(const ProgramInputs& inputs, Diagnostics& diagnostics,
                             const std::set<std::string>* installed) {
  ir::Program program = load_sources(inputs.source_paths, diagnostics);
  for (const auto& loaded : inputs.packages)
    for (const auto& migration : loaded.migrations)
      plugin_in(program, migration.plugin_id).migrations.push_back(migration);
  // Replay the declarative changes and derive automatic downs over sources and packages
  // together, as load_and_validate does, before validation, planning and checksums.
  schema::prepare_schema_changes(program, diagnostics);
  validate_program(program, diagnostics, installed);
  diagnostics.sort();
  return program;
}

void check_downgrades(const ProgramInputs& inputs,
                      const std::vector<std::pair<std::string, std::string>>& installed,
                      bool allow_downgrade) {
  if (allow_downgrade) return;
  for (const auto& loaded : inputs.packages) {
    const auto& m = loaded.verified.manifest;
    for (const auto& [plugin, version] : installed) {
      if (plugin != m.plugin) continue;
      auto have = SemVer::parse(version), offered = SemVer::parse(m.version);
      if (have && offered && *offered < *have)
        package::refuse(loaded.path + ": " + m.plugin + " " + m.version +
                        " is older than the installed " + version +
                        "; refusing a downgrade (roll back with 'migpkg rollback " + m.plugin +
                        " --to " + m.version + "', or pass --allow-downgrade)");
    }
  }
}

void check_engine_support(const ProgramInputs& inputs, const std::string& engine) {
  for (const auto& loaded : inputs.packages) {
    const auto& m = loaded.verified.manifest;
    if (std::find(m.engines.begin(), m.engines.end(), engine) != m.engines.end()) continue;
    std::string supported;
    for (const auto& e : m.engines) supported += (supported.empty() ? "" : ", ") + e;
    std::string reason;
    for (const auto& u : m.unsupported_engines)
      if (u.engine == engine) reason = " (" + u.reason + ")";
    throw std::runtime_error(loaded.path + ": " + m.plugin + " " + m.version + " has no plan for " +
                             engine + reason + "; it supports " + supported);
  }
}

}  // namespace migpkg::runtime
