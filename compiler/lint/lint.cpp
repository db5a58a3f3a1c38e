#include "compiler/lint/lint.hpp"

#include <algorithm>
#include <optional>
#include <tuple>

#include "compiler/lint/lint_context.hpp"
#include "compiler/lint/raw_sql_scan.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/schema/replay.hpp"

namespace migpkg::lint {

void Sink::add(const char* code, const std::string& dialect, const ir::Migration& migration,
               const ir::Step& step, bool down, const SourceLocation& location,
               std::string message) {
  const Rule* rule = find_rule(code);
  if (!rule) return;
  auto given = levels_.find(rule->code);
  Level level = given == levels_.end() ? rule->level : given->second;
  if (level == Level::Off) return;
  Finding finding;
  finding.rule = rule;
  finding.level = level;
  finding.dialect = dialect;
  finding.plugin = migration.plugin_id;
  finding.migration = migration.id;
  finding.step = step.id;
  finding.down = down;
  finding.location = location;
  finding.message = std::move(message);
  findings_.push_back(std::move(finding));
}

const SourceLocation& change_location(const ir::Step& step) {
  if (step.change && !step.change->location.file.empty()) return step.change->location;
  return step.location;
}

std::string quoted(const std::string& name) {
  return "\"" + name + "\"";
}

std::string quoted(const std::string& table, const std::string& column) {
  return quoted(table) + "." + quoted(column);
}

namespace {

TableColumns snapshot(const schema::SchemaModel& schema, const std::set<std::string>& names) {
  TableColumns out;
  for (const auto& name : names)
    if (const schema::Table* table = schema.find_table(name))
      for (const auto& column : table->columns) out[name].insert(column.name);
  // A table without columns is still a table.
  for (const auto& name : names)
    if (schema.find_table(name)) out[name];
  return out;
}

// The tables a migration's up steps create: declaratively, or by raw SQL in any engine's text.
std::set<std::string> created_tables(const ir::Migration& m) {
  std::set<std::string> out;
  for (const auto& step : m.up) {
    if (step.change && step.change->kind == ir::SchemaChange::Kind::CreateTable)
      out.insert(step.change->table);
    if (!step.sql) continue;
    std::vector<const ir::LocatedText*> texts;
    for (const auto& [engine, text] : step.sql->by_engine) texts.push_back(&text);
    if (step.sql->universal) texts.push_back(&*step.sql->universal);
    for (const auto* text : texts)
      for (const auto& name : tables_created_by(text->text)) out.insert(name);
  }
  return out;
}

const ir::Migration* find_migration(const ir::Program& program, const std::string& plugin,
                                    const std::string& id) {
  const ir::Plugin* found = program.find_plugin(plugin);
  if (!found) return nullptr;
  for (const auto& m : found->migrations)
    if (m.id == id) return &m;
  return nullptr;
}

const ir::Step* find_step(const std::vector<ir::Step>& steps, const std::string& id) {
  for (const auto& step : steps)
    if (step.id == id) return &step;
  return nullptr;
}

std::string key_of(const ir::Migration& m) {
  return m.plugin_id + "/" + m.id;
}

}  // namespace

std::vector<Finding> lint_program(const ir::Program& program,
                                  const std::vector<const Dialect*>& dialects,
                                  const Levels& levels) {
  Sink sink(levels);
  const std::set<std::string> names = schema::mentioned_tables(program);
  std::map<std::string, MigrationScope> scopes;  // by "plugin/migration"
  std::map<std::string, std::size_t> order;      // plan position, by the same key
  struct PluginState {
    std::optional<SemVer> version;  // of the migrations seen last
    TableColumns released;          // after the versions before it
    bool has_previous = false;
  };
  std::map<std::string, PluginState> plugins;
  std::map<const ir::SchemaChange*, ir::ColumnType> previous_types;
  const ir::Migration* current = nullptr;
  schema::replay_program(
      program,
      [&](const ir::Migration& m, const ir::Step& step, bool down, schema::SchemaModel& before) {
        MigrationScope& scope = scopes[key_of(m)];
        if (&m != current) {  // its first step: the schema before the migration
          current = &m;
          order.emplace(key_of(m), order.size());
          scope.before = snapshot(before, names);
          PluginState& plugin = plugins[m.plugin_id];
          if (!plugin.version || *plugin.version < m.version) {
            if (plugin.version) {
              plugin.released = scope.before;
              plugin.has_previous = true;
            }
            plugin.version = m.version;
          }
          scope.released = plugin.released;
          scope.has_previous = plugin.has_previous;
          scope.created = created_tables(m);
        }
        if (!down && step.change && step.change->kind == ir::SchemaChange::Kind::AlterColumn &&
            step.change->set_type)
          if (const schema::Table* table = before.find_table(step.change->table))
            if (const ir::Column* column = table->find_column(step.change->column))
              previous_types.emplace(&*step.change, column->type);
        StepFacts facts{m, step, down, before, scope};
        check_data_loss(facts, sink);
        check_compatibility(facts, sink);
        for (const Dialect* dialect : dialects) {
          check_rewrites(facts, *dialect, sink);
          check_locks(facts, *dialect, sink);
        }
      },
      [&](const ir::Migration& m) { check_backup(m, scopes[key_of(m)], previous_types, sink); });

  if (!dialects.empty()) {
    std::vector<DialectPlan> plans = build_plans(program, dialects);
    for (std::size_t i = 0; i < plans.size(); ++i)
      for (const plan::Migration& planned : plans[i].plan.migrations) {
        const ir::Migration* m = find_migration(program, planned.plugin_id, planned.id);
        auto scope = scopes.find(planned.plugin_id + "/" + planned.id);
        if (!m || scope == scopes.end()) continue;
        for (bool down : {false, true})
          for (const plan::Step& step : down ? planned.down : planned.up)
            if (const ir::Step* source = find_step(down ? m->down : m->up, step.id))
              check_planned_step({*m, *source, down, step.statements, scope->second}, *dialects[i],
                                 sink);
      }
  }

  // Plan order: migration, up before down, the step's place, then code and dialect.
  auto step_index = [&](const Finding& f) -> std::size_t {
    const ir::Migration* m = find_migration(program, f.plugin, f.migration);
    if (!m) return 0;
    const auto& steps = f.down ? m->down : m->up;
    for (std::size_t i = 0; i < steps.size(); ++i)
      if (steps[i].id == f.step) return i;
    return steps.size();
  };
  std::vector<std::pair<std::tuple<std::size_t, bool, std::size_t>, Finding>> keyed;
  for (auto& f : sink.findings()) {
    auto position = order.find(f.plugin + "/" + f.migration);
    keyed.push_back(
        {{position == order.end() ? order.size() : position->second, f.down, step_index(f)},
         std::move(f)});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    int code = std::string(a.second.rule->code).compare(b.second.rule->code);
    if (code != 0) return code < 0;
    if (a.second.dialect != b.second.dialect) return a.second.dialect < b.second.dialect;
    return a.second.message < b.second.message;
  });
  std::vector<Finding> out;
  for (auto& [key, f] : keyed) {
    // A statement seen twice (a raw step whose SQL two dialects share) reports once per dialect.
    if (!out.empty() && out.back().rule == f.rule && out.back().dialect == f.dialect &&
        out.back().plugin == f.plugin && out.back().migration == f.migration &&
        out.back().step == f.step && out.back().down == f.down && out.back().message == f.message)
      continue;
    out.push_back(std::move(f));
  }
  return out;
}

Diagnostic to_diagnostic(const Finding& finding) {
  Diagnostic d;
  d.severity =
      finding.level == Level::Error ? DiagnosticSeverity::Error : DiagnosticSeverity::Warning;
  d.code = finding.rule->code;
  d.message = std::string(finding.rule->code) + " " + finding.rule->name +
              (finding.dialect.empty() ? "" : " [" + finding.dialect + "]") + ": " +
              finding.message;
  d.location = finding.location;
  d.hint = finding.rule->hint;
  return d;
}

}  // namespace migpkg::lint
