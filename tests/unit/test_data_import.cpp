// import end to end through the CLI, with rows, on SQLite, PostgreSQL and MariaDB
// (docs/data.md, "import"): a data set written from each engine loads into each engine with
// every value, in both file formats; a plugin's data only into a target with the plugin at the
// data set's version; on-conflict fail leaves nothing; --dry-run writes nothing; a killed import
// run again ends with every row once.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "unit/crash_test_support.hpp"
#include "unit/data_move_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using json = nlohmann::json;

namespace {

CommandResult import_cli(const std::string& dataset, const std::string& to,
                         const std::string& extra = "") {
  return run_cli("import '" + dataset + "' --db '" + to + "' " + extra);
}

}  // namespace

TEST_CASE("a data set from each engine imports into each engine with every row and value",
          "[data][import][sqlite][postgresql][mysql]") {
  for_each_database_url("migpkg_import_from", [](const std::string& from) {
    install_shop(from);
    fill_shop(from, 200, 400);
    const std::string dir = make_temp_dir();
    write_dataset(from, kShopTables, dir + "/plain");
    write_dataset(from, kShopTables, dir + "/packed.migdata", {}, true);
    for_each_database_url("migpkg_import_to", [&](const std::string& to) {
      for (const std::string& dataset : {dir + "/plain", dir + "/packed.migdata"}) {
        INFO(dataset);
        execute(to, "DROP TABLE IF EXISTS shop_orders");
        execute(to, "DROP TABLE IF EXISTS shop_customers");
        execute(to, "DROP TABLE IF EXISTS migpkg_meta");
        for (const char* table :
             {"migpkg_applied", "migpkg_plugins", "migpkg_history", "migpkg_audit",
              "migpkg_journal", "migpkg_inflight", "migpkg_data_runs"})
          execute(to, std::string("DROP TABLE IF EXISTS ") + table);
        install_shop(to);
        CommandResult result = import_cli(dataset, to, "--json --batch-rows 64");
        INFO(result.out << result.err);
        REQUIRE(result.exit_code == 0);
        json report = checked_report(result.out, "import-report.schema.json");
        CHECK(report["status"] == "ok");
        REQUIRE(report["tables"].size() == 2);
        for (const json& table : report["tables"]) CHECK(table["verified"] == "rows and content");
        for (const std::string& table : kShopTables) check_same_rows(from, to, table);
      }
    });
  });
}

TEST_CASE("import PLUGIN checks the plugin's version in the target before a row is written",
          "[data][import][plugin][sqlite][postgresql][mysql]") {
  const std::string source = "sqlite:" + make_temp_dir() + "/source.db";
  install_shop(source);
  fill_shop(source, 20, 30);
  const std::string dataset = make_temp_dir() + "/shop";
  write_dataset(source, kShopTables, dataset, {{"test.shop", "1.1.0"}});
  for_each_database_url("migpkg_import_scope", [&](const std::string& to) {
    CommandResult missing = import_cli(dataset, to, "test.shop");
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("plugin test.shop is not installed in the target; the data set holds "
                           "its data at schema version 1.1.0") != std::string::npos);
    install_shop(to, "1.0.0");
    for (const std::string& plugins : {std::string("test.shop"), std::string("")}) {
      CommandResult refused = import_cli(dataset, to, plugins);
      INFO(refused.out << refused.err);
      CHECK(refused.exit_code == 1);
      CHECK(refused.err.find("plugin test.shop is installed in the target at version 1.0.0; the "
                             "data set holds its data at schema version 1.1.0") !=
            std::string::npos);
      CHECK(table_digest(to, "shop_customers").rows == 0);
    }
    CommandResult unknown = import_cli(dataset, to, "acme.other");
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.err.find("the data set holds no data of plugin acme.other (it holds test.shop "
                           "1.1.0)") != std::string::npos);

    install_shop(to);
    CommandResult dry = import_cli(dataset, to, "test.shop --dry-run");
    INFO(dry.out << dry.err);
    CHECK(dry.exit_code == 0);
    CHECK(dry.out.find("would load shop_customers (20 rows)") != std::string::npos);
    CHECK(table_digest(to, "shop_customers").rows == 0);
    CHECK(scalar(to, "SELECT COUNT(*) FROM migpkg_data_runs").empty());  // not even created

    CommandResult result = import_cli(dataset, to, "test.shop --json");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(checked_report(result.out, "import-report.schema.json")["tables"].size() == 2);
    for (const std::string& table : kShopTables) check_same_rows(source, to, table);
  });
}

TEST_CASE(
    "import on-conflict fail: nothing of the import stays, batches committed before "
    "included",
    "[data][import][conflicts][sqlite][postgresql][mysql]") {
  const std::string source = "sqlite:" + make_temp_dir() + "/source.db";
  install_shop(source);
  fill_shop(source, 100, 0);
  const std::string dataset = make_temp_dir() + "/customers";
  write_dataset(source, {"shop_customers"}, dataset);
  for_each_database_url("migpkg_import_fail", [&](const std::string& to) {
    install_shop(to);
    fill_shop(to, 5, 0, 90);  // ids 90..94: the data set's last batches clash
    TableDigest before = table_digest(to, "shop_customers");
    CommandResult result = import_cli(dataset, to, "--batch-rows 10 --json");
    INFO(result.out << result.err);
    CHECK(result.exit_code == 1);
    json report = checked_report(result.out, "import-report.schema.json");
    CHECK(report["status"] == "failed");
    CHECK(report["undoneRows"].get<int>() >= 80);
    CHECK(table_digest(to, "shop_customers") == before);
    CHECK(scalar(to, "SELECT COUNT(*) FROM migpkg_data_runs") == "0");
  });
}

TEST_CASE("import killed in the middle and run again ends with every row once",
          "[data][import][crash][sqlite][postgresql][mysql]") {
  const std::string source = "sqlite:" + make_temp_dir() + "/source.db";
  install_shop(source);
  const std::size_t rows = 40000;
  fill_shop(source, rows, 0);
  const std::string dataset = make_temp_dir() + "/big.migdata";
  write_dataset(source, {"shop_customers"}, dataset, {}, true);
  for_each_crash_database("migpkg_import_resume", [&](const std::string& to, const std::string&) {
    install_shop(to);
    const std::string command = "import '" + dataset + "' --db '" + to + "' --batch-rows 20";
    kill_and_run_again(command, to, "shop_customers", rows, 400, "import-report.schema.json");
    check_same_rows(source, to, "shop_customers");
  });
}

TEST_CASE(
    "a plugin's data exported with migpkg export from one engine imports into another "
    "with the same plugin version",
    "[data][import][export][plugin][sqlite][postgresql][mysql]") {
  for_each_database_url("migpkg_roundtrip_from", [](const std::string& from) {
    install_shop(from);
    fill_shop(from, 150, 300);
    execute(from, "CREATE TABLE not_the_plugins (id BIGINT PRIMARY KEY)");
    const std::string dataset = make_temp_dir() + "/shop.migdata";
    CommandResult exported =
        run_cli("export test.shop --db '" + from + "' -o '" + dataset + "' --compress zstd");
    INFO(exported.out << exported.err);
    REQUIRE(exported.exit_code == 0);
    for_each_database_url("migpkg_roundtrip_to", [&](const std::string& to) {
      install_shop(to);
      CommandResult result = import_cli(dataset, to, "test.shop --json");
      INFO(result.out << result.err);
      REQUIRE(result.exit_code == 0);
      json report = checked_report(result.out, "import-report.schema.json");
      REQUIRE(report["tables"].size() == 2);
      for (const std::string& table : kShopTables) check_same_rows(from, to, table);
    });
  });
}
