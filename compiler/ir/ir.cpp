#include "compiler/ir/ir.hpp"

#include <algorithm>
#include <iterator>

namespace migpkg::ir {

namespace {

constexpr bool engines_in_enum_order() {
  for (std::size_t i = 0; i < kEngineCount; ++i)
    if (kAllEngines[i] != static_cast<Engine>(i)) return false;
  return true;
}
static_assert(engines_in_enum_order(), "kAllEngines[i] is Engine(i)");

}  // namespace

const char* engine_name(Engine engine) {
  static constexpr const char* names[] = {"postgresql", "mysql", "sqlite", "sqlserver", "oracle"};
  static_assert(std::size(names) == kEngineCount, "one name per engine");
  return names[static_cast<std::size_t>(engine)];
}

std::vector<std::string> engine_names() {
  std::vector<std::string> names;
  for (Engine engine : kAllEngines) names.push_back(engine_name(engine));
  return names;
}

std::optional<Engine> engine_from_name(const std::string& name) {
  for (Engine engine : kAllEngines)
    if (name == engine_name(engine)) return engine;
  return std::nullopt;
}

const char* to_string(MigrationType value) {
  static const char* names[] = {"schema",  "data", "index",     "function",
                                "trigger", "view", "extension", "permission"};
  static_assert(std::size(names) == static_cast<std::size_t>(MigrationType::Permission) + 1);
  return names[static_cast<int>(value)];
}

const char* to_string(Category value) {
  static const char* names[] = {"install",     "upgrade",  "patch",       "feature",
                                "performance", "security", "maintenance", "migration"};
  static_assert(std::size(names) == static_cast<std::size_t>(Category::Migration) + 1);
  return names[static_cast<int>(value)];
}

const char* to_string(RiskLevel value) {
  static const char* names[] = {"low", "medium", "high", "critical"};
  static_assert(std::size(names) == static_cast<std::size_t>(RiskLevel::Critical) + 1);
  return names[static_cast<int>(value)];
}

const char* to_string(Severity value) {
  return value == Severity::Error ? "error" : "warning";
}

const char* to_string(ValueTransformKind value) {
  static const char* names[] = {"function", "expression", "lookup", "custom"};
  static_assert(std::size(names) == static_cast<std::size_t>(ValueTransformKind::Custom) + 1);
  return names[static_cast<int>(value)];
}

const char* to_string(LoadConflict value) {
  static const char* names[] = {"fail", "skip", "overwrite", "merge"};
  static_assert(std::size(names) == static_cast<std::size_t>(LoadConflict::Merge) + 1);
  return names[static_cast<int>(value)];
}

std::optional<LoadConflict> load_conflict_from_name(const std::string& name) {
  for (LoadConflict c :
       {LoadConflict::Fail, LoadConflict::Skip, LoadConflict::Overwrite, LoadConflict::Merge})
    if (name == to_string(c)) return c;
  return std::nullopt;
}

const LocatedText* EngineSql::for_engine(Engine engine) const {
  auto it = by_engine.find(engine);
  if (it != by_engine.end()) return &it->second;
  return universal ? &*universal : nullptr;
}

static bool step_supports(const Step& step, Engine engine) {
  // Every dialect compiles every declarative change or reports precisely why it cannot, so a
  // change does not narrow the engines here; the planner says why when one cannot.
  if (step.change) return true;
  if (step.load) return true;  // engine-neutral: every engine loads through its Engine
  if (step.transform) {
    for (const auto& mapping : step.transform->mappings)
      if (mapping.transform && mapping.transform->kind == ValueTransformKind::Custom &&
          !mapping.transform->custom.for_engine(engine))
        return false;
    return true;
  }
  return step.sql && step.sql->for_engine(engine);
}

bool Migration::supports(Engine engine) const {
  if (!database_engines.empty() &&
      std::find(database_engines.begin(), database_engines.end(), engine) == database_engines.end())
    return false;
  auto ok = [engine](const Step& step) { return step_supports(step, engine); };
  return std::all_of(up.begin(), up.end(), ok) && std::all_of(down.begin(), down.end(), ok);
}

const SemVer* Plugin::version() const {
  const SemVer* best = nullptr;
  for (const auto& migration : migrations)
    if (!best || *best < migration.version) best = &migration.version;
  return best;
}

Plugin* Program::find_plugin(const std::string& id) {
  for (auto& plugin : plugins)
    if (plugin.id == id) return &plugin;
  return nullptr;
}

const Plugin* Program::find_plugin(const std::string& id) const {
  for (const auto& plugin : plugins)
    if (plugin.id == id) return &plugin;
  return nullptr;
}

}  // namespace migpkg::ir
