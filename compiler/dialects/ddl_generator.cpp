#include "compiler/dialects/ddl_generator.hpp"

#include <algorithm>

#include "compiler/sql/statement_splitter.hpp"

namespace migpkg {
namespace {

using Kind = ir::SchemaChange::Kind;
using TypeKind = ir::ColumnType::Kind;
using Style = DdlSpec::AlterStyle;

// Thrown inside the generator when the dialect cannot express the change.
struct CannotExpress {
  std::string why;
};

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

const char* action_sql(ir::ReferentialAction action) {
  switch (action) {
    case ir::ReferentialAction::NoAction:
      return "NO ACTION";
    case ir::ReferentialAction::Restrict:
      return "RESTRICT";
    case ir::ReferentialAction::Cascade:
      return "CASCADE";
    case ir::ReferentialAction::SetNull:
      return "SET NULL";
    case ir::ReferentialAction::SetDefault:
      return "SET DEFAULT";
  }
  return "NO ACTION";
}

bool is_serial(const ir::ColumnType& type) {
  return type.kind == TypeKind::Serial || type.kind == TypeKind::BigSerial;
}

class Generator {
 public:
  Generator(const ir::SchemaChange& change, const schema::SchemaModel& before, const Dialect& d)
      : c_(change), before_(before), d_(d), ddl_(d.spec().ddl) {}

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

  std::string type_sql(const ir::ColumnType& type) const {
    if (type.kind == TypeKind::Enum && ddl_.enum_as_check) {
      std::size_t longest = 1;
      for (const auto& v : type.values) longest = std::max(longest, v.size());
      return replace_all(ddl_.enum_base_type, "{n}", std::to_string(longest));
    }
    auto it = ddl_.types.find(type.kind);
    if (it == ddl_.types.end()) {
      auto gap = ddl_.type_gaps.find(type.kind);
      throw CannotExpress{d_.name() + " has no type for " + ir::to_string(type.kind) +
                          (gap != ddl_.type_gaps.end() ? ": " + gap->second : "")};
    }
    std::string out = it->second;
    if (type.length) {
      std::int64_t max = type.kind == TypeKind::String ? ddl_.max_string_length
                         : type.kind == TypeKind::Char ? ddl_.max_char_length
                                                       : 0;
      if (max && *type.length > max)
        throw CannotExpress{std::string(ir::to_string(type.kind)) + "(" +
                            std::to_string(*type.length) + ") is longer than " + d_.name() +
                            " allows (" + std::to_string(max) + "); use text"};
      if (out.find('{') != std::string::npos)
        out = replace_all(out, "{n}", std::to_string(*type.length));
    }
    if (out.find('{') == std::string::npos) return out;  // no placeholder (left)
    out = replace_all(out, "{p}", std::to_string(type.precision.value_or(0)));
    out = replace_all(out, "{s}", std::to_string(type.scale.value_or(0)));
    std::string values;
    for (const auto& v : type.values) values += (values.empty() ? "" : ", ") + d_.string_literal(v);
    return replace_all(out, "{values}", values);
  }

 private:
  std::string table_name(const std::string& name) const { return d_.quote_qualified(name); }
  std::string id(const std::string& name) const { return d_.quote_identifier(name); }
  std::string columns(const std::vector<std::string>& names) const {
    std::string out;
    for (const auto& name : names) {
      if (!out.empty()) out += ", ";
      d_.append_identifier(out, name);
    }
    return out;
  }
  void emit(std::string statement) { statements_.push_back(std::move(statement)); }
  void note(std::string text) { notes_.push_back(std::move(text)); }

  const schema::Table& known_table(const std::string& name, const std::string& why) const {
    const schema::Table* t = before_.find_table(name);
    if (!t)
      throw CannotExpress{why + ", and table \"" + name +
                          "\" was not created by a declarative change, so its structure is "
                          "unknown (create it with createTable, or write this step as raw SQL)"};
    return *t;
  }

  std::string default_sql(const ir::ColumnDefault& value, const ir::ColumnType& type) const {
    bool parenthesize =
        std::find(ddl_.parenthesized_default_kinds.begin(), ddl_.parenthesized_default_kinds.end(),
                  type.kind) != ddl_.parenthesized_default_kinds.end();
    switch (value.kind) {
      case ir::ColumnDefault::Kind::Literal: {
        std::string literal = d_.literal(value.literal);
        return parenthesize ? "(" + literal + ")" : literal;
      }
      case ir::ColumnDefault::Kind::Now:
        return ddl_.now_default;
      case ir::ColumnDefault::Kind::Uuid:
        if (ddl_.uuid_default.empty())
          throw CannotExpress{d_.name() + " has no function that generates a UUID"};
        return ddl_.uuid_default;
      case ir::ColumnDefault::Kind::Json: {
        std::string literal = d_.string_literal(value.text);
        return parenthesize ? "(" + literal + ")" : literal;
      }
      case ir::ColumnDefault::Kind::Expression:
        return "(" + strip_terminators(value.text) + ")";
    }
    return "NULL";
  }

  std::string enum_check(const ir::Column& column) const {
    std::string values;
    for (const auto& v : column.type.values)
      values += (values.empty() ? "" : ", ") + d_.string_literal(v);
    return "CHECK (" + id(column.name) + " IN (" + values + "))";
  }

  // `rowid_pk`: SQLite's generated key, the column is the table's single primary key.
  std::string column_sql(const ir::Column& column, const ir::Constraint* rowid_pk) const {
    std::string out;
    append_column_sql(out, column, rowid_pk);
    return out;
  }

  void append_column_sql(std::string& out, const ir::Column& column,
                         const ir::Constraint* rowid_pk) const {
    d_.append_identifier(out, column.name);
    out += ' ';
    if (rowid_pk) {
      out += "INTEGER CONSTRAINT ";
      d_.append_identifier(out, rowid_pk->name);
      out += " PRIMARY KEY AUTOINCREMENT";
    } else {
      if (is_serial(column.type) && ddl_.serial_needs_rowid_primary_key)
        throw CannotExpress{d_.name() +
                            " generates values only for a column that is the "
                            "table's single-column primary key (\"" +
                            column.name + "\" is " + ir::to_string(column.type.kind) + ")"};
      out += type_sql(column.type);
    }
    if (column.default_value) {
      out += " DEFAULT ";
      out += default_sql(*column.default_value, column.type);
    }
    if (!column.nullable) out += " NOT NULL";
    if (column.type.kind == TypeKind::Enum && ddl_.enum_as_check) {
      out += ' ';
      out += enum_check(column);
    }
    if (ddl_.comment_style == DdlSpec::CommentStyle::MySQL && !column.comment.empty()) {
      out += " COMMENT ";
      out += d_.string_literal(column.comment);
    }
  }

  void append_columns(std::string& out, const std::vector<std::string>& names) const {
    bool first = true;
    for (const auto& name : names) {
      if (!first) out += ", ";
      first = false;
      d_.append_identifier(out, name);
    }
  }

  std::string constraint_sql(const ir::Constraint& k, const std::string& table) const {
    std::string out;
    append_constraint_sql(out, k, table);
    return out;
  }

  void append_constraint_sql(std::string& out, const ir::Constraint& k,
                             const std::string& table) const {
    out += "CONSTRAINT ";
    d_.append_identifier(out, k.name);
    out += ' ';
    switch (k.kind) {
      case ir::Constraint::Kind::PrimaryKey:
        out += "PRIMARY KEY (";
        append_columns(out, k.columns);
        out += ')';
        return;
      case ir::Constraint::Kind::Unique:
        out += "UNIQUE (";
        append_columns(out, k.columns);
        out += ')';
        return;
      case ir::Constraint::Kind::Check:
        out += "CHECK (";
        out += strip_terminators(k.check);
        out += ')';
        return;
      case ir::Constraint::Kind::ForeignKey: {
        out += "FOREIGN KEY (";
        append_columns(out, k.columns);
        out += ") REFERENCES ";
        d_.append_qualified(out, k.ref_table);
        out += " (";
        append_columns(out, k.ref_columns);
        out += ')';
        auto check_action = [&](ir::ReferentialAction a,
                                const std::vector<ir::ReferentialAction>& no, const char* clause) {
          if (std::find(no.begin(), no.end(), a) != no.end())
            throw CannotExpress{d_.name() + " has no " + clause + " " + ir::to_string(a) +
                                " (foreign key \"" + k.name + "\")"};
          if (a != ir::ReferentialAction::NoAction)
            out += std::string(" ") + clause + " " + action_sql(a);
        };
        if (!ddl_.self_reference_actions && k.ref_table == table &&
            (k.on_delete != ir::ReferentialAction::NoAction ||
             k.on_update != ir::ReferentialAction::NoAction))
          throw CannotExpress{d_.name() +
                              " allows only NO ACTION on a foreign key that references "
                              "its own table (\"" +
                              k.name + "\"): the action could cascade in a cycle"};
        check_action(k.on_delete, ddl_.unsupported_on_delete, "ON DELETE");
        check_action(k.on_update, ddl_.unsupported_on_update, "ON UPDATE");
        return;
      }
    }
  }

  // SQLite: the generated key column, when the table's primary key is exactly one serial column.
  const ir::Constraint* rowid_primary_key(const std::vector<ir::Column>& cols,
                                          const std::vector<ir::Constraint>& constraints,
                                          const ir::Column& column) const {
    if (!ddl_.serial_needs_rowid_primary_key || !is_serial(column.type)) return nullptr;
    for (const auto& k : constraints)
      if (k.kind == ir::Constraint::Kind::PrimaryKey && k.columns.size() == 1 &&
          k.columns[0] == column.name)
        return &k;
    (void)cols;
    return nullptr;
  }

  std::string create_table_sql(const std::string& name, const std::vector<ir::Column>& cols,
                               const std::vector<ir::Constraint>& constraints,
                               const std::string& comment) const {
    std::string out = "CREATE TABLE ";
    out.reserve(64 * (cols.size() + constraints.size() + 1));
    d_.append_qualified(out, name);
    out += " (";
    const ir::Constraint* skipped = nullptr;
    bool first = true;
    for (const auto& column : cols) {
      const ir::Constraint* rowid = rowid_primary_key(cols, constraints, column);
      if (rowid) skipped = rowid;
      out += first ? "\n  " : ",\n  ";
      append_column_sql(out, column, rowid);
      first = false;
    }
    for (const auto& k : constraints) {
      if (&k == skipped) continue;
      if (k.kind == ir::Constraint::Kind::ForeignKey && ddl_.foreign_key_index) {
        out += ",\n  INDEX ";
        d_.append_identifier(out, k.name);
        out += " (";
        append_columns(out, k.columns);
        out += ')';
      }
      out += ",\n  ";
      append_constraint_sql(out, k, name);
    }
    out += "\n)";
    if (ddl_.comment_style == DdlSpec::CommentStyle::MySQL && !comment.empty())
      out += " COMMENT = " + d_.string_literal(comment);
    return out;
  }

  std::string extended_property(const char* procedure, const std::string& table,
                                const std::string& column, const std::string* value) const {
    std::string out = std::string("EXEC ") + procedure + " @name = N'MS_Description'";
    if (value) out += ", @value = " + d_.string_literal(*value);
    out +=
        ", @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', "
        "@level1name = " +
        d_.string_literal(table);
    if (!column.empty())
      out += ", @level2type = N'COLUMN', @level2name = " + d_.string_literal(column);
    return out;
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
               column_sql(changed, nullptr));
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

  std::string create_index_sql(const ir::Index& index) const {
    if (!index.where.empty() && !ddl_.supports_partial_index)
      throw CannotExpress{d_.name() + " has no partial indexes (index \"" + index.name +
                          "\" has a where-clause)"};
    std::string out = std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX " +
                      id(index.name) + " ON " + table_name(index.table) + " (" +
                      columns(index.columns) + ")";
    if (!index.where.empty()) out += " WHERE " + strip_terminators(index.where);
    return out;
  }

  std::string drop_index_sql(const std::string& name, const std::string& table) const {
    if (ddl_.drop_index_needs_table && table.empty())
      throw CannotExpress{d_.name() + " drops an index by table, and the table of index \"" + name +
                          "\" is unknown (give \"table\")"};
    return "DROP INDEX " + id(name) +
           (ddl_.drop_index_needs_table ? " ON " + table_name(table) : "");
  }

  std::string drop_constraint_sql(const std::string& table, const std::string& name,
                                  const ir::Constraint* known) const {
    std::string head = "ALTER TABLE " + table_name(table) + " ";
    if (ddl_.drop_constraint_by_kind && known) {
      switch (known->kind) {
        case ir::Constraint::Kind::PrimaryKey:
          return head + "DROP PRIMARY KEY";
        case ir::Constraint::Kind::ForeignKey:
          return head + "DROP FOREIGN KEY " + id(name) +
                 (ddl_.foreign_key_index ? ", DROP INDEX " + id(name) : "");
        case ir::Constraint::Kind::Unique:
          return head + "DROP INDEX " + id(name);
        case ir::Constraint::Kind::Check:
          break;
      }
    }
    return head + "DROP CONSTRAINT " + id(name);
  }

  // SQL Server: defaults and column CHECKs have generated names; find and drop them by column.
  // (Golden-only: no SQL Server runs in the test suite.)
  std::string sqlserver_drop_column_objects(const std::string& table, const std::string& column,
                                            bool checks) const {
    std::string object = d_.string_literal(table_name(table));
    std::string col = d_.string_literal(column);
    std::string out =
        "DECLARE @drop NVARCHAR(MAX) = N''; SELECT @drop = @drop + N'ALTER TABLE " +
        replace_all(table_name(table), "'", "''") +
        " DROP CONSTRAINT ' + QUOTENAME(name) + N'; ' FROM sys.default_constraints WHERE "
        "parent_object_id = OBJECT_ID(" +
        object + ") AND parent_column_id = COLUMNPROPERTY(OBJECT_ID(" + object + "), " + col +
        ", 'ColumnId')";
    if (checks)
      out += "; SELECT @drop = @drop + N'ALTER TABLE " + replace_all(table_name(table), "'", "''") +
             " DROP CONSTRAINT ' + QUOTENAME(name) + N'; ' FROM sys.check_constraints WHERE "
             "parent_object_id = OBJECT_ID(" +
             object + ") AND parent_column_id = COLUMNPROPERTY(OBJECT_ID(" + object + "), " + col +
             ", 'ColumnId')";
    // Run as its own dynamic batch, so the variable does not clash with another such
    // statement in the same script.
    return "EXEC(" + d_.string_literal(out + "; EXEC sp_executesql @drop") + ")";
  }

  // SQLite: build the table as it is after the change under a new name, copy the rows of the
  // columns that survive, swap, and recreate the indexes.
  void rebuild(const std::string& why) {
    const schema::Table& old_table =
        known_table(c_.table, d_.name() + " " + why + " by rebuilding the table");
    std::optional<schema::Table> after = before_.table_after(c_);
    if (!after) throw CannotExpress{"the change does not apply to table \"" + c_.table + "\""};
    const schema::Table& t = *after;
    std::string temp = "migpkg_rebuild_" + t.name;
    emit(create_table_sql(temp, t.columns, t.constraints, ""));
    std::vector<std::string> copied;
    for (const auto& column : t.columns)
      if (old_table.find_column(column.name)) copied.push_back(column.name);
    emit("INSERT INTO " + table_name(temp) + " (" + columns(copied) + ") SELECT " +
         columns(copied) + " FROM " + table_name(t.name));
    emit("DROP TABLE " + table_name(t.name));
    if (!ddl_.rebuild_before_rename.empty()) emit(ddl_.rebuild_before_rename);
    emit("ALTER TABLE " + table_name(temp) + " RENAME TO " + table_name(t.name));
    if (!ddl_.rebuild_after_rename.empty()) emit(ddl_.rebuild_after_rename);
    for (const auto& index : t.indexes) emit(create_index_sql(index));
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
                            default_sql(*c_.set_default, c_.set_type  ? *c_.set_type
                                                         : old_column ? old_column->type
                                                                      : ir::ColumnType{}));
        if (c_.drop_default) actions.push_back(col + "DROP DEFAULT");
        std::string joined;
        for (const auto& a : actions) joined += (joined.empty() ? "" : ", ") + a;
        emit(head + joined);
        return;
      }
      case Style::MySQLModify: {
        const schema::Table& known =
            known_table(c_.table, "MySQL changes a column by restating the whole column");
        emit(head + "MODIFY COLUMN " + column_sql(after_column(known), nullptr));
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
                 default_sql(*c_.set_default, old_column ? old_column->type : ir::ColumnType{}) +
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
               default_sql(*c_.set_default, old_column ? old_column->type : ir::ColumnType{}) +
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
    if (c_.set_default) after.default_value = c_.set_default;
    if (c_.drop_default) after.default_value.reset();
    return after;
  }

  bool sqlite_add_needs_rebuild(const ir::Column& column) const {
    if (!column.nullable && !column.default_value) return true;
    return column.default_value && column.default_value->kind != ir::ColumnDefault::Kind::Literal &&
           column.default_value->kind != ir::ColumnDefault::Kind::Json;
  }

  void drop_column() {
    if (ddl_.alter_via_rebuild) {
      rebuild("drops a column");
      return;
    }
    if (const schema::Table* t = before_.find_table(c_.table)) {
      // What depends on the column goes first, the same way on every engine.
      for (const auto& index : t->indexes)
        if (contains(index.columns, c_.column)) emit(drop_index_sql(index.name, t->name));
      for (const auto& k : t->constraints)
        if (contains(k.columns, c_.column)) emit(drop_constraint_sql(t->name, k.name, &k));
    }
    if (ddl_.named_default_constraints)
      emit(sqlserver_drop_column_objects(c_.table, c_.column, true));
    emit("ALTER TABLE " + table_name(c_.table) + " DROP COLUMN " + id(c_.column));
  }

  void generate() {
    std::string head = "ALTER TABLE " + table_name(c_.table) + " ";
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
          emit(head + "RENAME TO " + table_name(c_.new_name));
        return;
      case Kind::AddColumn: {
        const ir::Column& column = c_.columns.front();
        if (is_serial(column.type) && ddl_.serial_needs_rowid_primary_key)
          throw CannotExpress{d_.name() +
                              " generates values only for a table's single-column "
                              "primary key, which a new column cannot become"};
        bool placed = c_.after_column.has_value();
        if (ddl_.alter_via_rebuild && (sqlite_add_needs_rebuild(column) || placed)) {
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
        emit(head + ddl_.add_column + " " + column_sql(column, nullptr) + place);
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
          emit(head + "RENAME COLUMN " + id(c_.column) + " TO " + id(c_.new_name));
        return;
      case Kind::AlterColumn:
        alter_column();
        return;
      case Kind::AddConstraint:
        if (ddl_.alter_via_rebuild) {
          rebuild("adds a constraint");
          return;
        }
        if (c_.constraints.front().kind == ir::Constraint::Kind::ForeignKey &&
            ddl_.foreign_key_index)
          head += "ADD INDEX " + id(c_.constraints.front().name) + " (" +
                  columns(c_.constraints.front().columns) + "), ";
        emit(head + "ADD " + constraint_sql(c_.constraints.front(), c_.table));
        return;
      case Kind::DropConstraint: {
        if (ddl_.alter_via_rebuild) {
          rebuild("drops a constraint");
          return;
        }
        const schema::Table* t = before_.find_table(c_.table);
        emit(drop_constraint_sql(c_.table, c_.constraint_name,
                                 t ? t->find_constraint(c_.constraint_name) : nullptr));
        return;
      }
      case Kind::CreateIndex:
        emit(create_index_sql(c_.index));
        return;
      case Kind::DropIndex: {
        const schema::Table* t = before_.table_of_index(c_.index.name);
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
  const schema::SchemaModel& before_;
  const Dialect& d_;
  const DdlSpec& ddl_;
  std::vector<std::string> statements_;
  std::vector<std::string> notes_;
};

}  // namespace

CompiledChange compile_change(const ir::SchemaChange& change, const schema::SchemaModel& before,
                              const Dialect& dialect) {
  return Generator(change, before, dialect).run();
}

std::string sql_type(const ir::ColumnType& type, const Dialect& dialect, std::string* why) {
  schema::SchemaModel empty;
  ir::SchemaChange none;
  try {
    return Generator(none, empty, dialect).type_sql(type);
  } catch (const CannotExpress& e) {
    if (why) *why = e.why;
    return {};
  }
}

}  // namespace migpkg
