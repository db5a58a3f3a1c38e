#include "compiler/schema/schema_model.hpp"

#include <algorithm>

#include "compiler/schema/expression_names.hpp"

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

template <typename... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <typename... F>
Overloaded(F...) -> Overloaded<F...>;

void rename_in(std::vector<std::string>& columns, const std::string& from, const std::string& to) {
  for (auto& column : columns)
    if (column == from) column = to;
}

}  // namespace

// Applies one change to the live model, reporting problems and recording in the model's undo
// log what takes each modification back; the model undoes a change that went wrong.
class Applier {
 public:
  Applier(SchemaModel& model, const ir::SchemaChange& change, const SchemaModel::Context& context,
          Diagnostics& diagnostics)
      : model_(model),
        change_(change),
        context_(context),
        diagnostics_(diagnostics),
        tables_(model.tables_),
        views_(model.views_),
        extensions_(model.extensions_),
        log_(model.log_) {}

  void run() {
    check_expressions();
    switch (change_.kind) {
      case Kind::CreateView:
      case Kind::DropView:
      case Kind::CreateExtension:
      case Kind::DropExtension:
        log_.push_back(SchemaModel::ViewsChanged{views_, extensions_});
        break;
      default:
        break;
    }
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
            insert_column(*t, t->columns.size(), column);
          } else if (change_.after_column->empty()) {
            insert_column(*t, 0, column);
          } else if (const ir::Column* after = this->column(*t, *change_.after_column)) {
            insert_column(*t, static_cast<std::size_t>(after - t->columns.data()) + 1, column);
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
            log_.push_back(SchemaModel::ColumnChanged{
                t->name, static_cast<std::size_t>(c - t->columns.data()), *c});
            if (change_.set_type) c->type = *change_.set_type;
            if (change_.set_nullable) c->nullable = *change_.set_nullable;
            if (change_.set_default) c->default_value = *change_.set_default;
            if (change_.drop_default) c->default_value.reset();
          }
        break;
      case Kind::AddConstraint:
        if (Table* t = table(change_.table))
          for (const auto& constraint : change_.constraints) add_constraint(*t, constraint, true);
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
          if (change_.column.empty()) {
            log_.push_back(SchemaModel::CommentChanged{t->name, std::nullopt, t->comment});
            t->comment = change_.comment;
          } else if (ir::Column* c = column(*t, change_.column)) {
            log_.push_back(SchemaModel::CommentChanged{
                t->name, static_cast<std::size_t>(c - t->columns.data()), c->comment});
            c->comment = change_.comment;
          }
        }
        break;
    }
  }

  bool failed() const { return failed_; }

 private:
  // The SQL expressions the change brings (checks, `sql` defaults, a partial index's predicate)
  // must be readable and name only columns of their table (expression_names.hpp), or no dialect
  // could be given the right names. Reported, but the change still applies: the table exists
  // for the steps after it, which are checked as usual.
  void check_expressions() {
    const Table* known =
        model_table(change_.kind == Kind::CreateIndex ? change_.index.table : change_.table);
    const std::vector<ir::Column>* columns = change_.kind == Kind::CreateTable ? &change_.columns
                                             : known                           ? &known->columns
                                                                               : nullptr;
    auto check = [&](const std::string& text, const SourceLocation& at, const std::string& what) {
      auto problem = expression_problem(text, columns);
      if (!problem) return;
      bool unknown = problem->message.find("names no column") != std::string::npos;
      std::string table = change_.kind == Kind::CreateIndex ? change_.index.table : change_.table;
      diagnostics_.error(unknown ? "unknown-column" : "invalid-expression",
                         at.file.empty() ? change_.location : at,
                         context_() + ": " + what + " of table \"" + table + "\", " +
                             expression_position(text, problem->offset) + ": " + problem->message,
                         problem->hint);
    };
    auto check_default = [&](const Boxed<ir::ColumnDefault>& value, const std::string& column) {
      if (value && value->kind == ir::ColumnDefault::Kind::Expression)
        check(value->text, value->location, "the default of column \"" + column + "\"");
    };
    for (const auto& k : change_.constraints)
      if (k.kind == ir::Constraint::Kind::Check)
        check(k.check, k.location, "check \"" + k.name + "\"");
    if (change_.kind == Kind::CreateTable || change_.kind == Kind::AddColumn)
      for (const auto& column : change_.columns) check_default(column.default_value, column.name);
    if (change_.kind == Kind::AlterColumn) check_default(change_.set_default, change_.column);
    if (change_.kind == Kind::CreateIndex && !change_.index.where.empty())
      check(change_.index.where, change_.index.location,
            "the where of index \"" + change_.index.name + "\"");
  }

  void error(const std::string& code, const std::string& message, const std::string& hint = {}) {
    failed_ = true;
    diagnostics_.error(code, change_.location, context_() + ": " + message, hint);
  }

  Table* model_table(const std::string& name) {
    auto it = tables_.find(name);
    return it == tables_.end() ? nullptr : &it->second;
  }

  std::vector<std::string> table_names() const {
    std::vector<std::string> out;
    for (const auto& entry : tables_) out.push_back(entry.first);
    std::sort(out.begin(), out.end());
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

  void insert_column(Table& t, std::size_t at, const ir::Column& column) {
    t.columns.insert(t.columns.begin() + static_cast<std::ptrdiff_t>(at), column);
    log_.push_back(SchemaModel::ColumnInserted{t.name, at});
  }

  // `logged`: `t` is a table of the model (not one being created).
  void add_constraint(Table& t, const ir::Constraint& c, bool logged) {
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
    if (logged) log_.push_back(SchemaModel::ConstraintAppended{t.name});
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
    for (const auto& c : change_.constraints) add_constraint(t, c, false);
    std::string name = t.name;
    tables_.emplace(name, std::move(t));
    log_.push_back(SchemaModel::TableCreated{std::move(name)});
  }

  void erase_table(const std::string& name) {
    auto node = tables_.extract(name);
    model_.unregister_indexes(node.mapped());
    log_.push_back(SchemaModel::TableErased{std::move(node)});
  }

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
    // Constraints and indexes over the column go with it (the DDL drops them first). Each
    // is erased on its own, last first, so that the log puts it back where it was.
    auto& cs = t->constraints;
    for (std::size_t i = cs.size(); i-- > 0;)
      if (t->uses_column(cs[i], change_.column)) erase_constraint(*t, i);
    auto& ix = t->indexes;
    for (std::size_t i = ix.size(); i-- > 0;)
      if (t->uses_column(ix[i], change_.column)) erase_index(*t, i);
    auto& columns = t->columns;
    for (std::size_t i = columns.size(); i-- > 0;)
      if (columns[i].name == change_.column) {
        log_.push_back(SchemaModel::ColumnErased{t->name, i, std::move(columns[i])});
        columns.erase(columns.begin() + static_cast<std::ptrdiff_t>(i));
      }
  }

  void erase_constraint(Table& t, std::size_t at) {
    log_.push_back(SchemaModel::ConstraintErased{t.name, at, std::move(t.constraints[at])});
    t.constraints.erase(t.constraints.begin() + static_cast<std::ptrdiff_t>(at));
  }

  void erase_index(Table& t, std::size_t at) {
    auto it = model_.index_owner_.find(t.indexes[at].name);
    if (it != model_.index_owner_.end() && it->second == t.name) model_.index_owner_.erase(it);
    log_.push_back(SchemaModel::IndexErased{t.name, at, std::move(t.indexes[at])});
    t.indexes.erase(t.indexes.begin() + static_cast<std::ptrdiff_t>(at));
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
    // The table's expressions follow the rename (they are kept in portable form).
    auto rename = [&](std::string& text) {
      if (!text.empty())
        text = rename_expression_column(text, t->columns, change_.column, change_.new_name);
    };
    for (auto& constraint : t->constraints) rename(constraint.check);
    for (auto& index : t->indexes) rename(index.where);
    for (auto& column : t->columns)
      if (column.default_value && column.default_value->kind == ir::ColumnDefault::Kind::Expression)
        rename(column.default_value->text);
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
    erase_constraint(*t, static_cast<std::size_t>(it - cs.begin()));
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
    model_.index_owner_[change_.index.name] = t->name;
    log_.push_back(SchemaModel::IndexAppended{t->name});
  }

  void drop_index() {
    if (const Table* owner = model_.table_of_index(change_.index.name)) {
      Table& t = *model_table(owner->name);
      if (!change_.index.table.empty() && change_.index.table != t.name) {
        error("unknown-index", "index \"" + change_.index.name + "\" is on table \"" + t.name +
                                   "\", not \"" + change_.index.table + "\"");
        return;
      }
      auto it = std::find_if(t.indexes.begin(), t.indexes.end(),
                             [&](const ir::Index& i) { return i.name == change_.index.name; });
      erase_index(t, static_cast<std::size_t>(it - t.indexes.begin()));
      return;
    }
    if (!model_.raw_sql_seen())
      error("unknown-index", "there is no index \"" + change_.index.name + "\"",
            did_you_mean(change_.index.name, model_.index_names()));
  }

  SchemaModel& model_;
  const ir::SchemaChange& change_;
  const SchemaModel::Context& context_;
  Diagnostics& diagnostics_;
  std::unordered_map<std::string, Table>& tables_;
  std::vector<ir::View>& views_;
  std::vector<std::string>& extensions_;
  std::vector<SchemaModel::Record>& log_;
  bool failed_ = false;
};

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

bool Table::uses_column(const ir::Constraint& constraint, const std::string& column) const {
  return mentions(constraint.columns, column) ||
         (constraint.kind == ir::Constraint::Kind::Check &&
          expression_names_column(constraint.check, columns, column));
}

bool Table::uses_column(const ir::Index& index, const std::string& column) const {
  return mentions(index.columns, column) ||
         (!index.where.empty() && expression_names_column(index.where, columns, column));
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
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> SchemaModel::table_names() const {
  std::vector<std::string> out;
  for (const auto& entry : tables_) out.push_back(entry.first);
  std::sort(out.begin(), out.end());
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

bool SchemaModel::apply(const ir::SchemaChange& change, const Context& context,
                        Diagnostics& diagnostics) {
  // The change runs on the live model; a failed one is undone from the log.
  std::size_t mark = log_.size();
  // Renames rewrite several tables (the foreign keys that reference the renamed one): those
  // tables are kept whole, and their indexes registered anew afterwards.
  bool snapshot = change.kind == Kind::RenameTable || change.kind == Kind::RenameColumn;
  std::vector<std::string> touched;
  if (snapshot)
    for (auto& name : touched_tables(change)) {
      if (mentions(touched, name)) continue;
      const Table* t = find_table(name);
      log_.push_back(TableSnapshot{name, t ? std::optional<Table>(*t) : std::nullopt});
      touched.push_back(std::move(name));
    }
  Applier applier(*this, change, context, diagnostics);
  applier.run();
  if (applier.failed()) {
    undo_to(mark);
    return false;
  }
  if (snapshot) {
    for (std::size_t i = mark; i < mark + touched.size(); ++i)
      if (const auto& before = std::get<TableSnapshot>(log_[i]).before) unregister_indexes(*before);
    for (const auto& name : touched)
      if (const Table* now = find_table(name)) register_indexes(*now);
  }
  if (scopes_.empty()) log_.clear();  // nothing will take the change back
  return true;
}

void SchemaModel::begin_scratch() {
  scopes_.push_back({log_.size(), raw_sql_seen_});
}

void SchemaModel::end_scratch() {
  if (scopes_.empty()) return;
  Scope scope = scopes_.back();
  scopes_.pop_back();
  undo_to(scope.mark);
  raw_sql_seen_ = scope.raw_sql_seen;
}

void SchemaModel::undo_to(std::size_t mark) {
  while (log_.size() > mark) {
    undo(log_.back());
    log_.pop_back();
  }
}

// Takes back one recorded modification. Records are undone last first, so the model is then
// exactly as it was right after the modification, and names and positions are valid.
void SchemaModel::undo(Record& record) {
  std::visit(
      Overloaded{
          [&](TableSnapshot& r) {
            auto it = tables_.find(r.name);
            if (it != tables_.end()) {
              unregister_indexes(it->second);
              tables_.erase(it);
            }
            if (r.before) {
              register_indexes(*r.before);
              tables_.emplace(r.name, std::move(*r.before));
            }
          },
          [&](TableCreated& r) {
            auto it = tables_.find(r.name);
            unregister_indexes(it->second);
            tables_.erase(it);
          },
          [&](TableErased& r) {
            register_indexes(r.node.mapped());
            tables_.insert(std::move(r.node));
          },
          [&](ColumnInserted& r) {
            auto& columns = table_named(r.table).columns;
            columns.erase(columns.begin() + static_cast<std::ptrdiff_t>(r.at));
          },
          [&](ColumnErased& r) {
            auto& columns = table_named(r.table).columns;
            columns.insert(columns.begin() + static_cast<std::ptrdiff_t>(r.at),
                           std::move(r.column));
          },
          [&](ColumnChanged& r) { table_named(r.table).columns[r.at] = std::move(r.before); },
          [&](CommentChanged& r) {
            Table& t = table_named(r.table);
            (r.at ? t.columns[*r.at].comment : t.comment) = std::move(r.before);
          },
          [&](ConstraintAppended& r) { table_named(r.table).constraints.pop_back(); },
          [&](ConstraintErased& r) {
            auto& constraints = table_named(r.table).constraints;
            constraints.insert(constraints.begin() + static_cast<std::ptrdiff_t>(r.at),
                               std::move(r.constraint));
          },
          [&](IndexAppended& r) {
            auto& indexes = table_named(r.table).indexes;
            auto it = index_owner_.find(indexes.back().name);
            if (it != index_owner_.end() && it->second == r.table) index_owner_.erase(it);
            indexes.pop_back();
          },
          [&](IndexErased& r) {
            auto& indexes = table_named(r.table).indexes;
            index_owner_[r.index.name] = r.table;
            indexes.insert(indexes.begin() + static_cast<std::ptrdiff_t>(r.at), std::move(r.index));
          },
          [&](ViewsChanged& r) {
            views_ = std::move(r.views);
            extensions_ = std::move(r.extensions);
          },
      },
      record);
}

// Every table a rename may modify.
std::vector<std::string> SchemaModel::touched_tables(const ir::SchemaChange& change) const {
  std::vector<std::string> names{change.table};
  if (!change.new_name.empty()) names.push_back(change.new_name);
  if (!change.index.table.empty()) names.push_back(change.index.table);
  // Renames rewrite the foreign keys of the tables that reference the renamed one.
  if (change.kind == Kind::RenameTable || change.kind == Kind::RenameColumn) {
    std::size_t first = names.size();
    for (const auto& entry : tables_)
      for (const auto& c : entry.second.constraints)
        if (c.ref_table == change.table) names.push_back(entry.first);
    std::sort(names.begin() + static_cast<std::ptrdiff_t>(first), names.end());
  }
  return names;
}

}  // namespace migpkg::schema
