// The checkpoints of import and copy (runtime/data/data_runs.hpp) on every engine: saved in the
// caller's transaction, so a rolled-back batch takes its checkpoint with it and a committed one
// keeps both; keys of any bytes survive; a finished run forgets its checkpoints.
#include <catch2/catch.hpp>

#include "runtime/data/data_runs.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using migpkg::data::Checkpoint;
using migpkg::data::Row;

TEST_CASE("a checkpoint commits and rolls back with the batch's rows", "[data][resume]") {
  for_each_engine([](migpkg::runtime::Connection& c, const std::string&) {
    migpkg::data::DataRuns runs(c);
    runs.ensure_table();
    runs.ensure_table();  // a second time: it is there
    c.execute("CREATE TABLE batch_rows (id BIGINT PRIMARY KEY)");
    const std::string key = migpkg::data::run_key({"copy", "a", "b"});
    CHECK(key != migpkg::data::run_key({"copy", "ab", ""}));
    CHECK_FALSE(runs.load(key, "batch_rows"));

    Checkpoint first;
    first.rows_done = 2;
    first.last_key = Row{std::string("\0\xff\x01", 3), std::nullopt, "é"};
    first.target_rows_before = 5;
    c.begin();
    c.execute("INSERT INTO batch_rows VALUES (1), (2)");
    runs.save(key, "batch_rows", first);
    c.commit();

    Checkpoint second = first;
    second.rows_done = 4;
    second.last_key = Row{"4"};
    c.begin();
    c.execute("INSERT INTO batch_rows VALUES (3), (4)");
    runs.save(key, "batch_rows", second);
    c.rollback();

    auto loaded = runs.load(key, "batch_rows");
    REQUIRE(loaded);
    CHECK(loaded->rows_done == 2);
    CHECK(loaded->last_key == first.last_key);
    CHECK(loaded->target_rows_before == 5);
    CHECK_FALSE(loaded->finished);
    CHECK(c.query("SELECT COUNT(*) FROM batch_rows").rows[0][0] == "2");

    runs.forget(key);
    CHECK_FALSE(runs.load(key, "batch_rows"));
  });
}
