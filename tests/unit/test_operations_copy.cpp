// copy, import and export as operations (runtime/operations/operation_kinds.hpp), with rows, on
// SQLite, PostgreSQL and MariaDB: a copy of 200,000 rows cancelled once its progress shows rows
// done ends cancelled with whole batches committed, and the same copy again finishes with the
// target's count and content digest equal to the source's (no row missing or doubled); an
// export and an import as operations give the same rows back.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <thread>

#include "runtime/engines/engine_registry.hpp"
#include "runtime/operations/operation_kinds.hpp"
#include "unit/crash_test_support.hpp"
#include "unit/data_move_support.hpp"
#include "unit/json_schema_check.hpp"
#include "unit/operations_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg;
using namespace migpkg::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

constexpr std::size_t kRows = 200000;
constexpr std::size_t kBatch = 1000;

operations::OperationRecord finished(operations::OperationRegistry& registry,
                                     const std::string& id) {
  return finished_operation(registry, id, 600s);
}

// SQLite files, then scratch databases on each test server (PostgreSQL, MariaDB) that is there.
void for_each_engine_pair(
    const std::function<void(const std::string& from, const std::string& to)>& body) {
  {
    INFO("engine: sqlite");
    const std::string dir = make_temp_dir();
    body("sqlite:" + dir + "/from.db", "sqlite:" + dir + "/to.db");
  }
  for (const ServerEngine& engine : server_engines()) {
    const std::string server = engine.server_url();
    if (server.empty()) {
      WARN(std::string(engine.name) + " part skipped: " + engine.variable + " is not set");
      continue;
    }
    INFO("engine: " << engine.dialect);
    runtime::TemporaryDatabase from(server, "migpkg_ops_from"), to(server, "migpkg_ops_to");
    body(from.url(), to.url());
  }
}

}  // namespace

TEST_CASE("a copy cancelled mid-way as an operation resumes to the source's rows",
          "[operations][copy][cancel][sqlite][postgresql][mysql]") {
  for_each_engine_pair([](const std::string& from, const std::string& to) {
    install_shop(from);
    install_shop(to);
    fill_shop(from, kRows, 0);
    const std::string dir = make_temp_dir();
    operations::OperationRegistry registry(dir + "/operations.jsonl");
    operations::CopyOperationRequest request;
    request.from = from;
    request.to = to;
    request.move.tables = {"shop_customers"};
    request.move.batch_rows = kBatch;

    std::string id = operations::submit_copy(registry, "copier", request);
    // Cancelled once the progress shows rows done; reads meanwhile see it grow.
    std::uint64_t seen = 0;
    for (int i = 0; i < 600000 && seen == 0; ++i) {
      auto record = registry.get(id);
      REQUIRE(record);
      REQUIRE_FALSE(operations::is_finished(record->state));
      seen = record->progress.done;
      if (seen == 0) std::this_thread::sleep_for(100us);
    }
    REQUIRE(seen > 0);
    CHECK(registry.cancel(id) == operations::CancelResult::requested);
    operations::OperationRecord stopped = finished(registry, id);
    REQUIRE(stopped.state == operations::OperationState::cancelled);
    REQUIRE(stopped.problem);
    CHECK(stopped.problem->code == "cancelled");
    CHECK(stopped.problem->exit_code == operations::kCancelledExitCode);
    CHECK(stopped.progress.unit == "rows");
    check_schema(stopped.result_json, "copy-report.schema.json");
    CHECK(json::parse(stopped.result_json)["status"] == "cancelled");
    // What the cancelled copy left: whole batches, committed with their checkpoint.
    const std::uint64_t partial = table_digest(to, "shop_customers").rows;
    CHECK(partial > 0);
    CHECK(partial < kRows);
    CHECK(partial % kBatch == 0);
    CHECK(partial >= seen);

    std::string again = operations::submit_copy(registry, "copier", request);
    operations::OperationRecord done = finished(registry, again);
    INFO(done.to_json());
    REQUIRE(done.state == operations::OperationState::completed);
    check_schema(done.result_json, "copy-report.schema.json");
    json report = json::parse(done.result_json);
    CHECK(report["status"] == "ok");
    CHECK(report["resumed"] == true);
    REQUIRE(report["tables"].size() == 1);
    CHECK(report["tables"][0]["resumedAfter"] == partial);
    CHECK(report["tables"][0]["rowsWritten"] == kRows - partial);
    CHECK(report["tables"][0]["verified"] == "rows and content");
    // Read back independently of the copy's own verification: every row once, as the source.
    TableDigest target = table_digest(to, "shop_customers");
    CHECK(target.rows == kRows);
    CHECK(target == digest_as_target_holds(from, to, "shop_customers"));
    CHECK(done.progress.done == kRows);
    // The cancelled run and the resumed one are in the audit log under the requester's name.
    CHECK(scalar(to,
                 "SELECT COUNT(*) FROM migpkg_audit WHERE actor = 'copier' AND outcome = "
                 "'cancelled'") == "1");
    CHECK(scalar(to,
                 "SELECT COUNT(*) FROM migpkg_audit WHERE actor = 'copier' AND outcome = "
                 "'ok'") == "1");
  });
}

TEST_CASE("export and import as operations give the same rows back",
          "[operations][export][import][sqlite][postgresql][mysql]") {
  for_each_engine_pair([](const std::string& from, const std::string& to) {
    install_shop(from);
    install_shop(to);
    fill_shop(from, 3000, 5000);
    const std::string dir = make_temp_dir();
    operations::OperationRegistry registry(dir + "/operations.jsonl");
    operations::ExportOperationRequest out;
    out.database = from;
    out.output = dir + "/shop.migdata";
    out.plugins = {"test.shop"};
    operations::OperationRecord exported =
        finished(registry, operations::submit_export(registry, "exporter", out));
    REQUIRE(exported.state == operations::OperationState::completed);
    check_schema(exported.result_json, "export-report.schema.json");
    CHECK(json::parse(exported.result_json)["rows"] == 8000);
    CHECK(exported.progress.done == 8000);

    operations::ImportOperationRequest in;
    in.database = to;
    in.input = out.output;
    in.move.batch_rows = 700;
    operations::OperationRecord imported =
        finished(registry, operations::submit_import(registry, "importer", in));
    INFO(imported.to_json());
    REQUIRE(imported.state == operations::OperationState::completed);
    check_schema(imported.result_json, "import-report.schema.json");
    for (const std::string& table : kShopTables) check_same_rows(from, to, table);
    CHECK(imported.progress.done == 8000);
    CHECK(imported.progress.total == 8000);
  });
}

TEST_CASE("an export cancelled as an operation leaves no data set", "[operations][export]") {
  const std::string dir = make_temp_dir();
  const std::string db = "sqlite:" + dir + "/shop.db";
  install_shop(db);
  fill_shop(db, kRows, 0);
  operations::OperationRegistry registry(dir + "/operations.jsonl");
  operations::ExportOperationRequest out;
  out.database = db;
  out.output = dir + "/shop.migdata";
  std::string id = operations::submit_export(registry, "exporter", out);
  for (int i = 0; i < 600000; ++i) {
    auto record = registry.get(id);
    if (record->progress.done > 0 || operations::is_finished(record->state)) break;
    std::this_thread::sleep_for(100us);
  }
  registry.cancel(id);
  operations::OperationRecord stopped = finished(registry, id);
  CHECK(stopped.state == operations::OperationState::cancelled);
  CHECK_FALSE(std::filesystem::exists(out.output));
}

TEST_CASE("operations refuse bad requests with the command's codes and change nothing",
          "[operations]") {
  const std::string dir = make_temp_dir();
  operations::OperationRegistry registry(dir + "/operations.jsonl");
  operations::CopyOperationRequest same;
  same.from = "sqlite:" + dir + "/a.db";
  same.to = same.from;
  operations::OperationRecord refused =
      finished(registry, operations::submit_copy(registry, "x", same));
  CHECK(refused.state == operations::OperationState::failed);
  CHECK(refused.problem->code == "usage");
  CHECK(refused.problem->exit_code == 2);

  operations::CopyOperationRequest missing;
  missing.from = "sqlite:" + dir + "/nowhere.db";
  missing.to = "sqlite:" + dir + "/target.db";
  operations::OperationRecord failed =
      finished(registry, operations::submit_copy(registry, "x", missing));
  CHECK(failed.state == operations::OperationState::failed);
  CHECK(failed.problem->message.find("does not exist") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/nowhere.db"));
  CHECK_FALSE(std::filesystem::exists(dir + "/target.db"));

  operations::InstallOperationRequest bad;
  bad.database = "sqlite:" + dir + "/new.db";
  bad.inputs = {source_dir() + "/tests/errors/does-not-exist"};
  operations::OperationRecord invalid =
      finished(registry, operations::submit_install(registry, "x", bad));
  CHECK(invalid.state == operations::OperationState::failed);
  CHECK_FALSE(std::filesystem::exists(dir + "/new.db"));
}
