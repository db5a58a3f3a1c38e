#include "compiler/json/json_loader.hpp"

#include <regex>

#include "compiler/json/readers.hpp"
#include "compiler/util/word_list.hpp"

namespace migpkg {

using json = nlohmann::json;
using namespace json_front;

namespace {

const std::vector<std::string> kCategoryNames = {"install",     "upgrade",     "patch",
                                                 "feature",     "performance", "security",
                                                 "maintenance", "migration"};
const std::vector<std::string> kRiskNames = {"low", "medium", "high", "critical"};

bool is_rfc3339(const std::string& text) {
  static const std::regex pattern(
      R"(^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$)");
  return std::regex_match(text, pattern);
}

void read_steps(const json& list, const SourceLocation& where, Diagnostics& diagnostics,
                std::vector<ir::Step>& out) {
  out.reserve(out.size() + list.size());  // a Step is large: no copies on growth
  for (std::size_t i = 0; i < list.size(); ++i)
    if (auto step = read_step(list[i], where.child(i), diagnostics))
      out.push_back(std::move(*step));
}

std::vector<ir::LocatedText> read_texts(ObjectReader& reader, const std::string& key,
                                        Diagnostics& diagnostics) {
  std::vector<ir::LocatedText> out;
  if (const json* list = reader.array(key))
    for (auto& [text, location] : read_string_array(*list, reader.at(key), diagnostics))
      out.push_back({text, location});
  return out;
}

void read_migration_body(ObjectReader& m, ir::Migration& migration, Diagnostics& diagnostics) {
  migration.id = m.string("id", true).value_or("");
  migration.plugin_id = m.string("pluginId", true).value_or("");
  if (auto version = m.string("version", true)) {
    migration.version_text = *version;
    std::string why;
    if (auto parsed = SemVer::parse(*version, &why))
      migration.version = *parsed;
    else
      diagnostics.error("invalid-version", m.at("version"), why);
  }
  migration.name = m.string("name", true).value_or("");
  migration.description = m.string("description").value_or("");
  if (auto type = m.enumeration("type", kMigrationTypeNames, true))
    migration.type = static_cast<ir::MigrationType>(*type);
  if (auto category = m.enumeration("category", kCategoryNames))
    migration.category = static_cast<ir::Category>(*category);
  if (auto risk = m.enumeration("riskLevel", kRiskNames))
    migration.risk_level = static_cast<ir::RiskLevel>(*risk);
  migration.requires_backup = m.boolean("requiresBackup").value_or(false);
  migration.waive_backup = m.boolean("waiveBackup").value_or(false);
  if (const json* engines = m.array("databaseEngines")) {
    if (engines->empty())
      diagnostics.error("invalid-value", m.at("databaseEngines"),
                        "\"databaseEngines\" is empty; leave it out to mean every engine the "
                        "steps have SQL for");
    std::vector<std::string> names = ir::engine_names();
    for (auto& [name, location] :
         read_string_array(*engines, m.at("databaseEngines"), diagnostics)) {
      auto engine = ir::engine_from_name(name);
      if (!engine) {
        std::string suggestion = closest_match(name, names);
        diagnostics.error("unknown-engine", location,
                          "unknown database engine \"" + name + "\"; expected " + or_list(names),
                          suggestion.empty() ? "" : "did you mean \"" + suggestion + "\"?");
      } else if (std::find(migration.database_engines.begin(), migration.database_engines.end(),
                           *engine) != migration.database_engines.end()) {
        diagnostics.error("duplicate-engine", location, "engine \"" + name + "\" is listed twice");
      } else {
        migration.database_engines.push_back(*engine);
      }
    }
  }
  migration.dependencies = read_texts(m, "dependencies", diagnostics);
  migration.conflicts = read_texts(m, "conflicts", diagnostics);
  if (auto duration = m.integer("estimatedDuration")) {
    if (*duration < 0)
      diagnostics.error("out-of-range", m.at("estimatedDuration"),
                        "\"estimatedDuration\" must be zero or more seconds");
    else
      migration.estimated_duration_seconds = *duration;
  }
  std::pair<const char*, std::string*> stamps[] = {{"createdAt", &migration.created_at},
                                                   {"updatedAt", &migration.updated_at}};
  for (auto [key, field] : stamps) {
    auto stamp = m.string(key);
    if (stamp && !is_rfc3339(*stamp))
      diagnostics.error("invalid-value", m.at(key),
                        "\"" + std::string(key) + "\" is \"" + *stamp +
                            "\"; expected an ISO-8601 date-time like 2024-05-01T12:00:00Z");
    *field = stamp.value_or("");
  }
  if (const json* steps = m.object("steps", true)) {
    ObjectReader s(*steps, m.at("steps"), diagnostics, "steps", {"up", "down"});
    if (const json* up = s.array("up", true)) {
      if (up->empty())
        diagnostics.error("empty-up", s.at("up"), "a migration needs at least one up step");
      read_steps(*up, s.at("up"), diagnostics, migration.up);
    }
    // "down": "automatic" asks the compiler to derive the down steps from the up steps'
    // declarative changes (compiler/schema/automatic_down).
    const json* down = s.value("down");
    if (down && down->is_string()) {
      if (down->get<std::string>() == "automatic")
        migration.automatic_down = true;
      else
        diagnostics.error("invalid-value", s.at("down"),
                          "\"down\" is an array of steps or \"automatic\", found \"" +
                              down->get<std::string>() + "\"");
    } else if (down && down->is_array()) {
      read_steps(*down, s.at("down"), diagnostics, migration.down);
    } else if (down) {
      diagnostics.error("wrong-type", s.at("down"),
                        std::string("\"down\" must be an array of steps or \"automatic\", found ") +
                            json_type_phrase(*down));
    }
  }
}

}  // namespace

std::optional<ir::Migration> load_portable_migration(const json& document, const std::string& file,
                                                     Diagnostics& diagnostics) {
  SourceLocation root{file, "", 0, 0};
  ObjectReader top(document, root, diagnostics, "document", {"$schema", "format", "migration"});
  if (!top.ok()) return std::nullopt;
  auto format = top.string("format", true);
  if (format && *format != kPortableFormat)
    diagnostics.error(
        "unknown-format", top.at("format"),
        "unsupported format \"" + *format + "\"; expected \"" + kPortableFormat + "\"");
  top.string("$schema");
  ir::Migration migration;
  migration.location = top.at("migration");
  const json* body = top.object("migration", true);
  if (!body) return std::nullopt;
  ObjectReader m(*body, top.at("migration"), diagnostics, "migration",
                 {"id", "pluginId", "version", "name", "description", "type", "category",
                  "riskLevel", "requiresBackup", "waiveBackup", "databaseEngines", "dependencies",
                  "conflicts", "estimatedDuration", "createdAt", "updatedAt", "steps"});
  read_migration_body(m, migration, diagnostics);
  // Returned even after shape errors, so the validator can report the meaning errors of the
  // same file in the same run; it tolerates the empty members a shape error leaves behind.
  return migration;
}

}  // namespace migpkg
