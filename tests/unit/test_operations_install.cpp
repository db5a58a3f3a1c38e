// install and rollback as operations (runtime/operations/operation_kinds.hpp), with rows, on
// SQLite, PostgreSQL and MariaDB: an install of several migrations reaches completed with the
// command's --json report as its result; a cancel at every safe point of the installer (before
// each migration, between the committed steps of a journalled one) stops the run as a kill
// would, and the same install again finishes with every row there exactly once.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <memory>

#include "runtime/engines/engine_registry.hpp"
#include "runtime/history/bookkeeping.hpp"
#include "runtime/installer/install_inputs.hpp"
#include "runtime/operations/operation_kinds.hpp"
#include "unit/data_move_support.hpp"
#include "unit/json_schema_check.hpp"
#include "unit/operations_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg;
using namespace migpkg::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

const char* kStepsPlugin = "/tests/operations/steps";

// The ids in op_items, in key order.
std::vector<std::int64_t> item_ids(const std::string& url) {
  std::vector<std::int64_t> ids;
  for (const data::Row& row : table_rows(url, "op_items"))
    ids.push_back(std::stoll(row.at(0).value_or("-1")));
  return ids;
}

const std::vector<std::int64_t> kAllItems{1, 2, 3, 10, 11, 12, 20, 21, 22, 30, 31, 32};

operations::OperationRecord run_operation(operations::OperationRegistry& registry,
                                          const std::string& id) {
  return finished_operation(registry, id, 300s);
}

// install of the steps plugin through the library, as the install operation calls it, asking
// `cancel` at every safe point.
runtime::RunReport install_steps(const std::string& url, const std::function<bool()>& cancel) {
  Diagnostics diagnostics;
  runtime::InstallInputsRequest request;
  request.inputs = runtime::verify_inputs({source_dir() + kStepsPlugin}, std::nullopt, diagnostics);
  runtime::RunContext context;
  context.actor = "cancel-test";
  context.backup_directory = make_temp_dir();
  context.cancel_requested = cancel;
  runtime::InstallInputsResult run =
      runtime::install_inputs(runtime::DatabaseUrl::parse(url), request, context, diagnostics);
  REQUIRE(run.report);
  return std::move(*run.report);
}

// Runs `body` on SQLite, then on each test server, with a way to make a new database there.
void for_each_engine_databases(
    const std::function<void(const std::function<std::string()>& new_database)>& body) {
  {
    INFO("engine: sqlite");
    body([] { return "sqlite:" + make_temp_dir() + "/ops.db"; });
  }
  for (const ServerEngine& engine : server_engines()) {
    const std::string server = engine.server_url();
    if (server.empty()) {
      WARN(std::string(engine.name) + " part skipped: " + engine.variable + " is not set");
      continue;
    }
    INFO("engine: " << engine.dialect);
    std::vector<std::unique_ptr<runtime::TemporaryDatabase>> made;
    body([&] {
      made.push_back(std::make_unique<runtime::TemporaryDatabase>(server, "migpkg_ops"));
      return made.back()->url();
    });
  }
}

}  // namespace

TEST_CASE("an install of several migrations as an operation completes with its report",
          "[operations][install][sqlite][postgresql][mysql]") {
  for_each_database_url("migpkg_ops_install", [](const std::string& url) {
    const std::string dir = make_temp_dir();
    operations::OperationRegistry registry(dir + "/operations.jsonl");
    operations::InstallOperationRequest request;
    request.database = url;
    request.inputs = {source_dir() + kStepsPlugin};
    request.backup_directory = dir + "/backups";
    std::string id = operations::submit_install(registry, "ops-tester", request);
    operations::OperationRecord done = run_operation(registry, id);
    CHECK(done.state == operations::OperationState::completed);
    CHECK(done.kind == "install");
    CHECK(done.requested_by == "ops-tester");
    check_schema(done.result_json, "run-report.schema.json");
    json report = json::parse(done.result_json);
    CHECK(report["status"] == "ok");
    REQUIRE(report["migrations"].size() == 3);
    for (const json& m : report["migrations"]) CHECK(m["action"] == "applied");
    CHECK(done.progress.unit == "migrations");
    CHECK(done.progress.done == 3);
    CHECK(done.progress.total == 3);
    CHECK_FALSE(done.log.empty());
    CHECK(item_ids(url) == kAllItems);
    CHECK(table_rows(url, "op_notes").size() == 2);
    // The requester is who applied it.
    auto connection = runtime::open_connection(runtime::DatabaseUrl::parse(url));
    runtime::Bookkeeping bookkeeping(*connection);
    for (const auto& applied : bookkeeping.applied()) CHECK(applied.applied_by == "ops-tester");

    // Rolled back as an operation: the journalled migration's down removes its rows.
    operations::RollbackOperationRequest back;
    back.database = url;
    back.plugin = "test.opsteps";
    back.target.kind = runtime::RollbackTarget::Kind::ToVersion;
    back.target.version = "1.0.0";
    back.backup_directory = dir + "/backups";
    operations::OperationRecord undone =
        run_operation(registry, operations::submit_rollback(registry, "ops-admin", back));
    CHECK(undone.state == operations::OperationState::completed);
    check_schema(undone.result_json, "run-report.schema.json");
    json rolled = json::parse(undone.result_json);
    CHECK(rolled["migrations"].size() == 2);
    CHECK(item_ids(url) == std::vector<std::int64_t>{1, 2, 3});

    // Restored as an operation from the backup the rollback took: the rows come back.
    REQUIRE(rolled["migrations"][0].contains("backup"));
    operations::RestoreOperationRequest restore;
    restore.database = url;
    restore.backup = rolled["migrations"][0]["backup"];
    operations::OperationRecord restored =
        run_operation(registry, operations::submit_restore(registry, "ops-admin", restore));
    CHECK(restored.state == operations::OperationState::completed);
    check_schema(restored.result_json, "run-report.schema.json");
    CHECK(item_ids(url) == kAllItems);
    CHECK(table_rows(url, "op_notes").size() == 2);
  });
}

TEST_CASE("an install cancelled at any safe point resumes to the same rows",
          "[operations][install][cancel][sqlite][postgresql][mysql]") {
  for_each_engine_databases([](const std::function<std::string()>& new_database) {
    // Safe point n (1-based, in the order the run meets them) says cancel; n past the last one
    // lets the run finish. Each n on a database of its own.
    bool stopped_inside_a_migration = false;
    for (int n = 1; n < 20; ++n) {
      INFO("cancelled at safe point " << n);
      const std::string url = new_database();
      int asked = 0;
      runtime::RunReport first = install_steps(url, [&] { return ++asked == n; });
      if (first.status == runtime::RunStatus::Ok) {
        CHECK(n > 4);  // before each of the 3 migrations, and between ops-002's steps
        CHECK(item_ids(url) == kAllItems);
        break;
      }
      REQUIRE(first.status == runtime::RunStatus::Cancelled);
      REQUIRE(first.problems.size() == 1);
      CHECK(first.problems[0].find("cancelled") != std::string::npos);
      if (first.problems[0].find("after step") != std::string::npos)
        stopped_inside_a_migration = true;
      // What the cancelled run left: whole migrations, and of ops-002 a prefix of its steps.
      std::vector<std::int64_t> left = n == 1 ? std::vector<std::int64_t>{} : item_ids(url);
      CHECK(std::equal(left.begin(), left.end(), kAllItems.begin()));
      if (n > 1) {
        auto connection = runtime::open_connection(runtime::DatabaseUrl::parse(url));
        CHECK(runtime::Bookkeeping(*connection).applied().size() < 3);  // it did not finish
      }
      // The same install again finishes: no step runs twice (a duplicate key would fail it).
      runtime::RunReport again = install_steps(url, nullptr);
      INFO((again.problems.empty() ? "" : again.problems[0]));
      REQUIRE(again.status == runtime::RunStatus::Ok);
      CHECK(item_ids(url) == kAllItems);
      CHECK(table_rows(url, "op_notes").size() == 2);
      auto connection = runtime::open_connection(runtime::DatabaseUrl::parse(url));
      runtime::Bookkeeping bookkeeping(*connection);
      CHECK(bookkeeping.applied().size() == 3);
      bool audited = false;
      for (const auto& row : bookkeeping.audit_log())
        audited = audited || row.outcome == "cancelled";
      CHECK(audited);
    }
    CHECK(stopped_inside_a_migration);
  });
}
