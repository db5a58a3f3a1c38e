// diff: the declarative changes that turn FROM's schema into TO's, as a DSL migration
// (docs/diff.md).
#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/diff_sides.hpp"
#include "cli/output.hpp"
#include "compiler/dsl/diff_migration.hpp"
#include "compiler/dsl/dsl_printer.hpp"
#include "compiler/schema/schema_diff.hpp"
#include "compiler/util/semver.hpp"

namespace migpkg::cli {
namespace {

// The version after the plugin's: its minor one higher ("1.2.3" -> "1.3.0").
std::string next_version(const std::string& version) {
  std::optional<SemVer> parsed = SemVer::parse(version);
  if (!parsed) return "1.0.0";
  return std::to_string(parsed->major) + "." + std::to_string(parsed->minor + 1) + ".0";
}

dsl::DiffMigrationSpec migration_spec(const Arguments& args, const DiffSide& from,
                                      const DiffSide& to) {
  dsl::DiffMigrationSpec spec;
  spec.plugin_id = args.value("--plugin")
                       .value_or(!from.plugin_id.empty()
                                     ? from.plugin_id
                                     : (!to.plugin_id.empty() ? to.plugin_id : "local.diff"));
  spec.version =
      args.value("--version")
          .value_or(from.kind != "empty" && !from.version.empty() ? next_version(from.version)
                                                                  : "1.0.0");
  if (!SemVer::parse(spec.version))
    throw UsageError("--version takes a semantic version (e.g. 1.2.0), not '" + spec.version + "'");
  std::string id = spec.version;
  std::replace(id.begin(), id.end(), '.', '-');
  spec.id = args.value("--id").value_or("diff-" + id);
  spec.name = "Changes from " + from.label + " to " + to.label;
  // The plugin the migration goes on from: it alters its tables, so it runs after them.
  if (!from.last_migration.empty() && from.plugin_id == spec.plugin_id)
    spec.depends_on.push_back(from.last_migration);
  // A database's tables are not known to the compiler from sources: the downs are written out.
  if (from.kind == "database") spec.down = schema::diff_schemas(to.model, from.model);
  return spec;
}

}  // namespace

int run_diff(const Arguments& args) {
  const std::vector<std::string>& positionals = args.positionals();
  if (positionals.size() != 2)
    throw UsageError(
        "diff takes FROM and TO: each a database URL, plugin sources or a package, "
        "or 'empty'");
  const bool json = args.flag("--json");
  const std::optional<std::string> plugin = args.value("--plugin");
  DiffSide from, to;
  try {
    from = read_diff_side(positionals[0], plugin, args.value("--trust"));
    to = read_diff_side(positionals[1], plugin, args.value("--trust"));
  } catch (const DiffInputError& e) {
    std::cerr << "migpkg diff: " << e.what() << "\n";
    return kFailed;
  }
  const dsl::DiffMigrationSpec spec = migration_spec(args, from, to);
  const std::vector<ir::SchemaChange> changes = schema::diff_schemas(from.model, to.model);
  std::vector<std::string> notes = from.notes;
  notes.insert(notes.end(), to.notes.begin(), to.notes.end());
  std::string text;
  if (!changes.empty()) text = dsl::print_dsl({dsl::diff_migration(changes, spec)});
  const std::optional<std::string> output = args.value("--output");
  if (output && !changes.empty()) write_output(*output, text);
  if (json) {
    nlohmann::ordered_json out;
    out["from"] = {{"source", from.label}, {"kind", from.kind}};
    out["to"] = {{"source", to.label}, {"kind", to.kind}};
    out["changes"] = nlohmann::ordered_json::array();
    for (const ir::SchemaChange& change : changes)
      out["changes"].push_back({{"kind", ir::to_string(change.kind)},
                                {"table", change.table},
                                {"summary", schema::describe_change(change)},
                                {"destroysData", schema::destroys_data(change)}});
    out["notes"] = notes;
    out["migration"] = changes.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(text);
    if (output && !changes.empty()) out["output"] = *output;
    std::cout << out.dump(2) << "\n";
    return kOk;
  }
  for (const std::string& note : notes) std::cerr << "note: " << note << "\n";
  if (changes.empty()) {
    std::cerr << "no differences: " << from.label << " and " << to.label
              << " have the same schema\n";
    return kOk;
  }
  if (!output) std::cout << text;
  for (const ir::SchemaChange& change : changes)
    if (schema::destroys_data(change))
      std::cerr << "warning: " << schema::describe_change(change) << " loses the data it holds\n";
  return kOk;
}

}  // namespace migpkg::cli
