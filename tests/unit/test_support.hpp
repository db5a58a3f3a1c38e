#pragma once
// Helpers shared by the tests: where the source tree and binary are, the PostgreSQL server the
// test command started, and running the CLI as a user would.
#include <string>

namespace migpkg::test {

std::string source_dir();  // the repository root
std::string binary();      // the built `migpkg`

// The URL of the throwaway PostgreSQL server (MIGPKG_TEST_PG_URL). Empty when unset; under
// CI=true or MIGPKG_REQUIRE_PG=1 an unset URL fails the calling test instead of skipping it.
std::string postgres_url();

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};
// Runs the CLI with the given shell-quoted argument string; stdin is /dev/null.
CommandResult run_cli(const std::string& arguments);

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);
std::string make_temp_dir();

}  // namespace migpkg::test
