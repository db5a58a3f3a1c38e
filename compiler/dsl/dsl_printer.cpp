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

// The hooks of the print_dsl call running on this thread, if it was given any: set for the
// whole call rather than passed down every function, since most of them never look at it.
thread_local PrintHooks* hooks_ = nullptr;

struct HooksScope {
  explicit HooksScope(PrintHooks* hooks) { hooks_ = hooks; }
  ~HooksScope() { hooks_ = nullptr; }
};

CommentAnchor node_anchor(const SourceLocation& at) {
  return {at.line, at.column, ""};
}

CommentAnchor member_anchor(const ir::Migration& m, const char* word) {
  return {m.location.line, m.location.column, word};
}

std::string leading(const CommentAnchor& anchor, const std::string& indent) {
  return hooks_ ? hooks_->leading(anchor, indent) : std::string();
}

std::string trailing(const CommentAnchor& anchor) {
  return hooks_ ? hooks_->trailing(anchor) : std::string();
}

// `text` (one or more lines) with the anchor's comments: whole lines before it, and the
// trailing one at the end of its first line.
std::string with_comments(const CommentAnchor& anchor, const std::string& indent,
                          std::string text) {
  if (!hooks_) return text;
  std::string tail = trailing(anchor);
  if (!tail.empty()) {
    std::size_t end = text.find('\n');
    if (end == std::string::npos)
      text += tail;
    else
      text.insert(end, tail);
  }
  return leading(anchor, indent) + text;
}

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

std::string step_text(const ir::Step& s, const std::string& indent) {
  if (is_bare_step(s))
    return indent + (s.load ? load(*s.load) : print_change(*s.change, indent)) + "\n";
  std::string inner = indent + kIndent;
  // Each line of the block, with the comments of the source line that starts with `word`.
  auto line = [&](const char* word, const std::string& text) {
    return with_comments({s.location.line, s.location.column, word}, inner, text);
  };
  std::string out = indent + "step " + name_text(s.id) + " " + quote_string(s.name) + " {\n";
  if (s.type) out += line("type", inner + "type " + ir::to_string(*s.type) + "\n");
  if (!s.description.empty())
    out += line("description", inner + "description " + quote_string(s.description) + "\n");
  if (!s.transactional) out += line("not", inner + "not transactional\n");
  if (!s.rollback_supported) out += line("irreversible", inner + "irreversible\n");
  if (s.skip_on_error) out += line("skip", inner + "skip on error\n");
  if (s.timeout_seconds)
    out += line("timeout", inner + "timeout " + std::to_string(*s.timeout_seconds) + "\n");
  if (!s.dependencies.empty())
    out += line("depends", inner + "depends on " + join_texts(s.dependencies) + "\n");
  if (s.pre_validation)
    out += line("validate", engine_sql("validate before", *s.pre_validation, inner));
  if (s.post_validation)
    out += line("validate", engine_sql("validate after", *s.post_validation, inner));
  const auto& e = s.expected_changes;
  if (e.rows || e.tables || e.indexes) {
    std::string list;
    if (e.rows) list += "rows " + std::to_string(*e.rows);
    if (e.tables)
      list += (list.empty() ? "" : ", ") + std::string("tables ") + std::to_string(*e.tables);
    if (e.indexes)
      list += (list.empty() ? "" : ", ") + std::string("indexes ") + std::to_string(*e.indexes);
    out += line("expect", inner + "expect " + list + "\n");
  }
  if (s.sql) out += line("sql", engine_sql("sql", *s.sql, inner));
  if (s.transform) out += line("transform", inner + transform(*s.transform, inner) + "\n");
  if (s.change) {
    std::string change = print_change(*s.change, inner);
    std::string word = change.substr(0, change.find(' '));
    out += line(word.c_str(), inner + change + "\n");
  }
  if (s.load) out += line("load", inner + load(*s.load) + "\n");
  return out + indent + "}\n";
}

std::string step(const ir::Step& s, const std::string& indent) {
  return with_comments(node_anchor(s.location), indent, step_text(s, indent));
}

std::string version_text(const std::string& version) {
  static const std::regex bare(R"(^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$)");
  return std::regex_match(version, bare) ? version : quote_string(version);
}

std::string migration(const ir::Migration& m) {
  const std::string in = kIndent;
  auto line = [&](const char* word, const std::string& text) {
    return with_comments(member_anchor(m, word), in, in + text + "\n");
  };
  std::string out =
      with_comments(node_anchor(m.location), "", "migration " + name_text(m.id) + " {\n");
  out += line("version", "version " + version_text(m.version_text));
  out += line("name", "name " + quote_string(m.name));
  if (!m.description.empty())
    out += line("description", "description " + quote_string(m.description));
  if (m.type != ir::MigrationType::Schema)
    out += line("type", "type " + std::string(ir::to_string(m.type)));
  if (m.category != ir::Category::Install)
    out += line("category", "category " + std::string(ir::to_string(m.category)));
  if (m.risk_level != ir::RiskLevel::Low)
    out += line("risk", "risk " + std::string(ir::to_string(m.risk_level)));
  if (m.requires_backup) out += line("requires", "requires backup");
  if (m.waive_backup) out += line("no", "no backup");
  if (!m.database_engines.empty()) {
    std::string engines = "engines ";
    for (std::size_t i = 0; i < m.database_engines.size(); ++i)
      engines += (i ? ", " : "") + std::string(ir::engine_name(m.database_engines[i]));
    out += line("engines", engines);
  }
  if (!m.dependencies.empty()) out += line("depends", "depends on " + join_texts(m.dependencies));
  if (!m.conflicts.empty()) out += line("conflicts", "conflicts with " + join_texts(m.conflicts));
  if (m.estimated_duration_seconds)
    out += line("estimated", "estimated duration " + std::to_string(*m.estimated_duration_seconds));
  if (!m.created_at.empty()) out += line("created", "created at " + quote_string(m.created_at));
  if (!m.updated_at.empty()) out += line("updated", "updated at " + quote_string(m.updated_at));
  out += "\n" + line("up", "up {");
  for (const auto& s : m.up) out += step(s, in + kIndent);
  out += in + "}\n";
  // Without a down block the compiler derives the down steps; the derived ones are not
  // printed, so the migration reads as it was written.
  if (!m.automatic_down) {
    out += "\n" + line("down", "down {");
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
      // Each item with the anchor of its comments; a run of columns one `use` gave is that
      // `use` again, and the group's constraints come with it. The front end adds constraints
      // in the order of the items that declare them, so a constraint written before a `use`
      // whose group has constraints is printed before that `use`.
      std::vector<std::pair<CommentAnchor, std::string>> items;
      std::vector<std::string> constraint_texts;
      std::vector<bool> from_group;
      std::size_t checks = 0;  // default check names count the checks, as normalize() does
      for (const auto& constraint : c.constraints) {
        if (constraint.kind == ir::Constraint::Kind::Check) ++checks;
        constraint_texts.push_back(table_constraint(
            constraint, schema::default_constraint_name(c.table, constraint, checks), inner));
        from_group.push_back(hooks_ && !hooks_->group_at(constraint.location).empty());
      }
      std::size_t next_constraint = 0;
      auto constraints_before = [&](std::size_t end) {
        for (; next_constraint < end; ++next_constraint)
          if (!from_group[next_constraint])
            items.emplace_back(node_anchor(c.constraints[next_constraint].location),
                               constraint_texts[next_constraint]);
      };
      for (const auto& column : c.columns) {
        std::string group = hooks_ ? hooks_->group_at(column.location) : "";
        CommentAnchor anchor = node_anchor(column.location);
        if (group.empty()) {
          items.emplace_back(anchor, column_def(column, inner));
        } else if (items.empty() || items.back().second != "use " + group ||
                   items.back().first.line != anchor.line ||
                   items.back().first.column != anchor.column) {
          for (std::size_t i = next_constraint; i < c.constraints.size(); ++i)
            if (from_group[i] && c.constraints[i].location.line == anchor.line &&
                c.constraints[i].location.column == anchor.column) {
              constraints_before(i);
              break;
            }
          items.emplace_back(anchor, "use " + group);
        }
      }
      constraints_before(c.constraints.size());
      if (!c.comment.empty())
        items.emplace_back(CommentAnchor{}, "comment " + quote_string(c.comment));
      for (std::size_t i = 0; i < items.size(); ++i)
        out += "\n" + leading(items[i].first, inner) + inner + items[i].second +
               (i + 1 < items.size() ? "," : "") + trailing(items[i].first);
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

std::string print_dsl(const std::vector<ir::Migration>& migrations, PrintHooks& hooks) {
  HooksScope scope(&hooks);
  std::string out;
  if (!migrations.empty())
    out += with_comments(CommentAnchor{0, 0, "plugin"}, "",
                         "plugin " + name_text(migrations[0].plugin_id) + "\n");
  std::string preamble = hooks.preamble();
  if (!preamble.empty()) out += "\n" + preamble;
  for (const auto& m : migrations) out += "\n" + migration(m);
  return out + hooks.epilogue();
}

}  // namespace migpkg::dsl
