// The Engine interface (runtime/engines/engine.hpp) on each engine the suite runs: what the
// runtime asks an engine directly, with rows in the tables.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "runtime/engines/engine_registry.hpp"
#include "unit/test_support.hpp"

namespace {

using migpkg::runtime::Connection;
using migpkg::runtime::Row;

std::vector<Row> numbered_rows(int count) {
  std::vector<Row> rows;
  // Written out of key order, with a NULL, a quote and a non-ASCII character among the values.
  for (int i = count; i >= 1; --i)
    rows.push_back(
        {std::to_string(i), i == 2 ? std::nullopt
                                   : std::optional<std::string>("name " + std::to_string(i) +
                                                                (i == 3 ? " o'k é" : ""))});
  return rows;
}

}  // namespace

TEST_CASE("an engine writes rows and reads them back in key order, in batches", "[engines]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string&) {
    const auto& engine = migpkg::runtime::engine_of(db);
    db.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT)");
    db.begin();
    engine.write_rows(db, "people", {"id", "name"}, numbered_rows(7));
    db.commit();

    std::vector<std::size_t> batch_sizes;
    std::vector<Row> read;
    engine.read_rows(db, "people", {"id", "name"}, 3, [&](const std::vector<Row>& batch) {
      batch_sizes.push_back(batch.size());
      read.insert(read.end(), batch.begin(), batch.end());
    });
    CHECK(batch_sizes == std::vector<std::size_t>{3, 3, 1});
    REQUIRE(read.size() == 7);
    for (std::size_t i = 0; i < read.size(); ++i) CHECK(read[i][0] == std::to_string(i + 1));
    CHECK(read[1][1] == std::nullopt);
    CHECK(read[2][1] == "name 3 o'k é");

    // A row the table refuses names itself, and the caller's transaction keeps nothing.
    db.begin();
    CHECK_THROWS_WITH(engine.write_rows(db, "people", {"id", "name"}, {{"8", "new"}, {"1", "dup"}}),
                      Catch::Contains("row 2 of table people"));
    db.rollback();
    CHECK(db.query("SELECT COUNT(*) FROM people").rows.at(0).at(0) == "7");
  });
}

TEST_CASE("an engine describes its tables from the catalog", "[engines]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string&) {
    const auto& engine = migpkg::runtime::engine_of(db);
    db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE)");
    db.execute(
        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id), "
        "amount INTEGER CHECK (amount > 0))");
    db.execute("INSERT INTO parent (id, code) VALUES (1, 'a')");
    db.execute("INSERT INTO child (id, parent_id, amount) VALUES (10, 1, 5)");

    CHECK(engine.user_tables(db) == std::vector<std::string>{"child", "parent"});
    CHECK(engine.primary_key(db, "child") == std::vector<std::string>{"id"});
    CHECK_FALSE(engine.describe_table(db, "missing"));
    auto child = engine.describe_table(db, "child");
    REQUIRE(child);
    REQUIRE(child->columns.size() == 3);
    CHECK(child->columns[1].name == "parent_id");
    CHECK(child->columns[1].nullable);
    REQUIRE(child->foreign_keys.size() == 1);
    CHECK(child->foreign_keys[0].ref_table == "parent");
    CHECK(child->foreign_keys[0].ref_columns == std::vector<std::string>{"id"});
    auto parent = engine.describe_table(db, "parent");
    REQUIRE(parent);
    CHECK(parent->unique_keys.size() == 2);  // the primary key and code's UNIQUE
    CHECK_FALSE(parent->columns[1].nullable);

    bool listed = false;
    for (const auto& row : engine.list_objects(db).rows)
      listed = listed || (row[0] == "table" && row[1] == "child");
    CHECK(listed);
    CHECK(engine.foreign_key_violations(db).empty());
  });
}
