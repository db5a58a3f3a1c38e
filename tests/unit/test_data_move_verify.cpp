// Verification after import and copy (docs/data.md, "Verifying import and copy") on each engine:
// the target is read back and compared with the rows as they were loaded, which are hashed
// while they are written; the source is read a second time only for a table an earlier, stopped
// run had begun. Driven through move_tables with a source that counts its reads.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "runtime/data/move_run.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using migpkg::data::Row;
namespace data = migpkg::data;

namespace {

// Rows held in memory, in key order; counts every read() and can stop after some rows (a run
// killed part-way, as a failing source).
class CountingSource : public data::TableSource {
 public:
  CountingSource(data::DataTable table, std::vector<Row> rows)
      : table_(std::move(table)), rows_(std::move(rows)) {}
  const data::DataTable& table() const override { return table_; }
  void read(const data::Checkpoint& after, std::size_t batch_rows,
            const std::function<void(std::vector<Row>)>& sink) override {
    ++reads;
    std::vector<Row> batch;
    std::size_t handed = 0;
    for (std::size_t i = after.rows_done; i < rows_.size(); ++i) {
      if (stop_after && handed == *stop_after) throw std::runtime_error("the source went away");
      batch.push_back(rows_[i]);
      ++handed;
      if (batch.size() == batch_rows) sink(std::move(batch)), batch = {};
    }
    if (!batch.empty()) sink(std::move(batch));
  }
  bool resumable() const override { return true; }

  int reads = 0;
  std::optional<std::size_t> stop_after;

 private:
  data::DataTable table_;
  std::vector<Row> rows_;
};

// 25 rows; the decimals in spellings the target column rewrites ("5" is 5.00 in a
// decimal(10,2)), so the digest must be of the rows as the target holds them.
std::vector<Row> source_rows() {
  std::vector<Row> rows;
  for (int i = 1; i <= 25; ++i)
    rows.push_back(Row{std::to_string(i), i % 4 ? data::Value(std::to_string(i)) : std::nullopt,
                       "name " + std::to_string(i)});
  return rows;
}

data::MoveReport move(migpkg::runtime::Connection& target, CountingSource& source,
                      const data::MoveRequest& request) {
  std::vector<std::unique_ptr<data::TableSource>> sources;
  struct Borrowed : data::TableSource {
    CountingSource& inner;
    explicit Borrowed(CountingSource& s) : inner(s) {}
    const data::DataTable& table() const override { return inner.table(); }
    void read(const data::Checkpoint& after, std::size_t batch_rows,
              const std::function<void(std::vector<Row>)>& sink) override {
      inner.read(after, batch_rows, sink);
    }
    bool resumable() const override { return true; }
  };
  sources.push_back(std::make_unique<Borrowed>(source));
  return data::move_tables(target, "", sources, request, nullptr, "test-verify-run", "copy");
}

}  // namespace

TEST_CASE("import and copy verify the target against the rows as loaded, reading the source once",
          "[data][verify]") {
  for_each_engine([](migpkg::runtime::Connection& target, const std::string& dialect) {
    INFO(dialect);
    target.execute(
        "CREATE TABLE verify_items (id BIGINT NOT NULL PRIMARY KEY, price DECIMAL(10,2), "
        "name VARCHAR(40) NOT NULL)");
    const migpkg::runtime::Engine& engine = migpkg::runtime::engine_of(target);
    std::optional<data::DataTable> table = engine.data_table(target, "verify_items");
    REQUIRE(table);
    data::MoveRequest request;
    request.batch_rows = 10;

    SECTION("a whole run: one read, rows and content verified") {
      CountingSource source(*table, source_rows());
      data::MoveReport report = move(target, source, request);
      INFO(report.error);
      REQUIRE(report.ok);
      CHECK(source.reads == 1);
      REQUIRE(report.tables.size() == 1);
      CHECK(report.tables[0].verified == "rows and content");
      CHECK(report.tables[0].source_rows == 25);
      CHECK(report.tables[0].source_hash == report.tables[0].target_hash);
    }

    SECTION("a stopped run, then the same again: the resumed table reads the source again") {
      request.on_conflict = data::OnConflict::Skip;  // the committed batches stay
      CountingSource stopped(*table, source_rows());
      stopped.stop_after = 15;
      data::MoveReport first = move(target, stopped, request);
      REQUIRE_FALSE(first.ok);
      CountingSource again(*table, source_rows());
      data::MoveReport second = move(target, again, request);
      INFO(second.error);
      REQUIRE(second.ok);
      CHECK(second.resumed);
      CHECK(again.reads == 2);  // the rest of the rows, then all of them for the digest
      CHECK(second.tables[0].verified == "rows and content");
      CHECK(second.tables[0].target_rows == 25);
    }

    SECTION("a row that the target changes while loading is found") {
      // The target holds something else than what was written: verify must read it back.
      CountingSource source(*table, source_rows());
      if (dialect == "sqlite") {
        target.execute(
            "CREATE TRIGGER verify_items_change AFTER INSERT ON verify_items WHEN NEW.id = 7 "
            "BEGIN UPDATE verify_items SET name = 'changed' WHERE id = 7; END");
      } else if (dialect == "postgresql") {
        target.execute(
            "CREATE FUNCTION verify_items_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.id = 7 THEN NEW.name := 'changed'; END IF; RETURN NEW; END $$");
        target.execute(
            "CREATE TRIGGER verify_items_change BEFORE INSERT ON verify_items FOR EACH ROW "
            "EXECUTE FUNCTION verify_items_change()");
      } else {
        target.execute(
            "CREATE TRIGGER verify_items_change BEFORE INSERT ON verify_items FOR EACH ROW "
            "SET NEW.name = IF(NEW.id = 7, 'changed', NEW.name)");
      }
      data::MoveReport report = move(target, source, request);
      CHECK_FALSE(report.ok);
      CHECK_THAT(report.error, Catch::Contains("verify: table verify_items differs from its "
                                               "source"));
    }
  });
}
