// The automatic down: inverses from the replayed schema, last step first, derived steps marked,
// explicit downs left alone, and the derived steps not written back by to_portable_json.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "compiler/json/ir_json.hpp"
#include "compiler/json/json_loader.hpp"
#include "compiler/schema/replay.hpp"

using namespace migpkg;
using json = nlohmann::json;

namespace {

ir::Program program_of(const json& up, const json& down, Diagnostics& diagnostics) {
  json document = {{"format", "portable-migration-v1"},
                   {"migration",
                    {{"id", "m1"},
                     {"pluginId", "acme.crm"},
                     {"version", "1.0.0"},
                     {"name", "m"},
                     {"type", "schema"},
                     {"steps", {{"up", up}, {"down", down}}}}}};
  auto migration = load_portable_migration(document, "t.json", diagnostics);
  REQUIRE(migration);
  ir::Program program;
  program.plugins.push_back({"acme.crm", {*migration}});
  schema::prepare_schema_changes(program, diagnostics);
  return program;
}

const json kUp = json::parse(R"J([
  {"id": "create", "name": "Create", "change": {"createTable": {"table": "t", "columns": [
    {"name": "a", "type": "int64", "nullable": false}, {"name": "b", "type": "text"},
    {"name": "c", "type": "int32", "default": {"value": 3}}],
    "constraints": [{"kind": "primaryKey", "columns": ["a"]}]}}},
  {"id": "index", "name": "Index", "change": {"createIndex": {"table": "t", "columns": ["b", "c"]}}},
  {"id": "alter", "name": "Alter", "change": {"alterColumn": {"table": "t", "column": "c",
    "type": "int64", "default": null}}},
  {"id": "drop-b", "name": "Drop b", "change": {"dropColumn": {"table": "t", "column": "b"}}}
])J");

}  // namespace

TEST_CASE("the automatic down inverts each change, last first", "[automatic-down]") {
  Diagnostics diagnostics;
  ir::Program program = program_of(kUp, "automatic", diagnostics);
  REQUIRE_FALSE(diagnostics.has_errors());
  // Dropping b loses its values; undoing "alter" narrows c back from int64 to int32.
  CHECK(diagnostics.warning_count() == 2);
  const ir::Migration& m = program.plugins[0].migrations[0];
  std::vector<std::string> ids;
  for (const auto& step : m.down) {
    CHECK(step.derived);
    REQUIRE(step.change);
    ids.push_back(step.id);
  }
  // drop-b is undone by re-adding b in its place and recreating the index it took along.
  CHECK(ids == std::vector<std::string>{"undo-drop-b", "undo-drop-b-2", "undo-alter", "undo-index",
                                        "undo-create"});
  const ir::SchemaChange& readd = *m.down[0].change;
  CHECK(readd.kind == ir::SchemaChange::Kind::AddColumn);
  CHECK(readd.columns[0].name == "b");
  REQUIRE(readd.after_column);
  CHECK(*readd.after_column == "a");
  CHECK(m.down[1].change->kind == ir::SchemaChange::Kind::CreateIndex);
  CHECK(m.down[1].change->index.columns == std::vector<std::string>{"b", "c"});
  const ir::SchemaChange& alter = *m.down[2].change;
  CHECK(alter.set_type->kind == ir::ColumnType::Kind::Int32);
  REQUIRE(alter.set_default);
  CHECK(alter.set_default->literal.integer == 3);
  CHECK(m.down[4].change->kind == ir::SchemaChange::Kind::DropTable);

  // Written back as the author wrote it: the marker, no derived steps.
  auto written = to_portable_json(m);
  CHECK(written["migration"]["steps"]["down"] == "automatic");
}

TEST_CASE("explicit down steps are kept and replayed", "[automatic-down]") {
  Diagnostics diagnostics;
  json down = json::parse(R"J([{"id": "undo", "name": "Undo", "change":
      {"dropTable": {"table": "tt"}}}])J");
  ir::Program program = program_of(json::array({kUp[0]}), down, diagnostics);
  const ir::Migration& m = program.plugins[0].migrations[0];
  REQUIRE(m.down.size() == 1);
  CHECK_FALSE(m.down[0].derived);
  REQUIRE(diagnostics.error_count() == 1);
  CHECK(diagnostics.items()[0].code == "unknown-table");
  CHECK(diagnostics.items()[0].hint == "did you mean \"t\"?");
}

TEST_CASE("a migration that builds on one outside the run may change unseen tables",
          "[automatic-down]") {
  json up = json::parse(R"J([{"id": "add", "name": "Add", "change": {"addColumn":
      {"table": "base_items", "column": {"name": "note", "type": "text"}}}}])J");
  Diagnostics alone;
  program_of(up, "automatic", alone);
  REQUIRE(alone.error_count() == 1);
  CHECK(alone.items()[0].code == "unknown-table");

  json document = {{"format", "portable-migration-v1"},
                   {"migration",
                    {{"id", "m2"},
                     {"pluginId", "acme.extra"},
                     {"version", "1.0.0"},
                     {"name", "m"},
                     {"type", "schema"},
                     {"dependencies", {"acme.base@^1.0.0"}},
                     {"steps", {{"up", up}, {"down", "automatic"}}}}}};
  Diagnostics diagnostics;
  auto migration = load_portable_migration(document, "t.json", diagnostics);
  REQUIRE(migration);
  ir::Program program;
  program.plugins.push_back({"acme.extra", {*migration}});
  schema::prepare_schema_changes(program, diagnostics);
  CHECK_FALSE(diagnostics.has_errors());
  const auto& down = program.plugins[0].migrations[0].down;
  REQUIRE(down.size() == 1);
  CHECK(down[0].change->kind == ir::SchemaChange::Kind::DropColumn);
}
