// The rules of install's and rollback's preflight, below the CLI: owners of tables, views and
// indexes read from stored plans' SQL, which down statements the rollback backup rule counts as
// destructive, and which type changes only widen (no backup before them). The scenarios cover
// them through the CLI; these pin the statement forms each engine's plans (and raw SQL) use.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "compiler/planner/plan.hpp"
#include "compiler/schema/type_names.hpp"
#include "runtime/drivers/connection.hpp"
#include "runtime/history/object_owners.hpp"
#include "runtime/installer/backup_rules.hpp"

using migpkg::runtime::name_effect;
using migpkg::runtime::NameEffect;
using migpkg::runtime::ObjectOwners;

namespace {

struct EffectCase {
  std::string statement;
  NameEffect::Kind kind;
  std::string object, name, new_name;
};

migpkg::plan::Migration migration(const std::string& plugin, const std::string& id,
                                  const std::vector<std::string>& statements) {
  migpkg::plan::Migration m;
  m.plugin_id = plugin;
  m.id = id;
  migpkg::plan::Step step;
  step.statements = statements;
  m.up.push_back(step);
  return m;
}

}  // namespace

TEST_CASE("statements that create, drop and rename tables, views and indexes", "[owners]") {
  using K = NameEffect::Kind;
  const std::vector<EffectCase> cases = {
      {"CREATE TABLE shop_orders (id INTEGER)", K::Create, "table", "shop_orders", ""},
      {"create table if not exists \"Shop Orders\" (id int)", K::Create, "table", "shop orders",
       ""},
      {"-- seed\n  CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"ux_a\" ON a (b)", K::Create,
       "index", "ux_a", ""},
      {"CREATE OR REPLACE VIEW public.\"v\" AS SELECT 1", K::Create, "view", "v", ""},
      {"CREATE MATERIALIZED VIEW mv AS SELECT 1", K::Create, "view", "mv", ""},
      {"CREATE TABLE `orders` (id INT)", K::Create, "table", "orders", ""},
      {"CREATE TABLE [dbo].[Orders] (id INT)", K::Create, "table", "orders", ""},
      {"DROP TABLE IF EXISTS \"contacts\"", K::Drop, "table", "contacts", ""},
      {"/* old */ DROP INDEX \"ix_a\"", K::Drop, "index", "ix_a", ""},
      {"ALTER TABLE \"migpkg_rebuild_contacts\" RENAME TO \"contacts\"", K::Rename, "table",
       "migpkg_rebuild_contacts", "contacts"},
      {"ALTER TABLE contacts ADD COLUMN x INT", K::None, "", "", ""},
      {"INSERT INTO t VALUES (1)", K::None, "", "", ""},
      {"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql", K::None, "", "", ""},
  };
  for (const auto& c : cases) {
    INFO(c.statement);
    NameEffect effect = name_effect(c.statement);
    CHECK(effect.kind == c.kind);
    CHECK(effect.object == c.object);
    CHECK(effect.name == c.name);
    CHECK(effect.new_name == c.new_name);
  }
}

TEST_CASE("owners follow the stored plans in the order they were applied", "[owners]") {
  ObjectOwners owners;
  owners.replay(
      migration("acme.shop", "shop-001",
                {"CREATE TABLE contacts (id INT)", "CREATE INDEX ix_c ON contacts (id)"}));
  // Another plugin's SQLite table rebuild of the same table keeps the owner.
  owners.replay(migration(
      "acme.other", "other-001",
      {"CREATE TABLE \"migpkg_rebuild_contacts\" (id INT)",
       "INSERT INTO \"migpkg_rebuild_contacts\" SELECT * FROM \"contacts\"",
       "DROP TABLE \"contacts\"", "ALTER TABLE \"migpkg_rebuild_contacts\" RENAME TO \"contacts\"",
       "CREATE VIEW other_view AS SELECT 1"}));
  REQUIRE(owners.owner("contacts"));
  CHECK(owners.owner("contacts")->plugin_id == "acme.shop");
  CHECK(owners.owner("contacts")->migration_id == "shop-001");
  CHECK_FALSE(owners.owner("migpkg_rebuild_contacts"));
  CHECK(owners.owner("other_view")->plugin_id == "acme.other");
  // Dropped by one migration, created by a later one of another plugin: the later one owns it.
  owners.replay(migration("acme.shop", "shop-002", {"DROP INDEX ix_c"}));
  CHECK_FALSE(owners.owner("ix_c"));
  owners.replay(migration("acme.other", "other-002", {"CREATE INDEX ix_c ON contacts (id)"}));
  CHECK(owners.owner("ix_c")->migration_id == "other-002");
  // A rename moves the owner to the new name.
  owners.replay(migration("acme.other", "other-003", {"ALTER TABLE contacts RENAME TO people"}));
  CHECK_FALSE(owners.owner("contacts"));
  CHECK(owners.owner("people")->plugin_id == "acme.shop");
}

TEST_CASE("down statements that take rows away, when the table holds rows", "[owners][backup]") {
  auto db = migpkg::runtime::open_sqlite(":memory:");
  db->execute("CREATE TABLE full_table (id INTEGER PRIMARY KEY, v TEXT)");
  db->execute("INSERT INTO full_table (id, v) VALUES (1, 'x')");
  db->execute("CREATE TABLE empty_table (id INTEGER PRIMARY KEY, v TEXT)");
  struct Case {
    std::string statement;
    bool loses_rows;
  };
  const std::vector<Case> cases = {
      {"DROP TABLE full_table", true},
      {"DROP TABLE IF EXISTS \"full_table\"", true},
      {"drop table empty_table", false},
      {"DROP TABLE no_such_table", false},
      {"ALTER TABLE \"full_table\" DROP COLUMN \"v\"", true},
      {"ALTER TABLE full_table DROP v", true},
      {"ALTER TABLE full_table DROP CONSTRAINT ck_v", false},
      {"ALTER TABLE full_table ALTER COLUMN v DROP DEFAULT", false},
      {"ALTER TABLE full_table ALTER COLUMN v TYPE varchar(2)", true},
      {"ALTER TABLE full_table ALTER COLUMN v SET DATA TYPE varchar(2)", true},
      {"TRUNCATE TABLE full_table", true},
      {"DELETE FROM full_table", false},
      {"DROP INDEX ix_full", false},
      {"DROP VIEW full_table_view", false},
  };
  for (const auto& c : cases) {
    INFO(c.statement);
    migpkg::plan::Step step;
    step.statements = {c.statement};
    auto losses = migpkg::runtime::tables_losing_rows(*db, {step});
    CHECK(losses.empty() == !c.loses_rows);
  }
}

TEST_CASE("a type change takes a backup unless it only widens the type", "[owners][backup]") {
  struct Case {
    std::string before, after;
    bool widens;
  };
  const std::vector<Case> cases = {
      {"string(200)", "string(500)", true},
      {"string(500)", "string(200)", false},
      {"string(20)", "text", true},
      {"text", "string(20)", false},
      {"int16", "int64", true},
      {"int64", "int32", false},
      {"float32", "float64", true},
      {"float64", "float32", false},
      {"decimal(10,2)", "decimal(12,2)", true},
      {"decimal(10,2)", "decimal(10,3)", false},
      {"decimal(10,2)", "decimal(12,4)", true},
      {"decimal(10,2)", "decimal(10,1)", false},
      {"enum('a','b')", "enum('a','b','c')", true},
      {"enum('a','b')", "enum('a')", false},
      {"char(3)", "char(5)", false},
      {"int32", "text", false},
      {"text", "int32", false},
      {"timestamp", "date", false},
  };
  for (const auto& c : cases) {
    INFO(c.before << " -> " << c.after);
    auto before = migpkg::schema::parse_type_name(c.before, nullptr);
    auto after = migpkg::schema::parse_type_name(c.after, nullptr);
    REQUIRE(before);
    REQUIRE(after);
    CHECK(migpkg::runtime::widens(*before, *after) == c.widens);
  }
}
