// The DSL examples (packages/examples/*-dsl) compile to every registered dialect, and the MySQL
// plan runs on MariaDB, up then down, leaving no table behind. (Validation and `check` on
// SQLite and PostgreSQL run over every example in test_error_cases and test_check_cases.)
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <cstdio>
#include <cstdlib>
#include <regex>

#include "compiler/dialects/dialect.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

std::vector<std::string> dsl_examples() {
  std::vector<std::string> dirs;
  for (const auto& name : list_dir(source_dir() + "/packages/examples", true))
    if (name.size() > 4 && name.compare(name.size() - 4, 4, "-dsl") == 0)
      dirs.push_back("packages/examples/" + name);
  return dirs;
}

}  // namespace

TEST_CASE("the DSL examples compile to every dialect", "[dsl][examples]") {
  auto dirs = dsl_examples();
  CHECK(dirs.size() >= 3);
  for (const auto& dir : dirs) {
    for (const std::string& dialect : migpkg::dialect_names()) {
      DYNAMIC_SECTION(dir << " on " << dialect) {
        for (const char* direction : {"up", "down"}) {
          auto result =
              run_cli("compile " + dir + " --dialect " + dialect + " --direction " + direction);
          INFO(result.err);
          CHECK(result.exit_code == 0);
          bool creates = result.out.find("CREATE TABLE") != std::string::npos;
          if (std::string(direction) == "up") CHECK(creates);
        }
      }
    }
  }
}

TEST_CASE("the DSL examples' MySQL plans run on MariaDB, up then down", "[dsl][examples][mysql]") {
  std::string url = mysql_url();
  if (url.empty()) {
    WARN("MariaDB part skipped: MIGPKG_TEST_MYSQL_URL is not set");
    return;
  }
  std::string client = mariadb_client(url);
  REQUIRE_FALSE(client.empty());
  std::string scratch = make_temp_dir();
  for (const auto& dir : dsl_examples()) {
    DYNAMIC_SECTION(dir) {
      std::string db = "migpkg_" + std::regex_replace(dir, std::regex("[^A-Za-z0-9]"), "_");
      REQUIRE(shell(client + " -e 'DROP DATABASE IF EXISTS " + db + "; CREATE DATABASE " + db +
                    "'") == 0);
      std::string count = client +
                          " -N -B -e \"SELECT count(*) FROM information_schema.tables WHERE "
                          "table_schema = '" +
                          db + "'\"";
      for (const char* direction : {"up", "down"}) {
        std::string sql = scratch + "/" + db + "." + direction + ".sql";
        REQUIRE(
            run_cli("compile " + dir + " --dialect mysql --direction " + direction + " -o " + sql)
                .exit_code == 0);
        INFO("mariadb " << direction << " of " << sql);
        CHECK(shell(client + " " + db + " < '" + sql + "' > /dev/null") == 0);
        std::string tables = capture(count);
        if (std::string(direction) == "up")
          CHECK((tables != "0" && tables != "<failed>"));
        else
          CHECK(tables == "0");
      }
      shell(client + " -e 'DROP DATABASE IF EXISTS " + db + "'");
    }
  }
}
