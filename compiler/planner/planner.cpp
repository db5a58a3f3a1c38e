#include "compiler/planner/planner.hpp"

#include <map>

#include "compiler/ir/ir_json.hpp"
#include "compiler/util/topo_sort.hpp"
#include "compiler/validate/dependency_graph.hpp"

namespace migpkg {
namespace {

std::string single_query(std::string sql) {
  while (!sql.empty() && (sql.back() == ';' || std::isspace(static_cast<unsigned char>(sql.back()))))
    sql.pop_back();
  return sql;
}

void add_validation(const std::optional<ir::EngineSql>& sql, const ir::Step& step,
                    const char* origin, const Dialect& d, std::vector<plan::Check>& out) {
  if (!sql) return;
  const ir::LocatedText* text = sql->for_engine(d.engine());
  if (!text) return;
  out.push_back({single_query(text->text),
                 std::string(origin) + " of step \"" + step.id + "\" failed", true, origin});
}

plan::Step plan_step(const ir::Step& step, const Dialect& d) {
  plan::Step out;
  out.id = step.id;
  out.name = step.name;
  out.transactional = step.transactional;
  out.skip_on_error = step.skip_on_error;
  out.timeout_seconds = step.timeout_seconds;
  out.source = step.location;
  add_validation(step.pre_validation, step, "preValidation", d, out.pre_checks);
  if (step.transform) {
    CompiledTransform compiled = compile_transform(*step.transform, d);
    out.kind = "transform";
    out.statements.push_back(compiled.insert_sql);
    out.transform = compiled.info;
    out.pre_checks.insert(out.pre_checks.end(), compiled.pre_checks.begin(), compiled.pre_checks.end());
    out.post_checks = compiled.post_checks;
  } else {
    out.kind = "sql";
    if (const ir::LocatedText* text = step.sql ? step.sql->for_engine(d.engine()) : nullptr)
      out.statements = d.split(text->text);
  }
  add_validation(step.post_validation, step, "postValidation", d, out.post_checks);
  return out;
}

// Listed order, except where a step's dependencies force a later-listed step earlier.
std::vector<plan::Step> plan_steps(const std::vector<ir::Step>& steps, const Dialect& d) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < steps.size(); ++i) index.emplace(steps[i].id, i);
  std::vector<std::vector<std::size_t>> prerequisites(steps.size());
  for (std::size_t i = 0; i < steps.size(); ++i)
    for (const auto& dependency : steps[i].dependencies) {
      auto it = index.find(dependency.text);
      if (it != index.end() && it->second != i) prerequisites[i].push_back(it->second);
    }
  TopoResult order = topo_sort(prerequisites, [](std::size_t a, std::size_t b) { return a < b; });
  std::vector<plan::Step> out;
  for (std::size_t i : order.order) out.push_back(plan_step(steps[i], d));
  return out;
}

}  // namespace

plan::Plan build_plan(const ir::Program& program, const Dialect& d, Diagnostics& diagnostics) {
  plan::Plan result;
  result.dialect = d.name();
  result.migpkg_version = MIGPKG_VERSION;
  DependencyGraph graph = build_dependency_graph(program, nullptr);
  for (const MigrationNode* node : order_migrations(graph)) {
    const ir::Migration& m = *node->migration;
    if (!m.supports(d.engine())) {
      diagnostics.error("unsupported-engine", m.location,
                        "migration \"" + m.id + "\" cannot run on " + d.name() +
                            (m.database_engines.empty()
                                 ? ": some of its steps have no SQL for it"
                                 : ": it is not in the migration's databaseEngines"));
      continue;
    }
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
    pm.up = plan_steps(m.up, d);
    pm.down = plan_steps(m.down, d);
    bool every_up_reversed = !pm.up.empty();
    for (const auto& step : pm.up) every_up_reversed = every_up_reversed && step.reverse.has_value();
    bool up_allows_rollback = true;
    for (const auto& step : m.up) up_allows_rollback = up_allows_rollback && step.rollback_supported;
    pm.reversible = up_allows_rollback && (!pm.down.empty() || every_up_reversed);
    result.migrations.push_back(std::move(pm));
  }
  return result;
}

}  // namespace migpkg
