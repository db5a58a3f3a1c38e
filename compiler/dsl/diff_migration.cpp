#include "compiler/dsl/diff_migration.hpp"

#include <set>
#include <stdexcept>

#include "compiler/dsl/bare_steps.hpp"
#include "compiler/util/semver.hpp"

namespace migpkg::dsl {

namespace {

std::vector<ir::Step> steps_of(const std::vector<ir::SchemaChange>& changes) {
  std::vector<ir::Step> steps;
  std::set<std::string> ids;
  for (const ir::SchemaChange& change : changes) {
    ir::Step step;
    step.id = bare_step_id(change);
    step.name = bare_step_name(change);
    // Two changes of the same short id (two checks added to one table) get numbered ids.
    for (int n = 2; ids.count(step.id); ++n)
      step.id = bare_step_id(change) + "-" + std::to_string(n);
    ids.insert(step.id);
    step.change = change;
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace

ir::Migration diff_migration(const std::vector<ir::SchemaChange>& changes,
                             const DiffMigrationSpec& spec) {
  std::string why;
  std::optional<SemVer> version = SemVer::parse(spec.version, &why);
  if (!version)
    throw std::invalid_argument("version '" + spec.version + "' is no semantic version: " + why);
  ir::Migration m;
  m.id = spec.id;
  m.plugin_id = spec.plugin_id;
  m.version = *version;
  m.version_text = spec.version;
  m.name = spec.name;
  for (const std::string& dependency : spec.depends_on) {
    ir::LocatedText text;
    text.text = dependency;
    m.dependencies.push_back(text);
  }
  m.automatic_down = !spec.down;
  m.up = steps_of(changes);
  if (spec.down) m.down = steps_of(*spec.down);
  return m;
}

}  // namespace migpkg::dsl
