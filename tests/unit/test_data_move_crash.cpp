// A copy killed (SIGKILL) in the middle, then the same command again, on every engine as the
// target: it goes on after its last checkpoint, and the target ends with exactly the source's
// rows, none missing and none twice (docs/data.md, "Resume").
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "unit/crash_test_support.hpp"
#include "unit/data_move_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using json = nlohmann::json;

TEST_CASE("copy killed in the middle and run again ends with every row once",
          "[data][crash][sqlite][postgresql][mysql]") {
  const std::string source = "sqlite:" + make_temp_dir() + "/source.db";
  install_shop(source);
  const std::size_t rows = 40000;
  fill_shop(source, rows, 0);
  for_each_crash_database("migpkg_resume", [&](const std::string& to, const std::string&) {
    install_shop(to);
    const std::string command =
        "copy --from '" + source + "' --to '" + to + "' --tables shop_customers --batch-rows 20";
    Background run = start(command);
    auto done = [&] {
      std::string text = scalar(to, "SELECT rows_done FROM migpkg_data_runs");
      return text.empty() || text == "NULL" ? 0L : std::stol(text);
    };
    REQUIRE(wait_for([&] { return done() >= 400; }, 120));
    kill_hard(run);
    const long checkpoint = done();
    INFO("killed after " << checkpoint << " rows");
    REQUIRE(checkpoint < static_cast<long>(rows));
    // What the target holds is exactly what the checkpoint says: committed together.
    CHECK(scalar(to, "SELECT COUNT(*) FROM shop_customers") == std::to_string(checkpoint));

    CommandResult again = run_cli(command + " --json");
    INFO(again.out << again.err);
    REQUIRE(again.exit_code == 0);
    json report = checked_report(again.out, "copy-report.schema.json");
    CHECK(report["resumed"] == true);
    CHECK(report["tables"][0]["resumedAfter"] == checkpoint);
    CHECK(report["tables"][0]["rowsWritten"] == rows - static_cast<std::size_t>(checkpoint));
    CHECK(report["tables"][0]["verified"] == "rows and content");
    check_same_rows(source, to, "shop_customers");
    // The run finished: its checkpoints are gone.
    CHECK(scalar(to, "SELECT COUNT(*) FROM migpkg_data_runs") == "0");
  });
}
