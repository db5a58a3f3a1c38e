#include "compiler/dialects/ddl_generator.hpp"

#include <algorithm>

#include "compiler/dialects/ddl_clauses.hpp"
#include "compiler/dialects/foreign_key_index.hpp"
#include "compiler/sql/statement_splitter.hpp"

namespace migpkg {
namespace {

using Kind = ir::SchemaChange::Kind;
using TypeKind = ir::ColumnType::Kind;
using Style = DdlSpec::AlterStyle;

using ddl::CannotExpress;
using ddl::is_serial;

// Which statements a change takes, on this dialect, given the schema before it; the clauses
// they are made of are spelled by DdlClauses.
class Generator : private ddl::DdlClauses {
 public:
  Generator(const ir::SchemaChange& change, schema::SchemaModel& before, const Dialect& d)
      : DdlClauses(d), c_(change), before_(before) {}

  CompiledChange run() {
    CompiledChange out;
    try {
      generate();
      out.statements = std::move(statements_);
      out.notes = std::move(notes_);
    } catch (const CannotExpress& e) {
      out.error = e.why;
    }
    return out;
  }

 private:
  void emit(std::string statement) { statements_.push_back(std::move(statement)); }
  // "ALTER TABLE <table> ": built where a statement needs it, not for every change.
  std::string alter_table() const {
    std::string out = "ALTER TABLE ";
    d_.append_qualified(out, c_.table);
    out += ' ';
    return out;
  }
  void note(std::string text) { notes_.push_back(std::move(text)); }
  // The columns an expression of the table may name; nullptr for a table raw SQL created.
  static const Columns* columns_of(const schema::Table* t) { return t ? &t->columns : nullptr; }

  // `why` is only spelled out when the table is unknown: this runs for every rebuild.
  const schema::Table& known_table(const std::string& name, std::string_view why) const {
    const schema::Table* t = before_.find_table(name);
    if (!t)
      throw CannotExpress{std::string(why) + ", and table \"" + name +
                          "\" was not created by a declarative change, so its structure is "
                          "unknown (create it with createTable, or write this step as raw SQL)"};
    return *t;
  }

  // Sets a table (column empty) or column comment, knowing the comment it had.
  void comment_statement(const std::string& table, const std::string& column,
                         const std::string& old_comment, const std::string& comment) {
    switch (ddl_.comment_style) {
      case DdlSpec::CommentStyle::None:
        if (!comment.empty() || !old_comment.empty())
          note(d_.name() + " has no comments: the comment on \"" + table +
               (column.empty() ? "" : "." + column) + "\" is not stored");
        return;
      case DdlSpec::CommentStyle::CommentOn:
        emit("COMMENT ON " + std::string(column.empty() ? "TABLE " : "COLUMN ") +
             table_name(table) + (column.empty() ? "" : "." + id(column)) + " IS " +
             d_.string_literal(comment));
        return;
      case DdlSpec::CommentStyle::ExtendedProperty:
        if (old_comment.empty() && comment.empty()) return;
        if (old_comment.empty())
          emit(extended_property("sp_addextendedproperty", table, column, &comment));
        else if (comment.empty())
          emit(extended_property("sp_dropextendedproperty", table, column, nullptr));
        else
          emit(extended_property("sp_updateextendedproperty", table, column, &comment));
        return;
      case DdlSpec::CommentStyle::MySQL:
        if (column.empty()) {
          emit("ALTER TABLE " + table_name(table) + " COMMENT = " + d_.string_literal(comment));
        } else {
          const schema::Table& t = known_table(table,
                                               "MySQL sets a column comment by restating "
                                               "the whole column");
          ir::Column changed = *t.find_column(column);
          changed.comment = comment;
          emit("ALTER TABLE " + table_name(table) + " MODIFY COLUMN " +
               column_sql(changed, nullptr, &t.columns));
        }
        return;
    }
  }

  void create_comments(const std::string& table, const std::vector<ir::Column>& cols,
                       const std::string& comment) {
    if (ddl_.comment_style == DdlSpec::CommentStyle::MySQL) return;  // inline
    if (!comment.empty()) comment_statement(table, "", "", comment);
    for (const auto& column : cols)
      if (!column.comment.empty()) comment_statement(table, column.name, "", column.comment);
  }

  // SQLite: build the table as it is after the change under a new name, copy the rows of the
  // columns that survive, swap, and recreate the indexes. The table after the change is the
  // model's own, with the change tried on it in a scratch scope (undone on leaving): cheaper
  // than a copy of the table, and rebuilds are most of SQLite's DDL.
  void rebuild(const std::string& why) {
    const schema::Table& old_table =
        known_table(c_.table, d_.name() + " " + why + " by rebuilding the table");
    std::vector<std::string> old_columns = old_table.column_names();
    schema::ScratchScope scratch(before_);
    Diagnostics ignored;
    const schema::Table* after =
        before_.apply(c_, "", ignored)
            ? before_.find_table(c_.kind == Kind::RenameTable ? c_.new_name : c_.table)
            : nullptr;
    if (!after) throw CannotExpress{"the change does not apply to table \"" + c_.table + "\""};
    const schema::Table& t = *after;
    std::string temp = "migpkg_rebuild_" + t.name;
    emit(create_table_sql(temp, t.columns, t.constraints, ""));
    std::vector<std::string> copied;
    for (const auto& column : t.columns)
      if (std::find(old_columns.begin(), old_columns.end(), column.name) != old_columns.end())
        copied.push_back(column.name);
    std::string list = columns(copied);
    emit("INSERT INTO " + table_name(temp) + " (" + list + ") SELECT " + list + " FROM " +
         table_name(t.name));
    emit("DROP TABLE " + table_name(t.name));
    if (!ddl_.rebuild_before_rename.empty()) emit(ddl_.rebuild_before_rename);
    emit("ALTER TABLE " + table_name(temp) + " RENAME TO " + table_name(t.name));
    if (!ddl_.rebuild_after_rename.empty()) emit(ddl_.rebuild_after_rename);
    for (const auto& index : t.indexes) emit(create_index_sql(index, &t.columns));
  }

  bool enum_check_changes(const ir::Column& old_column, const ir::ColumnType& new_type) const {
    if (!ddl_.enum_as_check) return false;
    bool was = old_column.type.kind == TypeKind::Enum, is = new_type.kind == TypeKind::Enum;
    return (was || is) && !(was && is && old_column.type.values == new_type.values);
  }

  void alter_column() {
    std::string head = "ALTER TABLE " + table_name(c_.table) + " ";
    const schema::Table* t = before_.find_table(c_.table);
    const ir::Column* old_column = t ? t->find_column(c_.column) : nullptr;
    if (c_.set_type) {
      if (is_serial(*c_.set_type) || (old_column && is_serial(old_column->type)))
        throw CannotExpress{"changing a column to or from serial/bigserial is not supported on " +
                            d_.name() + "; add a new column instead"};
      if (old_column && enum_check_changes(*old_column, *c_.set_type))
        throw CannotExpress{d_.name() +
                            " keeps enum values in an unnamed CHECK constraint, so "
                            "changing a column's type to, from or between enums is not supported; "
                            "add a new column and copy the values"};
    }
    switch (ddl_.alter_style) {
      case Style::Rebuild:
        rebuild("changes a column");
        return;
      case Style::PostgreSQL: {
        std::vector<std::string> actions;
        std::string col = "ALTER COLUMN " + id(c_.column) + " ";
        if (c_.set_type) {
          std::string type = type_sql(*c_.set_type);
          actions.push_back(col + "TYPE " + type + " USING CAST(" + id(c_.column) + " AS " + type +
                            ")");
        }
        if (c_.set_nullable)
          actions.push_back(col + (*c_.set_nullable ? "DROP NOT NULL" : "SET NOT NULL"));
        if (c_.set_default)
          actions.push_back(col + "SET DEFAULT " +
                            default_sql(*c_.set_default,
                                        c_.set_type  ? *c_.set_type
                                        : old_column ? old_column->type
                                                     : ir::ColumnType{},
                                        columns_of(t)));
        if (c_.drop_default) actions.push_back(col + "DROP DEFAULT");
        std::string joined;
        for (const auto& a : actions) joined += (joined.empty() ? "" : ", ") + a;
        emit(head + joined);
        return;
      }
      case Style::MySQLModify: {
        const schema::Table& known =
            known_table(c_.table, "MySQL changes a column by restating the whole column");
        emit(head + "MODIFY COLUMN " + column_sql(after_column(known), nullptr, &known.columns));
        return;
      }
      case Style::SQLServer: {
        if (c_.set_type || c_.set_nullable) {
          const schema::Table& known = known_table(
              c_.table, "SQL Server's ALTER COLUMN restates the column's type and nullability");
          ir::Column after = after_column(known);
          emit(head + "ALTER COLUMN " + id(c_.column) + " " + type_sql(after.type) +
               (after.nullable ? " NULL" : " NOT NULL"));
        }
        if (c_.set_default || c_.drop_default) {
          emit(sqlserver_drop_column_objects(c_.table, c_.column, false));
          if (c_.set_default)
            emit(head + "ADD DEFAULT " +
                 default_sql(*c_.set_default, old_column ? old_column->type : ir::ColumnType{},
                             columns_of(t)) +
                 " FOR " + id(c_.column));
        }
        return;
      }
      case Style::OracleModify: {
        std::string col = "MODIFY (" + id(c_.column) + " ";
        if (c_.set_type) emit(head + col + type_sql(*c_.set_type) + ")");
        if (c_.set_nullable) emit(head + col + (*c_.set_nullable ? "NULL)" : "NOT NULL)"));
        if (c_.set_default)
          emit(head + col + "DEFAULT " +
               default_sql(*c_.set_default, old_column ? old_column->type : ir::ColumnType{},
                           columns_of(t)) +
               ")");
        if (c_.drop_default) emit(head + col + "DEFAULT NULL)");
        return;
      }
    }
  }

  ir::Column after_column(const schema::Table& known) const {
    const ir::Column* column = known.find_column(c_.column);
    if (!column)
      throw CannotExpress{"table \"" + c_.table + "\" has no column \"" + c_.column + "\""};
    ir::Column after = *column;
    if (c_.set_type) after.type = *c_.set_type;
    if (c_.set_nullable) after.nullable = *c_.set_nullable;
    if (c_.set_default) after.default_value = *c_.set_default;
    if (c_.drop_default) after.default_value.reset();
    return after;
  }

  bool sqlite_add_needs_rebuild(const ir::Column& column) const {
    if (!column.nullable && !column.default_value) return true;
    return column.default_value && column.default_value->kind != ir::ColumnDefault::Kind::Literal &&
           column.default_value->kind != ir::ColumnDefault::Kind::Json;
  }

  // MySQL's foreign-key indexes (foreign_key_index.hpp): the statements that keep "own index
  // exactly when uncovered" true around a change from `state` to `next` of table `table`.
  void give_own_indexes(const std::string& table, const ddl::IndexedTable& state,
                        const ddl::IndexedTable& next) {
    for (const ir::Constraint* k : ddl::fk_indexes_needed(state, next))
      emit("ALTER TABLE " + table_name(table) + " ADD INDEX " + object_id(k->name) + " (" +
           columns(k->columns) + ")");
  }
  void drop_redundant_own_indexes(const std::string& table, const ddl::IndexedTable& state,
                                  const ddl::IndexedTable& next) {
    for (const ir::Constraint* k : ddl::fk_indexes_made_redundant(state, next))
      emit(drop_index_sql(k->name, table));
  }
  static ddl::IndexedTable indexed(const schema::Table* t) {
    return t ? ddl::IndexedTable{t->constraints, t->indexes} : ddl::IndexedTable{};
  }
  static ddl::IndexedTable without_constraint(ddl::IndexedTable t, const std::string& name) {
    t.constraints.erase(std::remove_if(t.constraints.begin(), t.constraints.end(),
                                       [&](const ir::Constraint& k) { return k.name == name; }),
                        t.constraints.end());
    return t;
  }
  static ddl::IndexedTable without_index(ddl::IndexedTable t, const std::string& name) {
    t.indexes.erase(std::remove_if(t.indexes.begin(), t.indexes.end(),
                                   [&](const ir::Index& i) { return i.name == name; }),
                    t.indexes.end());
    return t;
  }
  // Drops a constraint of a table whose covering indexes are `state`, with what it takes on
  // MySQL: the foreign key's own index, or own indexes given before a cover goes.
  void drop_constraint_keeping_fk_indexes(const std::string& table, const ir::Constraint& k,
                                          ddl::IndexedTable& state) {
    ddl::IndexedTable next = without_constraint(state, k.name);
    bool own_index =
        k.kind == ir::Constraint::Kind::ForeignKey && !ddl::fk_covered(state, k.columns);
    give_own_indexes(table, state, next);
    emit(drop_constraint_sql(table, k.name, &k, own_index));
    state = std::move(next);
  }
  // MySQL drops a column's foreign keys first: a cover of one cannot go while it is there.
  void mysql_drop_column_dependents(const schema::Table& t) {
    ddl::IndexedTable state = indexed(&t);
    for (const auto& k : t.constraints)
      if (k.kind == ir::Constraint::Kind::ForeignKey && t.uses_column(k, c_.column))
        drop_constraint_keeping_fk_indexes(t.name, k, state);
    for (const auto& index : t.indexes)
      if (t.uses_column(index, c_.column)) {
        ddl::IndexedTable next = without_index(state, index.name);
        give_own_indexes(t.name, state, next);
        emit(drop_index_sql(index.name, t.name));
        state = std::move(next);
      }
    for (const auto& k : t.constraints)
      if (k.kind != ir::Constraint::Kind::ForeignKey && t.uses_column(k, c_.column))
        drop_constraint_keeping_fk_indexes(t.name, k, state);
  }

  void drop_column() {
    if (ddl_.alters_by_rebuild()) {
      rebuild("drops a column");
      return;
    }
    if (const schema::Table* t = before_.find_table(c_.table)) {
      // What depends on the column goes first, the same way on every engine.
      if (ddl_.foreign_key_index) {
        mysql_drop_column_dependents(*t);
      } else {
        for (const auto& index : t->indexes)
          if (t->uses_column(index, c_.column)) emit(drop_index_sql(index.name, t->name));
        for (const auto& k : t->constraints)
          if (t->uses_column(k, c_.column)) emit(drop_constraint_sql(t->name, k.name, &k));
      }
    }
    if (ddl_.named_default_constraints)
      emit(sqlserver_drop_column_objects(c_.table, c_.column, true));
    emit("ALTER TABLE " + table_name(c_.table) + " DROP COLUMN " + id(c_.column));
  }

  void generate() {
    switch (c_.kind) {
      case Kind::CreateTable:
        emit(create_table_sql(c_.table, c_.columns, c_.constraints, c_.comment));
        create_comments(c_.table, c_.columns, c_.comment);
        return;
      case Kind::DropTable:
        emit("DROP TABLE " + table_name(c_.table));
        return;
      case Kind::RenameTable:
        if (ddl_.rename_style == DdlSpec::RenameStyle::SpRename)
          emit("EXEC sp_rename " + d_.string_literal(c_.table) + ", " +
               d_.string_literal(c_.new_name));
        else
          emit(alter_table() + "RENAME TO " + table_name(c_.new_name));
        return;
      case Kind::AddColumn: {
        const ir::Column& column = c_.columns.front();
        if (is_serial(column.type) && ddl_.serial_needs_rowid_primary_key)
          throw CannotExpress{d_.name() +
                              " generates values only for a table's single-column "
                              "primary key, which a new column cannot become"};
        bool placed = c_.after_column.has_value();
        if (ddl_.alters_by_rebuild() && (sqlite_add_needs_rebuild(column) || placed)) {
          rebuild(
              "adds a column in a given place, a NOT NULL column without a default, or one "
              "with a non-constant default,");
          return;
        }
        std::string place;
        if (placed && ddl_.column_position)
          place = c_.after_column->empty() ? " FIRST" : " AFTER " + id(*c_.after_column);
        else if (placed)
          note(d_.name() + " cannot place a column: \"" + column.name +
               "\" is added as the last column of \"" + c_.table + "\"");
        emit(alter_table() + ddl_.add_column + " " +
             column_sql(column, nullptr, columns_of(before_.find_table(c_.table))) + place);
        if (!column.comment.empty() && ddl_.comment_style != DdlSpec::CommentStyle::MySQL)
          comment_statement(c_.table, column.name, "", column.comment);
        return;
      }
      case Kind::DropColumn:
        drop_column();
        return;
      case Kind::RenameColumn:
        if (ddl_.rename_style == DdlSpec::RenameStyle::SpRename)
          emit("EXEC sp_rename " + d_.string_literal(table_name(c_.table) + "." + id(c_.column)) +
               ", " + d_.string_literal(c_.new_name) + ", N'COLUMN'");
        else
          emit(alter_table() + "RENAME COLUMN " + id(c_.column) + " TO " + id(c_.new_name));
        return;
      case Kind::AlterColumn:
        alter_column();
        return;
      case Kind::AddConstraint: {
        if (ddl_.alters_by_rebuild()) {
          rebuild("adds a constraint");
          return;
        }
        const ir::Constraint& k = c_.constraints.front();
        std::string head = alter_table();
        const Columns* known_columns = columns_of(before_.find_table(c_.table));
        if (!ddl_.foreign_key_index) {
          emit(head + "ADD " + constraint_sql(k, c_.table, known_columns));
          return;
        }
        ddl::IndexedTable state = indexed(before_.find_table(c_.table));
        if (k.kind == ir::Constraint::Kind::ForeignKey && !ddl::fk_covered(state, k.columns))
          head += "ADD INDEX " + object_id(k.name) + " (" + columns(k.columns) + "), ";
        emit(head + "ADD " + constraint_sql(k, c_.table, known_columns));
        ddl::IndexedTable next = state;
        next.constraints.push_back(k);
        drop_redundant_own_indexes(c_.table, state, next);
        return;
      }
      case Kind::DropConstraint: {
        if (ddl_.alters_by_rebuild()) {
          rebuild("drops a constraint");
          return;
        }
        const schema::Table* t = before_.find_table(c_.table);
        const ir::Constraint* known = t ? t->find_constraint(c_.constraint_name) : nullptr;
        if (ddl_.foreign_key_index && known) {
          ddl::IndexedTable state = indexed(t);
          drop_constraint_keeping_fk_indexes(c_.table, *known, state);
          return;
        }
        emit(drop_constraint_sql(c_.table, c_.constraint_name, known));
        return;
      }
      case Kind::CreateIndex: {
        emit(create_index_sql(c_.index, columns_of(before_.find_table(c_.index.table))));
        if (!ddl_.foreign_key_index) return;
        ddl::IndexedTable state = indexed(before_.find_table(c_.index.table));
        ddl::IndexedTable next = state;
        next.indexes.push_back(c_.index);
        drop_redundant_own_indexes(c_.index.table, state, next);
        return;
      }
      case Kind::DropIndex: {
        const schema::Table* t = before_.table_of_index(c_.index.name);
        if (ddl_.foreign_key_index && t) {
          ddl::IndexedTable state = indexed(t);
          give_own_indexes(t->name, state, without_index(state, c_.index.name));
        }
        emit(drop_index_sql(c_.index.name, t ? t->name : c_.index.table));
        return;
      }
      case Kind::CreateView:
        emit("CREATE VIEW " + table_name(c_.view.name) + " AS " + strip_terminators(c_.view.query));
        return;
      case Kind::DropView:
        emit("DROP VIEW " + table_name(c_.view.name));
        return;
      case Kind::CreateExtension:
      case Kind::DropExtension:
        if (!ddl_.supports_extensions) {
          note(d_.name() + " has no extensions: " + ir::to_string(c_.kind) + " \"" + c_.extension +
               "\" is skipped");
          return;
        }
        emit(c_.kind == Kind::CreateExtension ? "CREATE EXTENSION IF NOT EXISTS " + id(c_.extension)
                                              : "DROP EXTENSION IF EXISTS " + id(c_.extension));
        return;
      case Kind::SetComment: {
        const schema::Table* t = before_.find_table(c_.table);
        std::string old;
        if (t && c_.column.empty()) old = t->comment;
        if (t && !c_.column.empty() && t->find_column(c_.column))
          old = t->find_column(c_.column)->comment;
        if (!t && ddl_.comment_style == DdlSpec::CommentStyle::ExtendedProperty)
          known_table(c_.table, "SQL Server adds and updates a comment differently");
        comment_statement(c_.table, c_.column, old, c_.comment);
        return;
      }
    }
  }

  const ir::SchemaChange& c_;
  schema::SchemaModel& before_;
  std::vector<std::string> statements_;
  std::vector<std::string> notes_;
};

}  // namespace

CompiledChange compile_change(const ir::SchemaChange& change, schema::SchemaModel& before,
                              const Dialect& dialect) {
  return Generator(change, before, dialect).run();
}

std::string sql_type(const ir::ColumnType& type, const Dialect& dialect, std::string* why) {
  try {
    return ddl::DdlClauses(dialect).type_sql(type);
  } catch (const CannotExpress& e) {
    if (why) *why = e.why;
    return {};
  }
}

}  // namespace migpkg
