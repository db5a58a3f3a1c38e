#include "unit/test_support.hpp"

#include "compiler/diagnostics/render.hpp"
#include "compiler/dialects/dialect.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/sources.hpp"
#include "runtime/engines/engine_registry.hpp"

#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
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

std::string mysql_url() {
  const char* url = std::getenv("MIGPKG_TEST_MYSQL_URL");
  if (url && *url) return url;
  if (env_true("CI") || env_true("MIGPKG_REQUIRE_PG"))
    FAIL(
        "MIGPKG_TEST_MYSQL_URL is not set: run the suite through scripts/test.sh, which starts "
        "MariaDB");
  return {};
}

bool is_declarative_case(const std::string& name) {
  return name.rfind("ddl-", 0) == 0;
}

std::vector<std::string> case_dialects(const std::string& name) {
  if (is_declarative_case(name)) return migpkg::dialect_names();
  return {"postgresql", "sqlite"};
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

namespace {

// The directories make_temp_dir() made, removed when the test process ends: a whole suite run
// made hundreds of them, some holding a copy of the binary or a 100 MB database, and left them
// in /tmp (tens of GB after a day of runs). Only the process that made a directory removes it
// (a forked child that exits normally must not remove its parent's). MIGPKG_KEEP_TEST_DIRS=1
// keeps them, to look at after a failure.
class TempDirs {
 public:
  void add(const std::string& dir) {
    std::lock_guard<std::mutex> lock(mutex_);
    dirs_.push_back(dir);
  }
  ~TempDirs() {
    const char* keep = std::getenv("MIGPKG_KEEP_TEST_DIRS");
    if (getpid() != owner_ || (keep && std::string(keep) == "1")) return;
    std::error_code ignored;  // a directory a test removed itself is fine
    for (const auto& dir : dirs_) std::filesystem::remove_all(dir, ignored);
  }

 private:
  pid_t owner_ = getpid();
  std::mutex mutex_;
  std::vector<std::string> dirs_;
};

TempDirs& temp_dirs() {
  static TempDirs dirs;
  return dirs;
}

}  // namespace

std::string make_temp_dir() {
  std::string pattern = "/tmp/migpkg-test-XXXXXX";
  TempDirs& dirs = temp_dirs();  // constructed before the first directory exists
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  dirs.add(pattern);
  return pattern;
}

CommandResult run_cli(const std::string& arguments, const std::string& environment) {
  std::string dir = make_temp_dir();
  std::string out_path = dir + "/out", err_path = dir + "/err";
  std::string command = "cd '" + source_dir() + "' && " + environment + " '" + binary() + "' " +
                        arguments + " </dev/null >'" + out_path + "' 2>'" + err_path + "'";
  int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  std::system(("rm -rf '" + dir + "'").c_str());
  return result;
}

std::vector<std::string> list_dir(const std::string& path, bool dirs_only) {
  std::vector<std::string> names;
  DIR* dir = opendir(path.c_str());
  if (!dir) throw std::runtime_error("cannot list " + path);
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    struct stat info {};
    if (dirs_only && (stat((path + "/" + name).c_str(), &info) != 0 || !S_ISDIR(info.st_mode)))
      continue;
    names.push_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

bool path_exists(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0;
}

void check_golden(const std::string& golden_path, const std::string& actual) {
  if (env_true("UPDATE_GOLDEN")) {
    std::string parent = golden_path.substr(0, golden_path.rfind('/'));
    mkdir(parent.c_str(), 0755);
    write_file(golden_path, actual);
    return;
  }
  INFO("golden file " << golden_path << " (UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(path_exists(golden_path));
  CHECK(read_file(golden_path) == actual);
}

std::vector<std::string> valid_source_dirs() {
  std::vector<std::string> dirs;
  for (const auto& name : list_dir(source_dir() + "/tests/cases", true))
    dirs.push_back("tests/cases/" + name);
  for (const auto& name : list_dir(source_dir() + "/packages/examples", true))
    dirs.push_back("packages/examples/" + name);
  return dirs;
}

migpkg::plan::Plan plan_for(const std::string& dir, const std::string& dialect) {
  migpkg::Diagnostics diagnostics;
  auto program = migpkg::load_and_validate({source_dir() + "/" + dir}, diagnostics);
  migpkg::plan::Plan plan;
  if (!diagnostics.has_errors())
    plan = migpkg::build_plan(program, *migpkg::find_dialect(dialect), diagnostics);
  std::string rendered;
  for (const auto& d : diagnostics.items()) rendered += migpkg::render_diagnostic(d);
  INFO(rendered);
  REQUIRE_FALSE(diagnostics.has_errors());
  return plan;
}

bool written_for(const std::string& dir, const std::string& dialect) {
  const std::string cases = "tests/cases/";
  if (dir.rfind(cases, 0) == 0) {
    std::vector<std::string> dialects = case_dialects(dir.substr(cases.size()));
    return std::find(dialects.begin(), dialects.end(), dialect) != dialects.end();
  }
  migpkg::Diagnostics diagnostics;
  auto program = migpkg::load_and_validate({source_dir() + "/" + dir}, diagnostics);
  if (diagnostics.has_errors()) return true;  // plan_for reports it
  migpkg::build_plan(program, *migpkg::find_dialect(dialect), diagnostics);
  bool refused = false;
  for (const auto& d : diagnostics.items()) {
    if (d.severity != migpkg::DiagnosticSeverity::Error) continue;
    if (d.message.find("cannot run on " + dialect) == std::string::npos) return true;
    refused = true;
  }
  return !refused;
}

const std::vector<ServerEngine>& server_engines() {
  static const std::vector<ServerEngine> kServers = {
      {"PostgreSQL", "postgresql", "MIGPKG_TEST_PG_URL", &postgres_url},
      {"MariaDB", "mysql", "MIGPKG_TEST_MYSQL_URL", &mysql_url},
  };
  return kServers;
}

void for_each_engine(
    const std::function<void(migpkg::runtime::Connection&, const std::string&)>& body) {
  {
    auto connection = migpkg::runtime::open_sqlite(":memory:");
    INFO("engine: sqlite");
    body(*connection, "sqlite");
  }
  for (const ServerEngine& engine : server_engines()) {
    std::string url = engine.server_url();
    if (url.empty()) {
      WARN(std::string(engine.name) + " part skipped: " + engine.variable + " is not set");
      continue;
    }
    migpkg::runtime::TemporaryDatabase scratch(url, "migpkg_test");
    auto connection = migpkg::runtime::open_url(scratch.url());
    INFO("engine: " << engine.dialect);
    body(*connection, engine.dialect);
  }
}

void for_each_database_url(const std::string& prefix,
                           const std::function<void(const std::string& url)>& body) {
  {
    INFO("engine: sqlite");
    body("sqlite:" + make_temp_dir() + "/" + prefix + ".db");
  }
  for (const ServerEngine& engine : server_engines()) {
    std::string server = engine.server_url();
    if (server.empty()) {
      WARN(std::string(engine.name) + " part skipped: " + engine.variable + " is not set");
      continue;
    }
    migpkg::runtime::TemporaryDatabase database(server, prefix);
    INFO("engine: " << engine.dialect);
    body(database.url());
  }
}

int shell(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

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

std::string shell_quoted(const std::string& text) {
  return "'" + std::regex_replace(text, std::regex("'"), "'\\''") + "'";
}

std::string mariadb_client(const std::string& url) {
  static const std::regex form(R"(^mysql://([^@/:]+)@([^:/]+):(\d+)/?$)");
  std::smatch m;
  if (!std::regex_match(url, m, form)) return {};
  return "mariadb --no-defaults --default-character-set=utf8mb4 --protocol=TCP -h " + m[2].str() +
         " -P " + m[3].str() + " -u " + m[1].str();
}

}  // namespace migpkg::test
