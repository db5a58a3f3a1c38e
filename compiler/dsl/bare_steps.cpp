#include "compiler/dsl/bare_steps.hpp"

namespace migpkg::dsl {
namespace {

using Kind = ir::SchemaChange::Kind;

struct Words {
  const char* id;
  const char* name;
};

Words words(Kind kind) {
  switch (kind) {
    case Kind::CreateTable:
      return {"create-table", "Create table"};
    case Kind::DropTable:
      return {"drop-table", "Drop table"};
    case Kind::RenameTable:
      return {"rename-table", "Rename table"};
    case Kind::AddColumn:
      return {"add-column", "Add column"};
    case Kind::DropColumn:
      return {"drop-column", "Drop column"};
    case Kind::RenameColumn:
      return {"rename-column", "Rename column"};
    case Kind::AlterColumn:
      return {"alter-column", "Alter column"};
    case Kind::AddConstraint:
      return {"add-constraint", "Add constraint"};
    case Kind::DropConstraint:
      return {"drop-constraint", "Drop constraint"};
    case Kind::CreateIndex:
      return {"create-index", "Create index"};
    case Kind::DropIndex:
      return {"drop-index", "Drop index"};
    case Kind::CreateView:
      return {"create-view", "Create view"};
    case Kind::DropView:
      return {"drop-view", "Drop view"};
    case Kind::CreateExtension:
      return {"create-extension", "Create extension"};
    case Kind::DropExtension:
      return {"drop-extension", "Drop extension"};
    case Kind::SetComment:
      return {"comment", "Comment on"};
  }
  return {"change", "Change"};
}

// The object a change is about, as "table", "table.column" or a name.
std::string subject(const ir::SchemaChange& c) {
  switch (c.kind) {
    case Kind::AddColumn:
      return c.table + "." + (c.columns.empty() ? std::string() : c.columns[0].name);
    case Kind::DropColumn:
    case Kind::RenameColumn:
    case Kind::AlterColumn:
      return c.table + "." + c.column;
    case Kind::AddConstraint:
      return c.table + "." + (c.constraints.empty() ? std::string() : c.constraints[0].name);
    case Kind::DropConstraint:
      return c.table + "." + c.constraint_name;
    case Kind::CreateIndex:
    case Kind::DropIndex:
      return c.index.name;
    case Kind::CreateView:
    case Kind::DropView:
      return c.view.name;
    case Kind::CreateExtension:
    case Kind::DropExtension:
      return c.extension;
    case Kind::SetComment:
      return c.column.empty() ? c.table : c.table + "." + c.column;
    default:
      return c.table;
  }
}

}  // namespace

// Step ids hold letters, digits, '.', '_' and '-' (compiler/ir/identifiers.hpp).
std::string id_text(std::string id, const std::string& subject) {
  for (char c : subject) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    id += ok ? c : '_';
  }
  return id;
}

std::string bare_step_id(const ir::SchemaChange& change) {
  return id_text(std::string(words(change.kind).id) + "-", subject(change));
}

std::string bare_step_id(const ir::Load& load) {
  return id_text("load-", load.table);
}

std::string bare_step_name(const ir::Load& load) {
  return "Load " + load.file.text + " into " + load.table;
}

std::string bare_step_name(const ir::SchemaChange& change) {
  return std::string(words(change.kind).name) + " " + subject(change);
}

bool is_bare_step(const ir::Step& s) {
  bool plain = !s.sql && !s.transform && !s.type && s.description.empty() && s.transactional &&
               s.rollback_supported && !s.skip_on_error && !s.timeout_seconds &&
               s.dependencies.empty() && !s.pre_validation && !s.post_validation &&
               !s.expected_changes.rows && !s.expected_changes.tables &&
               !s.expected_changes.indexes;
  if (s.load && !s.change)
    return plain && s.id == bare_step_id(*s.load) && s.name == bare_step_name(*s.load);
  return s.change && !s.load && !s.sql && !s.transform && !s.type && s.description.empty() &&
         s.transactional && s.rollback_supported && !s.skip_on_error && !s.timeout_seconds &&
         s.dependencies.empty() && !s.pre_validation && !s.post_validation &&
         !s.expected_changes.rows && !s.expected_changes.tables && !s.expected_changes.indexes &&
         s.id == bare_step_id(*s.change) && s.name == bare_step_name(*s.change);
}

}  // namespace migpkg::dsl
