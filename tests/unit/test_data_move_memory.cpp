// Peak memory of `migpkg copy` does not grow with the rows it copies (docs/data.md, "Resume":
// memory holds a few batches). The same table of 60,000 and of 300,000 rows is copied from
// SQLite into PostgreSQL (SQLite when no server is configured); the peak RSS of each migpkg
// process, as the kernel counts it (wait4), must be within 1.2x. The smaller table is six
// batches of 10,000: with the source read on a thread of its own, three batches can be in
// memory at once (read, waiting, written), and a table of three batches never reached that
// steady state (30,000 rows measured 0.99x to 1.23x).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/drivers/connection.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

// A table like the data benchmark's (bench/data_bench.sh): integers, text, decimal, boolean,
// timestamp, blob and NULLs, `rows` rows.
void fill_source(const std::string& path, int rows) {
  auto db = migpkg::runtime::open_url("sqlite:" + path);
  db->execute(
      "CREATE TABLE items (id BIGINT NOT NULL PRIMARY KEY, qty INTEGER NOT NULL, name "
      "VARCHAR(60) NOT NULL, price NUMERIC(12,2) NOT NULL, active BOOLEAN NOT NULL, created_at "
      "TIMESTAMP NOT NULL, payload BLOB, note TEXT)");
  db->execute(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
      std::to_string(rows) +
      ") INSERT INTO items SELECT i, i * 7919 % 100000 - 50000, 'item ' || i, "
      "printf('%.2f', i % 100000 * 1.01), i % 2, datetime(-100000000 + i * 617, 'unixepoch'), "
      "CASE WHEN i % 10 = 0 THEN NULL ELSE randomblob(16 + i % 32) END, "
      "CASE WHEN i % 7 = 0 THEN NULL ELSE 'note ' || hex(randomblob(8 + i % 40)) END FROM n");
}

// Runs `migpkg copy --from FROM --to TO --create` and returns its peak RSS in KiB.
long copy_peak_kib(const std::string& from, const std::string& to) {
  const std::string program = binary();
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execl(program.c_str(), program.c_str(), "copy", "--from", from.c_str(), "--to", to.c_str(),
          "--create", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  REQUIRE(wait4(child, &status, 0, &usage) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return usage.ru_maxrss;
}

}  // namespace

TEST_CASE("copy's peak memory is the same for 60,000 and 300,000 rows", "[data][copy][memory]") {
  const std::string dir = make_temp_dir();
  fill_source(dir + "/small.db", 60000);
  fill_source(dir + "/large.db", 300000);
  const std::string server = server_engines().front().server_url();  // PostgreSQL
  long small = 0, large = 0;
  if (server.empty()) {
    WARN("PostgreSQL not configured: copying into SQLite");
    small = copy_peak_kib("sqlite:" + dir + "/small.db", "sqlite:" + dir + "/small-copy.db");
    large = copy_peak_kib("sqlite:" + dir + "/large.db", "sqlite:" + dir + "/large-copy.db");
  } else {
    migpkg::runtime::TemporaryDatabase small_db(server, "migpkg_test_memory");
    migpkg::runtime::TemporaryDatabase large_db(server, "migpkg_test_memory");
    small = copy_peak_kib("sqlite:" + dir + "/small.db", small_db.url());
    large = copy_peak_kib("sqlite:" + dir + "/large.db", large_db.url());
  }
  INFO("peak RSS: " << small << " KiB for 60,000 rows, " << large << " KiB for 300,000");
  CHECK(static_cast<double>(large) <= 1.2 * static_cast<double>(small));
}
