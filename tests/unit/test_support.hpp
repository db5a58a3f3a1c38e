#pragma once
// Helpers shared by the tests: where the source tree and binary are, the PostgreSQL server the
// test command started, and running the CLI as a user would.
#include <functional>
#include <string>
#include <vector>

#include "compiler/planner/plan.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::test {

std::string source_dir();  // the repository root
std::string binary();      // the built `migpkg`

// The URL of the throwaway PostgreSQL server (MIGPKG_TEST_PG_URL). Empty when unset; under
// CI=true or MIGPKG_REQUIRE_PG=1 an unset URL fails the calling test instead of skipping it.
std::string postgres_url();

// The throwaway MariaDB server (MIGPKG_TEST_MYSQL_URL, "mysql://root@127.0.0.1:PORT") the test
// command starts for the MySQL dialect's SQL. Same rule as postgres_url: under CI=true or
// MIGPKG_REQUIRE_PG=1 an unset URL fails the calling test instead of skipping it.
std::string mysql_url();

// Shell commands for the tests that drive the engines' own clients (sqlite3, psql, mariadb):
// `shell` returns the exit code (128 when a signal ended it); `capture` returns stdout without
// trailing blanks, or "<failed>" when the command failed; `shell_quoted` quotes one word.
int shell(const std::string& command);
std::string capture(const std::string& command);
std::string shell_quoted(const std::string& text);

// "mysql://root@127.0.0.1:PORT" -> the mariadb client with its connection options (UTF-8 on
// the wire whatever its compiled-in default), or "" for another form of URL.
std::string mariadb_client(const std::string& url);

// Declarative cases (tests/cases/ddl-*) are compiled for every dialect; the others only for
// the dialects their SQL is written for.
bool is_declarative_case(const std::string& name);
std::vector<std::string> case_dialects(const std::string& name);

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};
// Runs the CLI with the given shell-quoted argument string; stdin is /dev/null. The working
// directory is the repository root, so paths in messages read as a user would type them.
// `environment` ("NAME=value ...", shell-quoted) is set for the command only.
CommandResult run_cli(const std::string& arguments, const std::string& environment = "");

// Sorted names of the entries of a directory (no "." or ".."); dirs_only keeps directories.
std::vector<std::string> list_dir(const std::string& path, bool dirs_only = false);
bool path_exists(const std::string& path);

// Compares `actual` with the golden file; under UPDATE_GOLDEN=1 rewrites it instead.
void check_golden(const std::string& golden_path, const std::string& actual);

// The directories the data-driven tests run over: every tests/cases/<case> and every
// packages/examples/<plugin>, relative to the repository root.
std::vector<std::string> valid_source_dirs();

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);
std::string make_temp_dir();

// Loads, validates and plans `dir` (relative to the repository root) for a dialect; fails the
// test on any error.
migpkg::plan::Plan plan_for(const std::string& dir, const std::string& dialect);

// Whether the sources in `dir` are written for `dialect`: a case under tests/cases/ when it has
// that dialect's goldens (case_dialects), any other directory unless a migration leaves the
// dialect out (databaseEngines, or raw SQL for other engines only: "cannot run on <dialect>").
bool written_for(const std::string& dir, const std::string& dialect);

// The database servers the suite tests on, each with its test server's URL (empty when not
// configured; under CI or MIGPKG_REQUIRE_PG a missing URL fails the test instead).
struct ServerEngine {
  const char* name;      // in messages: "MariaDB"
  const char* dialect;   // its engine's and dialect's name: "mysql"
  const char* variable;  // MIGPKG_TEST_MYSQL_URL
  std::string (*server_url)();
};
const std::vector<ServerEngine>& server_engines();

// Runs `body` once per engine the suite tests: SQLite in memory, then a fresh scratch database
// (the registry's TemporaryDatabase) on each test server: PostgreSQL, MariaDB (skipped with a
// warning only when that server is not configured and neither CI nor MIGPKG_REQUIRE_PG is set).
void for_each_engine(
    const std::function<void(migpkg::runtime::Connection&, const std::string& dialect)>& body);

// The same for tests that drive the CLI: `body` gets the URL of a new SQLite file, then of a
// fresh scratch database (named after `prefix`) on each test server (PostgreSQL, MariaDB).
void for_each_database_url(const std::string& prefix,
                           const std::function<void(const std::string& url)>& body);

}  // namespace migpkg::test
