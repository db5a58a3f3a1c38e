#include "compiler/json/ir_json.hpp"

#include "compiler/json/schema_change_json.hpp"
#include "compiler/util/sha256.hpp"

namespace migpkg {
namespace {

void write_engine_sql(JsonWriter& out, const ir::EngineSql& sql) {
  out.begin_object();
  for (ir::Engine engine : ir::kAllEngines) {
    auto it = sql.by_engine.find(engine);
    if (it != sql.by_engine.end()) out.member(ir::engine_name(engine), it->second.text);
  }
  if (sql.universal) out.member("universal", sql.universal->text);
  out.end_object();
}

void write_texts(JsonWriter& out, const std::vector<ir::LocatedText>& texts) {
  out.begin_array();
  for (const auto& text : texts) out.value(text.text);
  out.end_array();
}

void write_value_transform(JsonWriter& out, const ir::ValueTransform& t) {
  out.begin_object();
  out.member("type", ir::to_string(t.kind));
  out.key("definition");
  switch (t.kind) {
    case ir::ValueTransformKind::Function:
      out.value(t.function);
      break;
    case ir::ValueTransformKind::Expression:
      out.value(t.expression);
      break;
    case ir::ValueTransformKind::Custom:
      write_engine_sql(out, t.custom);
      break;
    case ir::ValueTransformKind::Lookup:
      if (t.lookup.is_table_reference()) {
        out.value(t.lookup.table + "(" + t.lookup.key_column + ", " + t.lookup.value_column + ")");
      } else {
        out.begin_object();
        for (const auto& [key, value] : t.lookup.entries) {
          out.key(key.text);
          write_literal(out, value);
        }
        out.end_object();
      }
      break;
  }
  if (!t.parameters.empty()) {
    out.key("parameters").begin_array();
    for (const auto& p : t.parameters) write_literal(out, p);
    out.end_array();
  }
  out.end_object();
}

void write_transform(JsonWriter& out, const ir::Transform& t) {
  out.begin_object();
  out.member("source", t.source);
  out.member("target", t.target);
  out.key("mapping").begin_array();
  for (const auto& m : t.mappings) {
    out.begin_object();
    if (!m.source.empty()) out.member("source", m.source);
    out.member("target", m.target);
    if (m.transform) {
      out.key("transform");
      write_value_transform(out, *m.transform);
    }
    if (m.default_value) {
      out.key("defaultValue");
      write_literal(out, *m.default_value);
    }
    out.member("required", m.required);
    out.end_object();
  }
  out.end_array();
  if (!t.filter.empty()) out.member("filter", t.filter);
  if (t.batch_size) out.member("batchSize", *t.batch_size);
  if (!t.validation.empty()) {
    out.key("validation").begin_array();
    for (const auto& r : t.validation) {
      out.begin_object();
      out.member("field", r.field).member("rule", r.rule).member("message", r.message);
      out.member("severity", ir::to_string(r.severity));
      out.end_object();
    }
    out.end_array();
  }
  out.end_object();
}

// The file's hash is in the canonical form only (the checksum): sources and converted
// documents name the file, and the hash is taken from the file each time they are loaded.
void write_load(JsonWriter& out, const ir::Load& l, bool descriptive) {
  out.begin_object();
  out.member("file", l.file.text);
  out.member("table", l.table);
  out.member("onConflict", ir::to_string(l.on_conflict));
  if (!descriptive) out.member("sha256", l.sha256);
  out.end_object();
}

void write_step(JsonWriter& out, const ir::Step& s, bool descriptive) {
  out.begin_object();
  out.member("id", s.id);
  if (s.type) out.member("type", ir::to_string(*s.type));
  if (descriptive) {
    out.member("name", s.name);
    if (!s.description.empty()) out.member("description", s.description);
  }
  if (s.sql) write_engine_sql(out.key("sql"), *s.sql);
  if (s.transform) write_transform(out.key("transform"), *s.transform);
  if (s.change) write_schema_change(out.key("change"), *s.change);
  if (s.load) write_load(out.key("load"), *s.load, descriptive);
  out.member("transactional", s.transactional);
  out.member("rollbackSupported", s.rollback_supported);
  out.member("skipOnError", s.skip_on_error);
  if (s.timeout_seconds) out.member("timeout", *s.timeout_seconds);
  if (!s.dependencies.empty()) write_texts(out.key("dependencies"), s.dependencies);
  if (s.pre_validation) write_engine_sql(out.key("preValidation"), *s.pre_validation);
  if (s.post_validation) write_engine_sql(out.key("postValidation"), *s.post_validation);
  if (descriptive &&
      (s.expected_changes.rows || s.expected_changes.tables || s.expected_changes.indexes)) {
    out.key("expectedChanges").begin_object();
    if (s.expected_changes.rows) out.member("rows", *s.expected_changes.rows);
    if (s.expected_changes.tables) out.member("tables", *s.expected_changes.tables);
    if (s.expected_changes.indexes) out.member("indexes", *s.expected_changes.indexes);
    out.end_object();
  }
  out.end_object();
}

void write_steps(JsonWriter& out, const std::vector<ir::Step>& steps, bool descriptive) {
  out.begin_array();
  // Derived steps (the unload of each load step) follow from the others: written, they would
  // read back as steps of the author's.
  for (const auto& s : steps)
    if (!s.derived) write_step(out, s, descriptive);
  out.end_array();
}

void write_migration(JsonWriter& out, const ir::Migration& m, bool descriptive) {
  out.begin_object();
  out.member("id", m.id);
  out.member("pluginId", m.plugin_id);
  out.member("version", m.version_text);
  if (descriptive) {
    out.member("name", m.name);
    if (!m.description.empty()) out.member("description", m.description);
  }
  out.member("type", ir::to_string(m.type));
  out.member("category", ir::to_string(m.category));
  out.member("riskLevel", ir::to_string(m.risk_level));
  out.member("requiresBackup", m.requires_backup);
  // Only when set: the checksums of every migration written before the member existed stay.
  if (m.waive_backup) out.member("waiveBackup", true);
  if (!m.database_engines.empty()) {
    out.key("databaseEngines").begin_array();
    for (ir::Engine e : m.database_engines) out.value(ir::engine_name(e));
    out.end_array();
  }
  if (!m.dependencies.empty()) write_texts(out.key("dependencies"), m.dependencies);
  if (!m.conflicts.empty()) write_texts(out.key("conflicts"), m.conflicts);
  if (descriptive) {
    if (m.estimated_duration_seconds)
      out.member("estimatedDuration", *m.estimated_duration_seconds);
    if (!m.created_at.empty()) out.member("createdAt", m.created_at);
    if (!m.updated_at.empty()) out.member("updatedAt", m.updated_at);
  }
  out.key("steps").begin_object();
  write_steps(out.key("up"), m.up, descriptive);
  // With an automatic down, what the author wrote: the marker, not the derived steps. A
  // converter's output must read back to the same migration, and the checksum must be
  // computable from one migration alone (packages check it per file); the derived steps follow
  // from the up steps and the plugin's earlier migrations, which their own checksums cover.
  if (m.automatic_down)
    out.member("down", "automatic");
  else
    write_steps(out.key("down"), m.down, descriptive);
  out.end_object();
  out.end_object();
}

}  // namespace

std::string portable_json_text(const ir::Migration& migration, int indent) {
  JsonWriter out(indent);
  out.begin_object();
  out.member("format", "portable-migration-v1");
  write_migration(out.key("migration"), migration, true);
  out.end_object();
  return out.take();
}

nlohmann::ordered_json to_portable_json(const ir::Migration& migration) {
  return nlohmann::ordered_json::parse(portable_json_text(migration, -1));
}

std::string migration_checksum(const ir::Migration& migration) {
  JsonWriter canonical;
  write_migration(canonical, migration, false);
  return std::string(kChecksumAlgorithm) + ":" + sha256_hex(canonical.text());
}

}  // namespace migpkg
