#include "compiler/ir/schema_change_json.hpp"

#include "compiler/schema/type_names.hpp"

namespace migpkg {
namespace {

using ojson = nlohmann::ordered_json;
using Kind = ir::SchemaChange::Kind;

ojson strings_json(const std::vector<std::string>& items) {
  ojson out = ojson::array();
  for (const auto& item : items) out.push_back(item);
  return out;
}

ojson default_json(const ir::ColumnDefault& d) {
  switch (d.kind) {
    case ir::ColumnDefault::Kind::Literal:
      return {{"value", literal_json(d.literal)}};
    case ir::ColumnDefault::Kind::Now:
      return {{"function", "now"}};
    case ir::ColumnDefault::Kind::Uuid:
      return {{"function", "uuid"}};
    case ir::ColumnDefault::Kind::Json:
      return {{"json", ojson::parse(d.text)}};
    case ir::ColumnDefault::Kind::Expression:
      return {{"sql", d.text}};
  }
  return nullptr;
}

ojson column_json(const ir::Column& c) {
  ojson out;
  out["name"] = c.name;
  out["type"] = schema::type_name(c.type);
  out["nullable"] = c.nullable;
  if (c.default_value) out["default"] = default_json(*c.default_value);
  if (!c.comment.empty()) out["comment"] = c.comment;
  return out;
}

ojson constraint_json(const ir::Constraint& c) {
  ojson out;
  out["kind"] = ir::to_string(c.kind);
  out["name"] = c.name;
  if (c.kind == ir::Constraint::Kind::Check) {
    out["check"] = c.check;
    return out;
  }
  out["columns"] = strings_json(c.columns);
  if (c.kind == ir::Constraint::Kind::ForeignKey) {
    out["references"] = {{"table", c.ref_table}, {"columns", strings_json(c.ref_columns)}};
    if (c.on_delete != ir::ReferentialAction::NoAction)
      out["onDelete"] = ir::to_string(c.on_delete);
    if (c.on_update != ir::ReferentialAction::NoAction)
      out["onUpdate"] = ir::to_string(c.on_update);
  }
  return out;
}

ojson body_json(const ir::SchemaChange& c) {
  ojson out = ojson::object();
  switch (c.kind) {
    case Kind::CreateTable: {
      out["table"] = c.table;
      ojson columns = ojson::array();
      for (const auto& column : c.columns) columns.push_back(column_json(column));
      out["columns"] = columns;
      if (!c.constraints.empty()) {
        ojson constraints = ojson::array();
        for (const auto& constraint : c.constraints)
          constraints.push_back(constraint_json(constraint));
        out["constraints"] = constraints;
      }
      if (!c.comment.empty()) out["comment"] = c.comment;
      break;
    }
    case Kind::DropTable:
      out["table"] = c.table;
      break;
    case Kind::RenameTable:
      out["table"] = c.table;
      out["newName"] = c.new_name;
      break;
    case Kind::AddColumn:
      out["table"] = c.table;
      if (!c.columns.empty()) out["column"] = column_json(c.columns.front());
      if (c.after_column) out["after"] = *c.after_column;
      break;
    case Kind::DropColumn:
      out["table"] = c.table;
      out["column"] = c.column;
      break;
    case Kind::RenameColumn:
      out["table"] = c.table;
      out["column"] = c.column;
      out["newName"] = c.new_name;
      break;
    case Kind::AlterColumn:
      out["table"] = c.table;
      out["column"] = c.column;
      if (c.set_type) out["type"] = schema::type_name(*c.set_type);
      if (c.set_nullable) out["nullable"] = *c.set_nullable;
      if (c.set_default)
        out["default"] = default_json(*c.set_default);
      else if (c.drop_default)
        out["default"] = nullptr;
      break;
    case Kind::AddConstraint:
      out["table"] = c.table;
      if (!c.constraints.empty()) out["constraint"] = constraint_json(c.constraints.front());
      break;
    case Kind::DropConstraint:
      out["table"] = c.table;
      out["constraint"] = c.constraint_name;
      break;
    case Kind::CreateIndex:
      out["name"] = c.index.name;
      out["table"] = c.index.table;
      out["columns"] = strings_json(c.index.columns);
      if (c.index.unique) out["unique"] = true;
      if (!c.index.where.empty()) out["where"] = c.index.where;
      break;
    case Kind::DropIndex:
      out["name"] = c.index.name;
      if (!c.index.table.empty()) out["table"] = c.index.table;
      break;
    case Kind::CreateView:
      out["name"] = c.view.name;
      out["query"] = c.view.query;
      break;
    case Kind::DropView:
      out["name"] = c.view.name;
      break;
    case Kind::CreateExtension:
    case Kind::DropExtension:
      out["name"] = c.extension;
      break;
    case Kind::SetComment:
      out["table"] = c.table;
      if (!c.column.empty()) out["column"] = c.column;
      out["comment"] = c.comment;
      break;
  }
  return out;
}

}  // namespace

ojson literal_json(const ir::Literal& literal) {
  switch (literal.kind) {
    case ir::Literal::Kind::Null:
      return nullptr;
    case ir::Literal::Kind::Bool:
      return literal.boolean;
    case ir::Literal::Kind::Integer:
      return literal.integer;
    case ir::Literal::Kind::Real:
      return literal.real;
    case ir::Literal::Kind::String:
      return literal.text;
  }
  return nullptr;
}

ojson schema_change_json(const ir::SchemaChange& change) {
  ojson out;
  out[ir::to_string(change.kind)] = body_json(change);
  return out;
}

}  // namespace migpkg
