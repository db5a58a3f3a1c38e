#include "compiler/planner/plan_json_reader.hpp"

namespace migpkg {
namespace {

using json = nlohmann::json;

// Every member is required: a stored plan that lost one is corrupt, and guessing a default
// (say, transactional) could run a step the wrong way.
const json& member(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key))
    throw PlanFormatError(std::string("stored plan lacks \"") + key + "\"");
  return object.at(key);
}

std::string text(const json& object, const char* key) {
  const json& v = member(object, key);
  if (!v.is_string())
    throw PlanFormatError(std::string("stored plan: \"") + key + "\" is not a string");
  return v.get<std::string>();
}

bool flag(const json& object, const char* key) {
  const json& v = member(object, key);
  if (!v.is_boolean())
    throw PlanFormatError(std::string("stored plan: \"") + key + "\" is not a boolean");
  return v.get<bool>();
}

std::vector<std::string> texts(const json& value, const char* key) {
  if (!value.is_array())
    throw PlanFormatError(std::string("stored plan: \"") + key + "\" is not an array");
  std::vector<std::string> out;
  for (const auto& item : value) {
    if (!item.is_string())
      throw PlanFormatError(std::string("stored plan: \"") + key + "\" holds a non-string");
    out.push_back(item.get<std::string>());
  }
  return out;
}

SourceLocation location(const json& value) {
  SourceLocation out;
  if (!value.is_object()) return out;
  out.file = value.value("file", "");
  out.pointer = value.value("pointer", "");
  out.line = value.value("line", 0);
  out.column = value.value("column", 0);
  return out;
}

std::vector<plan::Check> checks(const json& list) {
  std::vector<plan::Check> out;
  if (!list.is_array()) throw PlanFormatError("stored plan: checks are not an array");
  for (const auto& c : list)
    out.push_back(
        {text(c, "sql"), text(c, "message"), text(c, "severity") == "error", text(c, "origin")});
  return out;
}

plan::Step step(const json& s) {
  plan::Step out;
  out.id = text(s, "id");
  out.name = text(s, "name");
  out.kind = text(s, "kind");
  out.transactional = flag(s, "transactional");
  out.skip_on_error = flag(s, "skipOnError");
  if (const json& timeout = member(s, "timeout"); timeout.is_number_integer())
    out.timeout_seconds = timeout.get<std::int64_t>();
  out.statements = texts(member(s, "statements"), "statements");
  out.pre_checks = checks(member(s, "preChecks"));
  out.post_checks = checks(member(s, "postChecks"));
  if (const json& reverse = member(s, "reverse"); !reverse.is_null())
    out.reverse = texts(reverse, "reverse");
  if (s.contains("transform")) {
    const json& t = s.at("transform");
    plan::TransformInfo info;
    info.source_table = text(t, "sourceTable");
    info.target_table = text(t, "targetTable");
    info.filter = text(t, "filter");
    const json& batch = member(t, "batchSize");
    if (!batch.is_number_integer())
      throw PlanFormatError("stored plan: batchSize is not an integer");
    info.batch_size = batch.get<std::int64_t>();
    info.batched_insert = text(t, "batchedInsert");
    info.count_source = text(t, "countSource");
    out.transform = info;
  }
  out.source = location(s.value("source", json()));
  return out;
}

std::vector<plan::Step> steps(const json& list) {
  if (!list.is_array()) throw PlanFormatError("stored plan: steps are not an array");
  std::vector<plan::Step> out;
  for (const auto& s : list) out.push_back(step(s));
  return out;
}

}  // namespace

plan::Migration migration_from_json(const json& m) {
  plan::Migration out;
  out.plugin_id = text(m, "pluginId");
  out.id = text(m, "id");
  out.version = text(m, "version");
  out.name = text(m, "name");
  out.checksum = text(m, "checksum");
  out.risk_level = text(m, "riskLevel");
  out.requires_backup = flag(m, "requiresBackup");
  out.dependencies = texts(member(m, "dependencies"), "dependencies");
  out.reversible = flag(m, "reversible");
  out.source = location(m.value("source", json()));
  out.up = steps(member(m, "up"));
  out.down = steps(member(m, "down"));
  return out;
}

}  // namespace migpkg
