// Constraint and index names in compiled DDL fit each dialect's identifier limit (Oracle before
// 12.2: 30 characters), however long the table and column names they are made of, and every
// name a statement drops is one a statement created: the cut names agree between the two.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <regex>
#include <set>

#include "compiler/json/json_loader.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/schema/naming.hpp"
#include "compiler/schema/replay.hpp"

using namespace migpkg;
using json = nlohmann::json;

namespace {

json migration(const std::string& id, const json& up, const json& dependencies) {
  return {{"format", "portable-migration-v1"},
          {"migration",
           {{"id", id},
            {"pluginId", "test.names"},
            {"version", "1.0.0"},
            {"name", id},
            {"type", "schema"},
            {"dependencies", dependencies},
            {"steps", {{"up", up}, {"down", "automatic"}}}}}};
}

json column(const std::string& name) {
  return {{"name", name}, {"type", "int64"}, {"nullable", false}};
}

// Two migrations over a parent and a child table whose names and columns are `length` long:
// every kind of generated name, created, then dropped by that name (and recreated by the
// automatic downs).
ir::Program program_with_names_of(std::size_t length, Diagnostics& diagnostics) {
  std::string parent = "p" + std::string(length - 1, 'a');
  std::string child = "c" + std::string(length - 1, 'b');
  std::string one = "x" + std::string(length - 1, 'c'), two = "y" + std::string(length - 1, 'd');
  json create = json::array(
      {{{"id", "parent"},
        {"name", "parent"},
        {"change",
         {{"createTable",
           {{"table", parent},
            {"columns", {column("id")}},
            {"constraints", {{{"kind", "primaryKey"}, {"columns", {"id"}}}}}}}}}},
       {{"id", "child"},
        {"name", "child"},
        {"change",
         {{"createTable",
           {{"table", child},
            {"columns", {column("id"), column(one), column(two)}},
            {"constraints",
             {{{"kind", "primaryKey"}, {"columns", {"id"}}},
              {{"kind", "unique"}, {"columns", {one, two}}},
              {{"kind", "foreignKey"},
               {"columns", {two}},
               {"references", {{"table", parent}, {"columns", {"id"}}}}},
              {{"kind", "check"}, {"check", "id > 0"}}}}}}}}},
       {{"id", "index"},
        {"name", "index"},
        {"change", {{"createIndex", {{"table", child}, {"columns", {two, one}}}}}}},
       {{"id", "unique-index"},
        {"name", "unique index"},
        {"change", {{"createIndex", {{"table", child}, {"columns", {one}}, {"unique", true}}}}}}});
  json drop = json::array(
      {{{"id", "drop-index"},
        {"name", "drop index"},
        {"change",
         {{"dropIndex",
           {{"name", schema::index_name(child, {two, one}, false)}, {"table", child}}}}}},
       {{"id", "drop-unique"},
        {"name", "drop unique"},
        {"change",
         {{"dropConstraint",
           {{"table", child}, {"constraint", schema::unique_name(child, {one, two})}}}}}},
       {{"id", "drop-fk"},
        {"name", "drop fk"},
        {"change",
         {{"dropConstraint",
           {{"table", child}, {"constraint", schema::foreign_key_name(child, {two})}}}}}},
       {{"id", "drop-check"},
        {"name", "drop check"},
        {"change",
         {{"dropConstraint", {{"table", child}, {"constraint", schema::check_name(child, 1)}}}}}},
       {{"id", "add-check"},
        {"name", "add check"},
        {"change",
         {{"addConstraint",
           {{"table", child}, {"constraint", {{"kind", "check"}, {"check", "id < 100"}}}}}}}}});
  ir::Program program;
  program.plugins.push_back({"test.names", {}});
  for (const auto& document : {migration("create", create, json::array()),
                               migration("drop", drop, json::array({"create"}))}) {
    auto m = load_portable_migration(document, "t.json", diagnostics);
    REQUIRE(m);
    program.plugins[0].migrations.push_back(std::move(*m));
  }
  schema::prepare_schema_changes(program, diagnostics);
  return program;
}

// The names after the keywords that create or drop a constraint or an index, in any quoting.
struct Names {
  std::set<std::string> created, dropped;
};

void collect(const std::string& statement, Names& out) {
  static const std::regex named(
      R"((DROP CONSTRAINT|DROP FOREIGN KEY|DROP INDEX|CONSTRAINT|INDEX) ["`\[]([^"`\]]+)["`\]])");
  for (std::sregex_iterator it(statement.begin(), statement.end(), named), end; it != end; ++it) {
    std::string keyword = (*it)[1];
    (keyword.rfind("DROP", 0) == 0 ? out.dropped : out.created).insert((*it)[2]);
  }
}

}  // namespace

TEST_CASE("generated constraint and index names fit every dialect's limit", "[naming][dialect]") {
  const std::map<std::string, std::size_t> limits = {
      {"postgresql", 63}, {"mysql", 64}, {"sqlserver", 128}, {"oracle", 30}};
  for (std::size_t length : {5, 12, 20, 31, 45, 62}) {
    Diagnostics diagnostics;
    ir::Program program = program_with_names_of(length, diagnostics);
    REQUIRE_FALSE(diagnostics.has_errors());
    for (const auto& [dialect, limit] : limits) {
      DYNAMIC_SECTION(dialect << ", names made of " << length << " characters") {
        Diagnostics planning;
        plan::Plan plan = build_plan(program, *find_dialect(dialect), planning);
        REQUIRE_FALSE(planning.has_errors());
        REQUIRE(plan.migrations.size() == 2);
        Names names;
        for (const auto& m : plan.migrations)
          for (const auto* steps : {&m.up, &m.down})
            for (const auto& step : *steps)
              for (const auto& statement : step.statements) collect(statement, names);
        CHECK(names.created.size() >= 6);
        for (const auto& name : names.created) {
          INFO(name);
          CHECK(name.size() <= limit);
        }
        for (const auto& name : names.dropped) {
          INFO(name << " is dropped but never created");
          CHECK(names.created.count(name) == 1);
        }
      }
    }
  }
}

TEST_CASE("a name cut for a short limit keeps its start and a hash of the whole", "[naming]") {
  std::string a = "fk_subscription_renewal_events_billing_account_number";
  std::string b = "fk_subscription_renewal_events_billing_account_numbers";
  CHECK(schema::bounded_name(a, 30).size() == 30);
  CHECK(schema::bounded_name(a, 30).substr(0, 21) == a.substr(0, 21));
  CHECK(schema::bounded_name(a, 30) != schema::bounded_name(b, 30));
  CHECK(schema::bounded_name(a, 30) == schema::bounded_name(a, 30));
  CHECK(schema::bounded_name(a, a.size()) == a);
  // A written name is not cut inside a UTF-8 sequence: 'ł' is two bytes, 20 and 21.
  std::string polish = std::string(20, 'x') + "\xc5\x82" + std::string(20, 'y');
  std::string cut = schema::bounded_name(polish, 30);
  CHECK(cut.substr(0, 21) == std::string(20, 'x') + "_");
}
