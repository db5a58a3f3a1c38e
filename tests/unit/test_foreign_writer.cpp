// A program other than migpkg holding a SQLite database's write lock (a child process with its
// own sqlite3 connection in BEGIN IMMEDIATE or BEGIN EXCLUSIVE): the commands that write wait up
// to --lock-timeout, then exit 4 naming the database and change nothing; a writer that lets go
// in time is waited for; the commands that only read do not wait for it.
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

const std::string kShop = "tests/scenarios/fixtures/shop";

// The other program: a child process that opens the database, begins with `begin` ("BEGIN
// IMMEDIATE" or "BEGIN EXCLUSIVE"), inserts a product of its own and keeps the transaction open
// for `hold_ms`, or until finish(), before it ends it (COMMIT when `commit`, else ROLLBACK).
// The constructor returns once the lock is held.
class ForeignWriter {
 public:
  ForeignWriter(const std::string& path, const std::string& begin, int hold_ms, bool commit) {
    int ready[2], release[2];
    REQUIRE(pipe(ready) == 0);
    REQUIRE(pipe(release) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      close(ready[0]);
      close(release[1]);
      sqlite3* db = nullptr;
      std::string sql = begin + "; INSERT INTO shop_products (id, name, price_cents) VALUES " +
                        "(900, 'Foreign', 1)";
      if (sqlite3_open(path.c_str(), &db) != SQLITE_OK ||
          sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
        _exit(2);
      char byte = 1;
      if (write(ready[1], &byte, 1) != 1) _exit(3);
      pollfd released{release[0], POLLIN, 0};
      poll(&released, 1, hold_ms);  // the parent's end closing wakes it early
      int rc = sqlite3_exec(db, commit ? "COMMIT" : "ROLLBACK", nullptr, nullptr, nullptr);
      sqlite3_close(db);
      _exit(rc == SQLITE_OK ? 0 : 4);
    }
    close(ready[1]);
    close(release[0]);
    release_ = release[1];
    char byte = 0;
    bool locked = read(ready[0], &byte, 1) == 1;
    close(ready[0]);
    REQUIRE(locked);
  }
  ~ForeignWriter() {
    if (!finished_) {
      kill(pid_, SIGKILL);
      finish();
    }
  }
  ForeignWriter(const ForeignWriter&) = delete;
  ForeignWriter& operator=(const ForeignWriter&) = delete;

  // Lets it end its transaction now and waits for it; its exit code (0 when that went well).
  int finish() {
    close(release_);
    int status = 0;
    waitpid(pid_, &status, 0);
    finished_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  int release_ = -1;
  bool finished_ = false;
};

struct TimedResult {
  CommandResult result;
  double seconds = 0;
};

TimedResult timed_cli(const std::string& arguments) {
  auto start = std::chrono::steady_clock::now();
  TimedResult timed;
  timed.result = run_cli(arguments);
  timed.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return timed;
}

std::string scalar(const std::string& path, const std::string& sql) {
  auto connection = migpkg::runtime::open_sqlite(path);
  auto rows = connection->query(sql).rows;
  return rows.empty() ? "" : rows[0][0].value_or("NULL");
}

// A database with shop 1.0.0 installed and rows of its own in its tables.
std::string shop_database(const std::string& sources = kShop + "/001-install.json") {
  std::string path = make_temp_dir() + "/app.db";
  auto installed = run_cli("install " + sources + " --db 'sqlite:" + path + "'");
  REQUIRE(installed.exit_code == 0);
  auto connection = migpkg::runtime::open_sqlite(path);
  connection->execute(
      "INSERT INTO shop_products (id, name, price_cents) VALUES (3, 'Cocoa', 500), "
      "(4, 'Mate', 610); INSERT INTO shop_orders (id, product_id, quantity) VALUES (1, 3, 2), "
      "(2, 4, 1)");
  return path;
}

}  // namespace

TEST_CASE("install waits --lock-timeout for a foreign writer, then exits 4 and changes nothing",
          "[lock][sqlite][foreign-writer]") {
  // IMMEDIATE: the writer holds the write lock, readers go on; migpkg meets it at its first
  // write, holding its run lock. EXCLUSIVE: not even reading is possible; migpkg meets it when
  // it opens the file, before it takes its run lock.
  for (std::string begin : {"BEGIN IMMEDIATE", "BEGIN EXCLUSIVE"}) {
    DYNAMIC_SECTION(begin) {
      std::string path = shop_database();
      std::string before = read_file(path);
      ForeignWriter writer(path, begin, 15000, false);
      auto install = timed_cli("install " + kShop + " --lock-timeout 2 --db 'sqlite:" + path + "'");
      CHECK(install.result.exit_code == 4);
      CHECK(install.seconds >= 1.9);
      CHECK(install.seconds < 4.5);  // --lock-timeout, not a fixed wait of its own
      CHECK(install.result.err.find("SQLite database '" + path + "' is locked: another " +
                                    "connection holds its write lock (waited 2 s for it)") !=
            std::string::npos);
      CHECK(install.result.err.find("it is not a migpkg run") != std::string::npos);
      CHECK(read_file(path) == before);
      CHECK(writer.finish() == 0);  // it ends its own transaction: migpkg did not break it
      CHECK(read_file(path) == before);
      CHECK(scalar(path, "SELECT COUNT(*) FROM migpkg_applied") == "1");
      CHECK(scalar(path, "SELECT COUNT(*) FROM migpkg_audit") == "1");  // the first install only
      CHECK(scalar(path, "SELECT group_concat(id) FROM shop_products") == "1,2,3,4");
      CHECK(scalar(path, "SELECT group_concat(product_id || 'x' || quantity) FROM shop_orders") ==
            "3x2,4x1");
    }
  }
}

TEST_CASE("install --json reports a foreign writer as locked", "[lock][sqlite][foreign-writer]") {
  std::string path = shop_database();
  ForeignWriter writer(path, "BEGIN IMMEDIATE", 15000, false);
  auto install =
      run_cli("install " + kShop + " --json --lock-timeout 1 --db 'sqlite:" + path + "'");
  CHECK(install.exit_code == 4);
  auto report = nlohmann::json::parse(install.out);
  CHECK(report["status"] == "locked");
  CHECK(report["problems"][0].get<std::string>().find("another connection holds its write lock") !=
        std::string::npos);
  CHECK(report["migrations"].empty());
}

TEST_CASE("install waits for a foreign writer that commits within --lock-timeout",
          "[lock][sqlite][foreign-writer]") {
  std::string path = shop_database();
  // Longer than SQLite's default wait of 5 s, shorter than --lock-timeout.
  ForeignWriter writer(path, "BEGIN IMMEDIATE", 6000, true);
  auto install = timed_cli("install " + kShop + " --lock-timeout 10 --db 'sqlite:" + path + "'");
  CHECK(install.result.exit_code == 0);
  CHECK(install.seconds >= 5.5);  // it did wait for the writer
  CHECK(writer.finish() == 0);
  CHECK(scalar(path, "SELECT COUNT(*) FROM migpkg_applied") == "3");
  // The writer's row and the rows from before are all there, under the new schema.
  CHECK(scalar(path, "SELECT group_concat(id) FROM shop_products") == "1,2,3,4,900");
  CHECK(scalar(path, "SELECT group_concat(product_id || 'x' || quantity) FROM shop_orders") ==
        "3x2,4x1");
  CHECK(scalar(path, "SELECT COUNT(*) FROM shop_reviews") == "1");
}

TEST_CASE("rollback waits --lock-timeout for a foreign writer, then exits 4 and changes nothing",
          "[lock][sqlite][foreign-writer]") {
  std::string path = shop_database(kShop);
  std::string before = read_file(path);
  ForeignWriter writer(path, "BEGIN IMMEDIATE", 15000, false);
  auto rollback = timed_cli("rollback acme.shop --lock-timeout 2 --backup-dir '" + make_temp_dir() +
                            "' --db 'sqlite:" + path + "'");
  CHECK(rollback.result.exit_code == 4);
  CHECK(rollback.seconds >= 1.9);
  CHECK(rollback.seconds < 4.5);
  CHECK(rollback.result.err.find("SQLite database '" + path + "' is locked") != std::string::npos);
  CHECK(rollback.result.err.find("it is not a migpkg run") != std::string::npos);
  CHECK(writer.finish() == 0);
  CHECK(read_file(path) == before);
  CHECK(scalar(path, "SELECT COUNT(*) FROM migpkg_applied") == "3");
  CHECK(scalar(path, "SELECT group_concat(id) FROM shop_products") == "1,2,3,4");
}

TEST_CASE("status and plan read while a foreign writer holds the write lock",
          "[lock][sqlite][foreign-writer]") {
  std::string path = shop_database();
  ForeignWriter writer(path, "BEGIN IMMEDIATE", 15000, false);
  auto status = timed_cli("status --db 'sqlite:" + path + "'");
  CHECK(status.result.exit_code == 0);
  CHECK(status.seconds < 1.5);  // no wait for the writer
  CHECK(status.result.out.find("acme.shop") != std::string::npos);
  auto plan = timed_cli("plan " + kShop + " --db 'sqlite:" + path + "'");
  CHECK(plan.result.exit_code == 0);
  CHECK(plan.seconds < 1.5);
  CHECK(plan.result.out.find("shop_reviews") != std::string::npos);
}

TEST_CASE("restore waits --lock-timeout for a foreign writer, then exits 4 and changes nothing",
          "[lock][sqlite][foreign-writer]") {
  std::string path = shop_database(kShop);
  // Rolling back 2.0.0 drops shop_reviews and its row: a backup is taken first.
  auto rollback = run_cli("rollback acme.shop --backup-dir '" + make_temp_dir() +
                          "' --db 'sqlite:" + path + "'");
  REQUIRE(rollback.exit_code == 0);
  std::string backup =
      scalar(path, "SELECT backup FROM migpkg_history WHERE backup <> '' ORDER BY id DESC");
  REQUIRE(!backup.empty());
  std::string before = read_file(path);
  ForeignWriter writer(path, "BEGIN IMMEDIATE", 15000, false);
  auto restore = timed_cli("restore '" + backup + "' --lock-timeout 2 --db 'sqlite:" + path + "'");
  CHECK(restore.result.exit_code == 4);
  CHECK(restore.seconds >= 1.9);
  CHECK(restore.seconds < 4.5);
  CHECK(restore.result.err.find("another connection holds its write lock") != std::string::npos);
  CHECK(writer.finish() == 0);
  CHECK(read_file(path) == before);
  CHECK(scalar(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'shop_reviews'") == "0");
  CHECK(scalar(path, "SELECT group_concat(id) FROM shop_products") == "1,2,3,4");
}
