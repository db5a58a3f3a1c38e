// The readable SQL is real SQL: for every valid case the golden up and down scripts run, in
// that order, through the engines' own command-line clients (sqlite3, psql, and for the
// declarative cases mariadb) without error. For declarative cases the automatic down must also
// leave the database as empty as it found it.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <cstdio>
#include <cstdlib>
#include <regex>

#include "runtime/drivers/connection.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

int shell(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

// stdout of a command, trimmed; "<failed>" when it exits non-zero.
std::string capture(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return "<failed>";
  char buffer[4096];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  int status = pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "<failed>";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

bool runs_on(const std::string& expected_dir, const std::string& dialect) {
  return path_exists(expected_dir + dialect + ".up.sql");
}

// "mysql://root@127.0.0.1:PORT" -> the mariadb client's connection options.
std::string mariadb_client(const std::string& url) {
  static const std::regex form(R"(^mysql://([^@/:]+)@([^:/]+):(\d+)/?$)");
  std::smatch m;
  if (!std::regex_match(url, m, form)) return {};
  return "mariadb --no-defaults --protocol=TCP -h " + m[2].str() + " -P " + m[3].str() + " -u " +
         m[1].str();
}

}  // namespace

TEST_CASE("compiled SQL runs through sqlite3 and psql", "[golden][sqlite][postgresql]") {
  std::string scratch = make_temp_dir();
  for (const auto& name : list_dir(source_dir() + "/tests/cases", true)) {
    std::string expected = source_dir() + "/tests/cases/" + name + "/expected/";
    bool declarative = is_declarative_case(name);
    DYNAMIC_SECTION(name) {
      std::string db = scratch + "/" + name + ".db";
      std::string count_sqlite = "sqlite3 '" + db +
                                 "' \"SELECT count(*) FROM sqlite_master WHERE name NOT LIKE "
                                 "'sqlite_%'\"";
      // A dialect that cannot express a case has expected/<dialect>.error instead of SQL.
      for (const char* direction : {"up", "down"}) {
        if (!runs_on(expected, "sqlite")) break;
        INFO("sqlite3 " << direction);
        REQUIRE(shell("sqlite3 -bail '" + db + "' < '" + expected + "sqlite." + direction +
                      ".sql' > /dev/null") == 0);
        if (declarative)
          CHECK((capture(count_sqlite) == "0") == (std::string(direction) == "down"));
      }
      if (!runs_on(expected, "postgresql")) return;
      std::string url = postgres_url();
      if (url.empty()) return;
      migpkg::runtime::ScratchDatabase database(url, "migpkg_sql");
      std::string psql = "psql -q -X -v ON_ERROR_STOP=1 '" + database.url() + "'";
      // pgvector is not part of PostgreSQL: the vector case runs only where it is installed.
      if (name == "ddl-vector" &&
          capture(psql + " -tA -c \"SELECT count(*) FROM pg_available_extensions WHERE name = "
                         "'vector'\"") == "0") {
        WARN("ddl-vector not run on PostgreSQL: the pgvector extension is not installed");
        return;
      }
      std::string count_pg = psql +
                             " -tA -c \"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON "
                             "n.oid = c.relnamespace WHERE n.nspname = 'public'\"";
      for (const char* direction : {"up", "down"}) {
        INFO("psql " << direction);
        REQUIRE(shell(psql + " -f '" + expected + "postgresql." + direction +
                      ".sql' > /dev/null 2>&1") == 0);
        if (declarative) CHECK((capture(count_pg) == "0") == (std::string(direction) == "down"));
      }
    }
  }
}

TEST_CASE("compiled MySQL SQL runs on MariaDB, up then down", "[golden][mysql]") {
  std::string url = mysql_url();
  if (url.empty()) {
    WARN("MariaDB part skipped: MIGPKG_TEST_MYSQL_URL is not set");
    return;
  }
  std::string client = mariadb_client(url);
  REQUIRE_FALSE(client.empty());
  int ran = 0;
  for (const auto& name : list_dir(source_dir() + "/tests/cases", true)) {
    std::string expected = source_dir() + "/tests/cases/" + name + "/expected/";
    if (!is_declarative_case(name) || !runs_on(expected, "mysql")) continue;
    ++ran;
    DYNAMIC_SECTION(name) {
      std::string db = "migpkg_" + std::regex_replace(name, std::regex("[^A-Za-z0-9]"), "_");
      REQUIRE(shell(client + " -e 'DROP DATABASE IF EXISTS " + db + "; CREATE DATABASE " + db +
                    "'") == 0);
      std::string count = client +
                          " -N -B -e \"SELECT count(*) FROM information_schema.tables "
                          "WHERE table_schema = '" +
                          db + "'\"";
      for (const char* direction : {"up", "down"}) {
        INFO("mariadb " << direction);
        CHECK(shell(client + " " + db + " < '" + expected + "mysql." + direction +
                    ".sql' > /dev/null") == 0);
        CHECK((capture(count) == "0") == (std::string(direction) == "down"));
      }
      shell(client + " -e 'DROP DATABASE IF EXISTS " + db + "'");
    }
  }
  CHECK(ran >= 3);
}
