// The engines' data methods (engine.hpp, "Data"): data_table, read_data, write_data and
// reset_identity on SQLite, PostgreSQL and MariaDB, with rows in tables the compiler created
// for each engine. The edge values are data (tests/data/edge-values.json); random rows of every
// type round-trip as a property in test_data_random_rows.cpp.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <map>
#include <random>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/dialects/ddl_generator.hpp"
#include "compiler/schema/type_names.hpp"
#include "runtime/data/portable_values.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/data_engine_support.hpp"
#include "unit/edge_values.hpp"
#include "unit/test_support.hpp"

namespace {

using migpkg::data::DataTable;
using migpkg::data::OnConflict;
using migpkg::data::Row;
using migpkg::data::Value;
using migpkg::data::ValueError;
using migpkg::runtime::Connection;
using migpkg::runtime::DatabaseError;
using migpkg::runtime::Engine;
namespace portable = migpkg::data::portable;

const nlohmann::json* for_engine(const nlohmann::json& entry, const char* member,
                                 const std::string& dialect) {
  if (!entry.contains(member)) return nullptr;
  const nlohmann::json& map = entry[member];
  if (map.contains(dialect)) return &map[dialect];
  if (map.contains("*")) return &map["*"];
  return nullptr;
}

}  // namespace

using namespace migpkg::test;

TEST_CASE(
    "every portable type's edge values round-trip through write_data and read_data on "
    "every engine, or are refused by name",
    "[data]") {
  auto cases = nlohmann::json::parse(
      migpkg::test::read_file(migpkg::test::source_dir() + "/tests/data/edge-values.json"));
  migpkg::test::for_each_engine([&](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    int number = 0;
    for (const auto& type_case : cases["types"]) {
      const std::string type = type_case["type"];
      INFO("type " << type);
      const std::string table = "edge_" + std::to_string(++number);
      create_table(db, dialect, table, {{"id", "int64", false}, {"v", type}}, {"id"});
      auto described = engine.data_table(db, table);
      REQUIRE(described);
      CHECK(described->primary_key == std::vector<std::string>{"id"});
      REQUIRE(described->find_column("v"));
      const nlohmann::json* maps_to = for_engine(type_case, "maps_to", dialect);
      auto declared = migpkg::schema::parse_type_name(maps_to ? maps_to->get<std::string>() : type);
      REQUIRE(declared);
      CHECK(migpkg::schema::type_name(described->find_column("v")->type) ==
            migpkg::schema::type_name(*declared));

      std::vector<Row> accepted;
      std::vector<Value> expected;
      std::int64_t id = 0;
      for (const auto& entry : type_case["values"]) {
        ++id;
        Value in = migpkg::test::edge_input(entry);
        INFO("value " << shown(in));
        if (const nlohmann::json* refused = for_engine(entry, "refused", dialect)) {
          try {
            write(engine, db, *described, {"id", "v"}, {{std::to_string(id), in}});
            FAIL("accepted a value " << dialect << " cannot hold");
          } catch (const ValueError& error) {
            CHECK(error.table() == table);
            CHECK(error.key() == "(" + std::to_string(id) + ")");
            CHECK(error.column() == "v");
            CHECK_THAT(error.reason(), Catch::Contains(refused->get<std::string>()));
          }
          continue;
        }
        accepted.push_back({std::to_string(id), in});
        if (const nlohmann::json* out = for_engine(entry, "out_on", dialect))
          expected.push_back(migpkg::test::edge_text(*out));
        else if (entry.contains("out"))
          expected.push_back(migpkg::test::edge_text(entry["out"]));
        else
          expected.push_back(in);
      }
      CHECK(write(engine, db, *described, {"id", "v"}, accepted) == accepted.size());
      std::vector<Row> read = read_all(engine, db, *described, 2);
      REQUIRE(read.size() == accepted.size());
      for (std::size_t i = 0; i < read.size(); ++i) {
        INFO("row " << *accepted[i][0] << ": wrote " << shown(accepted[i][1]) << ", read "
                    << shown(read[i][1]));
        CHECK(read[i][0] == accepted[i][0]);
        CHECK(read[i][1] == expected[i]);
      }
      // What was read is portable as read: writing it again gives the same rows.
      db.execute("DELETE FROM " + std::string(dialect == "mysql" ? "`" : "\"") + table +
                 (dialect == "mysql" ? "`" : "\""));
      CHECK(write(engine, db, *described, {"id", "v"}, read) == read.size());
      CHECK(read_all(engine, db, *described, 1000) == read);
    }
  });
}

namespace {

const std::vector<std::string> kPeople = {"id", "name", "note", "score"};

std::vector<Row> people_before() {
  return {{"1", "a", "n1", "10"}, {"2", "b", "n2", "20"}, {"3", "c", "n3", "30"}};
}

// Rows 2 and 3 are already there, row 4 is new.
std::vector<Row> people_batch() {
  return {{"2", "B", "N2", "21"}, {"3", "C", "N3", "31"}, {"4", "D", "N4", "41"}};
}

DataTable people(Connection& db, const std::string& dialect, const std::string& name) {
  create_table(
      db, dialect, name,
      {{"id", "int64", false}, {"name", "string(20)", false}, {"note", "text"}, {"score", "int32"}},
      {"id"});
  auto table = migpkg::runtime::engine_of(db).data_table(db, name);
  REQUIRE(table);
  write(migpkg::runtime::engine_of(db), db, *table, kPeople, people_before());
  return *table;
}

}  // namespace

TEST_CASE("write_data's conflict modes, with rows already in the table, on every engine",
          "[data]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    {
      INFO("fail: the first existing key stops the batch, and nothing of it stays");
      DataTable table = people(db, dialect, "conflict_fail");
      db.begin();
      CHECK_THROWS_WITH(engine.write_data(db, table, kPeople, people_batch(), OnConflict::Fail),
                        Catch::StartsWith("table conflict_fail, row (2): "));
      // The caller's transaction is still usable: the savepoint took the batch back.
      CHECK(engine.write_data(db, table, kPeople, {{"5", "e", std::nullopt, "50"}},
                              OnConflict::Fail) == 1);
      db.commit();
      auto expected = people_before();
      expected.push_back({"5", "e", std::nullopt, "50"});
      CHECK(read_all(engine, db, table) == expected);
    }
    {
      INFO("skip: existing rows are kept, new ones inserted, only those counted");
      DataTable table = people(db, dialect, "conflict_skip");
      CHECK(write(engine, db, table, kPeople, people_batch(), OnConflict::Skip) == 1);
      auto expected = people_before();
      expected.push_back(people_batch()[2]);
      CHECK(read_all(engine, db, table) == expected);
    }
    {
      INFO("overwrite: existing rows replaced");
      DataTable table = people(db, dialect, "conflict_overwrite");
      CHECK(write(engine, db, table, kPeople, people_batch(), OnConflict::Overwrite) == 3);
      std::vector<Row> expected = {people_before()[0]};
      for (const auto& row : people_batch()) expected.push_back(row);
      CHECK(read_all(engine, db, table) == expected);
    }
    {
      INFO("overwrite with some columns: the others take their defaults (NULL here)");
      DataTable table = people(db, dialect, "conflict_overwrite_some");
      CHECK(write(engine, db, table, {"id", "name"}, {{"2", "B"}, {"4", "D"}},
                  OnConflict::Overwrite) == 2);
      std::vector<Row> expected = {people_before()[0],
                                   {"2", "B", std::nullopt, std::nullopt},
                                   people_before()[2],
                                   {"4", "D", std::nullopt, std::nullopt}};
      CHECK(read_all(engine, db, table) == expected);
    }
    {
      INFO("merge: only the given columns are updated");
      DataTable table = people(db, dialect, "conflict_merge");
      CHECK(write(engine, db, table, {"id", "name"}, {{"2", "B"}, {"4", "D"}}, OnConflict::Merge) ==
            2);
      std::vector<Row> expected = {people_before()[0],
                                   {"2", "B", "n2", "20"},
                                   people_before()[2],
                                   {"4", "D", std::nullopt, std::nullopt}};
      CHECK(read_all(engine, db, table) == expected);
    }
    {
      INFO("a table without a primary key loads only with fail");
      create_table(db, dialect, "no_key", {{"a", "int32"}}, {});
      auto table = engine.data_table(db, "no_key");
      REQUIRE(table);
      CHECK(table->primary_key.empty());
      CHECK_THROWS_WITH(write(engine, db, *table, {"a"}, {{"1"}}, OnConflict::Skip),
                        Catch::Contains("has no primary key"));
      CHECK(write(engine, db, *table, {"a"}, {{"2"}, {"1"}, {"2"}}) == 3);
      CHECK(read_all(engine, db, *table) == std::vector<Row>{{"1"}, {"2"}, {"2"}});
    }
  });
}

TEST_CASE("a row the database refuses is named, and nothing of its batch stays", "[data]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    create_table(db, dialect, "scored", {{"id", "int64", false}, {"score", "int32", false}}, {"id"},
                 {"score > 0"});
    auto table = engine.data_table(db, "scored");
    REQUIRE(table);
    // Enough rows for several statements on every engine (SQLite puts 256 in one).
    std::vector<Row> rows;
    for (int i = 1; i <= 700; ++i)
      rows.push_back({std::to_string(i), i == 613 ? "-1" : std::to_string(i)});
    db.begin();
    CHECK_THROWS_WITH(engine.write_data(db, *table, {"id", "score"}, rows, OnConflict::Fail),
                      Catch::StartsWith("table scored, row (613): "));
    CHECK(read_all(engine, db, *table).empty());
    db.rollback();

    INFO("a value that does not fit is refused before anything is sent");
    db.begin();
    try {
      engine.write_data(db, *table, {"id", "score"}, {{"1", "5"}, {"2", "5 apples"}},
                        OnConflict::Fail);
      FAIL("an integer column took '5 apples'");
    } catch (const ValueError& error) {
      CHECK(std::string(error.what()) ==
            "table scored, row (2), column score, value 5 apples: not an integer");
    }
    try {
      engine.write_data(db, *table, {"id", "score"}, {{"1", std::nullopt}}, OnConflict::Fail);
      FAIL("NULL went into a NOT NULL column");
    } catch (const ValueError& error) {
      CHECK(error.key() == "(1)");
      CHECK(error.column() == "score");
      CHECK(error.reason() == "NULL in a NOT NULL column");
    }
    CHECK(read_all(engine, db, *table).empty());
    db.rollback();
  });
}

TEST_CASE("read_data resumes after a key: exactly the rows after it, in key order, with a where",
          "[data]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    create_table(db, dialect, "pairs",
                 {{"a", "int32", false}, {"b", "string(10)", false}, {"v", "text"}}, {"a", "b"});
    auto table = engine.data_table(db, "pairs");
    REQUIRE(table);
    CHECK(table->primary_key == std::vector<std::string>{"a", "b"});
    std::vector<Row> rows;
    for (int a = -2; a <= 3; ++a)
      for (const char* b : {"b", "a", "ż", "c d", "10", "9"})
        rows.push_back({std::to_string(a), std::string(b), "v" + std::to_string(a) + b});
    write(engine, db, *table, {"a", "b", "v"}, rows);
    std::vector<Row> all = read_all(engine, db, *table, 4);
    REQUIRE(all.size() == rows.size());
    for (std::size_t k = 0; k < all.size(); ++k) {
      INFO("after row " << k);
      Row key = {all[k][0], all[k][1]};
      std::vector<Row> rest = read_all(engine, db, *table, 5, key);
      CHECK(rest == std::vector<Row>(all.begin() + static_cast<std::ptrdiff_t>(k) + 1, all.end()));
    }
    // With a condition: the rows after the key that meet it.
    std::vector<Row> filtered = read_all(engine, db, *table, 3, Row{"0", all[15][1]}, "a <> 1");
    std::vector<Row> expected;
    for (std::size_t k = 16; k < all.size(); ++k)
      if (*all[k][0] != "1") expected.push_back(all[k]);
    REQUIRE(*all[15][0] == "0");
    CHECK(filtered == expected);
  });
}

TEST_CASE(
    "reset_identity moves the counter past the loaded keys, so an insert without a key "
    "succeeds",
    "[data]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    create_table(db, dialect, "counted", {{"id", "bigserial", false}, {"name", "text"}}, {"id"});
    auto table = engine.data_table(db, "counted");
    REQUIRE(table);
    REQUIRE(table->find_column("id"));
    CHECK(table->find_column("id")->generated);
    CHECK(table->find_column("id")->type.kind == migpkg::ir::ColumnType::Kind::BigSerial);
    write(engine, db, *table, {"id", "name"}, {{"1", "a"}, {"2", "b"}, {"50", "c"}});
    engine.reset_identity(db, *table);
    db.execute("INSERT INTO counted (name) VALUES ('next')");
    auto next = db.query("SELECT id FROM counted WHERE name = 'next'");
    REQUIRE(next.rows.size() == 1);
    CHECK(std::stoll(*next.rows[0][0]) > 50);
    // Again, with the counter already past the keys: it is not moved back.
    engine.reset_identity(db, *table);
    db.execute("INSERT INTO counted (name) VALUES ('after')");
    auto after = db.query("SELECT id FROM counted WHERE name = 'after'");
    CHECK(std::stoll(*after.rows.at(0)[0]) > std::stoll(*next.rows[0][0]));
  });
}

TEST_CASE(
    "reset_identity with keys at the ends of the range: negative keys only, and the largest "
    "64-bit key, leave the counter where it can be",
    "[data]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    create_table(db, dialect, "negative", {{"id", "bigserial", false}, {"name", "text"}}, {"id"});
    auto negative = engine.data_table(db, "negative");
    REQUIRE(negative);
    write(engine, db, *negative, {"id", "name"}, {{"-5", "a"}, {"-1", "b"}});
    CHECK_NOTHROW(engine.reset_identity(db, *negative));
    db.execute("INSERT INTO negative (name) VALUES ('next')");
    CHECK(std::stoll(*db.query("SELECT id FROM negative WHERE name = 'next'").rows.at(0)[0]) > 0);

    // No key can follow 2^63-1: the counter is not moved (there is nowhere to move it), and the
    // rows loaded stay as they are.
    create_table(db, dialect, "at_max", {{"id", "bigserial", false}, {"name", "text"}}, {"id"});
    auto full = engine.data_table(db, "at_max");
    REQUIRE(full);
    write(engine, db, *full, {"id", "name"}, {{"9223372036854775807", "last"}});
    CHECK_NOTHROW(engine.reset_identity(db, *full));
    CHECK(db.query("SELECT name FROM at_max WHERE id = 9223372036854775807").rows.size() == 1);
  });
}

TEST_CASE("read_data refuses a stored value that has no portable form, naming its row", "[data]") {
  auto connection = migpkg::runtime::open_sqlite(":memory:");
  Connection& db = *connection;
  const Engine& engine = migpkg::runtime::engine_of(db);
  db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, at TIMESTAMP, flag BOOLEAN)");
  db.execute("INSERT INTO t VALUES (1, '2024-01-01 10:00:00', 1), (2, 1700000000, 0)");
  auto table = engine.data_table(db, "t");
  REQUIRE(table);
  try {
    read_all(engine, db, *table);
    FAIL("an epoch number read as a timestamp");
  } catch (const ValueError& error) {
    CHECK(error.key() == "(2)");
    CHECK(error.column() == "at");
    CHECK(error.value() == "1700000000");
    CHECK_THAT(error.reason(), Catch::Contains("epoch"));
  }
  db.execute("UPDATE t SET at = NULL WHERE id = 2");
  db.execute("UPDATE t SET flag = 2 WHERE id = 1");
  CHECK_THROWS_WITH(read_all(engine, db, *table),
                    "table t, row (1), column flag, value 2: not a boolean (0 or 1)");
}

TEST_CASE("read_data refuses PostgreSQL and MariaDB values that have no portable form", "[data]") {
  for (const auto& server : migpkg::test::server_engines()) {
    std::string url = server.server_url();
    if (url.empty()) continue;
    migpkg::runtime::TemporaryDatabase scratch(url, "migpkg_test");
    auto connection = migpkg::runtime::open_url(scratch.url());
    Connection& db = *connection;
    const Engine& engine = migpkg::runtime::engine_of(db);
    INFO(server.name);
    if (std::string(server.dialect) == "postgresql") {
      db.execute("CREATE TABLE t (id integer PRIMARY KEY, d date)");
      db.execute("INSERT INTO t VALUES (1, '2024-01-01'), (2, '0044-03-15 BC'), (3, 'infinity')");
    } else {
      db.execute("CREATE TABLE t (id integer PRIMARY KEY, d time)");
      db.execute("INSERT INTO t VALUES (1, '10:00:00'), (2, '100:00:00')");
    }
    auto table = engine.data_table(db, "t");
    REQUIRE(table);
    try {
      read_all(engine, db, *table);
      FAIL("read a value without a portable form");
    } catch (const ValueError& error) {
      CHECK(error.key() == "(2)");
      CHECK(error.column() == "d");
    }
    // The connection is usable afterwards.
    std::string count = std::string(server.dialect) == "postgresql" ? "3" : "2";
    CHECK(db.query("SELECT COUNT(*) FROM t").rows.at(0).at(0) == count);
  }
}

TEST_CASE("MySQL write_data refuses a character its column's character set cannot hold",
          "[data][mysql]") {
  std::string url = migpkg::test::mysql_url();
  if (url.empty()) return;
  migpkg::runtime::TemporaryDatabase scratch(url, "migpkg_test");
  auto connection = migpkg::runtime::open_url(scratch.url());
  Connection& db = *connection;
  const Engine& engine = migpkg::runtime::engine_of(db);
  db.execute(
      "CREATE TABLE narrow (id INT PRIMARY KEY, three VARCHAR(20) CHARACTER SET utf8mb3, "
      "western VARCHAR(20) CHARACTER SET latin1)");
  auto table = engine.data_table(db, "narrow");
  REQUIRE(table);
  const std::vector<std::string> columns = {"id", "three", "western"};
  CHECK(write(engine, db, *table, columns, {{"1", "żółw ☃", "café"}}) == 1);
  try {
    write(engine, db, *table, columns, {{"2", "emoji 😀", "x"}});
    FAIL("a 4-byte character went into utf8mb3");
  } catch (const ValueError& error) {
    CHECK(error.key() == "(2)");
    CHECK(error.column() == "three");
    CHECK_THAT(error.reason(), Catch::Contains("character set utf8mb3"));
  }
  try {
    write(engine, db, *table, columns, {{"3", "x", "żółw"}});
    FAIL("a Polish letter went into latin1");
  } catch (const ValueError& error) {
    CHECK(error.column() == "western");
    CHECK_THAT(error.reason(), Catch::Contains("character set latin1"));
  }
  CHECK(read_all(engine, db, *table) == std::vector<Row>{{"1", "żółw ☃", "café"}});
}

TEST_CASE("data_table: no such table, and a column type without a portable type named", "[data]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    CHECK_FALSE(engine.data_table(db, "missing"));
    db.execute(dialect == "sqlite" ? "CREATE TABLE odd (id INTEGER PRIMARY KEY, x GEOMETRY)"
                                   : "CREATE TABLE odd (id INTEGER PRIMARY KEY, x POINT)");
    CHECK_THROWS_WITH(engine.data_table(db, "odd"), Catch::StartsWith("table odd, column x: ") &&
                                                        Catch::Contains("has no portable type"));
  });
}

TEST_CASE(
    "skip, overwrite and merge never take a clash on another unique key for the primary "
    "key's: the row is refused by name",
    "[data]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    create_table(db, dialect, "coded",
                 {{"id", "int64", false}, {"code", "string(10)", false}, {"name", "text"}}, {"id"});
    db.execute("CREATE UNIQUE INDEX coded_code ON coded (code)");
    auto table = engine.data_table(db, "coded");
    REQUIRE(table);
    const std::vector<std::string> columns = {"id", "code", "name"};
    write(engine, db, *table, columns, {{"1", "a", "first"}});
    for (OnConflict mode : {OnConflict::Skip, OnConflict::Overwrite, OnConflict::Merge}) {
      INFO("mode " << static_cast<int>(mode));
      // Row 3 is new and clashes with row 1 on code only; row 2 is new and clashes with none.
      CHECK_THROWS_WITH(
          write(engine, db, *table, columns, {{"2", "b", "new"}, {"3", "a", "other"}}, mode),
          Catch::StartsWith("table coded, row (3): "));
      CHECK(read_all(engine, db, *table) == std::vector<Row>{{"1", "a", "first"}});
    }
  });
}

TEST_CASE(
    "SQLite stores loaded timestamps as its date functions write them, so text comparisons "
    "agree with the rows the application wrote",
    "[data][sqlite]") {
  auto db = migpkg::runtime::open_sqlite(":memory:");
  const Engine& engine = migpkg::runtime::engine_of(*db);
  create_table(*db, "sqlite", "stamps",
               {{"id", "int64", false}, {"at", "timestamp"}, {"tz", "timestamptz"}}, {"id"});
  auto table = engine.data_table(*db, "stamps");
  REQUIRE(table);
  write(engine, *db, *table, {"id", "at", "tz"},
        {{"1", "1966-10-31T14:23:37", "2024-01-01T10:00:00.5Z"}});
  auto raw = db->query("SELECT at, tz, at < datetime('1966-10-31 14:23:38') FROM stamps");
  REQUIRE(raw.rows.size() == 1);
  CHECK(raw.rows[0][0] == std::optional<std::string>("1966-10-31 14:23:37"));
  CHECK(raw.rows[0][1] == std::optional<std::string>("2024-01-01 10:00:00.5"));
  CHECK(raw.rows[0][2] == std::optional<std::string>("1"));
  // Read back, the portable forms again.
  std::vector<Row> read = read_all(engine, *db, *table, 10);
  REQUIRE(read.size() == 1);
  CHECK(read[0][1] == std::optional<std::string>("1966-10-31T14:23:37"));
  CHECK(read[0][2] == std::optional<std::string>("2024-01-01T10:00:00.5Z"));
}
