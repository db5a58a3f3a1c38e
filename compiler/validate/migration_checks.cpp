// Checks of one migration on its own: steps, their SQL, transforms and flags.
#include <map>
#include <set>

#include "compiler/ir/identifiers.hpp"
#include "compiler/sql/statement_splitter.hpp"
#include "compiler/transform/function_catalog.hpp"
#include "compiler/validate/dependency_graph.hpp"
#include "compiler/validate/validator.hpp"

namespace migpkg {
namespace {

void check_sql_texts(const ir::EngineSql& sql, const std::string& what, Diagnostics& diagnostics) {
  auto check = [&](const ir::LocatedText& text) {
    if (is_blank_sql(text.text))
      diagnostics.error("empty-sql", text.location, what + " is empty: it holds no statement");
  };
  for (const auto& [engine, text] : sql.by_engine) check(text);
  if (sql.universal) check(*sql.universal);
}

void check_step_dependencies(const std::vector<ir::Step>& steps, Diagnostics& diagnostics) {
  TopoResult result = order_steps(steps, &diagnostics);
  if (result.cycle.empty()) return;
  std::string path;
  for (std::size_t i : result.cycle) path += steps[i].id + " -> ";
  path += steps[result.cycle.front()].id;
  diagnostics.error("dependency-cycle", steps[result.cycle.front()].location.child("dependencies"),
                    "step dependencies form a cycle: " + path);
}

void check_engines(const ir::Migration& migration, Diagnostics& diagnostics) {
  for (ir::Engine engine : migration.database_engines) {
    auto check = [&](const ir::Step& step) {
      if (step.sql && !step.sql->for_engine(engine))
        diagnostics.error(
            "missing-engine-sql", step.location.child("sql"),
            "step \"" + step.id + "\" has no SQL for " + ir::engine_name(engine) +
                ", which the migration lists in databaseEngines, and no universal SQL");
      for (const auto* check_sql : {&step.pre_validation, &step.post_validation})
        if (*check_sql && !(*check_sql)->for_engine(engine))
          diagnostics.error("missing-engine-sql", (*check_sql)->location,
                            "step \"" + step.id + "\" has no validation SQL for " +
                                ir::engine_name(engine) + " and no universal one");
      if (step.transform)
        for (const auto& mapping : step.transform->mappings)
          if (mapping.transform && mapping.transform->kind == ir::ValueTransformKind::Custom &&
              !mapping.transform->custom.for_engine(engine))
            diagnostics.error("missing-engine-sql", mapping.transform->location.child("definition"),
                              std::string("custom transform has no expression for ") +
                                  ir::engine_name(engine) + " and no universal one");
    };
    for (const auto& step : migration.up) check(step);
    for (const auto& step : migration.down) check(step);
  }
}

void check_transform(const ir::Transform& transform, Diagnostics& diagnostics) {
  if (transform.batch_size && *transform.batch_size <= 0)
    diagnostics.error("out-of-range", transform.location.child("batchSize"),
                      "\"batchSize\" must be a positive number of rows, found " +
                          std::to_string(*transform.batch_size));
  std::map<std::string, const ir::FieldMapping*> targets;
  for (const auto& mapping : transform.mappings) {
    if (!mapping.target.empty()) {
      auto [it, inserted] = targets.emplace(mapping.target, &mapping);
      if (!inserted)
        diagnostics.error("duplicate-target", mapping.location.child("target"),
                          "two mappings write target column \"" + mapping.target + "\"",
                          "the first is at " + it->second->location.pointer);
    }
    const auto& t = mapping.transform;
    bool computes = t && (t->kind == ir::ValueTransformKind::Expression ||
                          t->kind == ir::ValueTransformKind::Custom);
    if (mapping.source.empty() && !computes)
      diagnostics.error("missing-field", mapping.location,
                        "a mapping without an expression or custom transform needs \"source\"");
    if (!t) continue;
    if (t->kind != ir::ValueTransformKind::Function && !t->parameters.empty())
      diagnostics.error("invalid-parameters", t->location.child("parameters"),
                        std::string("\"parameters\" apply to function transforms only, not ") +
                            ir::to_string(t->kind));
    if (t->kind == ir::ValueTransformKind::Function) {
      const FunctionSignature* function = find_function(t->function);
      if (!function) {
        std::string suggestion = closest_match(t->function, builtin_function_names());
        diagnostics.error("unknown-function", t->location.child("definition"),
                          "unknown transform function \"" + t->function + "\"",
                          suggestion.empty()
                              ? "see docs/format-transforms.md for the built-in functions"
                              : "did you mean \"" + suggestion + "\"?");
      } else if (auto problem = check_parameters(*function, t->parameters); !problem.empty()) {
        diagnostics.error("invalid-parameters", t->location.child("parameters"), problem);
      }
    } else if (t->kind == ir::ValueTransformKind::Expression && is_blank_sql(t->expression)) {
      diagnostics.error("empty-sql", t->location.child("definition"), "the expression is empty");
    } else if (t->kind == ir::ValueTransformKind::Custom) {
      check_sql_texts(t->custom, "the custom expression", diagnostics);
    }
  }
  for (const auto& rule : transform.validation)
    if (is_blank_sql(rule.rule))
      diagnostics.error("empty-sql", rule.location.child("rule"), "the validation rule is empty");
}

// The file's path was checked when it was read (compiler/load/data_file.hpp); the table here.
void check_load(const ir::Load& load, Diagnostics& diagnostics) {
  SourceLocation at = load.location.is_dsl() ? load.location : load.location.child("table");
  bool control = false;
  for (unsigned char c : load.table) control = control || c < 0x20 || c == 0x7f;
  if (load.table.empty())
    diagnostics.error("empty-name", at, "the table a load step writes to must be named");
  else if (control || load.table.size() > 128)
    diagnostics.error("invalid-name", at,
                      "the table name of a load step must be at most 128 characters without "
                      "control characters");
}

void check_steps(const std::vector<ir::Step>& steps, Diagnostics& diagnostics) {
  for (const auto& step : steps) {
    if (step.name.empty() && !step.id.empty())
      diagnostics.error("missing-field", step.location.child("name"),
                        "step \"" + step.id + "\" has an empty name");
    if (!step.id.empty() && !is_valid_id(step.id))
      diagnostics.error("invalid-id", step.location.child("id"),
                        "step id \"" + step.id +
                            "\" must start with a letter or digit and hold only letters, digits, "
                            "'.', '_' or '-' (at most 128)");
    if (step.sql) check_sql_texts(*step.sql, "the SQL", diagnostics);
    if (step.pre_validation) check_sql_texts(*step.pre_validation, "preValidation", diagnostics);
    if (step.post_validation) check_sql_texts(*step.post_validation, "postValidation", diagnostics);
    if (step.transform) check_transform(*step.transform, diagnostics);
    if (step.load && !step.load->unload) check_load(*step.load, diagnostics);
  }
  check_step_dependencies(steps, diagnostics);
}

}  // namespace

void validate_migration(const ir::Migration& migration, Diagnostics& diagnostics) {
  // Step ids are unique across both directions, so history and messages can name a step alone.
  std::map<std::string, const ir::Step*> ids;
  for (const auto* steps : {&migration.up, &migration.down})
    for (const auto& step : *steps) {
      if (step.id.empty()) continue;
      auto [it, inserted] = ids.emplace(step.id, &step);
      if (!inserted)
        diagnostics.error(
            "duplicate-id", step.location.child("id"),
            "two steps of migration \"" + migration.id + "\" have id \"" + step.id + "\"",
            "the first is at " + it->second->location.pointer);
    }
  check_steps(migration.up, diagnostics);
  check_steps(migration.down, diagnostics);
  check_engines(migration, diagnostics);
  if (migration.name.empty() && !migration.id.empty())
    diagnostics.error("missing-field", migration.location.child("name"),
                      "the migration's name is empty");

  bool runs_somewhere = false;
  for (ir::Engine engine : ir::kAllEngines)
    runs_somewhere = runs_somewhere || migration.supports(engine);
  if (!runs_somewhere && !migration.up.empty())
    diagnostics.error("no-engine", migration.location.child("steps"),
                      "migration \"" + migration.id +
                          "\" runs on no engine: no engine has SQL in every one of its steps",
                      "give each step \"universal\" SQL or SQL for the same engines");

  // Hints speak the language of the source: a DSL file has no JSON members to set.
  const bool from_dsl = migration.location.is_dsl();
  bool needs_down = false;
  for (const auto& step : migration.up) needs_down = needs_down || step.rollback_supported;
  if (needs_down && migration.down.empty() && !migration.up.empty() && !migration.automatic_down)
    diagnostics.error("missing-down", migration.location.child("steps"),
                      "migration \"" + migration.id +
                          (from_dsl ? "\" has reversible up steps but no down block"
                                    : "\" has up steps with rollbackSupported (the default) but "
                                      "no down steps"),
                      from_dsl ? "add a down { ... } block that undoes the up steps, or mark "
                                 "steps that cannot be undone `irreversible`"
                               : "add \"down\" steps that undo the up steps, or set "
                                 "\"rollbackSupported\": false on steps that cannot be undone");

  bool risky = migration.risk_level == ir::RiskLevel::High ||
               migration.risk_level == ir::RiskLevel::Critical;
  if (migration.waive_backup && (migration.requires_backup || risky))
    diagnostics.error(
        "backup-waived-and-required", migration.location.child("waiveBackup"),
        "waiveBackup is set, but " +
            std::string(migration.requires_backup
                            ? "requiresBackup is true"
                            : std::string("riskLevel is ") + ir::to_string(migration.risk_level)) +
            ", which always takes a backup",
        "remove one of them");
  if (risky && !migration.requires_backup)
    diagnostics.warning(
        "risk-without-backup", migration.location.child("riskLevel"),
        std::string(from_dsl ? "risk is " : "riskLevel is ") + ir::to_string(migration.risk_level) +
            (from_dsl ? " but `requires backup` is not set" : " but requiresBackup is not set"),
        from_dsl ? "add `requires backup` so that installers back up first"
                 : "set \"requiresBackup\": true so that installers back up first");
}

}  // namespace migpkg
