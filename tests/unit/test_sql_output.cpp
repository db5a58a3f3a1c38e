// The readable SQL is real SQL: for every valid case the golden up and down scripts run, in
// that order, through the engines' own command-line clients (sqlite3, psql) without error.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <cstdlib>

#include "runtime/drivers/connection.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {
int shell(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}
}  // namespace

TEST_CASE("compiled SQL runs through sqlite3 and psql", "[golden][sqlite][postgresql]") {
  std::string scratch = make_temp_dir();
  for (const auto& name : list_dir(source_dir() + "/tests/cases", true)) {
    std::string expected = source_dir() + "/tests/cases/" + name + "/expected/";
    DYNAMIC_SECTION(name) {
      std::string db = scratch + "/" + name + ".db";
      for (const char* direction : {"up", "down"}) {
        INFO("sqlite3 " << direction);
        CHECK(shell("sqlite3 -bail '" + db + "' < '" + expected + "sqlite." + direction +
                    ".sql' > /dev/null") == 0);
      }
      std::string url = postgres_url();
      if (url.empty()) return;
      migpkg::runtime::ScratchDatabase database(url, "migpkg_sql");
      for (const char* direction : {"up", "down"}) {
        INFO("psql " << direction);
        CHECK(shell("psql -q -X -v ON_ERROR_STOP=1 '" + database.url() + "' -f '" + expected +
                    "postgresql." + direction + ".sql' > /dev/null 2>&1") == 0);
      }
    }
  }
}
