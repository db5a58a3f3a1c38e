// A short crash loop in the suite (scripts/crash-loop.sh, docs/testing.md "Crash loops"): on
// SQLite and on each test server, `install` of test.ledger killed with SIGKILL at a random moment
// three times, each rerun until it succeeds and compared with an uninterrupted install (schema,
// every row, the applied migrations). The long runs (200 trials per engine and command) are the
// script's; this keeps the script itself working and catches a divergence that shows early.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "unit/test_support.hpp"

using migpkg::test::capture;
using migpkg::test::shell_quoted;
using migpkg::test::source_dir;

TEST_CASE("crash loop: install killed at random moments converges to an uninterrupted install",
          "[crash-loop][crash][sqlite][postgresql][mysql]") {
  std::string engines = "--engine sqlite";
  // The binary under test, not a build of its own.
  std::string environment = "MIGPKG_SKIP_BUILD=1 MIGPKG=" + shell_quoted(MIGPKG_BINARY);
  if (std::string url = migpkg::test::postgres_url(); !url.empty()) {
    engines += " --engine postgresql";
    environment += " MIGPKG_TEST_PG_URL=" + shell_quoted(url);
  }
  if (std::string url = migpkg::test::mysql_url(); !url.empty()) {
    engines += " --engine mysql";
    environment += " MIGPKG_TEST_MYSQL_URL=" + shell_quoted(url);
  }
  std::string log = migpkg::test::make_temp_dir() + "/crash-loop.log";
  // The script exits 1 on a divergence: the summary is read either way.
  std::string output = capture("env " + environment + " bash " +
                               shell_quoted(source_dir() + "/scripts/crash-loop.sh") + " " +
                               engines + " --command install --trials 3 --rows 2000 --json 2>" +
                               shell_quoted(log) + " || true");
  INFO(output << "\n" << migpkg::test::read_file(log));
  REQUIRE(!output.empty());
  auto summary = nlohmann::json::parse(output);
  std::size_t engine_count = 1 + (engines.find("postgresql") != std::string::npos) +
                             (engines.find("mysql") != std::string::npos);
  REQUIRE(summary["results"].size() == engine_count);
  for (const auto& result : summary["results"]) {
    INFO(result.dump());
    CHECK(result["command"] == "install");
    CHECK(result["trials"] == 3);
    CHECK(result["divergent"] == 0);
    // install again after a finished install succeeds with nothing to do: never refused.
    CHECK(result["refusedAfterDone"] == 0);
  }
}
