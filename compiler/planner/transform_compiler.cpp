// Transform steps -> one set-based INSERT ... SELECT per dialect, so the engine does the work
// (no row ever passes through migpkg). Shape, with table lookups joined after the scan:
//
//   INSERT INTO "target" ("a", "b")
//   SELECT "m"."v1" AS "a", COALESCE("l2"."name", 'Unknown') AS "b"
//   FROM (SELECT <value a> AS "v1", "dept" AS "k2" FROM "source" WHERE <filter>) AS "m"
//   LEFT JOIN "departments" AS "l2" ON "l2"."code" = "m"."k2"
//
// Without table lookups the derived table is left out. Table aliases go through
// Dialect::table_alias (Oracle takes no AS there) and checks through Dialect::check_select (no
// boolean select lists on SQL Server and Oracle). The inner scan keeps the source's
// columns unqualified, so user expressions and filters never clash with a lookup's columns.
#include "compiler/planner/planner.hpp"
#include "compiler/sql/statement_splitter.hpp"

namespace migpkg {
namespace {

struct Column {
  std::string inner;  // expression inside the scan (may be empty for a pure table lookup)
  std::string outer;  // expression in the outer SELECT
};

std::string value_expression(const ir::FieldMapping& mapping, const Dialect& d) {
  std::string source = mapping.source.empty() ? "NULL" : d.quote_identifier(mapping.source);
  if (!mapping.transform) return source;
  const auto& t = *mapping.transform;
  switch (t.kind) {
    case ir::ValueTransformKind::Function:
      return d.call_function(t.function, source, t.parameters);
    case ir::ValueTransformKind::Expression:
      return "(" + strip_terminators(t.expression) + ")";
    case ir::ValueTransformKind::Custom: {
      const ir::LocatedText* text = t.custom.for_engine(d.engine());
      return "(" + strip_terminators(text ? text->text : "NULL") + ")";
    }
    case ir::ValueTransformKind::Lookup: {
      std::string out = "CASE " + source;
      for (const auto& [key, value] : t.lookup.entries)
        out += " WHEN " + d.literal(key) + " THEN " + d.literal(value);
      return out + " END";
    }
  }
  return source;
}

bool is_table_lookup(const ir::FieldMapping& mapping) {
  return mapping.transform && mapping.transform->kind == ir::ValueTransformKind::Lookup &&
         mapping.transform->lookup.is_table_reference();
}

std::string with_default(const std::string& value, const ir::FieldMapping& mapping,
                         const Dialect& d) {
  return mapping.default_value
             ? "COALESCE(" + value + ", " + d.literal(*mapping.default_value) + ")"
             : value;
}

}  // namespace

CompiledTransform compile_transform(const ir::Transform& transform, const Dialect& d) {
  CompiledTransform out;
  bool nested = false;
  for (const auto& mapping : transform.mappings) nested = nested || is_table_lookup(mapping);

  std::string targets, outer_select, inner_select, joins;
  for (std::size_t i = 0; i < transform.mappings.size(); ++i) {
    const auto& mapping = transform.mappings[i];
    std::string n = std::to_string(i + 1);
    std::string target = d.quote_identifier(mapping.target);
    targets += (i ? ", " : "") + target;
    std::string outer;
    if (is_table_lookup(mapping)) {
      const auto& lookup = mapping.transform->lookup;
      std::string alias = d.quote_identifier("l" + n), key = d.quote_identifier("k" + n);
      inner_select +=
          (inner_select.empty() ? "" : ", ") + d.quote_identifier(mapping.source) + " AS " + key;
      joins += "\nLEFT JOIN " + d.quote_qualified(lookup.table) + d.table_alias("l" + n) + " ON " +
               alias + "." + d.quote_identifier(lookup.key_column) + " = " +
               d.quote_identifier("m") + "." + key;
      outer = alias + "." + d.quote_identifier(lookup.value_column);
      std::string counted = d.quote_identifier(lookup.key_column);
      out.pre_checks.push_back(
          {d.check_select("COUNT(" + counted + ") = COUNT(DISTINCT " + counted + ")",
                          d.quote_qualified(lookup.table)),
           "lookup table " + lookup.table + " has duplicate values in " + lookup.key_column +
               ", so the lookup for \"" + mapping.target + "\" would be ambiguous",
           true, "lookup-unique"});
    } else if (nested) {
      std::string alias = d.quote_identifier("v" + n);
      inner_select +=
          (inner_select.empty() ? "" : ", ") + value_expression(mapping, d) + " AS " + alias;
      outer = d.quote_identifier("m") + "." + alias;
    } else {
      outer = value_expression(mapping, d);
    }
    outer_select += std::string(i ? ", " : "") + with_default(outer, mapping, d) + " AS " + target;
  }

  std::string source = d.quote_qualified(transform.source);
  std::string where =
      transform.filter.empty() ? "" : "(" + strip_terminators(transform.filter) + ")";
  auto scan = [&](const std::string& batch) {
    std::string condition = where;
    if (!batch.empty()) condition += (condition.empty() ? "" : " AND ") + batch;
    return source + (condition.empty() ? "" : " WHERE " + condition);
  };
  auto select = [&](const std::string& batch) {
    if (!nested) return "SELECT " + outer_select + "\nFROM " + scan(batch);
    return "SELECT " + outer_select + "\nFROM (SELECT " + inner_select + " FROM " + scan(batch) +
           ")" + d.table_alias("m") + joins;
  };
  std::string head = "INSERT INTO " + d.quote_qualified(transform.target) + " (" + targets + ")\n";
  out.insert_sql = head + select("");
  out.info.source_table = transform.source;
  out.info.target_table = transform.target;
  out.info.filter = transform.filter;
  out.info.batch_size = transform.batch_size.value_or(0);
  out.info.batched_insert = head + select("{batch}");
  out.info.count_source = "SELECT COUNT(*) FROM " + scan("");

  // One scan for every required column: a check per column would read the source N times.
  std::string required_condition, required_names;
  for (const auto& mapping : transform.mappings) {
    if (!mapping.required) continue;
    required_condition += std::string(required_condition.empty() ? "" : " OR ") +
                          d.quote_identifier("r") + "." + d.quote_identifier(mapping.target) +
                          " IS NULL";
    required_names += (required_names.empty() ? "\"" : ", \"") + mapping.target + "\"";
  }
  if (!required_condition.empty())
    out.pre_checks.push_back(
        {d.check_select("COUNT(*) = 0", "(" + select("") + ")" + d.table_alias("r") + " WHERE " +
                                            required_condition),
         "required column(s) " + required_names + " would be NULL for some source rows", true,
         "required"});
  for (const auto& rule : transform.validation)
    out.post_checks.push_back(
        {d.check_select("COUNT(*) = 0", d.quote_qualified(transform.target) + " WHERE " +
                                            d.false_or_null(strip_terminators(rule.rule))),
         rule.message + " (rule on \"" + rule.field + "\": " + rule.rule + ")",
         rule.severity == ir::Severity::Error, "rule"});
  return out;
}

}  // namespace migpkg
