// Steps and their SQL members.
#include <nlohmann/json.hpp>

#include "compiler/json/readers.hpp"

namespace migpkg::json_front {

using json = nlohmann::json;

const std::vector<std::string> kMigrationTypeNames = {"schema",  "data", "index",     "function",
                                                      "trigger", "view", "extension", "permission"};

std::optional<ir::EngineSql> read_engine_sql(const json& value, const SourceLocation& where,
                                             Diagnostics& diagnostics, const std::string& what,
                                             bool allow_string) {
  ir::EngineSql sql;
  sql.location = where;
  if (allow_string && value.is_string()) {
    sql.universal = ir::LocatedText{value.get<std::string>(), where};
    return sql;
  }
  // The engines' names, then "universal"; the names live as long as the program.
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out = ir::engine_names();
    out.push_back("universal");
    return out;
  }();
  ObjectReader reader(value, where, diagnostics, what,
                      std::vector<std::string_view>(names.begin(), names.end()));
  if (!reader.ok()) return std::nullopt;
  for (ir::Engine engine : ir::kAllEngines)
    if (auto text = reader.string(ir::engine_name(engine)))
      sql.by_engine[engine] = {*text, reader.at(ir::engine_name(engine))};
  if (auto text = reader.string("universal"))
    sql.universal = ir::LocatedText{*text, reader.at("universal")};
  if (sql.by_engine.empty() && !sql.universal && value.is_object() && value.empty())
    diagnostics.error("empty-sql", where, "\"" + what + "\" names no engine and no universal SQL");
  return sql;
}

// A step's `load` member: {"file", "table", "onConflict"}.
static std::optional<ir::Load> read_load(const json& value, const SourceLocation& where,
                                         Diagnostics& diagnostics) {
  ObjectReader l(value, where, diagnostics, "load", {"file", "table", "onConflict"});
  if (!l.ok()) return std::nullopt;
  ir::Load load;
  load.location = where;
  load.file = {l.string("file", true).value_or(""), l.at("file")};
  load.table = l.string("table", true).value_or("");
  static const std::vector<std::string> conflicts = {"fail", "skip", "overwrite", "merge"};
  if (auto mode = l.enumeration("onConflict", conflicts))
    load.on_conflict = static_cast<ir::LoadConflict>(*mode);
  return load;
}

std::optional<ir::Step> read_step(const json& value, const SourceLocation& where,
                                  Diagnostics& diagnostics) {
  ObjectReader s(value, where, diagnostics, "step",
                 {"id", "type", "name", "description", "sql", "transform", "change", "load",
                  "transactional", "rollbackSupported", "skipOnError", "timeout", "dependencies",
                  "preValidation", "postValidation", "expectedChanges"});
  if (!s.ok()) return std::nullopt;
  ir::Step step;
  step.location = where;
  step.id = s.string("id", true).value_or("");
  if (auto type = s.enumeration("type", kMigrationTypeNames))
    step.type = static_cast<ir::MigrationType>(*type);
  step.name = s.string("name", true).value_or("");
  step.description = s.string("description").value_or("");
  int kinds =
      int(s.has("sql")) + int(s.has("transform")) + int(s.has("change")) + int(s.has("load"));
  if (kinds > 1)
    diagnostics.error("sql-and-transform", where,
                      "a step has one of \"sql\", \"transform\", \"change\" or \"load\", not "
                      "several");
  else if (kinds == 0)
    diagnostics.error("missing-field", where,
                      "a step needs \"sql\", \"transform\", \"change\" or \"load\"");
  if (const json* sql = s.object("sql"))
    step.sql = read_engine_sql(*sql, s.at("sql"), diagnostics, "sql", false);
  if (const json* transform = s.object("transform"))
    step.transform = read_transform(*transform, s.at("transform"), diagnostics);
  if (const json* change = s.value("change"))
    step.change = read_change(*change, s.at("change"), diagnostics);
  if (const json* load = s.object("load")) step.load = read_load(*load, s.at("load"), diagnostics);
  step.transactional = s.boolean("transactional").value_or(true);
  step.rollback_supported = s.boolean("rollbackSupported").value_or(true);
  step.skip_on_error = s.boolean("skipOnError").value_or(false);
  if (auto timeout = s.integer("timeout")) {
    if (*timeout <= 0)
      diagnostics.error("out-of-range", s.at("timeout"),
                        "\"timeout\" must be a positive number of seconds");
    else
      step.timeout_seconds = *timeout;
  }
  if (const json* deps = s.array("dependencies"))
    for (auto& [text, location] : read_string_array(*deps, s.at("dependencies"), diagnostics))
      step.dependencies.push_back({text, location});
  std::pair<const char*, Boxed<ir::EngineSql>*> checks[] = {
      {"preValidation", &step.pre_validation}, {"postValidation", &step.post_validation}};
  for (auto [key, field] : checks) {
    const json* check = s.value(key);
    if (!check) continue;
    if (!check->is_string() && !check->is_object()) {
      diagnostics.error("wrong-type", s.at(key),
                        std::string("\"") + key +
                            "\" must be a string or an object of per-engine SQL, found " +
                            json_type_phrase(*check));
      continue;
    }
    *field = read_engine_sql(*check, s.at(key), diagnostics, key, true);
  }
  if (const json* expected = s.object("expectedChanges")) {
    ObjectReader e(*expected, s.at("expectedChanges"), diagnostics, "expectedChanges",
                   {"rows", "tables", "indexes"});
    auto read = [&](const char* key, std::optional<std::int64_t>& out) {
      auto n = e.integer(key);
      if (n && *n < 0)
        diagnostics.error("out-of-range", e.at(key),
                          std::string("\"") + key + "\" must not be negative");
      else
        out = n;
    };
    read("rows", step.expected_changes.rows);
    read("tables", step.expected_changes.tables);
    read("indexes", step.expected_changes.indexes);
  }
  return step;
}

}  // namespace migpkg::json_front
