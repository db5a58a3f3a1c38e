#include "compiler/schema/schema_model.hpp"

#include <algorithm>

namespace migpkg::schema {
namespace {

using Kind = ir::SchemaChange::Kind;

template <typename T, typename Name>
std::vector<std::string> names_of(const std::vector<T>& items, Name name) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(name(item));
  return out;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string suggestion = closest_match(word, candidates);
  return suggestion.empty() ? "" : "did you mean \"" + suggestion + "\"?";
}

bool mentions(const std::vector<std::string>& columns, const std::string& column) {
  return std::find(columns.begin(), columns.end(), column) != columns.end();
}

void rename_in(std::vector<std::string>& columns, const std::string& from, const std::string& to) {
  for (auto& column : columns)
    if (column == from) column = to;
}

// Applies one change to a copy of the model, reporting problems; the caller keeps the copy
// only when nothing went wrong.
class Applier {
 public:
  Applier(SchemaModel& model, const ir::SchemaChange& change, const std::string& context,
          Diagnostics& diagnostics, std::map<std::string, Table>& tables,
          std::vector<ir::View>& views, std::vector<std::string>& extensions)
      : model_(model),
        change_(change),
        context_(context),
        diagnostics_(diagnostics),
        tables_(tables),
        views_(views),
        extensions_(extensions) {}

  void run() {
    switch (change_.kind) {
      case Kind::CreateTable:
        create_table();
        break;
      case Kind::DropTable:
        if (Table* t = table(change_.table)) erase_table(t->name);
        break;
      case Kind::RenameTable:
        rename_table();
        break;
      case Kind::AddColumn:
        if (Table* t = table(change_.table)) {
          if (change_.columns.empty()) break;
          const ir::Column& column = change_.columns.front();
          if (t->find_column(column.name)) {
            error("column-exists",
                  "table \"" + t->name + "\" already has a column \"" + column.name + "\"");
          } else if (!change_.after_column) {
            t->columns.push_back(column);
          } else if (change_.after_column->empty()) {
            t->columns.insert(t->columns.begin(), column);
          } else if (const ir::Column* after = this->column(*t, *change_.after_column)) {
            t->columns.insert(t->columns.begin() + (after - t->columns.data()) + 1, column);
          }
        }
        break;
      case Kind::DropColumn:
        drop_column();
        break;
      case Kind::RenameColumn:
        rename_column();
        break;
      case Kind::AlterColumn:
        if (Table* t = table(change_.table))
          if (ir::Column* c = column(*t, change_.column)) {
            if (change_.set_type) c->type = *change_.set_type;
            if (change_.set_nullable) c->nullable = *change_.set_nullable;
            if (change_.set_default) c->default_value = change_.set_default;
            if (change_.drop_default) c->default_value.reset();
          }
        break;
      case Kind::AddConstraint:
        if (Table* t = table(change_.table))
          for (const auto& constraint : change_.constraints) add_constraint(*t, constraint);
        break;
      case Kind::DropConstraint:
        drop_constraint();
        break;
      case Kind::CreateIndex:
        create_index();
        break;
      case Kind::DropIndex:
        drop_index();
        break;
      case Kind::CreateView:
        if (find_view(change_.view.name))
          error("view-exists", "view \"" + change_.view.name + "\" already exists");
        else if (model_table(change_.view.name))
          error("table-exists", "\"" + change_.view.name + "\" is already a table");
        else
          views_.push_back(change_.view);
        break;
      case Kind::DropView:
        if (find_view(change_.view.name))
          views_.erase(
              std::remove_if(views_.begin(), views_.end(),
                             [&](const ir::View& v) { return v.name == change_.view.name; }),
              views_.end());
        else if (!model_.raw_sql_seen())
          error("unknown-view", "there is no view \"" + change_.view.name + "\"",
                did_you_mean(change_.view.name,
                             names_of(views_, [](const ir::View& v) { return v.name; })));
        break;
      case Kind::CreateExtension:
        if (mentions(extensions_, change_.extension))
          error("extension-exists", "extension \"" + change_.extension + "\" is already created");
        else
          extensions_.push_back(change_.extension);
        break;
      case Kind::DropExtension:
        if (mentions(extensions_, change_.extension))
          extensions_.erase(std::find(extensions_.begin(), extensions_.end(), change_.extension));
        else if (!model_.raw_sql_seen())
          error("unknown-extension", "extension \"" + change_.extension + "\" was not created");
        break;
      case Kind::SetComment:
        if (Table* t = table(change_.table)) {
          if (change_.column.empty())
            t->comment = change_.comment;
          else if (ir::Column* c = column(*t, change_.column))
            c->comment = change_.comment;
        }
        break;
    }
  }

  bool failed() const { return failed_; }

 private:
  void error(const std::string& code, const std::string& message, const std::string& hint = {}) {
    failed_ = true;
    diagnostics_.error(code, change_.location, context_ + ": " + message, hint);
  }

  Table* model_table(const std::string& name) {
    auto it = tables_.find(name);
    return it == tables_.end() ? nullptr : &it->second;
  }

  std::vector<std::string> table_names() const {
    std::vector<std::string> out;
    for (const auto& entry : tables_) out.push_back(entry.first);
    return out;
  }

  const ir::View* find_view(const std::string& name) const {
    for (const auto& v : views_)
      if (v.name == name) return &v;
    return nullptr;
  }

  // A table the change needs. Unknown: an error, unless raw SQL may have created it.
  Table* table(const std::string& name) {
    if (Table* t = model_table(name)) return t;
    if (!model_.raw_sql_seen())
      error("unknown-table", "there is no table \"" + name + "\"",
            did_you_mean(name, table_names()));
    return nullptr;
  }

  ir::Column* column(Table& t, const std::string& name) {
    if (ir::Column* c = t.find_column(name)) return c;
    error("unknown-column", "table \"" + t.name + "\" has no column \"" + name + "\"",
          did_you_mean(name, t.column_names()));
    return nullptr;
  }

  void require_columns(Table& t, const std::vector<std::string>& columns) {
    for (const auto& name : columns) column(t, name);
  }

  void check_references(const Table& owner, const ir::Constraint& c) {
    if (c.kind != ir::Constraint::Kind::ForeignKey) return;
    Table* target = c.ref_table == owner.name ? nullptr : model_table(c.ref_table);
    const Table* referenced = c.ref_table == owner.name ? &owner : target;
    if (!referenced) return;  // another plugin's or a raw-SQL table: not checked
    for (const auto& name : c.ref_columns)
      if (!referenced->find_column(name))
        error("unknown-column",
              "referenced table \"" + referenced->name + "\" has no column \"" + name + "\"",
              did_you_mean(name, referenced->column_names()));
  }

  void add_constraint(Table& t, const ir::Constraint& c) {
    if (c.kind == ir::Constraint::Kind::PrimaryKey && t.primary_key()) {
      error("duplicate-primary-key", "table \"" + t.name + "\" already has a primary key (\"" +
                                         t.primary_key()->name + "\")");
      return;
    }
    if (t.find_constraint(c.name)) {
      error("constraint-exists",
            "table \"" + t.name + "\" already has a constraint \"" + c.name + "\"");
      return;
    }
    require_columns(t, c.columns);
    check_references(t, c);
    t.constraints.push_back(c);
  }

  void create_table() {
    if (model_table(change_.table)) {
      error("table-exists", "table \"" + change_.table + "\" already exists");
      return;
    }
    if (find_view(change_.table)) {
      error("view-exists", "\"" + change_.table + "\" is already a view");
      return;
    }
    Table t;
    t.name = change_.table;
    t.columns = change_.columns;
    t.comment = change_.comment;
    for (const auto& c : change_.constraints) add_constraint(t, c);
    std::string name = t.name;
    tables_.emplace(name, std::move(t));
  }

  void erase_table(const std::string& name) { tables_.erase(name); }

  void rename_table() {
    Table* t = table(change_.table);
    if (!t) return;
    if (model_table(change_.new_name) || find_view(change_.new_name)) {
      error("table-exists", "\"" + change_.new_name + "\" already exists");
      return;
    }
    for (auto& entry : tables_)
      for (auto& c : entry.second.constraints)
        if (c.ref_table == t->name) c.ref_table = change_.new_name;
    for (auto& index : t->indexes) index.table = change_.new_name;
    auto node = tables_.extract(t->name);
    node.key() = change_.new_name;
    node.mapped().name = change_.new_name;
    tables_.insert(std::move(node));
  }

  void drop_column() {
    Table* t = table(change_.table);
    if (!t || !column(*t, change_.column)) return;
    if (t->columns.size() == 1) {
      error("last-column", "column \"" + change_.column + "\" is the only column of table \"" +
                               t->name + "\"; drop the table instead");
      return;
    }
    // Constraints and indexes over the column go with it (the DDL drops them first).
    auto& cs = t->constraints;
    cs.erase(std::remove_if(
                 cs.begin(), cs.end(),
                 [&](const ir::Constraint& c) { return mentions(c.columns, change_.column); }),
             cs.end());
    auto& ix = t->indexes;
    ix.erase(
        std::remove_if(ix.begin(), ix.end(),
                       [&](const ir::Index& i) { return mentions(i.columns, change_.column); }),
        ix.end());
    t->columns.erase(std::remove_if(t->columns.begin(), t->columns.end(),
                                    [&](const ir::Column& c) { return c.name == change_.column; }),
                     t->columns.end());
  }

  void rename_column() {
    Table* t = table(change_.table);
    if (!t) return;
    ir::Column* c = column(*t, change_.column);
    if (!c) return;
    if (t->find_column(change_.new_name)) {
      error("column-exists",
            "table \"" + t->name + "\" already has a column \"" + change_.new_name + "\"");
      return;
    }
    c->name = change_.new_name;
    for (auto& constraint : t->constraints)
      rename_in(constraint.columns, change_.column, change_.new_name);
    for (auto& index : t->indexes) rename_in(index.columns, change_.column, change_.new_name);
    for (auto& entry : tables_)
      for (auto& constraint : entry.second.constraints)
        if (constraint.ref_table == t->name)
          rename_in(constraint.ref_columns, change_.column, change_.new_name);
  }

  void drop_constraint() {
    Table* t = table(change_.table);
    if (!t) return;
    auto& cs = t->constraints;
    auto it = std::find_if(cs.begin(), cs.end(), [&](const ir::Constraint& c) {
      return c.name == change_.constraint_name;
    });
    if (it == cs.end()) {
      error("unknown-constraint",
            "table \"" + t->name + "\" has no constraint \"" + change_.constraint_name + "\"",
            did_you_mean(change_.constraint_name,
                         names_of(cs, [](const ir::Constraint& c) { return c.name; })));
      return;
    }
    cs.erase(it);
  }

  void create_index() {
    Table* t = table(change_.index.table);
    if (!t) return;
    if (model_.table_of_index(change_.index.name)) {
      error("index-exists", "index \"" + change_.index.name + "\" already exists");
      return;
    }
    require_columns(*t, change_.index.columns);
    t->indexes.push_back(change_.index);
  }

  void drop_index() {
    if (const Table* owner = model_.table_of_index(change_.index.name)) {
      Table& t = *model_table(owner->name);
      if (!change_.index.table.empty() && change_.index.table != t.name) {
        error("unknown-index", "index \"" + change_.index.name + "\" is on table \"" + t.name +
                                   "\", not \"" + change_.index.table + "\"");
        return;
      }
      t.indexes.erase(std::find_if(t.indexes.begin(), t.indexes.end(), [&](const ir::Index& i) {
        return i.name == change_.index.name;
      }));
      return;
    }
    if (!model_.raw_sql_seen())
      error("unknown-index", "there is no index \"" + change_.index.name + "\"",
            did_you_mean(change_.index.name, model_.index_names()));
  }

  SchemaModel& model_;
  const ir::SchemaChange& change_;
  const std::string& context_;
  Diagnostics& diagnostics_;
  std::map<std::string, Table>& tables_;
  std::vector<ir::View>& views_;
  std::vector<std::string>& extensions_;
  bool failed_ = false;
};

}  // namespace

const ir::Column* Table::find_column(const std::string& column) const {
  for (const auto& c : columns)
    if (c.name == column) return &c;
  return nullptr;
}

ir::Column* Table::find_column(const std::string& column) {
  for (auto& c : columns)
    if (c.name == column) return &c;
  return nullptr;
}

const ir::Constraint* Table::find_constraint(const std::string& constraint) const {
  for (const auto& c : constraints)
    if (c.name == constraint) return &c;
  return nullptr;
}

const ir::Constraint* Table::primary_key() const {
  for (const auto& c : constraints)
    if (c.kind == ir::Constraint::Kind::PrimaryKey) return &c;
  return nullptr;
}

std::vector<std::string> Table::column_names() const {
  return names_of(columns, [](const ir::Column& c) { return c.name; });
}

const Table* SchemaModel::find_table(const std::string& name) const {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : &it->second;
}

Table* SchemaModel::find_table(const std::string& name) {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : &it->second;
}

const Table* SchemaModel::table_of_index(const std::string& index) const {
  auto it = index_owner_.find(index);
  return it == index_owner_.end() ? nullptr : find_table(it->second);
}

std::vector<std::string> SchemaModel::index_names() const {
  std::vector<std::string> out;
  for (const auto& entry : index_owner_) out.push_back(entry.first);
  return out;
}

void SchemaModel::register_indexes(const Table& table) {
  for (const auto& index : table.indexes) index_owner_[index.name] = table.name;
}

void SchemaModel::unregister_indexes(const Table& table) {
  for (const auto& index : table.indexes) {
    auto it = index_owner_.find(index.name);
    if (it != index_owner_.end() && it->second == table.name) index_owner_.erase(it);
  }
}

const ir::View* SchemaModel::find_view(const std::string& name) const {
  for (const auto& v : views_)
    if (v.name == name) return &v;
  return nullptr;
}

bool SchemaModel::has_extension(const std::string& name) const {
  return mentions(extensions_, name);
}

bool SchemaModel::apply(const ir::SchemaChange& change, const std::string& context,
                        Diagnostics& diagnostics) {
  // The change runs on the live model; a failed one is taken back from what it touched.
  Undo undo = start_undo();
  std::vector<std::string> touched = touched_tables(change);
  save_tables(undo, touched);
  Applier applier(*this, change, context, diagnostics, tables_, views_, extensions_);
  applier.run();
  if (applier.failed()) {
    restore(undo);
    return false;
  }
  // Only the touched tables changed: their indexes are registered anew.
  for (const auto& before : undo.saved) unregister_indexes(before);
  for (const auto& name : undo.names)
    if (const Table* now = find_table(name)) register_indexes(*now);
  // An open scratch scope learns the tables it had not touched yet: they were unchanged from
  // its start until this change, so their state before it is their state at the scope's start.
  if (!scratch_.empty()) {
    Undo& outer = scratch_.back();
    for (const auto& name : undo.names)
      if (!mentions(outer.names, name)) {
        outer.names.push_back(name);
        for (auto& table : undo.saved)
          if (table.name == name) outer.saved.push_back(std::move(table));
      }
  }
  return true;
}

std::optional<Table> SchemaModel::table_after(const ir::SchemaChange& change) const {
  const Table* t = find_table(change.table);
  if (!t) return std::nullopt;
  SchemaModel one;
  one.tables_.emplace(t->name, *t);
  one.register_indexes(*t);
  one.raw_sql_seen_ = true;  // the other tables are not there: do not ask for them
  Diagnostics ignored;
  if (!one.apply(change, "", ignored)) return std::nullopt;
  const Table* after =
      one.find_table(change.kind == Kind::RenameTable ? change.new_name : change.table);
  if (!after) return std::nullopt;
  return *after;
}

void SchemaModel::begin_scratch() {
  scratch_.push_back(start_undo());
}

void SchemaModel::end_scratch() {
  if (scratch_.empty()) return;
  Undo undo = std::move(scratch_.back());
  scratch_.pop_back();
  restore(undo);
}

SchemaModel::Undo SchemaModel::start_undo() const {
  Undo undo;
  undo.views = views_;
  undo.extensions = extensions_;
  undo.raw_sql_seen = raw_sql_seen_;
  return undo;
}

void SchemaModel::save_tables(Undo& undo, const std::vector<std::string>& names) const {
  for (const auto& name : names) {
    if (mentions(undo.names, name)) continue;
    undo.names.push_back(name);
    if (const Table* t = find_table(name)) undo.saved.push_back(*t);
  }
}

// Every table the change may modify, create or remove.
std::vector<std::string> SchemaModel::touched_tables(const ir::SchemaChange& change) const {
  std::vector<std::string> names{change.table};
  if (!change.new_name.empty()) names.push_back(change.new_name);
  if (!change.index.table.empty()) names.push_back(change.index.table);
  if (change.kind == Kind::DropIndex)
    if (const Table* owner = table_of_index(change.index.name)) names.push_back(owner->name);
  // Renames rewrite the foreign keys of the tables that reference the renamed one.
  if (change.kind == Kind::RenameTable || change.kind == Kind::RenameColumn)
    for (const auto& entry : tables_)
      for (const auto& c : entry.second.constraints)
        if (c.ref_table == change.table) names.push_back(entry.first);
  return names;
}

void SchemaModel::restore(const Undo& undo) {
  for (const auto& name : undo.names) {
    auto it = tables_.find(name);
    if (it == tables_.end()) continue;
    unregister_indexes(it->second);
    tables_.erase(it);
  }
  for (const auto& table : undo.saved) {
    tables_.insert_or_assign(table.name, table);
    register_indexes(table);
  }
  views_ = undo.views;
  extensions_ = undo.extensions;
  raw_sql_seen_ = undo.raw_sql_seen;
}

}  // namespace migpkg::schema
