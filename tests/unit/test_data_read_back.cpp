// Verify's read-back on several connections at once (runtime/data/read_back.hpp): on every
// engine it digests the same rows as one read on one connection; on PostgreSQL a large table is
// split into page ranges that take every row exactly once, read in one shared snapshot, and a
// changed row in any part changes the digest; without further connections it reads whole.
#include <catch2/catch.hpp>

#include "runtime/data/read_back.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/installer/database_opening.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
namespace data = migpkg::data;
namespace runtime = migpkg::runtime;

namespace {

// A table (id, pad) of `rows` rows: filled by the server where it is PostgreSQL (large enough
// to be split: ~180 bytes a row), by one INSERT of generated rows elsewhere.
void fill(runtime::Connection& db, std::size_t rows) {
  db.execute("CREATE TABLE read_back_rows (id BIGINT PRIMARY KEY, pad TEXT)");
  if (db.engine() == migpkg::ir::Engine::PostgreSQL) {
    // NULLs, non-ASCII (2- to 4-byte UTF-8) and, now and then, a long (TOASTed) value.
    db.execute(
        "INSERT INTO read_back_rows SELECT g, CASE WHEN g % 7 = 0 THEN NULL "
        "WHEN g % 1000 = 1 THEN repeat('é✓😀' || g, 3000) "
        "ELSE repeat(md5(g::text), 5) || 'ü€𝄞' END FROM generate_series(1, " +
        std::to_string(rows) + ") g");
    db.execute("ANALYZE read_back_rows");
    return;
  }
  std::string insert = "INSERT INTO read_back_rows (id, pad) VALUES ";
  for (std::size_t i = 1; i <= rows; ++i)
    insert += (i > 1 ? ", (" : "(") + std::to_string(i) + ", " +
              (i % 7 ? "'row é✓😀 " + std::to_string(i * 7919) + "'" : std::string("NULL")) + ")";
  db.execute(insert);
}

std::string digest_of(runtime::Connection& db, const data::OpenConnection& open_more,
                      const data::DataTable& table) {
  runtime::Engine::DataRead read;
  read.table = &table;
  read.any_order = true;
  data::ContentDigest digest = data::read_back(db, open_more, read);
  return std::to_string(digest.rows()) + " " + digest.hex();
}

}  // namespace

TEST_CASE("verify's read-back on more connections digests exactly the rows one read does",
          "[data][verify]") {
  for_each_database_url("read_back", [](const std::string& url) {
    const runtime::DatabaseUrl parsed = runtime::DatabaseUrl::parse(url);
    std::unique_ptr<runtime::Connection> db = runtime::open_connection(parsed);
    const runtime::Engine& engine = runtime::engine_of(*db);
    const bool postgresql = db->engine() == migpkg::ir::Engine::PostgreSQL;
    const std::size_t rows = postgresql ? 150000 : 500;
    fill(*db, rows);
    const data::DataTable table = *engine.data_table(*db, "read_back_rows");
    int opened = 0;
    const data::OpenConnection open_more = [&] {
      ++opened;
      return runtime::open_for_reading(parsed);
    };

    const std::string one = digest_of(*db, nullptr, table);
    CHECK(one.rfind(std::to_string(rows) + " sha256-sum:", 0) == 0);
    CHECK(digest_of(*db, open_more, table) == one);
    CHECK_FALSE(db->in_transaction());
    // No further connection to be had (max_connections): read whole on the one there is.
    const data::OpenConnection refused = []() -> std::unique_ptr<runtime::Connection> {
      throw std::runtime_error("FATAL: sorry, too many clients already");
    };
    CHECK(digest_of(*db, refused, table) == one);
    CHECK_FALSE(db->in_transaction());
    // Only PostgreSQL splits a table (and only a large one), so only it opens connections.
    CHECK((opened > 0) == postgresql);
    if (!postgresql) return;

    // The parts: every row in exactly one of them.
    engine.begin_read_snapshot(*db);
    std::vector<std::string> parts = engine.read_parts(*db, table, 4);
    CHECK(parts.size() >= 2);
    CHECK(parts.size() <= 4);
    std::string in_parts;
    for (const std::string& part : parts)
      in_parts += (in_parts.empty() ? "(" : " + (") + part + ")::int";
    CHECK(db->query("SELECT count(*) FROM read_back_rows WHERE " + in_parts + " <> 1").rows[0][0] ==
          std::optional<std::string>("0"));
    CHECK(engine.read_parts(*db, table, 1) == std::vector<std::string>{""});

    // The shared snapshot: a row committed after the first connection's snapshot began is in
    // neither connection's reads.
    CHECK(db->query("SELECT count(*) FROM read_back_rows").rows[0][0] ==
          std::optional<std::string>(std::to_string(rows)));
    std::unique_ptr<runtime::Connection> writer = runtime::open_connection(parsed);
    writer->execute("INSERT INTO read_back_rows VALUES (0, 'later')");
    std::unique_ptr<runtime::Connection> other = runtime::open_for_reading(parsed);
    engine.share_read_snapshot(*db, *other);
    CHECK(other->query("SELECT count(*) FROM read_back_rows").rows[0][0] ==
          std::optional<std::string>(std::to_string(rows)));
    other->rollback();
    db->rollback();

    // Changes anywhere in the table are seen, whichever part holds them.
    const std::string with_later = digest_of(*db, open_more, table);
    CHECK(with_later == digest_of(*db, nullptr, table));
    CHECK(with_later != one);
    writer->execute("UPDATE read_back_rows SET pad = pad || 'x' WHERE id = " +
                    std::to_string(rows));
    const std::string changed = digest_of(*db, open_more, table);
    CHECK(changed == digest_of(*db, nullptr, table));
    CHECK(changed != with_later);
  });
}
