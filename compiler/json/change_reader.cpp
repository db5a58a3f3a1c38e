// A step's `change` member (a migpkg extension of portable-migration-v1): one declarative
// schema change, written as an object with a single member naming its kind, e.g.
// {"createTable": {"table": "contacts", "columns": [...]}}. See docs/format.md.
#include <set>

#include <nlohmann/json.hpp>

#include "compiler/json/readers.hpp"
#include "compiler/schema/naming.hpp"
#include "compiler/schema/type_names.hpp"

namespace migpkg::json_front {

using json = nlohmann::json;
using Kind = ir::SchemaChange::Kind;

namespace {

// The kinds as the `change` member spells them, indexed by SchemaChange::Kind.
const std::vector<std::string> kChangeKinds = [] {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < ir::kChangeKindCount; ++i)
    names.push_back(ir::to_string(static_cast<Kind>(i)));
  return names;
}();
const std::vector<std::string> kConstraintKinds = {"primarykey", "unique", "foreignkey", "check"};
// Indexed by ReferentialAction.
const std::vector<std::string> kActions = [] {
  std::vector<std::string> names;
  for (auto i = 0; i <= static_cast<int>(ir::ReferentialAction::SetDefault); ++i)
    names.push_back(ir::to_string(static_cast<ir::ReferentialAction>(i)));
  return names;
}();
const std::vector<std::string> kDefaultFunctions = {"now", "uuid"};

// A required, non-empty name member.
std::string name_member(ObjectReader& r, const std::string& key, Diagnostics& diagnostics,
                        bool required = true) {
  auto text = r.string(key, required);
  if (text && text->empty())
    diagnostics.error("empty-name", r.at(key), "\"" + key + "\" must not be empty");
  return text.value_or("");
}

// A non-empty list of distinct, non-empty column names.
std::vector<std::string> column_list(ObjectReader& r, const std::string& key,
                                     Diagnostics& diagnostics, bool required = true) {
  std::vector<std::string> out;
  const json* list = r.array(key, required);
  if (!list) return out;
  if (list->empty())
    diagnostics.error("empty-columns", r.at(key), "\"" + key + "\" must name at least one column");
  std::set<std::string> seen;
  for (auto& [name, location] : read_string_array(*list, r.at(key), diagnostics)) {
    if (name.empty())
      diagnostics.error("empty-name", location, "a column name must not be empty");
    else if (!seen.insert(name).second)
      diagnostics.error("duplicate-column", location, "column \"" + name + "\" is listed twice");
    out.push_back(name);
  }
  return out;
}

std::optional<ir::ColumnType> read_type(ObjectReader& r, const std::string& key,
                                        Diagnostics& diagnostics, bool required) {
  auto text = r.string(key, required);
  if (!text) return std::nullopt;
  schema::TypeNameError error;
  auto type = schema::parse_type_name(*text, &error);
  if (!type) {
    bool unknown = error.message.rfind("unknown type", 0) == 0;
    diagnostics.error(unknown ? "unknown-type" : "invalid-type", r.at(key),
                      "\"" + *text + "\": " + error.message, error.hint);
    return std::nullopt;
  }
  type->location = r.at(key);
  return type;
}

std::optional<ir::ColumnDefault> read_default(const json& value, const SourceLocation& where,
                                              Diagnostics& diagnostics) {
  ObjectReader d(value, where, diagnostics, "default", {"value", "function", "json", "sql"});
  if (!d.ok()) return std::nullopt;
  if (value.size() != 1) {
    diagnostics.error("invalid-default", where,
                      "a default has exactly one of \"value\", \"function\", \"json\" or \"sql\"");
    return std::nullopt;
  }
  ir::ColumnDefault out;
  out.location = where;
  if (const json* literal = d.value("value")) {
    auto parsed = read_literal(*literal, d.at("value"), diagnostics);
    if (!parsed) return std::nullopt;
    out.kind = ir::ColumnDefault::Kind::Literal;
    out.literal = *parsed;
  } else if (d.has("function")) {
    auto index = d.enumeration("function", kDefaultFunctions);
    if (!index) return std::nullopt;
    out.kind = *index == 0 ? ir::ColumnDefault::Kind::Now : ir::ColumnDefault::Kind::Uuid;
  } else if (const json* document = d.value("json")) {
    out.kind = ir::ColumnDefault::Kind::Json;
    out.text = document->dump();  // canonical: keys sorted, no spaces
  } else {
    auto sql = d.string("sql");
    if (!sql) return std::nullopt;
    if (sql->find_first_not_of(" \t\r\n") == std::string::npos) {
      diagnostics.error("empty-sql", d.at("sql"), "the default's SQL is empty");
      return std::nullopt;
    }
    out.kind = ir::ColumnDefault::Kind::Expression;
    out.text = *sql;
  }
  return out;
}

std::optional<ir::Column> read_column(const json& value, const SourceLocation& where,
                                      Diagnostics& diagnostics) {
  ObjectReader c(value, where, diagnostics, "column",
                 {"name", "type", "nullable", "default", "comment"});
  if (!c.ok()) return std::nullopt;
  ir::Column column;
  column.location = where;
  column.name = name_member(c, "name", diagnostics);
  auto type = read_type(c, "type", diagnostics, true);
  if (type) column.type = *type;
  column.nullable = c.boolean("nullable").value_or(true);
  if (const json* d = c.value("default")) {
    if (auto parsed = read_default(*d, c.at("default"), diagnostics))
      column.default_value = *parsed;
  }
  column.comment = c.string("comment").value_or("");
  if (!type) return std::nullopt;
  return column;
}

std::optional<ir::Constraint> read_constraint(const json& value, const SourceLocation& where,
                                              Diagnostics& diagnostics) {
  ObjectReader c(value, where, diagnostics, "constraint",
                 {"kind", "name", "columns", "references", "onDelete", "onUpdate", "check"});
  if (!c.ok()) return std::nullopt;
  ir::Constraint out;
  out.location = where;
  auto kind = c.enumeration("kind", kConstraintKinds, true);
  if (!kind) return std::nullopt;
  out.kind = static_cast<ir::Constraint::Kind>(*kind);
  out.name = name_member(c, "name", diagnostics, false);
  bool is_fk = out.kind == ir::Constraint::Kind::ForeignKey;
  bool is_check = out.kind == ir::Constraint::Kind::Check;
  auto only_for = [&](const char* key, bool allowed, const char* what) {
    if (c.has(key) && !allowed)
      diagnostics.error("invalid-member", c.at(key),
                        std::string("\"") + key + "\" applies to " + what + " only");
  };
  only_for("references", is_fk, "foreign keys");
  only_for("onDelete", is_fk, "foreign keys");
  only_for("onUpdate", is_fk, "foreign keys");
  only_for("check", is_check, "check constraints");
  only_for("columns", !is_check, "primary key, unique and foreign key constraints");
  if (!is_check) out.columns = column_list(c, "columns", diagnostics);
  if (is_check) {
    out.check = c.string("check", true).value_or("");
    if (c.has("check") && out.check.find_first_not_of(" \t\r\n") == std::string::npos)
      diagnostics.error("empty-sql", c.at("check"), "the check expression is empty");
  }
  if (is_fk) {
    if (const json* references = c.object("references", true)) {
      ObjectReader r(*references, c.at("references"), diagnostics, "references",
                     {"table", "columns"});
      out.ref_table = name_member(r, "table", diagnostics);
      out.ref_columns = column_list(r, "columns", diagnostics);
      if (!out.columns.empty() && !out.ref_columns.empty() &&
          out.columns.size() != out.ref_columns.size())
        diagnostics.error("column-count-mismatch", c.at("references").child("columns"),
                          "the foreign key has " + std::to_string(out.columns.size()) +
                              " column(s) but references " +
                              std::to_string(out.ref_columns.size()));
    }
    if (auto action = c.enumeration("onDelete", kActions))
      out.on_delete = static_cast<ir::ReferentialAction>(*action);
    if (auto action = c.enumeration("onUpdate", kActions))
      out.on_update = static_cast<ir::ReferentialAction>(*action);
  }
  return out;
}

void read_create_table(ObjectReader& r, ir::SchemaChange& change, Diagnostics& diagnostics) {
  change.table = name_member(r, "table", diagnostics);
  if (const json* columns = r.array("columns", true)) {
    if (columns->empty())
      diagnostics.error("empty-columns", r.at("columns"), "a table needs at least one column");
    std::set<std::string> names;
    for (std::size_t i = 0; i < columns->size(); ++i)
      if (auto column = read_column((*columns)[i], r.at("columns").child(i), diagnostics)) {
        if (!column->name.empty() && !names.insert(column->name).second)
          diagnostics.error("duplicate-column", column->location.child("name"),
                            "column \"" + column->name + "\" is defined twice");
        change.columns.push_back(*column);
      }
  }
  if (const json* constraints = r.array("constraints"))
    for (std::size_t i = 0; i < constraints->size(); ++i)
      if (auto constraint =
              read_constraint((*constraints)[i], r.at("constraints").child(i), diagnostics))
        change.constraints.push_back(*constraint);
  change.comment = r.string("comment").value_or("");
}

void read_index(ObjectReader& r, ir::SchemaChange& change, Diagnostics& diagnostics) {
  change.index.location = r.where();
  change.index.name = name_member(r, "name", diagnostics, false);
  change.index.table = name_member(r, "table", diagnostics);
  change.index.columns = column_list(r, "columns", diagnostics);
  change.index.unique = r.boolean("unique").value_or(false);
  change.index.where = r.string("where").value_or("");
  if (r.has("where") && change.index.where.find_first_not_of(" \t\r\n") == std::string::npos)
    diagnostics.error("empty-sql", r.at("where"), "the index's \"where\" is empty");
}

void read_alter_column(ObjectReader& r, ir::SchemaChange& change, Diagnostics& diagnostics) {
  change.table = name_member(r, "table", diagnostics);
  change.column = name_member(r, "column", diagnostics);
  change.set_type = read_type(r, "type", diagnostics, false);
  change.set_nullable = r.boolean("nullable");
  if (const json* d = r.value("default")) {
    if (d->is_null())
      change.drop_default = true;  // "default": null removes the default
    else
      change.set_default = read_default(*d, r.at("default"), diagnostics);
  }
  if (!r.has("type") && !r.has("nullable") && !r.has("default"))
    diagnostics.error("empty-alter", r.where(),
                      "alterColumn changes nothing: give \"type\", \"nullable\" or \"default\"");
}

// Members of each kind's object.
std::vector<std::string_view> members_of(Kind kind) {
  switch (kind) {
    case Kind::CreateTable:
      return {"table", "columns", "constraints", "comment"};
    case Kind::DropTable:
      return {"table"};
    case Kind::RenameTable:
      return {"table", "newName"};
    case Kind::AddColumn:
      return {"table", "column", "after"};
    case Kind::DropColumn:
      return {"table", "column"};
    case Kind::RenameColumn:
      return {"table", "column", "newName"};
    case Kind::AlterColumn:
      return {"table", "column", "type", "nullable", "default"};
    case Kind::AddConstraint:
      return {"table", "constraint"};
    case Kind::DropConstraint:
      return {"table", "constraint"};
    case Kind::CreateIndex:
      return {"name", "table", "columns", "unique", "where"};
    case Kind::DropIndex:
      return {"name", "table"};
    case Kind::CreateView:
      return {"name", "query"};
    case Kind::DropView:
      return {"name"};
    case Kind::CreateExtension:
    case Kind::DropExtension:
      return {"name"};
    case Kind::SetComment:
      return {"table", "column", "comment"};
  }
  return {};
}

void read_body(Kind kind, ObjectReader& r, ir::SchemaChange& change, Diagnostics& diagnostics) {
  switch (kind) {
    case Kind::CreateTable:
      read_create_table(r, change, diagnostics);
      break;
    case Kind::DropTable:
      change.table = name_member(r, "table", diagnostics);
      break;
    case Kind::RenameTable:
      change.table = name_member(r, "table", diagnostics);
      change.new_name = name_member(r, "newName", diagnostics);
      break;
    case Kind::AddColumn:
      change.table = name_member(r, "table", diagnostics);
      if (const json* column = r.object("column", true))
        if (auto parsed = read_column(*column, r.at("column"), diagnostics))
          change.columns.push_back(*parsed);
      change.after_column = r.string("after");
      break;
    case Kind::DropColumn:
      change.table = name_member(r, "table", diagnostics);
      change.column = name_member(r, "column", diagnostics);
      break;
    case Kind::RenameColumn:
      change.table = name_member(r, "table", diagnostics);
      change.column = name_member(r, "column", diagnostics);
      change.new_name = name_member(r, "newName", diagnostics);
      break;
    case Kind::AlterColumn:
      read_alter_column(r, change, diagnostics);
      break;
    case Kind::AddConstraint:
      change.table = name_member(r, "table", diagnostics);
      if (const json* constraint = r.object("constraint", true))
        if (auto parsed = read_constraint(*constraint, r.at("constraint"), diagnostics))
          change.constraints.push_back(*parsed);
      break;
    case Kind::DropConstraint:
      change.table = name_member(r, "table", diagnostics);
      change.constraint_name = name_member(r, "constraint", diagnostics);
      break;
    case Kind::CreateIndex:
      read_index(r, change, diagnostics);
      break;
    case Kind::DropIndex:
      change.index.location = r.where();
      change.index.name = name_member(r, "name", diagnostics);
      change.index.table = name_member(r, "table", diagnostics, false);
      break;
    case Kind::CreateView:
      change.view.location = r.where();
      change.view.name = name_member(r, "name", diagnostics);
      change.view.query = r.string("query", true).value_or("");
      if (r.has("query") && change.view.query.find_first_not_of(" \t\r\n") == std::string::npos)
        diagnostics.error("empty-sql", r.at("query"), "the view's query is empty");
      break;
    case Kind::DropView:
      change.view.location = r.where();
      change.view.name = name_member(r, "name", diagnostics);
      break;
    case Kind::CreateExtension:
    case Kind::DropExtension:
      change.extension = name_member(r, "name", diagnostics);
      break;
    case Kind::SetComment:
      change.table = name_member(r, "table", diagnostics);
      change.column = name_member(r, "column", diagnostics, false);
      change.comment = r.string("comment", true).value_or("");
      break;
  }
}

}  // namespace

std::optional<ir::SchemaChange> read_change(const json& value, const SourceLocation& where,
                                            Diagnostics& diagnostics) {
  if (!value.is_object()) {
    diagnostics.error(
        "wrong-type", where,
        std::string("\"change\" must be an object, found ") + json_type_phrase(value));
    return std::nullopt;
  }
  if (value.size() != 1) {
    std::string list;
    for (const auto& kind : kChangeKinds) list += (list.empty() ? "" : ", ") + kind;
    diagnostics.error("invalid-change", where,
                      "a change is an object with exactly one member, its kind (" + list +
                          "); found " + std::to_string(value.size()) + " members");
    return std::nullopt;
  }
  const std::string& key = value.begin().key();
  auto known = std::find(kChangeKinds.begin(), kChangeKinds.end(), key);
  if (known == kChangeKinds.end()) {
    std::string suggestion = closest_match(key, kChangeKinds);
    diagnostics.error("unknown-change", where.child(key), "unknown change \"" + key + "\"",
                      suggestion.empty() ? "the changes are listed in docs/format-changes.md"
                                         : "did you mean \"" + suggestion + "\"?");
    return std::nullopt;
  }
  ir::SchemaChange change;
  change.kind = static_cast<Kind>(known - kChangeKinds.begin());
  change.location = where.child(key);
  Diagnostics local;
  {
    ObjectReader r(value.begin().value(), where.child(key), local, key, members_of(change.kind));
    if (r.ok()) read_body(change.kind, r, change, local);
  }
  bool failed = local.has_errors();
  diagnostics.append(local);
  if (failed) return std::nullopt;
  schema::normalize(change);
  return change;
}

}  // namespace migpkg::json_front
