#include "compiler/schema/automatic_down.hpp"

#include <algorithm>

namespace migpkg::schema {
namespace {

using Kind = ir::SchemaChange::Kind;

ir::SchemaChange make(Kind kind, const ir::SchemaChange& from) {
  ir::SchemaChange out;
  out.kind = kind;
  out.location = from.location;
  return out;
}

ir::SchemaChange create_index_of(const ir::Index& index, const ir::SchemaChange& from) {
  ir::SchemaChange out = make(Kind::CreateIndex, from);
  out.index = index;
  return out;
}

ir::SchemaChange add_constraint_of(const std::string& table, const ir::Constraint& constraint,
                                   const ir::SchemaChange& from) {
  ir::SchemaChange out = make(Kind::AddConstraint, from);
  out.table = table;
  out.constraints = {constraint};
  return out;
}

}  // namespace

std::optional<Inverse> inverse_of(const ir::SchemaChange& c, const SchemaModel& before,
                                  std::string* why) {
  Inverse out;
  auto unknown_table = [&](const std::string& table) -> std::optional<Inverse> {
    *why = "table \"" + table +
           "\" was not created by a declarative change, so its structure is unknown";
    return std::nullopt;
  };
  switch (c.kind) {
    case Kind::CreateTable: {
      ir::SchemaChange drop = make(Kind::DropTable, c);
      drop.table = c.table;
      out.changes.push_back(drop);
      break;
    }
    case Kind::DropTable: {
      const Table* t = before.find_table(c.table);
      if (!t) return unknown_table(c.table);
      ir::SchemaChange create = make(Kind::CreateTable, c);
      create.table = t->name;
      create.columns = t->columns;
      create.constraints = t->constraints;
      create.comment = t->comment;
      out.changes.push_back(create);
      for (const auto& index : t->indexes) out.changes.push_back(create_index_of(index, c));
      out.data_loss = "recreates table \"" + t->name + "\" but not its rows";
      break;
    }
    case Kind::RenameTable: {
      ir::SchemaChange back = make(Kind::RenameTable, c);
      back.table = c.new_name;
      back.new_name = c.table;
      out.changes.push_back(back);
      break;
    }
    case Kind::AddColumn: {
      ir::SchemaChange drop = make(Kind::DropColumn, c);
      drop.table = c.table;
      drop.column = c.columns.empty() ? "" : c.columns.front().name;
      out.changes.push_back(drop);
      break;
    }
    case Kind::DropColumn: {
      const Table* t = before.find_table(c.table);
      if (!t) return unknown_table(c.table);
      const ir::Column* column = t->find_column(c.column);
      if (!column) {
        *why = "table \"" + c.table + "\" has no column \"" + c.column + "\"";
        return std::nullopt;
      }
      ir::SchemaChange add = make(Kind::AddColumn, c);
      add.table = t->name;
      add.columns = {*column};
      // Back in its place: first, after its former predecessor, or (unset) last.
      std::size_t position = static_cast<std::size_t>(column - t->columns.data());
      if (position + 1 < t->columns.size())
        add.after_column = position == 0 ? "" : t->columns[position - 1].name;
      out.changes.push_back(add);
      // What dropping the column dropped with it.
      for (const auto& constraint : t->constraints)
        if (t->uses_column(constraint, c.column))
          out.changes.push_back(add_constraint_of(t->name, constraint, c));
      for (const auto& index : t->indexes)
        if (t->uses_column(index, c.column)) out.changes.push_back(create_index_of(index, c));
      out.data_loss =
          "recreates column \"" + c.column + "\" of table \"" + t->name + "\" but not its values";
      break;
    }
    case Kind::RenameColumn: {
      ir::SchemaChange back = make(Kind::RenameColumn, c);
      back.table = c.table;
      back.column = c.new_name;
      back.new_name = c.column;
      out.changes.push_back(back);
      break;
    }
    case Kind::AlterColumn: {
      const Table* t = before.find_table(c.table);
      if (!t) return unknown_table(c.table);
      const ir::Column* column = t->find_column(c.column);
      if (!column) {
        *why = "table \"" + c.table + "\" has no column \"" + c.column + "\"";
        return std::nullopt;
      }
      ir::SchemaChange back = make(Kind::AlterColumn, c);
      back.table = c.table;
      back.column = c.column;
      if (c.set_type) back.set_type = column->type;
      if (c.set_nullable) back.set_nullable = column->nullable;
      if (c.set_default || c.drop_default) {
        if (column->default_value)
          back.set_default = column->default_value;
        else
          back.drop_default = true;
      }
      out.changes.push_back(back);
      break;
    }
    case Kind::AddConstraint: {
      ir::SchemaChange drop = make(Kind::DropConstraint, c);
      drop.table = c.table;
      drop.constraint_name = c.constraints.empty() ? "" : c.constraints.front().name;
      out.changes.push_back(drop);
      break;
    }
    case Kind::DropConstraint: {
      const Table* t = before.find_table(c.table);
      if (!t) return unknown_table(c.table);
      const ir::Constraint* constraint = t->find_constraint(c.constraint_name);
      if (!constraint) {
        *why = "table \"" + c.table + "\" has no constraint \"" + c.constraint_name + "\"";
        return std::nullopt;
      }
      out.changes.push_back(add_constraint_of(t->name, *constraint, c));
      break;
    }
    case Kind::CreateIndex: {
      ir::SchemaChange drop = make(Kind::DropIndex, c);
      drop.index.name = c.index.name;
      drop.index.table = c.index.table;
      out.changes.push_back(drop);
      break;
    }
    case Kind::DropIndex: {
      const Table* t = before.table_of_index(c.index.name);
      if (!t) {
        *why = "index \"" + c.index.name +
               "\" was not created by a declarative change, so its definition is unknown";
        return std::nullopt;
      }
      for (const auto& index : t->indexes)
        if (index.name == c.index.name) out.changes.push_back(create_index_of(index, c));
      break;
    }
    case Kind::CreateView: {
      ir::SchemaChange drop = make(Kind::DropView, c);
      drop.view.name = c.view.name;
      out.changes.push_back(drop);
      break;
    }
    case Kind::DropView: {
      const ir::View* view = before.find_view(c.view.name);
      if (!view) {
        *why = "view \"" + c.view.name +
               "\" was not created by a declarative change, so its query is unknown";
        return std::nullopt;
      }
      ir::SchemaChange create = make(Kind::CreateView, c);
      create.view = *view;
      out.changes.push_back(create);
      break;
    }
    case Kind::CreateExtension:
    case Kind::DropExtension: {
      ir::SchemaChange back =
          make(c.kind == Kind::CreateExtension ? Kind::DropExtension : Kind::CreateExtension, c);
      back.extension = c.extension;
      out.changes.push_back(back);
      break;
    }
    case Kind::SetComment: {
      const Table* t = before.find_table(c.table);
      if (!t) return unknown_table(c.table);
      ir::SchemaChange back = make(Kind::SetComment, c);
      back.table = c.table;
      back.column = c.column;
      if (c.column.empty()) {
        back.comment = t->comment;
      } else {
        const ir::Column* column = t->find_column(c.column);
        back.comment = column ? column->comment : "";
      }
      out.changes.push_back(back);
      break;
    }
  }
  return out;
}

}  // namespace migpkg::schema
