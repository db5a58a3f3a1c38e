#include "compiler/schema/schema_diff.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "compiler/schema/type_names.hpp"

namespace migpkg::schema {
namespace {

using Kind = ir::SchemaChange::Kind;

std::string quoted(const std::string& name) {
  return "\"" + name + "\"";
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + quoted(name);
  return out;
}

std::string literal_text(const ir::Literal& literal) {
  switch (literal.kind) {
    case ir::Literal::Kind::Null:
      return "null";
    case ir::Literal::Kind::Bool:
      return literal.boolean ? "true" : "false";
    case ir::Literal::Kind::Integer:
      return std::to_string(literal.integer);
    case ir::Literal::Kind::Real:
      return literal.text.empty() ? std::to_string(literal.real) : literal.text;
    case ir::Literal::Kind::String:
      return "'" + literal.text + "'";
  }
  return "";
}

// A default as one comparable text ("" for none).
std::string default_text(const Boxed<ir::ColumnDefault>& value) {
  if (!value) return "";
  switch (value->kind) {
    case ir::ColumnDefault::Kind::Literal:
      return literal_text(value->literal);
    case ir::ColumnDefault::Kind::Now:
      return "now()";
    case ir::ColumnDefault::Kind::Uuid:
      return "uuid()";
    case ir::ColumnDefault::Kind::Json:
      return "json " + value->text;
    case ir::ColumnDefault::Kind::Expression:
      return "sql " + value->text;
  }
  return "";
}

std::string column_line(const ir::Column& column) {
  std::string line = "column " + quoted(column.name) + " " + type_name(column.type);
  if (!column.nullable) line += " not null";
  if (column.default_value) line += " default " + default_text(column.default_value);
  if (!column.comment.empty()) line += " comment '" + column.comment + "'";
  return line;
}

// What a constraint or index is, without its name: equal keys are the same thing (a unique
// constraint and a plain unique index on the same columns share theirs).
std::string constraint_key(const ir::Constraint& c) {
  switch (c.kind) {
    case ir::Constraint::Kind::PrimaryKey:
      return "primary key (" + joined(c.columns) + ")";
    case ir::Constraint::Kind::Unique:
      return "unique (" + joined(c.columns) + ")";
    case ir::Constraint::Kind::ForeignKey:
      return "foreign key (" + joined(c.columns) + ") references " + quoted(c.ref_table) + " (" +
             joined(c.ref_columns) + ") on delete " + ir::to_string(c.on_delete) + " on update " +
             ir::to_string(c.on_update);
    case ir::Constraint::Kind::Check:
      return "check (" + c.check + ")";
  }
  return "";
}

std::string index_key(const ir::Index& index) {
  if (index.unique && index.where.empty()) return "unique (" + joined(index.columns) + ")";
  return std::string(index.unique ? "unique index (" : "index (") + joined(index.columns) + ")" +
         (index.where.empty() ? "" : " where " + index.where);
}

// A table's constraints and indexes by key.
struct Element {
  const ir::Constraint* constraint = nullptr;
  const ir::Index* index = nullptr;
};
std::map<std::string, Element> elements_of(const Table& table) {
  std::map<std::string, Element> out;
  for (const ir::Constraint& c : table.constraints) out[constraint_key(c)].constraint = &c;
  for (const ir::Index& index : table.indexes) {
    Element& element = out[index_key(index)];
    if (!element.constraint) element.index = &index;
  }
  return out;
}

bool is_foreign_key(const Element& element) {
  return element.constraint && element.constraint->kind == ir::Constraint::Kind::ForeignKey;
}

// serial and bigserial compare as the integers they are: a catalog does not always tell a
// counter from a plain key (SQLite's INTEGER PRIMARY KEY is one either way).
ir::ColumnType counted(ir::ColumnType type) {
  if (type.kind == ir::ColumnType::Kind::Serial) type.kind = ir::ColumnType::Kind::Int32;
  if (type.kind == ir::ColumnType::Kind::BigSerial) type.kind = ir::ColumnType::Kind::Int64;
  return type;
}

bool in_primary_key(const Table& table, const std::string& column) {
  const ir::Constraint* key = table.primary_key();
  return key && std::find(key->columns.begin(), key->columns.end(), column) != key->columns.end();
}

ir::SchemaChange change_of(Kind kind, const std::string& table) {
  ir::SchemaChange change;
  change.kind = kind;
  change.table = table;
  return change;
}

ir::SchemaChange adding(const std::string& table, const Element& element) {
  if (element.index) {
    ir::SchemaChange change = change_of(Kind::CreateIndex, table);
    change.index = *element.index;
    change.index.table = table;
    return change;
  }
  ir::SchemaChange change = change_of(Kind::AddConstraint, table);
  change.constraints.push_back(*element.constraint);
  return change;
}

ir::SchemaChange dropping(const std::string& table, const Element& element) {
  if (element.index) {
    ir::SchemaChange change = change_of(Kind::DropIndex, table);
    change.index.name = element.index->name;
    change.index.table = table;
    return change;
  }
  ir::SchemaChange change = change_of(Kind::DropConstraint, table);
  change.constraint_name = element.constraint->name;
  return change;
}

// Tables in an order where every table comes after the tables it references (among `names`);
// a reference that closes a cycle is listed in `cyclic` (table -> referenced tables).
std::vector<std::string> parents_first(const SchemaModel& model,
                                       const std::vector<std::string>& names,
                                       std::set<std::pair<std::string, std::string>>& cyclic) {
  std::set<std::string> wanted(names.begin(), names.end());
  std::vector<std::string> order;
  std::map<std::string, int> state;  // 1 visiting, 2 done
  std::function<void(const std::string&)> visit = [&](const std::string& name) {
    state[name] = 1;
    for (const ir::Constraint& c : model.find_table(name)->constraints) {
      if (c.kind != ir::Constraint::Kind::ForeignKey || c.ref_table == name ||
          !wanted.count(c.ref_table))
        continue;
      if (state[c.ref_table] == 1)
        cyclic.insert({name, c.ref_table});
      else if (state[c.ref_table] == 0)
        visit(c.ref_table);
    }
    state[name] = 2;
    order.push_back(name);
  };
  for (const std::string& name : names)
    if (state[name] == 0) visit(name);
  return order;
}

class Differ {
 public:
  Differ(const SchemaModel& from, const SchemaModel& to) : from_(from), to_(to) {}

  std::vector<ir::SchemaChange> run() {
    std::vector<std::string> dropped, created, kept;
    for (const std::string& name : from_.table_names())
      (to_.find_table(name) ? kept : dropped).push_back(name);
    for (const std::string& name : to_.table_names())
      if (!from_.find_table(name)) created.push_back(name);

    for (const ir::View& view : from_.views()) {
      const ir::View* wanted = to_.find_view(view.name);
      if (wanted && wanted->query == view.query) continue;
      ir::SchemaChange drop = change_of(Kind::DropView, "");
      drop.view.name = view.name;
      out_.push_back(drop);
    }
    for (const std::string& extension : to_.extensions())
      if (!from_.has_extension(extension)) {
        ir::SchemaChange create = change_of(Kind::CreateExtension, "");
        create.extension = extension;
        out_.push_back(create);
      }
    // What goes away on the tables that stay, foreign keys first: the tables they point at
    // may be dropped next.
    for (bool foreign : {true, false})
      for (const std::string& name : kept) drop_elements(name, foreign);
    drop_tables(dropped);
    for (const std::string& name : kept) change_columns(name);
    create_tables(created);
    for (bool foreign : {false, true})
      for (const std::string& name : kept) add_elements(name, foreign);
    for (const ir::View& view : to_.views()) {
      const ir::View* had = from_.find_view(view.name);
      if (had && had->query == view.query) continue;
      ir::SchemaChange create = change_of(Kind::CreateView, "");
      create.view = view;
      out_.push_back(create);
    }
    for (const std::string& extension : from_.extensions())
      if (!to_.has_extension(extension)) {
        ir::SchemaChange drop = change_of(Kind::DropExtension, "");
        drop.extension = extension;
        out_.push_back(drop);
      }
    return std::move(out_);
  }

 private:
  void drop_elements(const std::string& name, bool foreign) {
    std::map<std::string, Element> wanted = elements_of(*to_.find_table(name));
    for (const auto& [key, element] : elements_of(*from_.find_table(name)))
      if (is_foreign_key(element) == foreign && !wanted.count(key))
        out_.push_back(dropping(name, element));
  }

  void add_elements(const std::string& name, bool foreign) {
    std::map<std::string, Element> had = elements_of(*from_.find_table(name));
    for (const auto& [key, element] : elements_of(*to_.find_table(name)))
      if (is_foreign_key(element) == foreign && !had.count(key))
        out_.push_back(adding(name, element));
  }

  // Children first (the reverse of parents first); a foreign key in a cycle is dropped before
  // its table, so every drop runs and its automatic down re-creates the tables parents first.
  void drop_tables(const std::vector<std::string>& names) {
    std::set<std::pair<std::string, std::string>> cyclic;
    std::vector<std::string> order = parents_first(from_, names, cyclic);
    for (const auto& [child, parent] : cyclic)
      for (const ir::Constraint& c : from_.find_table(child)->constraints)
        if (c.kind == ir::Constraint::Kind::ForeignKey && c.ref_table == parent)
          out_.push_back(dropping(child, Element{&c, nullptr}));
    for (auto it = order.rbegin(); it != order.rend(); ++it)
      out_.push_back(change_of(Kind::DropTable, *it));
  }

  void create_tables(const std::vector<std::string>& names) {
    std::set<std::pair<std::string, std::string>> cyclic;
    std::vector<ir::SchemaChange> later;
    for (const std::string& name : parents_first(to_, names, cyclic)) {
      const Table& table = *to_.find_table(name);
      ir::SchemaChange create = change_of(Kind::CreateTable, name);
      create.columns = table.columns;
      create.comment = table.comment;
      for (const ir::Constraint& c : table.constraints) {
        if (c.kind == ir::Constraint::Kind::ForeignKey && cyclic.count({name, c.ref_table}))
          later.push_back(adding(name, Element{&c, nullptr}));
        else
          create.constraints.push_back(c);
      }
      out_.push_back(std::move(create));
      for (const ir::Index& index : table.indexes) out_.push_back(adding(name, {nullptr, &index}));
    }
    out_.insert(out_.end(), later.begin(), later.end());
  }

  void change_columns(const std::string& name) {
    const Table& had = *from_.find_table(name);
    const Table& wanted = *to_.find_table(name);
    for (const ir::Column& column : had.columns)
      if (!wanted.find_column(column.name)) {
        ir::SchemaChange drop = change_of(Kind::DropColumn, name);
        drop.column = column.name;
        out_.push_back(drop);
      }
    for (std::size_t i = 0; i < wanted.columns.size(); ++i) {
      const ir::Column& column = wanted.columns[i];
      const ir::Column* old = had.find_column(column.name);
      if (!old) {
        add_column(name, wanted, i);
        continue;
      }
      ir::SchemaChange alter = change_of(Kind::AlterColumn, name);
      alter.column = column.name;
      if (type_name(counted(old->type)) != type_name(counted(column.type)))
        alter.set_type = column.type;
      // A primary key's columns are NOT NULL however they were declared.
      if (old->nullable != column.nullable &&
          !(in_primary_key(had, column.name) && in_primary_key(wanted, column.name)))
        alter.set_nullable = column.nullable;
      if (default_text(old->default_value) != default_text(column.default_value)) {
        if (column.default_value)
          alter.set_default = *column.default_value;
        else
          alter.drop_default = true;
      }
      if (alter.set_type || alter.set_nullable || alter.set_default || alter.drop_default)
        out_.push_back(std::move(alter));
      if (old->comment != column.comment) {
        ir::SchemaChange comment = change_of(Kind::SetComment, name);
        comment.column = column.name;
        comment.comment = column.comment;
        out_.push_back(comment);
      }
    }
    if (had.comment != wanted.comment) {
      ir::SchemaChange comment = change_of(Kind::SetComment, name);
      comment.comment = wanted.comment;
      out_.push_back(comment);
    }
  }

  // After the column that precedes it in the target, unless every column after it is new too
  // (then it simply goes last).
  void add_column(const std::string& name, const Table& wanted, std::size_t i) {
    const Table& had = *from_.find_table(name);
    ir::SchemaChange add = change_of(Kind::AddColumn, name);
    add.columns.push_back(wanted.columns[i]);
    bool last = true;
    for (std::size_t j = i + 1; j < wanted.columns.size(); ++j)
      last = last && !had.find_column(wanted.columns[j].name);
    if (!last) add.after_column = i == 0 ? "" : wanted.columns[i - 1].name;
    out_.push_back(std::move(add));
  }

  const SchemaModel& from_;
  const SchemaModel& to_;
  std::vector<ir::SchemaChange> out_;
};

}  // namespace

std::vector<ir::SchemaChange> diff_schemas(const SchemaModel& from, const SchemaModel& to) {
  return Differ(from, to).run();
}

std::vector<std::string> describe_schema(const SchemaModel& model) {
  std::vector<std::string> lines;
  for (const std::string& name : model.table_names()) {
    const Table& table = *model.find_table(name);
    const std::string prefix = "table " + quoted(name);
    lines.push_back(prefix + (table.comment.empty() ? "" : " comment '" + table.comment + "'"));
    for (std::size_t i = 0; i < table.columns.size(); ++i)
      lines.push_back(prefix + " " + std::to_string(i + 1) + " " + column_line(table.columns[i]));
    for (const ir::Constraint& c : table.constraints)
      lines.push_back(prefix + " constraint " + quoted(c.name) + " " + constraint_key(c));
    for (const ir::Index& index : table.indexes)
      lines.push_back(prefix + " index " + quoted(index.name) + " " +
                      (index.unique ? "unique " : "") + "(" + joined(index.columns) + ")" +
                      (index.where.empty() ? "" : " where " + index.where));
  }
  for (const ir::View& view : model.views())
    lines.push_back("view " + quoted(view.name) + " " + view.query);
  for (const std::string& extension : model.extensions())
    lines.push_back("extension " + quoted(extension));
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::string describe_change(const ir::SchemaChange& c) {
  const std::string table = quoted(c.table);
  switch (c.kind) {
    case Kind::CreateTable:
      return "create table " + table;
    case Kind::DropTable:
      return "drop table " + table;
    case Kind::RenameTable:
      return "rename table " + table + " to " + quoted(c.new_name);
    case Kind::AddColumn:
      return "add column " + table + "." + quoted(c.columns.at(0).name);
    case Kind::DropColumn:
      return "drop column " + table + "." + quoted(c.column);
    case Kind::RenameColumn:
      return "rename column " + table + "." + quoted(c.column) + " to " + quoted(c.new_name);
    case Kind::AlterColumn: {
      std::string what;
      if (c.set_type) what += " type " + type_name(*c.set_type);
      if (c.set_nullable) what += *c.set_nullable ? " null" : " not null";
      if (c.set_default) what += " default " + default_text(c.set_default);
      if (c.drop_default) what += " drop default";
      return "alter column " + table + "." + quoted(c.column) + ":" + what;
    }
    case Kind::AddConstraint:
      return "add constraint " + quoted(c.constraints.at(0).name) + " on " + table + ": " +
             constraint_key(c.constraints.at(0));
    case Kind::DropConstraint:
      return "drop constraint " + quoted(c.constraint_name) + " on " + table;
    case Kind::CreateIndex:
      return "create index " + quoted(c.index.name) + " on " + table + " " + index_key(c.index);
    case Kind::DropIndex:
      return "drop index " + quoted(c.index.name) + " on " + table;
    case Kind::CreateView:
      return "create view " + quoted(c.view.name);
    case Kind::DropView:
      return "drop view " + quoted(c.view.name);
    case Kind::CreateExtension:
      return "create extension " + quoted(c.extension);
    case Kind::DropExtension:
      return "drop extension " + quoted(c.extension);
    case Kind::SetComment:
      return "set comment on " + table + (c.column.empty() ? "" : "." + quoted(c.column));
  }
  return "";
}

bool destroys_data(const ir::SchemaChange& change) {
  return change.kind == Kind::DropTable || change.kind == Kind::DropColumn ||
         (change.kind == Kind::AlterColumn && change.set_type);
}

}  // namespace migpkg::schema
