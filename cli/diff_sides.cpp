#include "cli/diff_sides.hpp"

#include <stdexcept>

#include "cli/output.hpp"
#include "cli/runtime_support.hpp"
#include "compiler/schema/replay.hpp"
#include "compiler/validate/dependency_graph.hpp"
#include "runtime/data/database_schema.hpp"
#include "runtime/data/plugin_scope.hpp"
#include "runtime/history/bookkeeping.hpp"
#include "runtime/installer/program_inputs.hpp"

namespace migpkg::cli {
namespace {

DiffSide read_database(const std::string& text, const std::optional<std::string>& plugin) {
  runtime::DatabaseUrl url = parse_database(text);
  DiffSide side;
  side.label = runtime::redact_password(text);
  side.kind = "database";
  // Only read: a SQLite file that is not there is refused rather than created.
  if (database_missing(url)) throw std::runtime_error("no database at " + side.label);
  std::unique_ptr<runtime::Connection> connection = open_for_reading(url);
  std::vector<std::string> tables;
  if (plugin) {
    data::PluginScope scope = data::plugin_scopes(*connection, {*plugin}).at(0);
    tables = scope.tables;
    side.plugin_id = scope.plugin_id;
    side.version = scope.version;
    if (tables.empty()) side.notes.push_back("plugin " + *plugin + " owns no tables");
    // A migration after what is installed builds on the plugin's last applied migration.
    std::int64_t last = -1;
    for (const runtime::AppliedMigration& applied :
         runtime::Bookkeeping(*connection).applied(*plugin))
      if (applied.sequence > last) {
        last = applied.sequence;
        side.last_migration = applied.migration_id;
      }
  }
  side.model = data::read_database_schema(*connection, tables, side.notes);
  for (std::string& note : side.notes) note = side.label + ": " + note;
  return side;
}

DiffSide read_plugin(const std::string& text, const std::optional<std::string>& trust) {
  Diagnostics diagnostics;
  runtime::ProgramInputs inputs = runtime::verify_inputs({text}, trust, diagnostics);
  ir::Program program = runtime::assemble_program(inputs, diagnostics, nullptr);
  if (stop_on_errors(diagnostics, false))
    throw DiffInputError(text + ": the sources have errors (above)");
  DiffSide side;
  side.label = text;
  side.kind = "plugin";
  side.model = schema::replayed_schema(program);
  if (side.model.raw_sql_seen())
    side.notes.push_back(text +
                         ": raw SQL or transforms ran; tables they create are not known to the "
                         "replay and are not compared");
  if (program.plugins.size() == 1) {
    const ir::Plugin& plugin = program.plugins.front();
    side.plugin_id = plugin.id;
    if (const SemVer* version = plugin.version()) side.version = version->to_string();
  }
  // The migration a follow-up builds on: the last of the plan order.
  DependencyGraph graph = build_dependency_graph(program, nullptr);
  for (const MigrationNode* node : order_migrations(graph))
    if (node->migration->plugin_id == side.plugin_id) side.last_migration = node->migration->id;
  return side;
}

}  // namespace

bool names_database(const std::string& text) {
  return text.rfind("sqlite:", 0) == 0 || text.find("://") != std::string::npos;
}

DiffSide read_diff_side(const std::string& text, const std::optional<std::string>& plugin,
                        const std::optional<std::string>& trust) {
  if (text == "empty") {
    DiffSide side;
    side.label = "empty";
    side.kind = "empty";
    return side;
  }
  if (names_database(text)) return read_database(text, plugin);
  return read_plugin(text, trust);
}

}  // namespace migpkg::cli
