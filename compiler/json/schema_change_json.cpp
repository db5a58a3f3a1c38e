#include "compiler/json/schema_change_json.hpp"

#include "compiler/schema/type_names.hpp"

namespace migpkg {
namespace {

using Kind = ir::SchemaChange::Kind;

void write_default(JsonWriter& out, const ir::ColumnDefault& d) {
  out.begin_object();
  switch (d.kind) {
    case ir::ColumnDefault::Kind::Literal:
      out.key("value");
      write_literal(out, d.literal);
      break;
    case ir::ColumnDefault::Kind::Now:
      out.member("function", "now");
      break;
    case ir::ColumnDefault::Kind::Uuid:
      out.member("function", "uuid");
      break;
    case ir::ColumnDefault::Kind::Json:
      // Re-read so that the text is written in the canonical (compact, or indented) form.
      out.member("json", nlohmann::ordered_json::parse(d.text));
      break;
    case ir::ColumnDefault::Kind::Expression:
      out.member("sql", d.text);
      break;
  }
  out.end_object();
}

void write_column(JsonWriter& out, const ir::Column& c) {
  out.begin_object();
  out.member("name", c.name);
  out.member("type", schema::type_name(c.type));
  out.member("nullable", c.nullable);
  if (c.default_value) {
    out.key("default");
    write_default(out, *c.default_value);
  }
  if (!c.comment.empty()) out.member("comment", c.comment);
  out.end_object();
}

void write_constraint(JsonWriter& out, const ir::Constraint& c) {
  out.begin_object();
  out.member("kind", ir::to_string(c.kind));
  out.member("name", c.name);
  if (c.kind == ir::Constraint::Kind::Check) {
    out.member("check", c.check);
    out.end_object();
    return;
  }
  out.member("columns", c.columns);
  if (c.kind == ir::Constraint::Kind::ForeignKey) {
    out.key("references").begin_object();
    out.member("table", c.ref_table).member("columns", c.ref_columns);
    out.end_object();
    if (c.on_delete != ir::ReferentialAction::NoAction)
      out.member("onDelete", ir::to_string(c.on_delete));
    if (c.on_update != ir::ReferentialAction::NoAction)
      out.member("onUpdate", ir::to_string(c.on_update));
  }
  out.end_object();
}

void write_body(JsonWriter& out, const ir::SchemaChange& c) {
  out.begin_object();
  switch (c.kind) {
    case Kind::CreateTable:
      out.member("table", c.table);
      out.key("columns").begin_array();
      for (const auto& column : c.columns) write_column(out, column);
      out.end_array();
      if (!c.constraints.empty()) {
        out.key("constraints").begin_array();
        for (const auto& constraint : c.constraints) write_constraint(out, constraint);
        out.end_array();
      }
      if (!c.comment.empty()) out.member("comment", c.comment);
      break;
    case Kind::DropTable:
      out.member("table", c.table);
      break;
    case Kind::RenameTable:
      out.member("table", c.table);
      out.member("newName", c.new_name);
      break;
    case Kind::AddColumn:
      out.member("table", c.table);
      if (!c.columns.empty()) {
        out.key("column");
        write_column(out, c.columns.front());
      }
      if (c.after_column) out.member("after", *c.after_column);
      break;
    case Kind::DropColumn:
      out.member("table", c.table);
      out.member("column", c.column);
      break;
    case Kind::RenameColumn:
      out.member("table", c.table);
      out.member("column", c.column);
      out.member("newName", c.new_name);
      break;
    case Kind::AlterColumn:
      out.member("table", c.table);
      out.member("column", c.column);
      if (c.set_type) out.member("type", schema::type_name(*c.set_type));
      if (c.set_nullable) out.member("nullable", *c.set_nullable);
      if (c.set_default) {
        out.key("default");
        write_default(out, *c.set_default);
      } else if (c.drop_default) {
        out.key("default").null();
      }
      break;
    case Kind::AddConstraint:
      out.member("table", c.table);
      if (!c.constraints.empty()) {
        out.key("constraint");
        write_constraint(out, c.constraints.front());
      }
      break;
    case Kind::DropConstraint:
      out.member("table", c.table);
      out.member("constraint", c.constraint_name);
      break;
    case Kind::CreateIndex:
      out.member("name", c.index.name);
      out.member("table", c.index.table);
      out.member("columns", c.index.columns);
      if (c.index.unique) out.member("unique", true);
      if (!c.index.where.empty()) out.member("where", c.index.where);
      break;
    case Kind::DropIndex:
      out.member("name", c.index.name);
      if (!c.index.table.empty()) out.member("table", c.index.table);
      break;
    case Kind::CreateView:
      out.member("name", c.view.name);
      out.member("query", c.view.query);
      break;
    case Kind::DropView:
      out.member("name", c.view.name);
      break;
    case Kind::CreateExtension:
    case Kind::DropExtension:
      out.member("name", c.extension);
      break;
    case Kind::SetComment:
      out.member("table", c.table);
      if (!c.column.empty()) out.member("column", c.column);
      out.member("comment", c.comment);
      break;
  }
  out.end_object();
}

}  // namespace

void write_literal(JsonWriter& out, const ir::Literal& literal) {
  switch (literal.kind) {
    case ir::Literal::Kind::Null:
      out.null();
      return;
    case ir::Literal::Kind::Bool:
      out.value(literal.boolean);
      return;
    case ir::Literal::Kind::Integer:
      out.value(literal.integer);
      return;
    case ir::Literal::Kind::Real:
      out.value(literal.real);
      return;
    case ir::Literal::Kind::String:
      out.value(literal.text);
      return;
  }
  out.null();
}

void write_schema_change(JsonWriter& out, const ir::SchemaChange& change) {
  out.begin_object().key(ir::to_string(change.kind));
  write_body(out, change);
  out.end_object();
}

}  // namespace migpkg
