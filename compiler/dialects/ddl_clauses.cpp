#include "compiler/dialects/ddl_clauses.hpp"

#include <algorithm>

#include "compiler/dialects/foreign_key_index.hpp"
#include "compiler/dialects/type_markers.hpp"
#include "compiler/schema/expression_names.hpp"
#include "compiler/schema/naming.hpp"
#include "compiler/sql/statement_splitter.hpp"

namespace migpkg::ddl {
namespace {

using TypeKind = ir::ColumnType::Kind;

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

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

}  // namespace

bool is_serial(const ir::ColumnType& type) {
  return type.kind == TypeKind::Serial || type.kind == TypeKind::BigSerial;
}

// A length longer than the dialect's type allows cannot be expressed.
void DdlClauses::check_length(const ir::ColumnType& type) const {
  if (!type.length) return;
  std::int64_t max = type.kind == TypeKind::String ? ddl_.max_string_length
                     : type.kind == TypeKind::Char ? ddl_.max_char_length
                                                   : 0;
  if (max && *type.length > max)
    throw CannotExpress{std::string(ir::to_string(type.kind)) + "(" + std::to_string(*type.length) +
                        ") is longer than " + d_.name() + " allows (" + std::to_string(max) +
                        "); use text"};
}

std::string DdlClauses::type_sql(const ir::ColumnType& type) const {
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
    check_length(type);
    if (out.find('{') != std::string::npos)
      out = replace_all(std::move(out), "{n}", std::to_string(*type.length));
  }
  if (out.find('{') == std::string::npos) return out;  // no placeholder (left)
  out = replace_all(std::move(out), "{p}", std::to_string(type.precision.value_or(0)));
  out = replace_all(std::move(out), "{s}", std::to_string(type.scale.value_or(0)));
  std::string values;
  for (const auto& v : type.values) values += (values.empty() ? "" : ", ") + d_.string_literal(v);
  return replace_all(std::move(out), "{values}", values);
}

void DdlClauses::append_type_sql(std::string& out, const ir::ColumnType& type) const {
  // Most spellings have no placeholder: appended as they are, without a copy.
  if (type.kind != TypeKind::Enum || !ddl_.enum_as_check) {
    auto it = ddl_.types.find(type.kind);
    if (it != ddl_.types.end() && it->second.find('{') == std::string::npos) {
      check_length(type);
      out += it->second;
      return;
    }
  }
  out += type_sql(type);
}

void DdlClauses::append_object_id(std::string& out, const std::string& name) const {
  if (ddl_.max_name_length == 0 || name.size() <= ddl_.max_name_length)
    d_.append_identifier(out, name);
  else
    d_.append_identifier(out, schema::bounded_name(name, ddl_.max_name_length));
}

std::string DdlClauses::object_id(const std::string& name) const {
  std::string out;
  append_object_id(out, name);
  return out;
}

std::string DdlClauses::columns(const std::vector<std::string>& names) const {
  std::string out;
  append_columns(out, names);
  return out;
}

std::string DdlClauses::expression_sql(const std::string& text, const Columns* columns,
                                       const std::string& what) const {
  std::string stripped = strip_terminators(text);
  auto quoted = schema::quote_expression_columns(
      stripped, columns,
      [this](std::string& out, const std::string& name) { d_.append_identifier(out, name); },
      [this](const std::string& value) { return d_.string_literal(value); });
  if (quoted.problem)
    throw CannotExpress{what + " " + schema::expression_position(stripped, quoted.problem->offset) +
                        ": " + quoted.problem->message};
  // A trailing -- comment would swallow the closing parenthesis put after the expression.
  if (schema::ends_in_line_comment(stripped)) quoted.text += '\n';
  return std::move(quoted.text);
}

std::string DdlClauses::default_sql(const ir::ColumnDefault& value, const ir::ColumnType& type,
                                    const Columns* columns) const {
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
      return "(" + expression_sql(value.text, columns, "the default") + ")";
  }
  return "NULL";
}

std::string DdlClauses::enum_check(const ir::Column& column) const {
  std::string values;
  for (const auto& v : column.type.values)
    values += (values.empty() ? "" : ", ") + d_.string_literal(v);
  return "CHECK (" + id(column.name) + " IN (" + values + "))";
}

std::string DdlClauses::column_sql(const ir::Column& column, const ir::Constraint* rowid_pk,
                                   const Columns* columns) const {
  std::string out;
  append_column_sql(out, column, rowid_pk, columns);
  return out;
}

void DdlClauses::append_column_sql(std::string& out, const ir::Column& column,
                                   const ir::Constraint* rowid_pk, const Columns* columns) const {
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
    append_type_sql(out, column.type);
  }
  if (column.default_value) {
    out += " DEFAULT ";
    out += default_sql(*column.default_value, column.type, columns);
  }
  if (!column.nullable) out += " NOT NULL";
  if (column.type.kind == TypeKind::Enum && ddl_.enum_as_check) {
    out += ' ';
    out += enum_check(column);
  }
  if (ddl_.comment_style != DdlSpec::CommentStyle::MySQL) return;
  auto marker = ddl_.comment_type_markers.find(column.type.kind);
  if (marker != ddl_.comment_type_markers.end()) {
    out += " COMMENT ";
    out += d_.string_literal(type_markers::marked(column.comment, marker->second));
  } else if (!column.comment.empty()) {
    out += " COMMENT ";
    out += d_.string_literal(column.comment);
  }
}

void DdlClauses::append_columns(std::string& out, const std::vector<std::string>& names) const {
  std::size_t size = out.size();
  for (const auto& name : names) size += name.size() + 4;  // quotes and ", "
  out.reserve(size);
  bool first = true;
  for (const auto& name : names) {
    if (!first) out += ", ";
    first = false;
    d_.append_identifier(out, name);
  }
}

std::string DdlClauses::constraint_sql(const ir::Constraint& k, const std::string& table,
                                       const Columns* columns) const {
  std::string out;
  append_constraint_sql(out, k, table, columns);
  return out;
}

void DdlClauses::check_keyable(const std::vector<std::string>& key, const Columns* columns,
                               const std::string& what) const {
  if (!columns || ddl_.unkeyable_kinds.empty()) return;
  for (const std::string& name : key)
    for (const ir::Column& column : *columns)
      if (column.name == name && std::find(ddl_.unkeyable_kinds.begin(), ddl_.unkeyable_kinds.end(),
                                           column.type.kind) != ddl_.unkeyable_kinds.end())
        throw CannotExpress{d_.name() + " cannot use a " + ir::to_string(column.type.kind) +
                            " column in a key or index (" + what + ", column \"" + name +
                            "\"): its type there is a large object; declare the column " +
                            "string(n) for a text key"};
}

void DdlClauses::append_constraint_sql(std::string& out, const ir::Constraint& k,
                                       const std::string& table, const Columns* columns) const {
  if (k.kind != ir::Constraint::Kind::Check)
    check_keyable(k.columns, columns, ir::to_string(k.kind) + std::string(" \"") + k.name + "\"");
  out += "CONSTRAINT ";
  append_object_id(out, k.name);
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
      out += expression_sql(k.check, columns, "check \"" + k.name + "\"");
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
      auto check_action = [&](ir::ReferentialAction a, const std::vector<ir::ReferentialAction>& no,
                              const char* clause) {
        if (std::find(no.begin(), no.end(), a) != no.end())
          throw CannotExpress{d_.name() + " has no " + clause + " " + ir::to_string(a) +
                              " (foreign key \"" + k.name + "\")"};
        if (a != ir::ReferentialAction::NoAction) {
          out += ' ';
          out += clause;
          out += ' ';
          out += action_sql(a);
        }
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

const ir::Constraint* DdlClauses::rowid_primary_key(const std::vector<ir::Constraint>& constraints,
                                                    const ir::Column& column) const {
  if (!ddl_.serial_needs_rowid_primary_key || !is_serial(column.type)) return nullptr;
  for (const auto& k : constraints)
    if (k.kind == ir::Constraint::Kind::PrimaryKey && k.columns.size() == 1 &&
        k.columns[0] == column.name)
      return &k;
  return nullptr;
}

std::string DdlClauses::create_table_sql(const std::string& name,
                                         const std::vector<ir::Column>& cols,
                                         const std::vector<ir::Constraint>& constraints,
                                         const std::string& comment) const {
  std::string out = "CREATE TABLE ";
  out.reserve(64 * (cols.size() + constraints.size() + 1));
  d_.append_qualified(out, name);
  out += " (";
  const ir::Constraint* skipped = nullptr;
  bool first = true;
  for (const auto& column : cols) {
    const ir::Constraint* rowid = rowid_primary_key(constraints, column);
    if (rowid) skipped = rowid;
    out += first ? "\n  " : ",\n  ";
    append_column_sql(out, column, rowid, &cols);
    first = false;
  }
  for (const auto& k : constraints) {
    if (&k == skipped) continue;
    // MySQL: a foreign key no primary key or unique constraint covers gets its own index
    // (foreign_key_index.hpp).
    if (k.kind == ir::Constraint::Kind::ForeignKey && ddl_.foreign_key_index &&
        !fk_covered(IndexedTable{constraints, {}}, k.columns)) {
      out += ",\n  INDEX ";
      append_object_id(out, k.name);
      out += " (";
      append_columns(out, k.columns);
      out += ')';
    }
    out += ",\n  ";
    append_constraint_sql(out, k, name, &cols);
  }
  out += "\n)";
  out += ddl_.table_options;
  if (ddl_.comment_style == DdlSpec::CommentStyle::MySQL && !comment.empty())
    out += " COMMENT = " + d_.string_literal(comment);
  return out;
}

std::string DdlClauses::extended_property(const char* procedure, const std::string& table,
                                          const std::string& column,
                                          const std::string* value) const {
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

std::string DdlClauses::create_index_sql(const ir::Index& index, const Columns* columns) const {
  if (!index.where.empty() && !ddl_.supports_partial_index)
    throw CannotExpress{d_.name() + " has no partial indexes (index \"" + index.name +
                        "\" has a where-clause)"};
  check_keyable(index.columns, columns, "index \"" + index.name + "\"");
  std::string out = index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  out.reserve(64 + index.name.size() + index.table.size() + 16 * index.columns.size());
  append_object_id(out, index.name);
  out += " ON ";
  d_.append_qualified(out, index.table);
  out += " (";
  append_columns(out, index.columns);
  out += ')';
  if (!index.where.empty()) {
    out += " WHERE ";
    out += expression_sql(index.where, columns, "the where of index \"" + index.name + "\"");
  }
  return out;
}

std::string DdlClauses::drop_index_sql(const std::string& name, const std::string& table) const {
  if (ddl_.drop_index_needs_table && table.empty())
    throw CannotExpress{d_.name() + " drops an index by table, and the table of index \"" + name +
                        "\" is unknown (give \"table\")"};
  std::string out = "DROP INDEX ";
  out.reserve(32 + name.size() + table.size());
  append_object_id(out, name);
  if (ddl_.drop_index_needs_table) {
    out += " ON ";
    d_.append_qualified(out, table);
  }
  return out;
}

std::string DdlClauses::drop_constraint_sql(const std::string& table, const std::string& name,
                                            const ir::Constraint* known, bool fk_own_index) const {
  std::string out = "ALTER TABLE ";
  out.reserve(64 + table.size() + 2 * name.size());
  d_.append_qualified(out, table);
  out += ' ';
  auto drop = [&](const char* what) {
    out += what;
    append_object_id(out, name);
  };
  if (ddl_.drop_constraint_by_kind && known) {
    switch (known->kind) {
      case ir::Constraint::Kind::PrimaryKey:
        out += "DROP PRIMARY KEY";
        return out;
      case ir::Constraint::Kind::ForeignKey:
        drop("DROP FOREIGN KEY ");
        if (fk_own_index) drop(", DROP INDEX ");
        return out;
      case ir::Constraint::Kind::Unique:
        drop("DROP INDEX ");
        return out;
      case ir::Constraint::Kind::Check:
        break;
    }
  }
  drop("DROP CONSTRAINT ");
  return out;
}

std::string DdlClauses::sqlserver_drop_column_objects(const std::string& table,
                                                      const std::string& column,
                                                      bool checks) const {
  std::string quoted_table = table_name(table);
  std::string object = d_.string_literal(quoted_table);
  std::string col = d_.string_literal(column);
  std::string table_in_literal = replace_all(quoted_table, "'", "''");
  // Collects the statements that drop the objects of one catalog view on the column.
  auto collect = [&](std::string& out, const char* catalog) {
    out += "SELECT @drop = @drop + N'ALTER TABLE ";
    out += table_in_literal;
    out += " DROP CONSTRAINT ' + QUOTENAME(name) + N'; ' FROM ";
    out += catalog;
    out += " WHERE parent_object_id = OBJECT_ID(";
    out += object;
    out += ") AND parent_column_id = COLUMNPROPERTY(OBJECT_ID(";
    out += object;
    out += "), ";
    out += col;
    out += ", 'ColumnId')";
  };
  std::string batch = "DECLARE @drop NVARCHAR(MAX) = N''; ";
  batch.reserve(512 + 4 * object.size() + 2 * col.size());
  collect(batch, "sys.default_constraints");
  if (checks) {
    batch += "; ";
    collect(batch, "sys.check_constraints");
  }
  batch += "; EXEC sp_executesql @drop";
  // Run as its own dynamic batch, so the variable does not clash with another such
  // statement in the same script.
  return "EXEC(" + d_.string_literal(batch) + ")";
}

}  // namespace migpkg::ddl
