// import and copy --where T:COND end to end through the CLI, with rows, on SQLite, PostgreSQL and
// MariaDB: only the rows that meet COND are loaded, verification compares them with the
// filtered source, a run killed part-way and run again ends with each of them once, and a bad
// condition is refused naming the table before anything is written. copy's COND is SQL of the
// source (so every engine is a source here); import's is a condition over the row's values
// (runtime/data/row_filter.hpp).
#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>

#include "unit/crash_test_support.hpp"
#include "unit/data_move_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using migpkg::data::Row;
using json = nlohmann::json;

namespace {

// The ids of `table`'s rows that `keep` accepts, in key order.
std::vector<std::string> ids_where(const std::string& url, const std::string& table,
                                   const std::function<bool(const Row&)>& keep) {
  std::vector<std::string> out;
  for (const Row& row : table_rows(url, table))
    if (keep(row)) out.push_back(*row[0]);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> all_ids(const std::string& url, const std::string& table) {
  return ids_where(url, table, [](const Row&) { return true; });
}

bool odd_id(const Row& row) {
  return (row[0]->back() - '0') % 2 == 1;
}

bool vip(const Row& row) {
  return row[3] == std::optional<std::string>("true");
}

void check_verified(const json& report, std::size_t tables) {
  CHECK(report["status"] == "ok");
  REQUIRE(report["tables"].size() == tables);
  for (const json& table : report["tables"]) {
    CHECK(table["verified"] == "rows and content");
    CHECK(table["sourceRows"] == table["targetRows"]);
    CHECK(table["sourceHash"] == table["targetHash"]);
  }
}

}  // namespace

TEST_CASE("copy --where loads only the source rows that meet the source's SQL condition",
          "[data][where][copy][sqlite][postgresql][mysql]") {
  // Each engine as the source (its SQL), into a SQLite file and into itself's peers.
  for_each_database_url("migpkg_where_from", [&](const std::string& from) {
    INFO("from " << from);
    install_shop(from);
    fill_shop(from, 60, 150);
    for_each_database_url("migpkg_where_to", [&](const std::string& to) {
      INFO("to " << to);
      install_shop(to);
      CommandResult result =
          run_cli("copy --from '" + from + "' --to '" + to +
                  "' --where 'shop_customers:id % 2 = 1' --where 'shop_orders:customer_id % 2 = 1 "
                  "AND total > 0' --json --batch-rows 7");
      INFO(result.out << result.err);
      REQUIRE(result.exit_code == 0);
      json report = checked_report(result.out, "copy-report.schema.json");
      check_verified(report, 2);
      const std::vector<std::string> customers = ids_where(from, "shop_customers", odd_id);
      REQUIRE(customers.size() > 20);
      REQUIRE(customers.size() < 60);
      CHECK(all_ids(to, "shop_customers") == customers);
      const std::vector<std::string> orders = ids_where(from, "shop_orders", [](const Row& row) {
        return (row[1]->back() - '0') % 2 == 1 && row[2]->front() != '-' &&
               row[2]->find_first_not_of("0.") != std::string::npos;
      });
      REQUIRE(!orders.empty());
      CHECK(all_ids(to, "shop_orders") == orders);
    });
  });
}

TEST_CASE("import --where loads only the data set's rows that meet the condition",
          "[data][where][import][sqlite][postgresql][mysql]") {
  const std::string source = "sqlite:" + make_temp_dir() + "/source.db";
  install_shop(source);
  fill_shop(source, 80, 0);
  const std::string dataset = make_temp_dir() + "/shop";
  write_dataset(source, {"shop_customers"}, dataset);
  for_each_database_url("migpkg_where_import", [&](const std::string& to) {
    install_shop(to);
    CommandResult result = run_cli("import '" + dataset + "' --db '" + to +
                                   "' --where \"shop_customers:vip = true AND (balance > 10 OR "
                                   "balance IS NULL) AND born < '2000-01-01'\" --json");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    check_verified(checked_report(result.out, "import-report.schema.json"), 1);
    std::vector<std::string> expected = ids_where(source, "shop_customers", [](const Row& row) {
      bool big = !row[4] || (row[4]->front() != '-' && std::stod(*row[4]) > 10);
      return vip(row) && big && *row[7] < "2000-01-01";
    });
    REQUIRE(expected.size() > 10);
    REQUIRE(expected.size() < 40);
    CHECK(all_ids(to, "shop_customers") == expected);
  });
}

TEST_CASE(
    "a --where the source or the table refuses stops import and copy before a row is "
    "written, naming the table",
    "[data][where][cli][sqlite][postgresql][mysql]") {
  const std::string dir = make_temp_dir();
  const std::string source = "sqlite:" + dir + "/source.db";
  install_shop(source);
  fill_shop(source, 30, 40);
  const std::string dataset = dir + "/shop";
  write_dataset(source, {"shop_customers", "shop_orders"}, dataset);
  for_each_database_url("migpkg_where_bad", [&](const std::string& url) {
    install_shop(url);
    fill_shop(url, 5, 0, 1000);  // rows of its own, which must stay as they are
    const std::vector<std::string> before = all_ids(url, "shop_customers");
    auto refused = [&](const std::string& command, int exit_code,
                       const std::vector<std::string>& words) {
      INFO(command);
      CommandResult result = run_cli(command);
      CHECK(result.exit_code == exit_code);
      for (const std::string& word : words) CHECK_THAT(result.err, Catch::Contains(word));
      CHECK(all_ids(url, "shop_customers") == before);
      CHECK(all_ids(url, "shop_orders").empty());
    };
    const std::string fresh = "sqlite:" + make_temp_dir() + "/fresh.db";
    const std::string copy_out = "copy --from '" + url + "' --to '" + fresh + "' --create ";
    const std::string copy_in = "copy --from '" + source + "' --to '" + url + "' ";
    const std::string import = "import '" + dataset + "' --db '" + url + "' ";
    // copy: SQL the source database (each engine in turn) refuses; --create made nothing.
    refused(copy_out + "--where 'shop_customers:no_such_column = 1'", 1,
            {"--where shop_customers:no_such_column = 1: the source database refuses the "
             "condition",
             "no_such_column"});
    refused(copy_out + "--where 'shop_orders:id = = 1'", 1,
            {"--where shop_orders:id = = 1: the source database refuses"});
    CHECK(scalar(fresh, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'shop%'") == "0");
    refused(copy_in + "--where 'shop_customers:no_such_column = 1'", 1,
            {"the source database refuses the condition"});
    refused(copy_in + "--tables shop_orders --where 'shop_customers:id = 1'", 1,
            {"--where names table shop_customers, which is not copied"});
    refused(copy_in + "--where shop_customers", 2,
            {"--where 'shop_customers' is not TABLE:CONDITION"});
    // import: its condition language.
    refused(import + "--where 'shop_customers:nope = 1'", 1,
            {"--where shop_customers:nope = 1: at character 1: table shop_customers has no "
             "column nope"});
    refused(import + "--where \"shop_customers:born = 'yesterday'\"", 1,
            {"the literal 'yesterday' is not a date or time for column born (date)"});
    refused(import + "--where 'shop_orders:total > 1' --tables shop_customers", 1,
            {"--where names table shop_orders, which is not imported"});
    refused(import + "--where 'shop_customers:id > 1' --where 'shop_customers:id < 9'", 2,
            {"--where names table shop_customers twice"});
  });
}

TEST_CASE("import and copy --where killed part-way and run again load each selected row once",
          "[data][where][crash][sqlite][postgresql][mysql]") {
  const std::string source = "sqlite:" + make_temp_dir() + "/source.db";
  install_shop(source);
  const std::size_t rows = 20000;
  fill_shop(source, rows, 0);
  const std::string dataset = make_temp_dir() + "/big.migdata";
  write_dataset(source, {"shop_customers"}, dataset);
  struct Run {
    std::string command, schema;
    std::function<bool(const Row&)> keep;
  };
  for_each_crash_database("migpkg_where_resume", [&](const std::string& to, const std::string&) {
    install_shop(to);
    // A SQLite target in WAL mode, so the poll for the kill point reads while the run writes:
    // in rollback-journal mode it waited on the run's commits and first saw the checkpoint of
    // the last batch, after the whole (short) run.
    if (to.rfind("sqlite:", 0) == 0) execute(to, "PRAGMA journal_mode = WAL");
    const std::vector<Run> runs{
        {"import '" + dataset + "' --db '" + to + "' --where 'shop_customers:vip = true'",
         "import-report.schema.json", vip},
        {"copy --from '" + source + "' --to '" + to +
             "' --tables shop_customers --where 'shop_customers:id % 2 = 1'",
         "copy-report.schema.json", odd_id}};
    for (const Run& run : runs) {
      INFO(run.command);
      execute(to, "DELETE FROM shop_customers");
      const std::vector<std::string> expected = ids_where(source, "shop_customers", run.keep);
      kill_and_run_again(run.command + " --batch-rows 20", to, "shop_customers", expected.size(),
                         400, run.schema);
      CHECK(all_ids(to, "shop_customers") == expected);
    }
  });
}
