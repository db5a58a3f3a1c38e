#include "compiler/ir/ir_json.hpp"

#include <sodium.h>

#include "compiler/ir/schema_change_json.hpp"

namespace migpkg {
namespace {

using ojson = nlohmann::ordered_json;

ojson engine_sql_json(const ir::EngineSql& sql) {
  ojson out = ojson::object();
  for (ir::Engine engine : ir::kAllEngines) {
    auto it = sql.by_engine.find(engine);
    if (it != sql.by_engine.end()) out[ir::engine_name(engine)] = it->second.text;
  }
  if (sql.universal) out["universal"] = sql.universal->text;
  return out;
}

ojson texts_json(const std::vector<ir::LocatedText>& texts) {
  ojson out = ojson::array();
  for (const auto& text : texts) out.push_back(text.text);
  return out;
}

ojson value_transform_json(const ir::ValueTransform& t) {
  ojson out;
  out["type"] = ir::to_string(t.kind);
  switch (t.kind) {
    case ir::ValueTransformKind::Function:
      out["definition"] = t.function;
      break;
    case ir::ValueTransformKind::Expression:
      out["definition"] = t.expression;
      break;
    case ir::ValueTransformKind::Custom:
      out["definition"] = engine_sql_json(t.custom);
      break;
    case ir::ValueTransformKind::Lookup:
      if (t.lookup.is_table_reference()) {
        out["definition"] =
            t.lookup.table + "(" + t.lookup.key_column + ", " + t.lookup.value_column + ")";
      } else {
        ojson entries = ojson::object();
        for (const auto& [key, value] : t.lookup.entries) entries[key.text] = literal_json(value);
        out["definition"] = entries;
      }
      break;
  }
  if (!t.parameters.empty()) {
    ojson parameters = ojson::array();
    for (const auto& p : t.parameters) parameters.push_back(literal_json(p));
    out["parameters"] = parameters;
  }
  return out;
}

ojson transform_json(const ir::Transform& t) {
  ojson out;
  out["source"] = t.source;
  out["target"] = t.target;
  ojson mappings = ojson::array();
  for (const auto& m : t.mappings) {
    ojson mapping;
    if (!m.source.empty()) mapping["source"] = m.source;
    mapping["target"] = m.target;
    if (m.transform) mapping["transform"] = value_transform_json(*m.transform);
    if (m.default_value) mapping["defaultValue"] = literal_json(*m.default_value);
    mapping["required"] = m.required;
    mappings.push_back(mapping);
  }
  out["mapping"] = mappings;
  if (!t.filter.empty()) out["filter"] = t.filter;
  if (t.batch_size) out["batchSize"] = *t.batch_size;
  if (!t.validation.empty()) {
    ojson rules = ojson::array();
    for (const auto& r : t.validation)
      rules.push_back({{"field", r.field},
                       {"rule", r.rule},
                       {"message", r.message},
                       {"severity", ir::to_string(r.severity)}});
    out["validation"] = rules;
  }
  return out;
}

ojson step_json(const ir::Step& s, bool descriptive) {
  ojson out;
  out["id"] = s.id;
  if (s.type) out["type"] = ir::to_string(*s.type);
  if (descriptive) {
    out["name"] = s.name;
    if (!s.description.empty()) out["description"] = s.description;
  }
  if (s.sql) out["sql"] = engine_sql_json(*s.sql);
  if (s.transform) out["transform"] = transform_json(*s.transform);
  if (s.change) out["change"] = schema_change_json(*s.change);
  out["transactional"] = s.transactional;
  out["rollbackSupported"] = s.rollback_supported;
  out["skipOnError"] = s.skip_on_error;
  if (s.timeout_seconds) out["timeout"] = *s.timeout_seconds;
  if (!s.dependencies.empty()) out["dependencies"] = texts_json(s.dependencies);
  if (s.pre_validation) out["preValidation"] = engine_sql_json(*s.pre_validation);
  if (s.post_validation) out["postValidation"] = engine_sql_json(*s.post_validation);
  if (descriptive &&
      (s.expected_changes.rows || s.expected_changes.tables || s.expected_changes.indexes)) {
    ojson expected = ojson::object();
    if (s.expected_changes.rows) expected["rows"] = *s.expected_changes.rows;
    if (s.expected_changes.tables) expected["tables"] = *s.expected_changes.tables;
    if (s.expected_changes.indexes) expected["indexes"] = *s.expected_changes.indexes;
    out["expectedChanges"] = expected;
  }
  return out;
}

ojson migration_json(const ir::Migration& m, bool descriptive) {
  ojson out;
  out["id"] = m.id;
  out["pluginId"] = m.plugin_id;
  out["version"] = m.version_text;
  if (descriptive) {
    out["name"] = m.name;
    if (!m.description.empty()) out["description"] = m.description;
  }
  out["type"] = ir::to_string(m.type);
  out["category"] = ir::to_string(m.category);
  out["riskLevel"] = ir::to_string(m.risk_level);
  out["requiresBackup"] = m.requires_backup;
  if (!m.database_engines.empty()) {
    ojson engines = ojson::array();
    for (ir::Engine e : m.database_engines) engines.push_back(ir::engine_name(e));
    out["databaseEngines"] = engines;
  }
  if (!m.dependencies.empty()) out["dependencies"] = texts_json(m.dependencies);
  if (!m.conflicts.empty()) out["conflicts"] = texts_json(m.conflicts);
  if (descriptive) {
    if (m.estimated_duration_seconds) out["estimatedDuration"] = *m.estimated_duration_seconds;
    if (!m.created_at.empty()) out["createdAt"] = m.created_at;
    if (!m.updated_at.empty()) out["updatedAt"] = m.updated_at;
  }
  ojson up = ojson::array(), down = ojson::array();
  for (const auto& s : m.up) up.push_back(step_json(s, descriptive));
  for (const auto& s : m.down) down.push_back(step_json(s, descriptive));
  if (m.automatic_down) {
    // What the author wrote: the marker, not the derived steps. A converter's output must read
    // back to the same migration, and the checksum must be computable from one migration
    // alone (packages check it per file); the derived steps follow from the up steps and the
    // plugin's earlier migrations, which their own checksums cover.
    out["steps"] = {{"up", up}, {"down", "automatic"}};
  } else {
    out["steps"] = {{"up", up}, {"down", down}};
  }
  return out;
}

}  // namespace

ojson to_portable_json(const ir::Migration& migration) {
  ojson document;
  document["format"] = "portable-migration-v1";
  document["migration"] = migration_json(migration, true);
  return document;
}

std::string migration_checksum(const ir::Migration& migration) {
  std::string canonical = migration_json(migration, false).dump();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(canonical.data()),
                     canonical.size());
  static const char* hex = "0123456789abcdef";
  std::string out = std::string(kChecksumAlgorithm) + ":";
  for (unsigned char byte : digest) {
    out += hex[byte >> 4];
    out += hex[byte & 15];
  }
  return out;
}

}  // namespace migpkg
