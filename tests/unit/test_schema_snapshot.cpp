#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "runtime/check/schema_snapshot.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/test_support.hpp"

using migpkg::runtime::diff_schema;
using migpkg::runtime::inspect_schema;
using migpkg::runtime::SchemaSnapshot;
using Lines = std::vector<std::string>;

namespace {

bool contains(const SchemaSnapshot& snapshot, const std::string& line) {
  return std::find(snapshot.objects.begin(), snapshot.objects.end(), line) !=
         snapshot.objects.end();
}

const char kSqliteSchema[] = R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name VARCHAR(20) DEFAULT 'x'
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  note TEXT
);
CREATE INDEX orders_user ON orders (user_id DESC) WHERE note IS NOT NULL;
CREATE VIEW order_count AS SELECT user_id, count(*) AS n FROM orders GROUP BY user_id;
CREATE TRIGGER orders_note AFTER INSERT ON orders BEGIN SELECT 1; END;
)sql";

const char kSqliteDrop[] =
    "DROP TRIGGER orders_note; DROP VIEW order_count; DROP INDEX orders_user; "
    "DROP TABLE orders; DROP TABLE users;";

}  // namespace

TEST_CASE("diff_schema marks removed and added lines and orders them by line",
          "[sqlite][postgresql]") {
  SchemaSnapshot before{{"index \"a\"", "table \"t\" column \"x\" integer", "view \"v\" old"}};
  SchemaSnapshot after{{"index \"a\"", "table \"t\" column \"x\" text", "view \"w\" new"}};
  CHECK(diff_schema(before, after) == Lines{"- table \"t\" column \"x\" integer",
                                            "+ table \"t\" column \"x\" text", "- view \"v\" old",
                                            "+ view \"w\" new"});
  CHECK(diff_schema(before, before).empty());
  CHECK(before != after);
}

TEST_CASE("SQLite snapshots describe tables, indexes, keys, views and triggers", "[sqlite]") {
  auto db = migpkg::runtime::open_sqlite(":memory:");
  db->execute(kSqliteSchema);
  db->execute(
      "CREATE TABLE migpkg_history (id INTEGER PRIMARY KEY, x TEXT);"
      "CREATE INDEX migpkg_history_x ON migpkg_history (x);");
  SchemaSnapshot snapshot = inspect_schema(*db);
  INFO(Catch::Detail::stringify(snapshot.objects));
  CHECK(std::is_sorted(snapshot.objects.begin(), snapshot.objects.end()));
  CHECK(contains(snapshot, "table \"users\" autoincrement"));
  CHECK(contains(snapshot, "table \"users\" column \"email\" text not null"));
  CHECK(contains(snapshot, "table \"users\" column \"name\" varchar(20) default 'x'"));
  CHECK(contains(snapshot, "table \"users\" columns \"id\", \"email\", \"name\""));
  CHECK(contains(snapshot, "table \"users\" unique index (\"email\" asc collate nocase)"));
  CHECK(contains(snapshot,
                 "table \"orders\" foreign key (\"user_id\") references \"users\" "
                 "(\"id\") on update no action on delete cascade match none"));
  CHECK(contains(snapshot,
                 "index \"orders_user\" on \"orders\" (\"user_id\" desc collate "
                 "binary) where note IS NOT NULL"));
  CHECK(contains(snapshot,
                 "view \"order_count\" CREATE VIEW order_count AS SELECT user_id, "
                 "count(*) AS n FROM orders GROUP BY user_id"));
  for (const std::string& line : snapshot.objects) CHECK(line.find("migpkg_") == std::string::npos);
}

TEST_CASE("SQLite snapshots are equal after create and drop, and see what is left over",
          "[sqlite]") {
  auto db = migpkg::runtime::open_sqlite(":memory:");
  db->execute("CREATE TABLE keep (id INTEGER PRIMARY KEY, name TEXT)");
  SchemaSnapshot before = inspect_schema(*db);

  db->execute(kSqliteSchema);
  CHECK(inspect_schema(*db) != before);
  db->execute(kSqliteDrop);
  CHECK(diff_schema(before, inspect_schema(*db)).empty());

  SECTION("a leftover index") {
    db->execute("CREATE INDEX keep_name ON keep (name)");
    CHECK(diff_schema(before, inspect_schema(*db)) ==
          Lines{"+ index \"keep_name\" on \"keep\" (\"name\" asc collate binary)"});
  }
  SECTION("a column type changed by a table rebuild") {
    db->execute(
        "CREATE TABLE keep_new (id INTEGER PRIMARY KEY, name INTEGER);"
        "INSERT INTO keep_new SELECT * FROM keep; DROP TABLE keep;"
        "ALTER TABLE keep_new RENAME TO keep;");
    // Ordered by line, not by sign: the new type sorts first here.
    CHECK(
        diff_schema(before, inspect_schema(*db)) ==
        Lines{"+ table \"keep\" column \"name\" integer", "- table \"keep\" column \"name\" text"});
  }
  SECTION("a changed column order") {
    db->execute("DROP TABLE keep; CREATE TABLE keep (name TEXT, id INTEGER PRIMARY KEY)");
    CHECK(diff_schema(before, inspect_schema(*db)) ==
          Lines{"- table \"keep\" columns \"id\", \"name\"",
                "+ table \"keep\" columns \"name\", \"id\""});
  }
  SECTION("a column added and dropped again is no difference") {
    db->execute("ALTER TABLE keep ADD COLUMN extra TEXT; ALTER TABLE keep DROP COLUMN extra");
    CHECK(diff_schema(before, inspect_schema(*db)).empty());
  }
  SECTION("a view re-created with other whitespace is no difference") {
    db->execute("CREATE VIEW v AS SELECT id FROM keep");
    SchemaSnapshot with_view = inspect_schema(*db);
    db->execute("DROP VIEW v; CREATE VIEW v AS\n  SELECT   id\n  FROM keep");
    CHECK(inspect_schema(*db) == with_view);
  }
}

namespace {

// The test server's URL, or nothing (after a warning) when the suite runs without PostgreSQL.
std::optional<std::string> postgres_server() {
  std::string url = migpkg::test::postgres_url();
  if (url.empty()) {
    WARN("MIGPKG_TEST_PG_URL is not set: PostgreSQL test skipped");
    return std::nullopt;
  }
  return url;
}

const char kPostgresqlSchema[] = R"sql(
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN app.positive AS integer CHECK (VALUE > 0);
CREATE TABLE app.users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL UNIQUE,
  mood app.mood DEFAULT 'ok',
  CHECK (email <> '')
);
CREATE TABLE orders (
  id serial PRIMARY KEY,
  user_id bigint REFERENCES app.users (id) ON DELETE CASCADE,
  quantity app.positive
);
CREATE INDEX orders_user ON orders (user_id) WHERE quantity > 1;
CREATE VIEW app.user_orders AS SELECT u.email, count(o.id) AS n
  FROM app.users u LEFT JOIN orders o ON o.user_id = u.id GROUP BY u.email;
CREATE MATERIALIZED VIEW order_totals AS SELECT sum(quantity) AS total FROM orders;
CREATE SEQUENCE invoice_numbers START 1000 INCREMENT 10;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION app.touch();
GRANT SELECT ON orders TO PUBLIC;
)sql";

const char kPostgresqlDrop[] =
    "DROP VIEW app.user_orders; DROP MATERIALIZED VIEW order_totals; DROP TABLE orders; "
    "DROP TABLE app.users; DROP FUNCTION app.touch(); DROP SEQUENCE invoice_numbers; "
    "DROP DOMAIN app.positive; DROP TYPE app.mood; DROP SCHEMA app;";

}  // namespace

TEST_CASE("PostgreSQL snapshots describe the user schema", "[postgresql]") {
  auto server = postgres_server();
  if (!server) return;
  migpkg::runtime::TemporaryDatabase scratch(*server, "migpkg_test");
  auto db = migpkg::runtime::open_url(scratch.url());
  db->execute(kPostgresqlSchema);
  db->execute(
      "CREATE TABLE migpkg_history (id serial PRIMARY KEY, x text);"
      "CREATE INDEX migpkg_history_x ON migpkg_history (x);");
  SchemaSnapshot snapshot = inspect_schema(*db);
  INFO(Catch::Detail::stringify(snapshot.objects));
  CHECK(contains(snapshot, "schema \"app\""));
  CHECK(contains(snapshot, "type \"app\".\"mood\" enum ('sad', 'ok', 'happy')"));
  CHECK(contains(snapshot, "table \"app\".\"users\" column \"email\" text not null"));
  CHECK(contains(snapshot,
                 "table \"app\".\"users\" column \"id\" bigint not null generated "
                 "always as identity"));
  CHECK(
      contains(snapshot, "table \"public\".\"orders\" columns \"id\", \"user_id\", \"quantity\""));
  CHECK(
      contains(snapshot, "table \"app\".\"users\" constraint \"users_email_key\" UNIQUE (email)"));
  CHECK(contains(snapshot,
                 "index \"public\".\"orders_user\" CREATE INDEX orders_user ON "
                 "public.orders USING btree (user_id) WHERE ((quantity)::integer > 1)"));
  CHECK(contains(snapshot,
                 "sequence \"public\".\"invoice_numbers\" as bigint start 1000 "
                 "increment 10 minvalue 1 maxvalue 9223372036854775807 cache 1"));
  for (const std::string& line : snapshot.objects) CHECK(line.find("migpkg_") == std::string::npos);
}

TEST_CASE("PostgreSQL snapshots are equal after create and drop, and see what is left over",
          "[postgresql]") {
  auto server = postgres_server();
  if (!server) return;
  migpkg::runtime::TemporaryDatabase scratch(*server, "migpkg_test");
  auto db = migpkg::runtime::open_url(scratch.url());
  db->execute("CREATE TABLE keep (id int PRIMARY KEY, name text, note text)");
  SchemaSnapshot before = inspect_schema(*db);

  db->execute(kPostgresqlSchema);
  CHECK(inspect_schema(*db) != before);
  db->execute(kPostgresqlDrop);
  CHECK(diff_schema(before, inspect_schema(*db)).empty());

  SECTION("a leftover index") {
    db->execute("CREATE INDEX CONCURRENTLY keep_name ON keep (name)");
    CHECK(diff_schema(before, inspect_schema(*db)) ==
          Lines{"+ index \"public\".\"keep_name\" CREATE INDEX keep_name ON public.keep USING "
                "btree (name)"});
  }
  SECTION("a changed column type") {
    db->execute("ALTER TABLE keep ALTER COLUMN name TYPE varchar(10)");
    CHECK(diff_schema(before, inspect_schema(*db)) ==
          Lines{"+ table \"public\".\"keep\" column \"name\" character varying(10)",
                "- table \"public\".\"keep\" column \"name\" text"});
  }
  SECTION("a column added and dropped again is no difference") {
    db->execute("ALTER TABLE keep ADD COLUMN extra int; ALTER TABLE keep DROP COLUMN extra");
    CHECK(diff_schema(before, inspect_schema(*db)).empty());
  }
  SECTION("the last column dropped and re-added is no difference, though its attnum moved") {
    db->execute("ALTER TABLE keep DROP COLUMN note; ALTER TABLE keep ADD COLUMN note text");
    CHECK(diff_schema(before, inspect_schema(*db)).empty());
  }
  SECTION("a middle column dropped and re-added moves to the end") {
    db->execute("ALTER TABLE keep DROP COLUMN name; ALTER TABLE keep ADD COLUMN name text");
    CHECK(diff_schema(before, inspect_schema(*db)) ==
          Lines{"- table \"public\".\"keep\" columns \"id\", \"name\", \"note\"",
                "+ table \"public\".\"keep\" columns \"id\", \"note\", \"name\""});
  }
  SECTION("a grant undone by a revoke is no difference, a leftover grant is one") {
    db->execute("GRANT SELECT ON keep TO PUBLIC; REVOKE SELECT ON keep FROM PUBLIC");
    CHECK(diff_schema(before, inspect_schema(*db)).empty());
    db->execute("GRANT SELECT ON keep TO PUBLIC");
    CHECK(diff_schema(before, inspect_schema(*db)).size() == 2);
  }
}
