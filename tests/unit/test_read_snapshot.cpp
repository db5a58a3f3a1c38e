// Engine::begin_read_snapshot: every table an export (or a copy's source) reads in the
// transaction it opens comes from one snapshot of the database, whatever the server's default
// isolation: rows another connection commits after the first read are in none of the tables
// read later. On PostgreSQL (READ COMMITTED by default) and on MySQL / MariaDB with the session
// set to READ COMMITTED, a plain transaction would see them.
#include <catch2/catch.hpp>

#include "runtime/engines/engine_registry.hpp"
#include "test_support.hpp"

using namespace migpkg::test;
using namespace migpkg::data;

namespace {

DataTable table_of(migpkg::runtime::Connection& c, const std::string& name) {
  auto table = migpkg::runtime::engine_of(c).data_table(c, name);
  REQUIRE(table);
  return *table;
}

std::vector<Row> read_all(migpkg::runtime::Connection& c, const DataTable& table) {
  std::vector<Row> out;
  migpkg::runtime::Engine::DataRead read;
  read.table = &table;
  migpkg::runtime::engine_of(c).read_data(c, read, [&](std::vector<Row> rows) {
    for (auto& row : rows) out.push_back(std::move(row));
  });
  return out;
}

}  // namespace

TEST_CASE("a read snapshot does not see rows committed after it began", "[data][snapshot]") {
  for_each_database_url("migpkg_snapshot", [&](const std::string& url) {
    // SQLite is one snapshot per transaction by construction (and a writer waits for it).
    if (url.rfind("sqlite:", 0) == 0) return;
    INFO(url);
    auto writer = migpkg::runtime::open_url(url);
    writer->execute("CREATE TABLE snap_a (id INTEGER PRIMARY KEY, note VARCHAR(20))");
    writer->execute("CREATE TABLE snap_b (id INTEGER PRIMARY KEY, note VARCHAR(20))");
    writer->execute("INSERT INTO snap_a (id, note) VALUES (1, 'a1'), (2, 'a2')");
    writer->execute("INSERT INTO snap_b (id, note) VALUES (1, 'b1')");

    auto reader = migpkg::runtime::open_url(url);
    const auto& engine = migpkg::runtime::engine_of(*reader);
    // A server (or session) configured for READ COMMITTED: the snapshot must not rely on
    // the default.
    if (engine.id() == migpkg::ir::Engine::MySQL)
      reader->execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    const DataTable a = table_of(*reader, "snap_a"), b = table_of(*reader, "snap_b");
    engine.begin_read_snapshot(*reader);
    CHECK(read_all(*reader, a).size() == 2);

    // Another connection changes both tables and commits while the reader is between tables.
    writer->execute("INSERT INTO snap_b (id, note) VALUES (2, 'b2'), (3, 'b3')");
    writer->execute("UPDATE snap_a SET note = 'changed'");
    writer->execute("DELETE FROM snap_b WHERE id = 1");

    std::vector<Row> rows_b = read_all(*reader, b);
    REQUIRE(rows_b.size() == 1);
    CHECK(rows_b[0] == Row{"1", "b1"});
    std::vector<Row> rows_a = read_all(*reader, a);
    REQUIRE(rows_a.size() == 2);
    CHECK(rows_a[0] == Row{"1", "a1"});
    // The snapshot is read-only: nothing is written through it by mistake.
    CHECK_THROWS(reader->execute("INSERT INTO snap_a (id, note) VALUES (9, 'x')"));
    reader->rollback();
    CHECK(read_all(*reader, b).size() == 2);  // a new transaction sees the changes
  });
}
