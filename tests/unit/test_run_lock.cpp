#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "runtime/drivers/connection.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/lock/run_lock.hpp"
#include "unit/test_support.hpp"

using migpkg::runtime::acquire_run_lock;
using migpkg::runtime::Connection;
using migpkg::runtime::DatabaseUrl;
using migpkg::runtime::LockTimeout;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The message of the LockTimeout that acquiring throws (fails the test if it does not).
std::string timeout_message(Connection& connection, const DatabaseUrl& url, int timeout_seconds) {
  try {
    acquire_run_lock(connection, url, "migpkg test waiter", timeout_seconds);
  } catch (const LockTimeout& timeout) {
    return timeout.what();
  }
  FAIL("expected a LockTimeout");
  return "";
}

// A child process that takes the run lock on `url` and then waits to be killed: a run that
// crashes while holding the lock. Killed (SIGKILL) and reaped at the latest when destroyed.
class LockHoldingChild {
 public:
  LockHoldingChild(const std::string& url, const std::string& holder) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      // The child shares the test's memory but must never return into Catch: it reports over
      // the pipe and leaves only through _exit or the parent's SIGKILL.
      close(fds[0]);
      char status = 'E';
      try {
        DatabaseUrl parsed = DatabaseUrl::parse(url);
        auto connection = migpkg::runtime::open_connection(parsed);
        auto lock = acquire_run_lock(*connection, parsed, holder, 0);
        status = 'L';
        if (write(fds[1], &status, 1) != 1) _exit(1);
        for (;;) pause();
      } catch (...) {
        if (write(fds[1], &status, 1) != 1) _exit(1);
        _exit(1);
      }
    }
    close(fds[1]);
    char status = 0;
    ssize_t got = read(fds[0], &status, 1);
    close(fds[0]);
    if (got != 1 || status != 'L') {
      kill_and_reap();
      FAIL("the child process could not take the lock");
    }
  }
  ~LockHoldingChild() { kill_and_reap(); }
  LockHoldingChild(const LockHoldingChild&) = delete;
  LockHoldingChild& operator=(const LockHoldingChild&) = delete;

  pid_t pid() const { return pid_; }

  void kill_and_reap() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

struct TempDir {
  std::string path = migpkg::test::make_temp_dir();
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

}  // namespace

TEST_CASE("SQLite: a second run times out naming the holder, then gets the lock",
          "[lock][sqlite]") {
  TempDir dir;
  std::string path = dir.path + "/app.db";
  DatabaseUrl url = DatabaseUrl::parse("sqlite:" + path);
  auto first = migpkg::runtime::open_connection(url);
  auto second = migpkg::runtime::open_connection(url);

  auto lock = acquire_run_lock(*first, url, "migpkg install by alice", 5);
  std::string line = migpkg::test::read_file(path + ".migpkg-lock");
  CHECK_THAT(line, Catch::StartsWith("migpkg install by alice (pid " + std::to_string(getpid()) +
                                     ", user ") &&
                       Catch::Contains(", since 20") && Catch::EndsWith("Z)\n"));

  auto start = std::chrono::steady_clock::now();
  std::string message = timeout_message(*second, url, 1);
  double waited = seconds_since(start);
  CHECK(message == "database is locked by another migpkg run: " + line.substr(0, line.size() - 1));
  CHECK(waited >= 0.9);
  CHECK(waited < 3.0);

  start = std::chrono::steady_clock::now();
  timeout_message(*second, url, 0);  // 0: one attempt, no waiting
  CHECK(seconds_since(start) < 0.5);

  SECTION("another spelling of the same path is the same lock") {
    DatabaseUrl other = DatabaseUrl::parse("sqlite:" + dir.path + "/./app.db");
    auto third = migpkg::runtime::open_connection(other);
    CHECK_THROWS_AS(acquire_run_lock(*third, other, "spelled differently", 0), LockTimeout);
  }
  SECTION("released, the lock can be taken again; the file stays, emptied") {
    lock.reset();
    CHECK(migpkg::test::read_file(path + ".migpkg-lock").empty());
    auto again = acquire_run_lock(*second, url, "migpkg upgrade by bob", 0);
    CHECK_THAT(migpkg::test::read_file(path + ".migpkg-lock"),
               Catch::StartsWith("migpkg upgrade by bob (pid "));
  }
}

TEST_CASE("SQLite: a killed run does not leave the lock held", "[lock][sqlite]") {
  TempDir dir;
  DatabaseUrl url = DatabaseUrl::parse("sqlite:" + dir.path + "/app.db");
  auto connection = migpkg::runtime::open_connection(url);

  LockHoldingChild child("sqlite:" + dir.path + "/app.db", "migpkg install in a child");
  std::string message = timeout_message(*connection, url, 0);
  CHECK_THAT(message, Catch::Contains("migpkg install in a child (pid " +
                                      std::to_string(child.pid()) + ", user "));
  child.kill_and_reap();

  // The kernel dropped the flock with the process; the line it wrote is still in the file.
  CHECK_THAT(migpkg::test::read_file(dir.path + "/app.db.migpkg-lock"),
             Catch::StartsWith("migpkg install in a child"));
  auto lock = acquire_run_lock(*connection, url, "migpkg install after the crash", 0);
  CHECK_THAT(migpkg::test::read_file(dir.path + "/app.db.migpkg-lock"),
             Catch::StartsWith("migpkg install after the crash (pid "));
}

TEST_CASE("SQLite: the content of the lock file never decides who holds it", "[lock][sqlite]") {
  TempDir dir;
  std::string path = dir.path + "/app.db";
  DatabaseUrl url = DatabaseUrl::parse("sqlite:" + path);
  auto connection = migpkg::runtime::open_connection(url);
  std::string garbage = std::string("\x01\xff garbage\x7f\r\n") + std::string(5000, 'g');

  SECTION("a stale file with garbage does not block and is overwritten") {
    migpkg::test::write_file(path + ".migpkg-lock", garbage);
    auto lock = acquire_run_lock(*connection, url, "migpkg install\nwith a newline", 0);
    std::string content = migpkg::test::read_file(path + ".migpkg-lock");
    CHECK_THAT(content, Catch::StartsWith("migpkg install with a newline (pid "));
    CHECK(content.find('\n') == content.size() - 1);
  }
  SECTION("a long holder text is cut between characters, not inside one") {
    std::string e_acute = "\xc3\xa9";
    std::string holder;
    for (int i = 0; i < 600; ++i) holder += e_acute;
    auto lock = acquire_run_lock(*connection, url, holder, 0);
    std::string expected;
    for (int i = 0; i < 256; ++i) expected += e_acute;  // 512 bytes
    CHECK_THAT(migpkg::test::read_file(path + ".migpkg-lock"),
               Catch::StartsWith(expected + " (pid "));
  }
  SECTION("a holder's garbage is shown as one bounded, printable line") {
    migpkg::test::write_file(path + ".migpkg-lock", garbage);
    int fd = open((path + ".migpkg-lock").c_str(), O_RDWR | O_CLOEXEC);
    REQUIRE(fd >= 0);
    REQUIRE(flock(fd, LOCK_EX | LOCK_NB) == 0);
    std::string message = timeout_message(*connection, url, 0);
    close(fd);
    CHECK_THAT(message, Catch::StartsWith("database is locked by another migpkg run: "));
    CHECK_THAT(message, Catch::StartsWith("database is locked by another migpkg run: ? garbage"));
    CHECK(message.find_first_of("\r\n\x01\x7f\xff") == std::string::npos);
    CHECK(message.size() < 1000);
  }
  SECTION("an empty file held by someone says the holder is unknown") {
    migpkg::test::write_file(path + ".migpkg-lock", "");
    int fd = open((path + ".migpkg-lock").c_str(), O_RDWR | O_CLOEXEC);
    REQUIRE(fd >= 0);
    REQUIRE(flock(fd, LOCK_EX | LOCK_NB) == 0);
    std::string message = timeout_message(*connection, url, 0);
    close(fd);
    CHECK_THAT(message, Catch::Contains("holder is not recorded"));
  }
}

TEST_CASE("SQLite: an in-memory database needs no lock, and an unusable lock file is an error",
          "[lock][sqlite]") {
  DatabaseUrl memory = DatabaseUrl::parse("sqlite::memory:");
  auto a = migpkg::runtime::open_connection(memory);
  auto b = migpkg::runtime::open_connection(memory);
  auto first = acquire_run_lock(*a, memory, "one", 0);
  auto second = acquire_run_lock(*b, memory, "two", 0);
  CHECK(first);
  CHECK(second);

  DatabaseUrl unreachable = DatabaseUrl::parse("sqlite:/nonexistent-migpkg-dir/app.db");
  try {
    acquire_run_lock(*a, unreachable, "nowhere", 0);
    FAIL("expected an error");
  } catch (const LockTimeout&) {
    FAIL("a lock file that cannot be created is not a timeout");
  } catch (const std::runtime_error& error) {
    CHECK_THAT(error.what(), Catch::Contains("/nonexistent-migpkg-dir/app.db.migpkg-lock"));
  }
}

namespace {

std::optional<std::string> postgres_server() {
  std::string url = migpkg::test::postgres_url();
  if (url.empty()) {
    WARN("MIGPKG_TEST_PG_URL is not set: PostgreSQL test skipped");
    return std::nullopt;
  }
  return url;
}

std::string application_name(Connection& connection) {
  return connection.query("SHOW application_name").rows.at(0).at(0).value();
}

}  // namespace

TEST_CASE("PostgreSQL: a second run times out naming the holder, then gets the lock",
          "[lock][postgresql]") {
  auto server = postgres_server();
  if (!server) return;
  migpkg::runtime::TemporaryDatabase scratch(*server, "migpkg_test");
  DatabaseUrl url = DatabaseUrl::parse(scratch.url());
  auto first = migpkg::runtime::open_connection(url);
  auto second = migpkg::runtime::open_connection(url);
  std::string first_pid = first->query("SELECT pg_backend_pid()").rows.at(0).at(0).value();
  std::string before = application_name(*first);

  auto lock = acquire_run_lock(*first, url, "migpkg install by alice", 5);
  CHECK(application_name(*first) == "migpkg install by alice");

  auto start = std::chrono::steady_clock::now();
  std::string message = timeout_message(*second, url, 1);
  double waited = seconds_since(start);
  CHECK_THAT(message, Catch::StartsWith("database is locked by another migpkg run: migpkg "
                                        "install by alice (backend pid " +
                                        first_pid + ", user postgres, since 20") &&
                          Catch::EndsWith("Z)"));
  CHECK(waited >= 0.9);
  CHECK(waited < 3.0);
  CHECK(application_name(*second) == before);  // the waiter does not keep the label

  SECTION("released, the lock can be taken again and the label is restored") {
    lock.reset();
    CHECK(application_name(*first) == before);
    auto again = acquire_run_lock(*second, url, "migpkg upgrade by bob", 0);
    CHECK_THROWS_WITH(acquire_run_lock(*first, url, "x", 0),
                      Catch::Contains("migpkg upgrade by bob"));
  }
  SECTION("the lock is per database, not per server") {
    // pg_locks.database carries the OID of the database the lock was taken in: the lock tag of
    // an advisory lock includes it, so other databases on the server are not locked.
    CHECK(first
              ->query("SELECT d.datname FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                      " WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid()")
              .rows == std::vector<migpkg::runtime::Row>{{scratch.name()}});
    migpkg::runtime::TemporaryDatabase other(*server, "migpkg_test");
    DatabaseUrl other_url = DatabaseUrl::parse(other.url());
    auto elsewhere = migpkg::runtime::open_connection(other_url);
    auto other_lock = acquire_run_lock(*elsewhere, other_url, "another database", 0);
    CHECK(other_lock);
  }
  SECTION("the label is cut to 63 bytes of printable ASCII") {
    lock.reset();
    std::string holder = "migpkg install by ünïcødé\tuser " + std::string(100, 'x');
    auto labelled = acquire_run_lock(*second, url, holder, 0);
    std::string label = application_name(*second);
    CHECK(label.size() == 63);
    CHECK_THAT(label, Catch::StartsWith("migpkg install by ?n?c?d??user xxx"));
  }
}

TEST_CASE("PostgreSQL: a killed run does not leave the lock held", "[lock][postgresql]") {
  auto server = postgres_server();
  if (!server) return;
  migpkg::runtime::TemporaryDatabase scratch(*server, "migpkg_test");
  DatabaseUrl url = DatabaseUrl::parse(scratch.url());
  auto connection = migpkg::runtime::open_connection(url);

  LockHoldingChild child(scratch.url(), "migpkg install in a child");
  CHECK_THAT(timeout_message(*connection, url, 0),
             Catch::Contains("migpkg install in a child (backend pid "));
  child.kill_and_reap();

  // The server ends the session, and releases its lock, once it sees the client's socket
  // close; that is prompt for an idle session, but not synchronous with the kill.
  auto start = std::chrono::steady_clock::now();
  auto lock = acquire_run_lock(*connection, url, "migpkg install after the crash", 10);
  CHECK(seconds_since(start) < 5.0);
}

namespace {

std::optional<std::string> mysql_server() {
  std::string url = migpkg::test::mysql_url();
  if (url.empty()) {
    WARN("MIGPKG_TEST_MYSQL_URL is not set: MariaDB test skipped");
    return std::nullopt;
  }
  return url;
}

std::string connection_id(Connection& connection) {
  return connection.query("SELECT CONNECTION_ID()").rows.at(0).at(0).value();
}

}  // namespace

TEST_CASE("MySQL: a second run times out naming the holder, then gets the lock", "[lock][mysql]") {
  auto server = mysql_server();
  if (!server) return;
  migpkg::runtime::TemporaryDatabase scratch(*server, "migpkg_test");
  DatabaseUrl url = DatabaseUrl::parse(scratch.url());
  auto first = migpkg::runtime::open_connection(url);
  auto second = migpkg::runtime::open_connection(url);

  auto lock = acquire_run_lock(*first, url, "migpkg install by alice", 5);
  auto start = std::chrono::steady_clock::now();
  std::string message = timeout_message(*second, url, 1);
  double waited = seconds_since(start);
  CHECK_THAT(message, Catch::StartsWith("database is locked by another migpkg run: ") &&
                          Catch::Contains("migpkg install by alice") &&
                          Catch::Contains("connection " + connection_id(*first)));
  CHECK(waited >= 0.9);
  CHECK(waited < 3.0);

  SECTION("released, the lock can be taken again and names its new holder") {
    lock.reset();
    auto again = acquire_run_lock(*second, url, "migpkg upgrade by bob", 0);
    CHECK_THROWS_WITH(acquire_run_lock(*first, url, "x", 0),
                      Catch::Contains("migpkg upgrade by bob") &&
                          Catch::Contains("connection " + connection_id(*second)));
  }
  SECTION("the lock is per database, not per server") {
    migpkg::runtime::TemporaryDatabase other(*server, "migpkg_test");
    DatabaseUrl other_url = DatabaseUrl::parse(other.url());
    auto elsewhere = migpkg::runtime::open_connection(other_url);
    auto other_lock = acquire_run_lock(*elsewhere, other_url, "another database", 0);
    CHECK(other_lock);
  }
}

TEST_CASE("MySQL: a killed run does not leave the lock held", "[lock][mysql]") {
  auto server = mysql_server();
  if (!server) return;
  migpkg::runtime::TemporaryDatabase scratch(*server, "migpkg_test");
  DatabaseUrl url = DatabaseUrl::parse(scratch.url());
  auto connection = migpkg::runtime::open_connection(url);

  LockHoldingChild child(scratch.url(), "migpkg install in a child");
  CHECK_THAT(timeout_message(*connection, url, 0), Catch::Contains("migpkg install in a child"));
  child.kill_and_reap();

  // GET_LOCK belongs to the session: the server ends an idle session as soon as its socket
  // closes, and frees the lock with it (a stale migpkg_lock_holder row is not believed).
  auto start = std::chrono::steady_clock::now();
  auto lock = acquire_run_lock(*connection, url, "migpkg install after the crash", 10);
  CHECK(seconds_since(start) < 2.0);
  CHECK_THROWS_WITH(acquire_run_lock(*migpkg::runtime::open_connection(url), url, "x", 0),
                    Catch::Contains("migpkg install after the crash"));
}
