// read_ahead (runtime/data/read_ahead.hpp): the source read on another thread hands over every
// batch in order, at most `depth` batches ahead of the writer; what either side throws ends both
// and reaches the caller.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "runtime/data/read_ahead.hpp"

namespace data = migpkg::data;
using data::Row;

namespace {

// `batches` batches of 3 rows numbered from 1; after `fail_after` batches it throws.
class NumberedSource : public data::TableSource {
 public:
  explicit NumberedSource(std::size_t batches) : batches_(batches) {
    table_.name = "numbers";
    table_.columns.push_back({"n", {}, false, false});
  }
  const data::DataTable& table() const override { return table_; }
  void read(const data::Checkpoint& after, std::size_t batch_rows,
            const std::function<void(std::vector<Row>)>& sink) override {
    CHECK(batch_rows == 3);
    for (std::size_t b = after.rows_done / 3; b < batches_; ++b) {
      if (fail_after && b == *fail_after) throw std::runtime_error("the source went away");
      std::vector<Row> batch;
      for (std::size_t r = 0; r < 3; ++r) batch.push_back(Row{std::to_string(b * 3 + r + 1)});
      ++handed;
      sink(std::move(batch));
    }
  }
  bool resumable() const override { return true; }

  std::optional<std::size_t> fail_after;
  std::atomic<std::size_t> handed{0};  // batches handed to the sink

 private:
  data::DataTable table_;
  std::size_t batches_;
};

}  // namespace

TEST_CASE("read_ahead hands over every batch in order, from the checkpoint on", "[data][copy]") {
  NumberedSource source(50);
  data::Checkpoint after;
  after.rows_done = 6;  // two batches done
  std::vector<std::string> seen;
  data::read_ahead(source, after, 3, 2, {}, [&](std::vector<Row> batch) {
    for (const Row& row : batch) seen.push_back(*row[0]);
  });
  REQUIRE(seen.size() == 48 * 3);
  for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == std::to_string(i + 7));
}

TEST_CASE("read_ahead reads at most depth batches ahead of a slow writer", "[data][copy]") {
  NumberedSource source(40);
  std::size_t written = 0, most_ahead = 0;
  data::read_ahead(source, {}, 3, 2, {}, [&](std::vector<Row>) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ++written;
    most_ahead = std::max(most_ahead, source.handed - written);
  });
  CHECK(written == 40);
  // Two waiting and one being handed over while this one is written.
  CHECK(most_ahead <= 3);
}

TEST_CASE("what the source throws reaches the caller after the batches read before it",
          "[data][copy]") {
  NumberedSource source(50);
  source.fail_after = 7;
  std::size_t written = 0;
  REQUIRE_THROWS_WITH(data::read_ahead(source, {}, 3, 2, {}, [&](std::vector<Row>) { ++written; }),
                      "the source went away");
  CHECK(written == 7);
}

TEST_CASE("what the writer throws stops the reader and reaches the caller", "[data][copy]") {
  NumberedSource source(100000);
  std::size_t written = 0;
  REQUIRE_THROWS_WITH(data::read_ahead(source, {}, 3, 2, {},
                                       [&](std::vector<Row>) {
                                         if (++written == 5)
                                           throw std::runtime_error("the target refused a row");
                                       }),
                      "the target refused a row");
  CHECK(written == 5);
  CHECK(source.handed <= 5 + 3);  // the reader stopped where the writer did, not at the end
}

TEST_CASE("read_ahead prepares each batch on the reader thread, before the writer has it",
          "[data][copy]") {
  NumberedSource source(20);
  const std::thread::id writer = std::this_thread::get_id();
  std::size_t prepared = 0;
  data::read_ahead(
      source, {}, 3, 2,
      [&](std::vector<Row>& batch) {
        CHECK(std::this_thread::get_id() != writer);
        ++prepared;
        for (Row& row : batch) row.push_back(std::string("prepared"));
      },
      [&](std::vector<Row> batch) {
        for (const Row& row : batch) CHECK(row.back() == std::string("prepared"));
      });
  CHECK(prepared == 20);
}
