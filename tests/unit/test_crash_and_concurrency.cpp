// The runner really killed (SIGKILL) in the middle of a long migration, and two runs at once,
// on SQLite, PostgreSQL and MariaDB: nothing is half-applied (on MySQL, where every DDL
// statement commits at once, every step is journalled instead, so a killed run leaves the
// steps it committed and a journal naming them), the next run reports and recovers, a
// migration with non-transactional steps resumes at the right step, and no migration is
// applied twice. The property over every step boundary (MariaDB, PostgreSQL) is in
// test_crash_property.cpp.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

#include "runtime/engines/engine_registry.hpp"
#include "unit/crash_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

const char* kSlow = "tests/scenarios/fixtures/slow";
const char* kSlowNonTx = "tests/scenarios/fixtures/slow-nontx";

}  // namespace

TEST_CASE(
    "SIGKILL during a transactional migration leaves nothing half-applied, on MySQL the "
    "journalled DDL step",
    "[crash][sqlite][postgresql][mysql]") {
  for_each_crash_database("migpkg_crash", [](const std::string& url, const std::string& engine) {
    bool mysql = engine == "mysql";
    auto run = start(std::string("install ") + kSlow + " --db '" + url + "'");
    REQUIRE(wait_for([&] {
      return scalar(url, "SELECT COUNT(*) FROM migpkg_audit WHERE outcome = 'running'") == "1";
    }));
    // MySQL commits create-a at once and journals it before the long step starts.
    if (mysql)
      REQUIRE(wait_for([&] { return scalar(url, "SELECT COUNT(*) FROM migpkg_journal") == "1"; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(800));  // inside the long step
    kill_hard(run);

    CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_applied") == "0");
    auto status = nlohmann::json::parse(run_cli("status --json --db '" + url + "'").out);
    if (mysql) {
      // The CREATE TABLE committed itself: the table stays, and status says which step did it.
      auto schema = user_schema(url);
      CHECK(std::any_of(schema.begin(), schema.end(), [](const std::string& line) {
        return line.find("\"slow_a\"") != std::string::npos;
      }));
      REQUIRE(status["partial"].size() == 1);
      CHECK(status["partial"][0]["migrationId"] == "slow-001");
      CHECK(status["partial"][0]["stepsDone"] == 1);
      CHECK(status["partial"][0]["lastStepDone"] == "create-a");
      CHECK(status["partial"][0]["nextStep"] == "long-work");
    } else {
      CHECK(user_schema(url).empty());  // slow_a was created in the killed transaction: gone
      CHECK(status["partial"].empty());
    }

    auto again = run_cli(std::string("install ") + kSlow + " --db '" + url + "'");
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    CHECK(again.err.find("an earlier run did not finish") != std::string::npos);
    if (mysql) {
      CHECK(again.out.find("resumed test.slow/slow-001") != std::string::npos);
      CHECK(again.err.find("after step 1") != std::string::npos);
      CHECK(again.err.find("up step create-a") == std::string::npos);  // not run twice
      CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_journal") == "0");
      CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_inflight") == "0");
    } else {
      CHECK(again.out.find("applied test.slow/slow-001") != std::string::npos);
    }
    CHECK(scalar(url, "SELECT COUNT(*) FROM slow_b") == "0");  // the last step ran
    CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_audit WHERE outcome = 'interrupted'") == "1");
    CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_history WHERE state = 'applied'") == "1");
  });
}

TEST_CASE("PostgreSQL ends a killed run's statement and frees its lock within seconds",
          "[crash][postgresql]") {
  // Without client_connection_check_interval the server runs the orphaned statement to its end
  // (here two minutes) and keeps the advisory lock, so the next run would exit 4.
  std::string server = postgres_url();
  if (server.empty()) return;
  migpkg::runtime::TemporaryDatabase database(server, "migpkg_orphan");
  std::string url = database.url();
  auto run = start(std::string("install tests/scenarios/fixtures/slow-pg --db '") + url + "'");
  auto sleeping = [&] {
    return scalar(url,
                  "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE '%SELECT pg_sleep(120)'"
                  " AND datname = current_database()");  // behind the BEGIN that rides with it
  };
  REQUIRE(wait_for([&] { return sleeping() == "1"; }));
  kill_hard(run);
  CHECK(wait_for([&] { return sleeping() == "0"; }, 15));
  auto next = run_cli("install tests/scenarios/fixtures/shop --lock-timeout 5 --db '" + url + "'");
  INFO(next.err);
  CHECK(next.exit_code == 0);
}

TEST_CASE("MariaDB ends a killed run's statement and frees its GET_LOCK within seconds",
          "[crash][mysql]") {
  // MariaDB looks at the client's socket every few seconds during SLEEP() (and during a
  // GET_LOCK wait), ends the session when it is gone, and the run lock goes with the session.
  std::string server = mysql_url();
  if (server.empty()) {
    WARN("MIGPKG_TEST_MYSQL_URL is not set: MariaDB test skipped");
    return;
  }
  migpkg::runtime::TemporaryDatabase database(server, "migpkg_orphan");
  std::string url = database.url();
  auto run = start(std::string("install tests/scenarios/fixtures/slow-pg --db '") + url + "'");
  auto sleeping = [&] {
    return scalar(url,
                  "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO = "
                  "'SELECT SLEEP(120)' AND DB = DATABASE()");
  };
  REQUIRE(wait_for([&] { return sleeping() == "1"; }));
  kill_hard(run);
  auto killed = std::chrono::steady_clock::now();
  CHECK(wait_for([&] { return sleeping() == "0"; }, 15));
  CHECK(wait_for(
      [&] { return scalar(url, "SELECT IS_FREE_LOCK(CONCAT('migpkg:', DATABASE()))") == "1"; },
      15));
  CHECK(std::chrono::steady_clock::now() - killed < std::chrono::seconds(10));
  auto next = run_cli("install tests/scenarios/fixtures/shop --lock-timeout 5 --db '" + url + "'");
  INFO(next.err);
  CHECK(next.exit_code == 0);
}

TEST_CASE(
    "SIGKILL during non-transactional steps: status names the step, install resumes, "
    "rollback undoes",
    "[crash][sqlite][postgresql][mysql]") {
  for_each_crash_database("migpkg_crash", [](const std::string& url, const std::string& engine) {
    std::string install = std::string("install ") + kSlowNonTx + " --db '" + url + "'";
    auto kill_in_long_step = [&] {
      auto run = start(install);
      // Two steps are journalled (create-events, index-kind) before the long one starts.
      bool journalled =
          wait_for([&] { return scalar(url, "SELECT COUNT(*) FROM migpkg_journal") == "2"; });
      // The install's own words when it never got there (it failed once in a loaded full run,
      // never alone): whether it exited, and why.
      if (!journalled) {
        kill_hard(run);
        FAIL("the install did not reach the long step; its stderr:\n" + read_file(run.err));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      kill_hard(run);
    };

    kill_in_long_step();
    auto status = run_cli("status --json --db '" + url + "'");
    auto report = nlohmann::json::parse(status.out);
    REQUIRE(report["partial"].size() == 1);
    CHECK(report["partial"][0]["migrationId"] == "slownt-001");
    CHECK(report["partial"][0]["stepsDone"] == 2);
    CHECK(report["partial"][0]["lastStepDone"] == "index-kind");
    CHECK(report["partial"][0]["nextStep"] == "long-work");
    CHECK(run_cli("status --db '" + url + "'").out.find("PARTIAL test.slownt/slownt-001") !=
          std::string::npos);

    // Rollback undoes the half-applied migration without the sources.
    // No backup: a PostgreSQL one would be written to the working directory, the source tree.
    auto rollback = run_cli("rollback test.slownt --no-backup --db '" + url + "'");
    INFO(rollback.err);
    REQUIRE(rollback.exit_code == 0);
    CHECK(user_schema(url).empty());
    CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_inflight") == "0");

    // Killed again, install resumes at the long step instead of starting over.
    kill_in_long_step();
    auto resumed = run_cli(install);
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    CHECK(resumed.out.find("resumed test.slownt/slownt-001") != std::string::npos);
    if (engine == "mysql") {
      // MariaDB runs to its end the query a killed client sent: the long step and, sent with
      // it, its journal row. The next run waits for the run lock until then, and resumes after
      // the long step instead of running it again.
      CHECK(resumed.err.find("after step 3") != std::string::npos);
      CHECK(resumed.err.find("up step long-work") == std::string::npos);
    } else {
      CHECK(resumed.err.find("after step 2") != std::string::npos);
    }
    CHECK(resumed.err.find("up step create-events") == std::string::npos);
    CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_applied") == "1");
    CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_inflight") == "0");
    CHECK(scalar(url, "SELECT COUNT(*) FROM slownt_summary") == "0");  // the last step ran
  });
}

TEST_CASE("two installs at once: one waits, one gives up with exit 4, nothing applied twice",
          "[lock][sqlite][postgresql][mysql]") {
  for_each_crash_database("migpkg_crash", [](const std::string& url, const std::string&) {
    std::string install = std::string("install ") + kSlow + " --db '" + url + "'";
    auto first = start(install);
    REQUIRE(wait_for([&] {
      return scalar(url, "SELECT COUNT(*) FROM migpkg_audit WHERE outcome = 'running'") == "1";
    }));
    auto patient = start(install + " --lock-timeout 60");
    auto impatient = run_cli(install + " --lock-timeout 1");
    CHECK(impatient.exit_code == 4);
    CHECK(impatient.err.find("migpkg install by") != std::string::npos);

    CHECK(wait_exit(first) == 0);
    CHECK(wait_exit(patient) == 0);
    CHECK(read_file(patient.out).find("install: ok, 0 migrations") != std::string::npos);
    CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_history WHERE state = 'applied'") == "1");
  });
}
