#include "unit/test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace migpkg::test {

std::string source_dir() {
  return MIGPKG_SOURCE_DIR;
}
std::string binary() {
  return MIGPKG_BINARY;
}

static bool env_true(const char* name) {
  const char* value = std::getenv(name);
  return value && std::string(value) != "" && std::string(value) != "0" &&
         std::string(value) != "false";
}

std::string postgres_url() {
  const char* url = std::getenv("MIGPKG_TEST_PG_URL");
  if (url && *url) return url;
  if (env_true("CI") || env_true("MIGPKG_REQUIRE_PG"))
    FAIL(
        "MIGPKG_TEST_PG_URL is not set: run the suite through scripts/test.sh, which starts "
        "PostgreSQL");
  return {};
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << content;
}

std::string make_temp_dir() {
  std::string pattern = "/tmp/migpkg-test-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

CommandResult run_cli(const std::string& arguments) {
  std::string dir = make_temp_dir();
  std::string out_path = dir + "/out", err_path = dir + "/err";
  std::string command =
      "'" + binary() + "' " + arguments + " </dev/null >'" + out_path + "' 2>'" + err_path + "'";
  int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  std::system(("rm -rf '" + dir + "'").c_str());
  return result;
}

}  // namespace migpkg::test
