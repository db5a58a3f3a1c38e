#include "compile_program.hpp"

#include "compiler/schema/replay.hpp"
#include "compiler/validate/validator.hpp"

namespace migpkg::fuzz {

void validate_migrations(std::vector<ir::Migration> migrations, Diagnostics& diagnostics) {
  ir::Program program;
  for (auto& migration : migrations) {
    ir::Plugin* plugin = program.find_plugin(migration.plugin_id);
    if (!plugin) {
      program.plugins.push_back(ir::Plugin{migration.plugin_id, {}});
      plugin = &program.plugins.back();
    }
    plugin->migrations.push_back(std::move(migration));
  }
  schema::prepare_schema_changes(program, diagnostics);
  validate_program(program, diagnostics);
  diagnostics.sort();
}

}  // namespace migpkg::fuzz
