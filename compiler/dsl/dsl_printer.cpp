#include "compiler/dsl/dsl_printer.hpp"

#include <regex>

#include <nlohmann/json.hpp>

#include "compiler/dsl/bare_steps.hpp"
#include "compiler/dsl/dsl_text.hpp"
#include "compiler/schema/naming.hpp"
#include "compiler/schema/type_names.hpp"

namespace migpkg::dsl {
namespace {

using Kind = ir::SchemaChange::Kind;
const std::string kIndent = "  ";

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + name_text(n);
  return out;
}

std::string column_list(const std::vector<std::string>& names) {
  return "(" + join_names(names) + ")";
}

std::string join_texts(const std::vector<ir::LocatedText>& texts) {
  std::vector<std::string> names;
  for (const auto& t : texts) names.push_back(t.text);
  return join_names(names);
}

std::string action_text(ir::ReferentialAction action) {
  switch (action) {
    case ir::ReferentialAction::Cascade:
      return "cascade";
    case ir::ReferentialAction::Restrict:
      return "restrict";
    case ir::ReferentialAction::SetNull:
      return "set null";
    case ir::ReferentialAction::SetDefault:
      return "set default";
    case ir::ReferentialAction::NoAction:
      return "no action";
  }
  return "no action";
}

std::string default_text(const ir::ColumnDefault& d, const std::string& indent) {
  switch (d.kind) {
    case ir::ColumnDefault::Kind::Literal:
      return print_literal(d.literal);
    case ir::ColumnDefault::Kind::Now:
      return "now()";
    case ir::ColumnDefault::Kind::Uuid:
      return "uuid()";
    case ir::ColumnDefault::Kind::Json:
      return "json " + quote_sql_string(d.text);
    case ir::ColumnDefault::Kind::Expression:
      return sql_expression(d.text, indent);
  }
  return "null";
}

// `constraint NAME ` unless NAME is the default name the parser would give it anyway.
std::string constraint_prefix(const ir::Constraint& c, const std::string& default_name) {
  return c.name.empty() || c.name == default_name ? "" : "constraint " + name_text(c.name) + " ";
}

std::string references_text(const ir::Constraint& c) {
  std::string out = "references " + name_text(c.ref_table) + " " + column_list(c.ref_columns);
  if (c.on_delete != ir::ReferentialAction::NoAction)
    out += " on delete " + action_text(c.on_delete);
  if (c.on_update != ir::ReferentialAction::NoAction)
    out += " on update " + action_text(c.on_update);
  return out;
}

std::string table_constraint(const ir::Constraint& c, const std::string& default_name,
                             const std::string& indent) {
  std::string out = constraint_prefix(c, default_name);
  switch (c.kind) {
    case ir::Constraint::Kind::PrimaryKey:
      return out + "primary key " + column_list(c.columns);
    case ir::Constraint::Kind::Unique:
      return out + "unique " + column_list(c.columns);
    case ir::Constraint::Kind::ForeignKey:
      return out + "foreign key " + column_list(c.columns) + " " + references_text(c);
    case ir::Constraint::Kind::Check:
      return out + "check " + sql_expression(c.check, indent);
  }
  return out;
}

std::string column_def(const ir::Column& column, const std::string& indent) {
  std::string out = name_text(column.name) + " " + schema::type_name(column.type);
  if (!column.nullable) out += " not null";
  if (column.default_value) out += " default " + default_text(*column.default_value, indent);
  if (!column.comment.empty()) out += " comment " + quote_string(column.comment);
  return out;
}

std::string engine_sql(const std::string& keyword, const ir::EngineSql& sql,
                       const std::string& indent) {
  std::string out;
  for (ir::Engine engine : ir::kAllEngines) {
    auto it = sql.by_engine.find(engine);
    if (it != sql.by_engine.end())
      out += indent + keyword + " " + ir::engine_name(engine) + " " +
             dollar_quote(it->second.text, indent) + "\n";
  }
  if (sql.universal)
    out += indent + keyword + " " + dollar_quote(sql.universal->text, indent) + "\n";
  return out;
}

std::string parameters(const std::vector<ir::Literal>& values) {
  std::string out = "(";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + print_literal(values[i]);
  return out + ")";
}

std::string value_transform(const ir::ValueTransform& t, const std::string& indent) {
  std::string out;
  switch (t.kind) {
    case ir::ValueTransformKind::Function:
      return t.function + (t.parameters.empty() ? "" : parameters(t.parameters));
    case ir::ValueTransformKind::Expression:
      out = "compute " + sql_expression(t.expression, indent);
      break;
    case ir::ValueTransformKind::Lookup:
      if (t.lookup.is_table_reference()) {
        out = "lookup " + name_text(t.lookup.table) + "(" + name_text(t.lookup.key_column) + ", " +
              name_text(t.lookup.value_column) + ")";
      } else {
        out = "lookup {";
        for (std::size_t i = 0; i < t.lookup.entries.size(); ++i)
          out += std::string(i ? ", " : " ") + quote_string(t.lookup.entries[i].first.text) + ": " +
                 print_literal(t.lookup.entries[i].second);
        out += " }";
      }
      break;
    case ir::ValueTransformKind::Custom:
      if (t.custom.by_engine.empty() && t.custom.universal) {
        out = "custom " + dollar_quote(t.custom.universal->text, indent);
      } else {
        out = "custom {\n";
        std::string inner = indent + kIndent;
        for (ir::Engine engine : ir::kAllEngines) {
          auto it = t.custom.by_engine.find(engine);
          if (it != t.custom.by_engine.end())
            out +=
                inner + ir::engine_name(engine) + " " + dollar_quote(it->second.text, inner) + "\n";
        }
        if (t.custom.universal)
          out += inner + "universal " + dollar_quote(t.custom.universal->text, inner) + "\n";
        out += indent + "}";
      }
      break;
  }
  if (!t.parameters.empty()) out += " with " + parameters(t.parameters);
  return out;
}

std::string transform(const ir::Transform& t, const std::string& indent) {
  std::string inner = indent + kIndent;
  std::string out = "transform from " + name_text(t.source) + " to " + name_text(t.target) + " {\n";
  for (const auto& m : t.mappings) {
    out += inner + "map " + name_text(m.target);
    if (!m.source.empty()) out += " from " + name_text(m.source);
    if (m.transform) out += " using " + value_transform(*m.transform, inner);
    if (m.default_value) out += " default " + print_literal(*m.default_value);
    if (m.required) out += " required";
    out += "\n";
  }
  if (!t.filter.empty()) out += inner + "where " + sql_expression(t.filter, inner) + "\n";
  if (t.batch_size) out += inner + "batch size " + std::to_string(*t.batch_size) + "\n";
  for (const auto& r : t.validation)
    out += inner + "rule " + name_text(r.field) + " " + sql_expression(r.rule, inner) + " " +
           quote_string(r.message) + (r.severity == ir::Severity::Warning ? " warning" : "") + "\n";
  return out + indent + "}";
}

std::string load(const ir::Load& l) {
  std::string out = "load " + quote_string(l.file.text) + " into " + name_text(l.table);
  if (l.on_conflict != ir::LoadConflict::Fail)
    out += std::string(" on conflict ") + ir::to_string(l.on_conflict);
  return out;
}

std::string step(const ir::Step& s, const std::string& indent) {
  if (is_bare_step(s))
    return indent + (s.load ? load(*s.load) : print_change(*s.change, indent)) + "\n";
  std::string inner = indent + kIndent;
  std::string out = indent + "step " + name_text(s.id) + " " + quote_string(s.name) + " {\n";
  if (s.type) out += inner + "type " + ir::to_string(*s.type) + "\n";
  if (!s.description.empty()) out += inner + "description " + quote_string(s.description) + "\n";
  if (!s.transactional) out += inner + "not transactional\n";
  if (!s.rollback_supported) out += inner + "irreversible\n";
  if (s.skip_on_error) out += inner + "skip on error\n";
  if (s.timeout_seconds) out += inner + "timeout " + std::to_string(*s.timeout_seconds) + "\n";
  if (!s.dependencies.empty()) out += inner + "depends on " + join_texts(s.dependencies) + "\n";
  if (s.pre_validation) out += engine_sql("validate before", *s.pre_validation, inner);
  if (s.post_validation) out += engine_sql("validate after", *s.post_validation, inner);
  const auto& e = s.expected_changes;
  if (e.rows || e.tables || e.indexes) {
    std::string list;
    if (e.rows) list += "rows " + std::to_string(*e.rows);
    if (e.tables)
      list += (list.empty() ? "" : ", ") + std::string("tables ") + std::to_string(*e.tables);
    if (e.indexes)
      list += (list.empty() ? "" : ", ") + std::string("indexes ") + std::to_string(*e.indexes);
    out += inner + "expect " + list + "\n";
  }
  if (s.sql) out += engine_sql("sql", *s.sql, inner);
  if (s.transform) out += inner + transform(*s.transform, inner) + "\n";
  if (s.change) out += inner + print_change(*s.change, inner) + "\n";
  if (s.load) out += inner + load(*s.load) + "\n";
  return out + indent + "}\n";
}

std::string version_text(const std::string& version) {
  static const std::regex bare(R"(^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$)");
  return std::regex_match(version, bare) ? version : quote_string(version);
}

std::string migration(const ir::Migration& m) {
  const std::string in = kIndent;
  std::string out = "migration " + name_text(m.id) + " {\n";
  out += in + "version " + version_text(m.version_text) + "\n";
  out += in + "name " + quote_string(m.name) + "\n";
  if (!m.description.empty()) out += in + "description " + quote_string(m.description) + "\n";
  if (m.type != ir::MigrationType::Schema) out += in + "type " + ir::to_string(m.type) + "\n";
  if (m.category != ir::Category::Install)
    out += in + "category " + ir::to_string(m.category) + "\n";
  if (m.risk_level != ir::RiskLevel::Low) out += in + "risk " + ir::to_string(m.risk_level) + "\n";
  if (m.requires_backup) out += in + "requires backup\n";
  if (m.waive_backup) out += in + "no backup\n";
  if (!m.database_engines.empty()) {
    out += in + "engines ";
    for (std::size_t i = 0; i < m.database_engines.size(); ++i)
      out += (i ? ", " : "") + std::string(ir::engine_name(m.database_engines[i]));
    out += "\n";
  }
  if (!m.dependencies.empty()) out += in + "depends on " + join_texts(m.dependencies) + "\n";
  if (!m.conflicts.empty()) out += in + "conflicts with " + join_texts(m.conflicts) + "\n";
  if (m.estimated_duration_seconds)
    out += in + "estimated duration " + std::to_string(*m.estimated_duration_seconds) + "\n";
  if (!m.created_at.empty()) out += in + "created at " + quote_string(m.created_at) + "\n";
  if (!m.updated_at.empty()) out += in + "updated at " + quote_string(m.updated_at) + "\n";
  out += "\n" + in + "up {\n";
  for (const auto& s : m.up) out += step(s, in + kIndent);
  out += in + "}\n";
  // Without a down block the compiler derives the down steps; the derived ones are not
  // printed, so the migration reads as it was written.
  if (!m.automatic_down) {
    out += "\n" + in + "down {\n";
    for (const auto& s : m.down)
      if (!s.derived) out += step(s, in + kIndent);  // the unloads of load steps
    out += in + "}\n";
  }
  return out + "}\n";
}

}  // namespace

std::string print_literal(const ir::Literal& literal) {
  switch (literal.kind) {
    case ir::Literal::Kind::Null:
      return "null";
    case ir::Literal::Kind::Bool:
      return literal.boolean ? "true" : "false";
    case ir::Literal::Kind::Integer:
      return std::to_string(literal.integer);
    case ir::Literal::Kind::Real: {
      // The shortest text that reads back as the same double, in the DSL's number syntax
      // (digits '.' digits, optional exponent).
      std::string text = nlohmann::json(literal.real).dump();
      auto exponent = text.find_first_of("eE");
      if (text.find('.') == std::string::npos)
        text.insert(exponent == std::string::npos ? text.size() : exponent, ".0");
      return text;
    }
    case ir::Literal::Kind::String:
      return quote_string(literal.text);
  }
  return "null";
}

std::string print_change(const ir::SchemaChange& c, const std::string& indent) {
  std::string inner = indent + kIndent;
  switch (c.kind) {
    case Kind::CreateTable: {
      std::string out = "create table " + name_text(c.table) + " (";
      std::vector<std::string> items;
      for (const auto& column : c.columns) items.push_back(column_def(column, inner));
      std::size_t checks = 0;  // default check names count the checks, as normalize() does
      for (const auto& constraint : c.constraints) {
        if (constraint.kind == ir::Constraint::Kind::Check) ++checks;
        items.push_back(table_constraint(
            constraint, schema::default_constraint_name(c.table, constraint, checks), inner));
      }
      if (!c.comment.empty()) items.push_back("comment " + quote_string(c.comment));
      for (std::size_t i = 0; i < items.size(); ++i)
        out += "\n" + inner + items[i] + (i + 1 < items.size() ? "," : "");
      return out + "\n" + indent + ")";
    }
    case Kind::DropTable:
      return "drop table " + name_text(c.table);
    case Kind::RenameTable:
      return "rename table " + name_text(c.table) + " to " + name_text(c.new_name);
    case Kind::AddColumn: {
      std::string out = "alter table " + name_text(c.table) + " add column ";
      if (!c.columns.empty()) out += column_def(c.columns[0], inner);
      if (c.after_column)
        out += c.after_column->empty() ? " first" : " after " + name_text(*c.after_column);
      return out;
    }
    case Kind::DropColumn:
      return "alter table " + name_text(c.table) + " drop column " + name_text(c.column);
    case Kind::RenameColumn:
      return "alter table " + name_text(c.table) + " rename column " + name_text(c.column) +
             " to " + name_text(c.new_name);
    case Kind::AlterColumn: {
      std::vector<std::string> actions;
      if (c.set_type) actions.push_back("type " + schema::type_name(*c.set_type));
      if (c.set_nullable) actions.push_back(*c.set_nullable ? "drop not null" : "set not null");
      if (c.set_default) actions.push_back("set default " + default_text(*c.set_default, inner));
      if (c.drop_default) actions.push_back("drop default");
      std::string out =
          "alter table " + name_text(c.table) + " alter column " + name_text(c.column) + " ";
      for (std::size_t i = 0; i < actions.size(); ++i) out += (i ? ", " : "") + actions[i];
      return out;
    }
    case Kind::AddConstraint:
      return "alter table " + name_text(c.table) + " add " +
             (c.constraints.empty()
                  ? std::string()
                  : table_constraint(c.constraints[0],
                                     schema::default_constraint_name(c.table, c.constraints[0], 0),
                                     inner));
    case Kind::DropConstraint:
      return "alter table " + name_text(c.table) + " drop constraint " +
             name_text(c.constraint_name);
    case Kind::CreateIndex: {
      std::string out = std::string("create ") + (c.index.unique ? "unique " : "") + "index ";
      if (!c.index.name.empty() &&
          c.index.name != schema::index_name(c.index.table, c.index.columns, c.index.unique))
        out += name_text(c.index.name) + " ";
      out += "on " + name_text(c.index.table) + " " + column_list(c.index.columns);
      if (!c.index.where.empty()) out += " where " + sql_expression(c.index.where, inner);
      return out;
    }
    case Kind::DropIndex:
      return "drop index " + name_text(c.index.name) +
             (c.index.table.empty() ? "" : " on " + name_text(c.index.table));
    case Kind::CreateView:
      return "create view " + name_text(c.view.name) + " as " + sql_expression(c.view.query, inner);
    case Kind::DropView:
      return "drop view " + name_text(c.view.name);
    case Kind::CreateExtension:
      return "create extension " + name_text(c.extension);
    case Kind::DropExtension:
      return "drop extension " + name_text(c.extension);
    case Kind::SetComment: {
      std::string is = " is " + (c.comment.empty() ? std::string("null") : quote_string(c.comment));
      if (c.column.empty()) return "comment on table " + name_text(c.table) + is;
      bool bare = is_bare_name(c.table) && is_bare_name(c.column);
      return "comment on column " +
             (bare ? c.table + "." + c.column
                   : quote_string(c.table) + "." + quote_string(c.column)) +
             is;
    }
  }
  return {};
}

std::string print_dsl(const std::vector<ir::Migration>& migrations) {
  std::string out;
  if (!migrations.empty()) out += "plugin " + name_text(migrations[0].plugin_id) + "\n";
  for (const auto& m : migrations) out += "\n" + migration(m);
  return out;
}

}  // namespace migpkg::dsl
