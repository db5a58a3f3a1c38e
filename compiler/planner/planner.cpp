#include "compiler/planner/planner.hpp"

#include <map>
#include <set>

#include "compiler/dialects/ddl_generator.hpp"
#include "compiler/ir/ir_json.hpp"
#include "compiler/schema/automatic_down.hpp"
#include "compiler/schema/replay.hpp"
#include "compiler/sql/statement_splitter.hpp"
#include "compiler/validate/dependency_graph.hpp"

namespace migpkg {
namespace {

void add_validation(const std::optional<ir::EngineSql>& sql, const ir::Step& step,
                    const char* origin, const Dialect& d, std::vector<plan::Check>& out) {
  if (!sql) return;
  const ir::LocatedText* text = sql->for_engine(d.engine());
  if (!text) return;
  out.push_back({strip_terminators(text->text),
                 std::string(origin) + " of step \"" + step.id + "\" failed", true, origin});
}

struct CompiledStep {
  CompiledChange change;
  // Up steps: the statements that undo just this step (the compiled inverse of its change),
  // which the runtime uses to undo a half-applied migration step by step.
  std::optional<std::vector<std::string>> reverse;
};
using CompiledSteps = std::map<const ir::Step*, CompiledStep>;

plan::Step plan_step(const ir::Step& step, const Dialect& d, const CompiledSteps& compiled) {
  plan::Step out;
  out.id = step.id;
  out.name = step.name;
  out.transactional = step.transactional;
  out.skip_on_error = step.skip_on_error;
  out.timeout_seconds = step.timeout_seconds;
  out.source = step.location;
  add_validation(step.pre_validation, step, "preValidation", d, out.pre_checks);
  if (step.transform) {
    CompiledTransform transform = compile_transform(*step.transform, d);
    out.kind = "transform";
    out.statements.push_back(transform.insert_sql);
    out.transform = transform.info;
    out.pre_checks.insert(out.pre_checks.end(), transform.pre_checks.begin(),
                          transform.pre_checks.end());
    out.post_checks = transform.post_checks;
  } else if (step.change) {
    out.kind = "sql";
    auto it = compiled.find(&step);
    if (it != compiled.end()) {
      out.statements = it->second.change.statements;
      out.reverse = it->second.reverse;
    }
  } else {
    out.kind = "sql";
    if (const ir::LocatedText* text = step.sql ? step.sql->for_engine(d.engine()) : nullptr)
      out.statements = d.split(text->text);
  }
  add_validation(step.post_validation, step, "postValidation", d, out.post_checks);
  return out;
}

std::vector<plan::Step> plan_steps(const std::vector<ir::Step>& steps, const Dialect& d,
                                   const CompiledSteps& compiled) {
  std::vector<plan::Step> out;
  for (std::size_t i : order_steps(steps, nullptr).order)
    out.push_back(plan_step(steps[i], d, compiled));
  return out;
}

// The inverse of an up step's change, compiled on the schema the change leaves; nullopt when
// it cannot be derived (a raw-SQL table) or the dialect cannot express it.
// `model` is tried on in a scratch scope and left as it was.
std::optional<std::vector<std::string>> reverse_statements(const ir::SchemaChange& change,
                                                           schema::SchemaModel& model,
                                                           const Dialect& d) {
  std::string why;
  auto inverse = schema::inverse_of(change, model, &why);
  if (!inverse) return std::nullopt;
  schema::ScratchScope scratch(model);
  Diagnostics ignored;
  if (!model.apply(change, "", ignored)) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& undo : inverse->changes) {
    CompiledChange c = compile_change(undo, model, d);
    if (!c.error.empty() || !model.apply(undo, "", ignored)) return std::nullopt;
    out.insert(out.end(), c.statements.begin(), c.statements.end());
  }
  return out;
}

// Every declarative change compiled with the schema before it (replayed in plan order).
// Migrations with a change the dialect cannot express are reported and left out of the plan.
CompiledSteps compile_changes(const ir::Program& program, const Dialect& d,
                              Diagnostics& diagnostics, std::set<const ir::Migration*>& failed) {
  CompiledSteps compiled;
  schema::replay_program(program, [&](const ir::Migration& m, const ir::Step& step, bool down,
                                      schema::SchemaModel& before) {
    if (!step.change) return;
    CompiledChange c = compile_change(*step.change, before, d);
    std::string where = schema::step_context(m, step);
    if (!c.error.empty()) {
      failed.insert(&m);
      diagnostics.error("unsupported-change", step.change->location,
                        where + ": " + d.name() + " cannot express this " +
                            ir::to_string(step.change->kind) + ": " + c.error);
    }
    for (const auto& text : c.notes)
      diagnostics.add({DiagnosticSeverity::Note, "skipped-on-dialect", where + ": " + text,
                       step.change->location, ""});
    CompiledStep& out = compiled[&step];
    if (c.error.empty() && !down) out.reverse = reverse_statements(*step.change, before, d);
    out.change = std::move(c);
  });
  return compiled;
}

}  // namespace

plan::Plan build_plan(const ir::Program& program, const Dialect& d, Diagnostics& diagnostics) {
  plan::Plan result;
  result.dialect = d.name();
  result.migpkg_version = MIGPKG_VERSION;
  std::set<const ir::Migration*> failed;
  CompiledSteps compiled = compile_changes(program, d, diagnostics, failed);
  DependencyGraph graph = build_dependency_graph(program, nullptr);
  for (const MigrationNode* node : order_migrations(graph)) {
    const ir::Migration& m = *node->migration;
    if (!m.supports(d.engine())) {
      diagnostics.error(
          "unsupported-engine", m.location,
          "migration \"" + m.id + "\" cannot run on " + d.name() +
              (m.database_engines.empty() ? ": some of its steps have no SQL for it"
                                          : ": it is not in the migration's databaseEngines"));
      continue;
    }
    if (failed.count(&m)) continue;
    plan::Migration pm;
    pm.plugin_id = m.plugin_id;
    pm.id = m.id;
    pm.version = m.version_text;
    pm.name = m.name;
    pm.checksum = migration_checksum(m);
    pm.risk_level = ir::to_string(m.risk_level);
    pm.requires_backup = m.requires_backup;
    for (const auto& dependency : m.dependencies) pm.dependencies.push_back(dependency.text);
    pm.source = m.location;
    pm.up = plan_steps(m.up, d, compiled);
    pm.down = plan_steps(m.down, d, compiled);
    bool every_up_reversed = !pm.up.empty();
    for (const auto& step : pm.up)
      every_up_reversed = every_up_reversed && step.reverse.has_value();
    bool up_allows_rollback = true;
    for (const auto& step : m.up)
      up_allows_rollback = up_allows_rollback && step.rollback_supported;
    pm.reversible = up_allows_rollback && (!pm.down.empty() || every_up_reversed);
    result.migrations.push_back(std::move(pm));
  }
  return result;
}

}  // namespace migpkg
