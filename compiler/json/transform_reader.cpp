// Transform steps: field mappings, value transforms, validation rules.
#include <regex>

#include "compiler/sql/statement_splitter.hpp"

#include "compiler/json/readers.hpp"

namespace migpkg::json_front {

using json = nlohmann::json;

std::optional<ir::Literal> read_literal(const json& value, const SourceLocation& where,
                                        Diagnostics& diagnostics) {
  ir::Literal literal;
  using Kind = ir::Literal::Kind;
  if (value.is_null()) {
    literal.kind = Kind::Null;
  } else if (value.is_boolean()) {
    literal.kind = Kind::Bool;
    literal.boolean = value.get<bool>();
  } else if (value.is_number_unsigned() &&
             value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    diagnostics.error("out-of-range", where, "integer is too large (the limit is 2^63-1)");
    return std::nullopt;
  } else if (value.is_number_integer()) {
    literal.kind = Kind::Integer;
    literal.integer = value.get<std::int64_t>();
    literal.text = std::to_string(literal.integer);
  } else if (value.is_number()) {
    literal.kind = Kind::Real;
    literal.real = value.get<double>();
    literal.text = value.dump();
  } else if (value.is_string()) {
    literal.kind = Kind::String;
    literal.text = value.get<std::string>();
  } else {
    diagnostics.error("wrong-type", where,
                      std::string("expected a string, number, boolean or null, found ") +
                          json_type_phrase(value));
    return std::nullopt;
  }
  return literal;
}

namespace {

const std::vector<std::string> kTransformKinds = {"function", "expression", "lookup", "custom"};

void read_lookup(const json& definition, const SourceLocation& where, Diagnostics& diagnostics,
                 ir::LookupTable& lookup) {
  if (definition.is_object()) {
    if (definition.empty())
      diagnostics.error("invalid-lookup", where, "an inline lookup needs at least one entry");
    for (const auto& item : definition.items()) {
      auto value = read_literal(item.value(), where.child(item.key()), diagnostics);
      ir::Literal key;
      key.kind = ir::Literal::Kind::String;
      key.text = item.key();
      if (value) lookup.entries.emplace_back(key, *value);
    }
    return;
  }
  static const std::regex form(
      R"(^\s*([A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*)?)\s*\(\s*([A-Za-z_][A-Za-z0-9_$]*)\s*,\s*([A-Za-z_][A-Za-z0-9_$]*)\s*\)\s*$)");
  std::smatch match;
  std::string text = definition.is_string() ? definition.get<std::string>() : "";
  if (!definition.is_string() || !std::regex_match(text, match, form)) {
    diagnostics.error("invalid-lookup", where,
                      "a lookup's \"definition\" is an object of key/value pairs or "
                      "\"table(key_column, value_column)\"" +
                          std::string(definition.is_string() ? ", found \"" + text + "\"" : ""));
    return;
  }
  lookup.table = match[1];
  lookup.key_column = match[2];
  lookup.value_column = match[3];
}

std::optional<ir::ValueTransform> read_value_transform(const json& value,
                                                       const SourceLocation& where,
                                                       Diagnostics& diagnostics) {
  ObjectReader t(value, where, diagnostics, "mapping transform",
                 {"type", "definition", "parameters"});
  if (!t.ok()) return std::nullopt;
  ir::ValueTransform transform;
  transform.location = where;
  auto kind = t.enumeration("type", kTransformKinds, true);
  const json* definition = t.value("definition", true);
  if (const json* parameters = t.array("parameters"))
    for (std::size_t i = 0; i < parameters->size(); ++i)
      if (auto literal = read_literal((*parameters)[i], t.at("parameters").child(i), diagnostics))
        transform.parameters.push_back(*literal);
  if (!kind || !definition) return std::nullopt;
  transform.kind = static_cast<ir::ValueTransformKind>(*kind);
  auto need_string = [&](std::string& out) {
    if (definition->is_string())
      out = definition->get<std::string>();
    else
      diagnostics.error("wrong-type", t.at("definition"),
                        std::string("the \"definition\" of a ") + kTransformKinds[*kind] +
                            " transform must be a string, found " + json_type_phrase(*definition));
  };
  switch (transform.kind) {
    case ir::ValueTransformKind::Function:
      need_string(transform.function);
      break;
    case ir::ValueTransformKind::Expression:
      need_string(transform.expression);
      break;
    case ir::ValueTransformKind::Lookup:
      read_lookup(*definition, t.at("definition"), diagnostics, transform.lookup);
      break;
    case ir::ValueTransformKind::Custom:
      if (definition->is_string() || definition->is_object()) {
        if (auto sql =
                read_engine_sql(*definition, t.at("definition"), diagnostics, "definition", true))
          transform.custom = *sql;
      } else {
        diagnostics.error("wrong-type", t.at("definition"),
                          std::string("the \"definition\" of a custom transform must be a string "
                                      "or an object of per-engine SQL, found ") +
                              json_type_phrase(*definition));
      }
      break;
  }
  return transform;
}

std::optional<ir::FieldMapping> read_mapping(const json& value, const SourceLocation& where,
                                             Diagnostics& diagnostics) {
  ObjectReader m(value, where, diagnostics, "field mapping",
                 {"source", "target", "transform", "defaultValue", "required"});
  if (!m.ok()) return std::nullopt;
  ir::FieldMapping mapping;
  mapping.location = where;
  mapping.source = m.string("source").value_or("");
  mapping.target = m.string("target", true).value_or("");
  if (m.has("target") && m.value("target")->is_string() && mapping.target.empty())
    diagnostics.error("invalid-value", m.at("target"),
                      "a mapping's \"target\" column must not be empty");
  if (const json* transform = m.value("transform"))
    mapping.transform = read_value_transform(*transform, m.at("transform"), diagnostics);
  if (const json* fallback = m.value("defaultValue"))
    mapping.default_value = read_literal(*fallback, m.at("defaultValue"), diagnostics);
  mapping.required = m.boolean("required").value_or(false);
  return mapping;
}

std::optional<ir::ValidationRule> read_rule(const json& value, const SourceLocation& where,
                                            Diagnostics& diagnostics) {
  ObjectReader r(value, where, diagnostics, "validation rule",
                 {"field", "rule", "message", "severity"});
  if (!r.ok()) return std::nullopt;
  ir::ValidationRule rule;
  rule.location = where;
  rule.field = r.string("field", true).value_or("");
  rule.rule = r.string("rule", true).value_or("");
  rule.message = r.string("message", true).value_or("");
  if (auto severity = r.enumeration("severity", {"error", "warning"}))
    rule.severity = static_cast<ir::Severity>(*severity);
  return rule;
}

}  // namespace

std::optional<ir::Transform> read_transform(const json& value, const SourceLocation& where,
                                            Diagnostics& diagnostics) {
  ObjectReader t(value, where, diagnostics, "transform",
                 {"source", "target", "mapping", "filter", "batchSize", "validation"});
  if (!t.ok()) return std::nullopt;
  ir::Transform transform;
  transform.location = where;
  transform.source = t.string("source", true).value_or("");
  transform.target = t.string("target", true).value_or("");
  for (const char* key : {"source", "target"})
    if (t.has(key) && t.value(key)->is_string() && t.value(key)->get<std::string>().empty())
      diagnostics.error("invalid-value", t.at(key),
                        std::string("the transform's \"") + key + "\" table must not be empty");
  if (const json* mappings = t.array("mapping", true)) {
    if (mappings->empty())
      diagnostics.error("empty-mapping", t.at("mapping"), "a transform needs at least one mapping");
    for (std::size_t i = 0; i < mappings->size(); ++i)
      if (auto mapping = read_mapping((*mappings)[i], t.at("mapping").child(i), diagnostics))
        transform.mappings.push_back(*mapping);
  }
  if (auto filter = t.string("filter")) {
    static const std::regex leading_where(R"(^\s*where\s+)", std::regex::icase);
    transform.filter =
        std::regex_replace(*filter, leading_where, "", std::regex_constants::format_first_only);
    if (is_blank_sql(transform.filter)) transform.filter.clear();  // blank: every row
  }
  transform.batch_size = t.integer("batchSize");
  if (const json* rules = t.array("validation"))
    for (std::size_t i = 0; i < rules->size(); ++i)
      if (auto rule = read_rule((*rules)[i], t.at("validation").child(i), diagnostics))
        transform.validation.push_back(*rule);
  return transform;
}

}  // namespace migpkg::json_front
