// A copy over migpkg serve's API, with 200,000 rows, from a SQLite file of the server's
// --data-dir into the server's database (SQLite, PostgreSQL, MariaDB): cancelled with DELETE once
// its progress shows rows moved, then started again and stopped by SIGTERM to the server, then,
// after a restart, started a third time. Each stop leaves whole committed batches (as a killed
// run would); the history of both stops survives the restart; the last run resumes after the
// checkpoints and the target ends with the source's rows, each once.
#include <catch2/catch.hpp>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "unit/crash_test_support.hpp"
#include "unit/data_move_support.hpp"
#include "unit/serve_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using nlohmann::json;

namespace {

constexpr std::size_t kRows = 200000;
constexpr std::size_t kBatch = 1000;

// Polls the operation until its progress shows more than `rows` rows done; fails the test if
// it finishes first.
std::uint64_t wait_for_rows(httplib::Client& client, const std::string& token,
                            const std::string& id, std::uint64_t rows) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (std::chrono::steady_clock::now() < deadline) {
    json record = body_json(call(client, "GET", "/operations/{id}", "/operations/" + id, token));
    INFO(record.dump());
    const std::string state = record["state"];
    REQUIRE((state == "pending" || state == "running"));
    const std::uint64_t done = record["progress"]["done"];
    if (state == "running" && done > rows) return done;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  FAIL("operation " << id << " showed no rows past " << rows);
  return 0;
}

}  // namespace

TEST_CASE("a copy over HTTP cancelled, then stopped by SIGTERM, resumes after a restart",
          "[serve][operations][copy][cancel][sqlite][postgresql][mysql]") {
  for_each_database_url("migpkg_serve_copy", [&](const std::string& to) {
    const std::string data = make_temp_dir();
    const std::string from = "sqlite:" + data + "/from.db";
    install_shop(from);
    install_shop(to);
    fill_shop(from, kRows, 0);
    const std::string tokens = make_temp_dir() + "/tokens.json";
    const std::string viewer = add_token(tokens, "watcher", "viewer");
    const std::string operator_ = add_token(tokens, "deployer", "operator");
    const std::string admin = add_token(tokens, "copier", "admin");
    const std::vector<std::string> options = {"--data-dir", data, "--audit-interval", "3600"};
    const std::string body = json{
        {"from", "sqlite:from.db"},
        {"tables", {"shop_customers"}},
        {"batchRows", kBatch}}.dump();

    std::string cancelled_id, stopped_id;
    std::uint64_t partial = 0, stopped_rows = 0;
    {
      ServeProcess server(to, tokens, options);
      auto client = server.client();
      // copy is an admin's: no token is a 401, a viewer's or an operator's a 403; none runs.
      auto none = post(client, "/operations/copy", "", body, "application/json");
      REQUIRE(none);
      CHECK(none->status == 401);
      for (const auto& weaker : {viewer, operator_}) {
        auto refused = post(client, "/operations/copy", weaker, body, "application/json");
        REQUIRE(refused);
        CHECK(refused->status == 403);
      }
      CHECK(body_json(get(client, "/operations", viewer)).empty());
      CHECK(table_digest(to, "shop_customers").rows == 0);

      // 1. Cancelled with DELETE once rows show in its progress.
      auto submitted = post(client, "/operations/copy", admin, body, "application/json");
      REQUIRE(submitted);
      REQUIRE(submitted->status == 202);
      cancelled_id = body_json(submitted)["id"];
      const std::uint64_t seen = wait_for_rows(client, viewer, cancelled_id, 0);
      // An operator may not cancel an admin's kind of work.
      auto weak_cancel =
          call(client, "DELETE", "/operations/{id}", "/operations/" + cancelled_id, operator_);
      REQUIRE(weak_cancel);
      CHECK(weak_cancel->status == 403);
      auto cancel =
          call(client, "DELETE", "/operations/{id}", "/operations/" + cancelled_id, admin);
      REQUIRE(cancel);
      CHECK(cancel->status == 202);
      json record = finished_over_http(client, viewer, cancelled_id);
      INFO(record.dump(2));
      REQUIRE(record["state"] == "cancelled");
      CHECK(record["problem"]["code"] == "cancelled");
      CHECK(record["result"]["status"] == "cancelled");
      CHECK(record["progress"]["unit"] == "rows");
      // What a killed run leaves: whole batches, each committed with its checkpoint.
      partial = table_digest(to, "shop_customers").rows;
      CHECK(partial > 0);
      CHECK(partial < kRows);
      CHECK(partial % kBatch == 0);
      CHECK(partial >= seen);

      // 2. The same copy again, stopped by SIGTERM to the server once it has moved rows.
      auto again = post(client, "/operations/copy", admin, body, "application/json");
      REQUIRE(again);
      REQUIRE(again->status == 202);
      stopped_id = body_json(again)["id"];
      wait_for_rows(client, viewer, stopped_id, partial);
      CHECK(server.stop() == 0);
      stopped_rows = table_digest(to, "shop_customers").rows;
      CHECK(stopped_rows >= partial);
      CHECK(stopped_rows < kRows);
      CHECK(stopped_rows % kBatch == 0);
    }

    // 3. After a restart: both stops are history; the same copy resumes and finishes.
    ServeProcess server(to, tokens, options);
    auto client = server.client();
    json listed = body_json(get(client, "/operations", viewer));
    REQUIRE(listed.size() == 2);
    json first =
        body_json(call(client, "GET", "/operations/{id}", "/operations/" + cancelled_id, viewer));
    CHECK(first["state"] == "cancelled");
    json second =
        body_json(call(client, "GET", "/operations/{id}", "/operations/" + stopped_id, viewer));
    INFO(second.dump(2));
    CHECK(second["state"] == "cancelled");
    CHECK(second["requestedBy"] == "copier");

    auto last = post(client, "/operations/copy", admin, body, "application/json");
    REQUIRE(last);
    REQUIRE(last->status == 202);
    json done = finished_over_http(client, viewer, body_json(last)["id"], 600);
    INFO(done.dump(2));
    REQUIRE(done["state"] == "completed");
    json report = done["result"];
    CHECK(report["status"] == "ok");
    CHECK(report["resumed"] == true);
    REQUIRE(report["tables"].size() == 1);
    CHECK(report["tables"][0]["resumedAfter"] == stopped_rows);
    CHECK(report["tables"][0]["rowsWritten"] == kRows - stopped_rows);
    CHECK(done["progress"]["done"] == kRows);
    CHECK(server.stop() == 0);
    // Read back independently of the copy's own check: every source row once.
    TableDigest target = table_digest(to, "shop_customers");
    CHECK(target.rows == kRows);
    CHECK(target == digest_as_target_holds(from, to, "shop_customers"));
    // The two stopped runs are in the target's audit log under the token's name.
    CHECK(scalar(to,
                 "SELECT COUNT(*) FROM migpkg_audit WHERE actor = 'copier' AND outcome = "
                 "'cancelled'") == "2");
  });
}
