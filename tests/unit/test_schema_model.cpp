// The schema model's undo log: a change applied in a scratch scope is taken back exactly
// (tables, column/constraint/index order, the index registry, views, extensions), a change that
// fails leaves the model as it was, and applying inside a scope gives the same model as outside.
#include <catch2/catch.hpp>

#include "compiler/dialects/ddl_generator.hpp"
#include "compiler/dialects/dialect.hpp"

#include "compiler/schema/schema_model.hpp"

using namespace migpkg;
using Kind = ir::SchemaChange::Kind;

namespace {

const std::vector<std::string> kNames = {"p", "t", "q", "u", "v", "w", "nope"};

ir::Column column(const std::string& name, ir::ColumnType::Kind type = ir::ColumnType::Kind::Int64,
                  bool nullable = true) {
  ir::Column c;
  c.name = name;
  c.type.kind = type;
  c.nullable = nullable;
  c.location.file = "a/long/enough/path/to/the/source/file.mig";
  return c;
}

ir::Constraint constraint(ir::Constraint::Kind kind, const std::string& name,
                          std::vector<std::string> columns, const std::string& ref_table = "",
                          std::vector<std::string> ref_columns = {}) {
  ir::Constraint c;
  c.kind = kind;
  c.name = name;
  c.columns = std::move(columns);
  c.ref_table = ref_table;
  c.ref_columns = std::move(ref_columns);
  if (kind == ir::Constraint::Kind::Check) c.check = "a > 0";
  return c;
}

ir::SchemaChange change(Kind kind, const std::string& table = "") {
  ir::SchemaChange c;
  c.kind = kind;
  c.table = table;
  return c;
}

ir::SchemaChange index_change(Kind kind, const std::string& name, const std::string& table,
                              std::vector<std::string> columns = {}) {
  ir::SchemaChange c = change(kind);
  c.index.name = name;
  c.index.table = table;
  c.index.columns = std::move(columns);
  return c;
}

// Everything the model exposes about the names above, as text.
std::string dump(const schema::SchemaModel& model) {
  std::string out = model.raw_sql_seen() ? "raw\n" : "";
  for (const auto& name : kNames) {
    if (const schema::Table* t = model.find_table(name)) {
      out += "table " + t->name + " (" + t->comment + ")\n";
      for (const auto& c : t->columns)
        out += "  column " + c.name + " " + ir::to_string(c.type.kind) +
               (c.nullable ? " null" : " not null") +
               (c.default_value ? " default " + c.default_value->literal.text : "") + " [" +
               c.comment + "]\n";
      for (const auto& c : t->constraints) {
        out += "  constraint " + c.name + " " + ir::to_string(c.kind) + " " + c.ref_table;
        for (const auto& x : c.columns) out += " " + x;
        out += " ->";
        for (const auto& x : c.ref_columns) out += " " + x;
        if (!c.check.empty()) out += " check " + c.check;
        out += "\n";
      }
      for (const auto& i : t->indexes) {
        out += "  index " + i.name + " on " + i.table;
        for (const auto& x : i.columns) out += " " + x;
        if (!i.where.empty()) out += " where " + i.where;
        out += "\n";
      }
    }
    if (const ir::View* v = model.find_view(name)) out += "view " + v->name + "\n";
    if (model.has_extension(name)) out += "extension " + name + "\n";
  }
  for (const auto& index : model.index_names()) {
    const schema::Table* owner = model.table_of_index(index);
    out += "registered " + index + " -> " + (owner ? owner->name : "?") + "\n";
  }
  return out;
}

void build(schema::SchemaModel& model) {
  using C = ir::Constraint::Kind;
  Diagnostics diagnostics;
  ir::SchemaChange p = change(Kind::CreateTable, "p");
  p.columns = {column("id", ir::ColumnType::Kind::Int64, false), column("name")};
  p.constraints = {constraint(C::PrimaryKey, "p_pk", {"id"})};
  REQUIRE(model.apply(p, "", diagnostics));
  ir::SchemaChange t = change(Kind::CreateTable, "t");
  t.columns = {column("a", ir::ColumnType::Kind::Int64, false), column("b"), column("c"),
               column("p_id")};
  t.constraints = {constraint(C::PrimaryKey, "t_pk", {"a"}),
                   constraint(C::Unique, "t_b_uq", {"b", "c"}),
                   constraint(C::ForeignKey, "t_p_fk", {"p_id"}, "p", {"id"}),
                   constraint(C::Check, "t_ck", {"c"}),
                   constraint(C::ForeignKey, "t_self_fk", {"c"}, "t", {"a"})};
  REQUIRE(model.apply(t, "", diagnostics));
  REQUIRE(model.apply(index_change(Kind::CreateIndex, "t_b_ix", "t", {"b"}), "", diagnostics));
  REQUIRE(model.apply(index_change(Kind::CreateIndex, "t_c_ix", "t", {"c", "a"}), "", diagnostics));
  REQUIRE(
      model.apply(index_change(Kind::CreateIndex, "p_name_ix", "p", {"name"}), "", diagnostics));
  ir::SchemaChange view = change(Kind::CreateView);
  view.view.name = "v";
  view.view.query = "SELECT 1";
  REQUIRE(model.apply(view, "", diagnostics));
  ir::SchemaChange extension = change(Kind::CreateExtension);
  extension.extension = "w";
  REQUIRE(model.apply(extension, "", diagnostics));
  ir::SchemaChange comment = change(Kind::SetComment, "t");
  comment.comment = "the t table";
  REQUIRE(model.apply(comment, "", diagnostics));
  REQUIRE_FALSE(diagnostics.has_errors());
}

std::vector<ir::SchemaChange> probes() {
  using C = ir::Constraint::Kind;
  std::vector<ir::SchemaChange> out;
  out.push_back(change(Kind::DropTable, "t"));
  out.push_back(change(Kind::DropTable, "p"));
  out.push_back(change(Kind::DropTable, "nope"));  // fails
  auto rename = change(Kind::RenameTable, "p");
  rename.new_name = "q";
  out.push_back(rename);
  rename.table = "t";
  out.push_back(rename);
  rename.new_name = "p";  // fails: exists
  out.push_back(rename);
  auto rename_column = change(Kind::RenameColumn, "p");
  rename_column.column = "id";
  rename_column.new_name = "pid";
  out.push_back(rename_column);
  rename_column.table = "t";
  rename_column.column = "a";
  rename_column.new_name = "aa";
  out.push_back(rename_column);
  rename_column.new_name = "b";  // fails: exists
  out.push_back(rename_column);
  for (std::optional<std::string> after :
       {std::optional<std::string>(), std::optional<std::string>(""),
        std::optional<std::string>("b"), std::optional<std::string>("zz")}) {  // zz fails
    auto add = change(Kind::AddColumn, "t");
    add.columns = {column("d")};
    add.after_column = after;
    out.push_back(add);
  }
  auto add_existing = change(Kind::AddColumn, "t");
  add_existing.columns = {column("b")};  // fails
  out.push_back(add_existing);
  for (const char* name : {"a", "b", "c", "p_id", "zz"}) {  // zz fails
    auto drop = change(Kind::DropColumn, "t");
    drop.column = name;
    out.push_back(drop);
  }
  auto drop_last = change(Kind::DropColumn, "p");
  drop_last.column = "name";
  out.push_back(drop_last);
  auto alter = change(Kind::AlterColumn, "t");
  alter.column = "c";
  alter.set_type = ir::ColumnType{};
  alter.set_nullable = false;
  alter.set_default = ir::ColumnDefault{};
  alter.set_default->literal.kind = ir::Literal::Kind::Integer;
  alter.set_default->literal.text = "7";
  out.push_back(alter);
  alter.column = "zz";  // fails
  out.push_back(alter);
  auto add_constraint = change(Kind::AddConstraint, "t");
  add_constraint.constraints = {constraint(C::Unique, "t_bc_uq2", {"b"})};
  out.push_back(add_constraint);
  add_constraint.constraints = {constraint(C::Unique, "t_ok", {"b"}),
                                constraint(C::Unique, "t_bad", {"zz"})};  // fails half-way
  out.push_back(add_constraint);
  add_constraint.constraints = {constraint(C::PrimaryKey, "t_pk2", {"b"})};  // fails
  out.push_back(add_constraint);
  add_constraint.constraints = {constraint(C::ForeignKey, "t_fk2", {"b"}, "p", {"zz"})};  // fails
  out.push_back(add_constraint);
  auto drop_constraint = change(Kind::DropConstraint, "t");
  for (const char* name : {"t_pk", "t_b_uq", "t_ck", "zz"}) {  // zz fails
    drop_constraint.constraint_name = name;
    out.push_back(drop_constraint);
  }
  out.push_back(index_change(Kind::CreateIndex, "t_new_ix", "t", {"c"}));
  out.push_back(index_change(Kind::CreateIndex, "t_bad_ix", "t", {"zz"}));  // fails after push
  out.push_back(index_change(Kind::CreateIndex, "t_b_ix", "p", {"id"}));    // fails: exists
  out.push_back(index_change(Kind::DropIndex, "t_c_ix", ""));
  out.push_back(index_change(Kind::DropIndex, "t_b_ix", "t"));
  out.push_back(index_change(Kind::DropIndex, "t_b_ix", "p"));  // fails: other table
  out.push_back(index_change(Kind::DropIndex, "zz_ix", ""));    // fails
  auto view = change(Kind::CreateView);
  view.view.name = "u";
  out.push_back(view);
  view.view.name = "v";  // fails
  out.push_back(view);
  view.kind = Kind::DropView;
  out.push_back(view);
  view.view.name = "nope";  // fails
  out.push_back(view);
  auto extension = change(Kind::CreateExtension);
  extension.extension = "u";
  out.push_back(extension);
  extension.kind = Kind::DropExtension;
  extension.extension = "w";
  out.push_back(extension);
  extension.extension = "u";  // fails
  out.push_back(extension);
  auto comment = change(Kind::SetComment, "t");
  comment.comment = "new";
  out.push_back(comment);
  comment.column = "b";
  out.push_back(comment);
  comment.column = "zz";  // fails
  out.push_back(comment);
  auto create = change(Kind::CreateTable, "u");
  create.columns = {column("x"), column("y")};
  create.constraints = {constraint(C::PrimaryKey, "u_pk", {"x"}),
                        constraint(C::ForeignKey, "u_fk", {"y"}, "t", {"a"})};
  out.push_back(create);
  create.constraints.push_back(constraint(C::Unique, "u_uq", {"zz"}));  // fails
  out.push_back(create);
  create.table = "t";  // fails: exists
  out.push_back(create);
  return out;
}

}  // namespace

TEST_CASE("a scratch scope takes every kind of change back exactly", "[schema]") {
  schema::SchemaModel model;
  build(model);
  const std::string before = dump(model);
  int failures = 0;
  for (const auto& probe : probes()) {
    INFO("probe " << ir::to_string(probe.kind) << " " << probe.table << " " << probe.column
                  << probe.index.name << probe.view.name << probe.extension);
    Diagnostics in_scope, outside;
    model.begin_scratch();
    bool applied = model.apply(probe, "", in_scope);
    std::string after = dump(model);
    model.end_scratch();
    CHECK(dump(model) == before);

    schema::SchemaModel fresh;
    build(fresh);
    CHECK(fresh.apply(probe, "", outside) == applied);
    CHECK(dump(fresh) == after);
    CHECK(in_scope.items().size() == outside.items().size());
    if (!applied) {
      ++failures;
      CHECK(after == before);
      CHECK(in_scope.has_errors());
    }
  }
  CHECK(failures >= 20);

  // All of them in one scope, nested scopes inside, raw SQL noted: all taken back at the end.
  model.begin_scratch();
  Diagnostics ignored;
  for (const auto& probe : probes()) {
    model.begin_scratch();
    model.apply(probe, "", ignored);
    model.note_raw_sql();
    model.end_scratch();
    model.apply(probe, "", ignored);
  }
  model.note_raw_sql();
  CHECK(dump(model) != before);
  model.end_scratch();
  CHECK(dump(model) == before);
}

TEST_CASE("a rebuild tries the change on the model and leaves it alone", "[schema]") {
  schema::SchemaModel model;
  build(model);
  const std::string before = dump(model);
  auto drop = change(Kind::DropColumn, "t");
  drop.column = "b";
  const migpkg::Dialect& sqlite = *migpkg::find_dialect("sqlite");
  migpkg::CompiledChange first = migpkg::compile_change(drop, model, sqlite);
  REQUIRE(first.error.empty());
  REQUIRE(first.statements.size() > 3);
  // The new table is the one after the change: without b, and its index is made again.
  CHECK(first.statements[0].rfind("CREATE TABLE \"migpkg_rebuild_t\"", 0) == 0);
  CHECK(first.statements[0].find("\"b\"") == std::string::npos);
  CHECK(first.statements.back().rfind("CREATE ", 0) == 0);
  CHECK(dump(model) == before);
  // Inside a scratch scope of the caller's too, and again with the same result.
  model.begin_scratch();
  CHECK(migpkg::compile_change(drop, model, sqlite).statements == first.statements);
  model.end_scratch();
  CHECK(dump(model) == before);
}

TEST_CASE("renaming a column renames it inside the table's expressions", "[schema]") {
  schema::SchemaModel model;
  build(model);
  Diagnostics diagnostics;
  auto where = index_change(Kind::CreateIndex, "t_partial_ix", "t", {"b"});
  where.index.where = "A > 0 AND 'a' <> b -- a";
  REQUIRE(model.apply(where, "", diagnostics));
  const std::string before = dump(model);
  auto rename = change(Kind::RenameColumn, "t");
  rename.column = "a";
  rename.new_name = "First A";
  model.begin_scratch();
  REQUIRE(model.apply(rename, "", diagnostics));
  const schema::Table& t = *model.find_table("t");
  CHECK(t.find_constraint("t_ck")->check == "\"First A\" > 0");
  CHECK(t.indexes.back().where == "\"First A\" > 0 AND 'a' <> b -- a");
  // The SQLite rebuild writes the renamed expressions, quoted for the dialect.
  auto drop = change(Kind::DropColumn, "t");
  drop.column = "b";
  auto rebuilt = migpkg::compile_change(drop, model, *migpkg::find_dialect("sqlite"));
  REQUIRE(rebuilt.error.empty());
  CHECK(rebuilt.statements[0].find("CHECK (\"First A\" > 0)") != std::string::npos);
  model.end_scratch();
  CHECK(dump(model) == before);
  CHECK(diagnostics.empty());
}
