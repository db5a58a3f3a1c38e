// The JSON `change` member: reading with precise diagnostics, writing back the exact shape the
// reader needs (JSON -> IR -> JSON is a fixed point), and the checksum covering changes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "compiler/json/ir_json.hpp"
#include "compiler/json/json_loader.hpp"
#include "unit/test_support.hpp"

using namespace migpkg;
using json = nlohmann::json;

namespace {

json document_with(const json& up_steps, const json& down) {
  return json{{"format", "portable-migration-v1"},
              {"migration",
               {{"id", "m1"},
                {"pluginId", "acme.crm"},
                {"version", "1.0.0"},
                {"name", "m"},
                {"type", "schema"},
                {"steps", {{"up", up_steps}, {"down", down}}}}}};
}

json change_step(const std::string& id, const json& change) {
  return json{{"id", id}, {"name", id}, {"change", change}};
}

ir::Migration load(const json& document, Diagnostics& diagnostics) {
  auto migration = load_portable_migration(document, "t.json", diagnostics);
  REQUIRE(migration);
  return *migration;
}

const json kCreate = json::parse(R"J({"createTable": {
  "table": "order",
  "columns": [
    {"name": "id", "type": "identity", "nullable": false},
    {"name": "status", "type": "ENUM('new','it''s')", "default": {"value": "it's"}},
    {"name": "total", "type": "decimal(10,2)", "nullable": false, "default": {"value": 0}},
    {"name": "created", "type": "timestamptz", "default": {"function": "now"}},
    {"name": "meta", "type": "json", "default": {"json": {"b": [1, 2], "a": true}}},
    {"name": "ref", "type": "uuid", "default": {"function": "uuid"}, "comment": "external"},
    {"name": "customer_id", "type": "int64"}
  ],
  "constraints": [
    {"kind": "primaryKey", "columns": ["id"]},
    {"kind": "foreignKey", "columns": ["customer_id"],
     "references": {"table": "customers", "columns": ["id"]}, "onDelete": "set null"},
    {"kind": "check", "check": "total >= 0"},
    {"kind": "unique", "name": "one_ref", "columns": ["ref"]}
  ],
  "comment": "orders"
}})J");

}  // namespace

TEST_CASE("a change step reads, normalizes and writes back as a fixed point", "[change-json]") {
  json steps =
      json::array({change_step("create", kCreate),
                   change_step("index", json::parse(R"J({"createIndex": {"table": "order",
            "columns": ["status", "created"], "unique": true, "where": "status <> 'new'"}})J")),
                   change_step("alter", json::parse(R"J({"alterColumn": {"table": "order",
            "column": "total", "type": "decimal(12,2)", "nullable": true, "default": null}})J")),
                   change_step("rename", json::parse(R"J({"renameColumn": {"table": "order",
            "column": "ref", "newName": "reference"}})J"))});
  Diagnostics diagnostics;
  ir::Migration m = load(document_with(steps, "automatic"), diagnostics);
  INFO(diagnostics.items().size());
  REQUIRE_FALSE(diagnostics.has_errors());
  CHECK(m.automatic_down);
  REQUIRE(m.up.size() == 4);
  const ir::SchemaChange& create = *m.up[0].change;
  CHECK(create.kind == ir::SchemaChange::Kind::CreateTable);
  CHECK(create.columns[0].type.kind == ir::ColumnType::Kind::BigSerial);
  CHECK(create.columns[1].type.values == std::vector<std::string>{"new", "it's"});
  CHECK(create.constraints[0].name == "pk_order");
  CHECK(create.constraints[1].name == "fk_order_customer_id");
  CHECK(create.constraints[1].on_delete == ir::ReferentialAction::SetNull);
  CHECK(create.constraints[2].name == "ck_order_1");
  CHECK(create.constraints[3].name == "one_ref");
  CHECK(create.columns[4].default_value->text == R"J({"a":true,"b":[1,2]})J");
  CHECK(m.up[1].change->index.name == "ux_order_status_created");
  CHECK(m.up[2].change->drop_default);

  auto written = to_portable_json(m);
  CHECK(written["migration"]["steps"]["down"] == "automatic");
  auto& body = written["migration"]["steps"]["up"][0]["change"]["createTable"];
  CHECK(body["columns"][0]["type"] == "bigserial");
  CHECK(body["columns"][1]["type"] == "enum('new','it''s')");
  CHECK(body["constraints"][0]["name"] == "pk_order");

  Diagnostics again_diagnostics;
  ir::Migration again = load(json::parse(written.dump()), again_diagnostics);
  REQUIRE_FALSE(again_diagnostics.has_errors());
  CHECK(to_portable_json(again).dump() == written.dump());
  CHECK(migration_checksum(again) == migration_checksum(m));
}

TEST_CASE("the checksum covers a change", "[change-json]") {
  Diagnostics d1, d2;
  json a = json::parse(R"J({"dropColumn": {"table": "t", "column": "a"}})J");
  json b = json::parse(R"J({"dropColumn": {"table": "t", "column": "b"}})J");
  auto m1 = load(document_with(json::array({change_step("s", a)}), "automatic"), d1);
  auto m2 = load(document_with(json::array({change_step("s", b)}), "automatic"), d2);
  CHECK(migration_checksum(m1) != migration_checksum(m2));
}

TEST_CASE("bad changes are reported at their JSON pointer with hints", "[change-json]") {
  auto errors_for = [](const json& change) {
    Diagnostics diagnostics;
    load(document_with(json::array({change_step("s", change)}), "automatic"), diagnostics);
    return diagnostics;
  };
  auto unknown = errors_for(json::parse(R"J({"createTabel": {"table": "t"}})J"));
  REQUIRE(unknown.items().size() == 1);
  CHECK(unknown.items()[0].code == "unknown-change");
  CHECK(unknown.items()[0].location.pointer == "/migration/steps/up/0/change/createTabel");
  CHECK(unknown.items()[0].hint == "did you mean \"createTable\"?");

  auto type = errors_for(json::parse(
      R"J({"addColumn": {"table": "t", "column": {"name": "c", "type": "timestmptz"}}})J"));
  REQUIRE(type.items().size() == 1);
  CHECK(type.items()[0].code == "unknown-type");
  CHECK(type.items()[0].location.pointer == "/migration/steps/up/0/change/addColumn/column/type");
  CHECK(type.items()[0].hint == "did you mean `timestamptz`?");

  auto member = errors_for(json::parse(R"J({"dropTable": {"table": "t", "cascade": true}})J"));
  REQUIRE(member.items().size() == 1);
  CHECK(member.items()[0].code == "unknown-field");

  auto two =
      errors_for(json::parse(R"J({"dropTable": {"table": "t"}, "dropView": {"name": "v"}})J"));
  REQUIRE(two.items().size() == 1);
  CHECK(two.items()[0].code == "invalid-change");

  auto fk = errors_for(json::parse(R"J({"addConstraint": {"table": "t", "constraint":
      {"kind": "foreignKey", "columns": ["a", "b"], "references": {"table": "u", "columns": ["id"]},
       "check": "x"}}})J"));
  CHECK(fk.error_count() == 2);

  auto alter = errors_for(json::parse(R"J({"alterColumn": {"table": "t", "column": "c"}})J"));
  REQUIRE(alter.items().size() == 1);
  CHECK(alter.items()[0].code == "empty-alter");

  Diagnostics bad_down;
  load(document_with(
           json::array({change_step("s", json::parse(R"J({"dropView": {"name": "v"}})J"))}),
           "automatc"),
       bad_down);
  REQUIRE(bad_down.items().size() == 1);
  CHECK(bad_down.items()[0].location.pointer == "/migration/steps/down");
}

TEST_CASE("every declarative case is a fixed point of JSON -> IR -> JSON", "[change-json]") {
  int files = 0;
  for (const auto& name :
       migpkg::test::list_dir(migpkg::test::source_dir() + "/tests/cases", true)) {
    if (!migpkg::test::is_declarative_case(name)) continue;
    std::string dir = migpkg::test::source_dir() + "/tests/cases/" + name + "/";
    for (const auto& file : migpkg::test::list_dir(dir)) {
      if (file.size() < 5 || file.compare(file.size() - 5, 5, ".json") != 0) continue;
      ++files;
      INFO(name << "/" << file);
      Diagnostics first_diagnostics, second_diagnostics;
      ir::Migration first =
          load(json::parse(migpkg::test::read_file(dir + file)), first_diagnostics);
      REQUIRE_FALSE(first_diagnostics.has_errors());
      auto written = to_portable_json(first);
      ir::Migration second = load(json::parse(written.dump()), second_diagnostics);
      REQUIRE_FALSE(second_diagnostics.has_errors());
      CHECK(to_portable_json(second).dump(2) == written.dump(2));
      CHECK(migration_checksum(second) == migration_checksum(first));
    }
  }
  CHECK(files >= 5);
}
