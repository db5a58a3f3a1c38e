// `migpkg convert --from TOOL`: every case of tests/convert/<tool>/<case>/ converted through the
// CLI, either to its golden plugin (expected/) or to its refusal (expected.error); the
// converted histories proven by `check --seed` and installed from a signed package on every
// engine they name; nothing written when the input is refused.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <sstream>

#include "compiler/convert/peer_history.hpp"
#include "unit/package_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

struct ConvertCase {
  std::string tool, name, dir;  // dir relative to the repository root
  std::string args;             // the case's `args` file: --plugin, --dialect
};

std::vector<ConvertCase> convert_cases() {
  std::vector<ConvertCase> cases;
  std::string root = source_dir() + "/tests/convert";
  for (const auto& tool : list_dir(root, true)) {
    auto names = list_dir(root + "/" + tool, true);
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      std::string dir = "tests/convert/" + tool + "/" + name;
      std::string args = read_file(source_dir() + "/" + dir + "/args");
      while (!args.empty() && (args.back() == '\n' || args.back() == ' ')) args.pop_back();
      cases.push_back({tool, name, dir, args});
    }
  }
  return cases;
}

bool refused(const ConvertCase& c) {
  return path_exists(source_dir() + "/" + c.dir + "/expected.error");
}

// The engines the case's --dialect names.
std::vector<std::string> engines_of(const ConvertCase& c) {
  std::istringstream in(c.args);
  std::vector<std::string> engines;
  for (std::string word; in >> word;)
    if (word == "--dialect" && in >> word) {
      std::istringstream list(word);
      for (std::string engine; std::getline(list, engine, ',');) engines.push_back(engine);
    }
  return engines;
}

CommandResult convert(const ConvertCase& c, const std::string& out) {
  return run_cli("convert --from " + c.tool + " " + c.dir + "/input -o '" + out + "' " + c.args);
}

// Every file below `dir`, relative to it.
std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  std::istringstream in(capture("cd '" + dir + "' && find . -type f | sort"));
  for (std::string line; std::getline(in, line);) out.push_back(line.substr(2));
  return out;
}

// A converted case in a new temporary directory: the plugin directory's path.
std::string converted(const ConvertCase& c) {
  std::string out = make_temp_dir() + "/plugin";
  auto result = convert(c, out);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return out;
}

std::string plugin_of(const ConvertCase& c) {
  std::istringstream in(c.args);
  for (std::string word; in >> word;)
    if (word == "--plugin" && in >> word) return word;
  return "";
}

}  // namespace

TEST_CASE("convert --from writes each case's golden plugin or its refusal", "[convert][golden]") {
  auto cases = convert_cases();
  REQUIRE(cases.size() >= 10);
  for (const auto& c : cases) {
    INFO("case " << c.dir);
    std::string tmp = make_temp_dir();
    std::string out = tmp + "/plugin";
    auto result = convert(c, out);
    if (refused(c)) {
      // The message with the temporary path taken out, then the exit code.
      std::string err = result.err;
      for (std::size_t at = err.find(tmp); at != std::string::npos; at = err.find(tmp))
        err.replace(at, tmp.size(), "TMP");
      check_golden(source_dir() + "/" + c.dir + "/expected.error",
                   err + "exit: " + std::to_string(result.exit_code) + "\n");
      CHECK(result.exit_code != 0);
      // Nothing written: no plugin directory and no temporary directory beside it.
      CHECK(files_in(tmp).empty());
      CHECK(capture("ls -A '" + tmp + "'").empty());
      continue;
    }
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    std::string expected = source_dir() + "/" + c.dir + "/expected";
    if (std::getenv("UPDATE_GOLDEN")) shell("rm -rf '" + expected + "'");
    auto written = files_in(out);
    for (const auto& file : written)
      check_golden(expected + "/" + file, read_file(out + "/" + file));
    CHECK(files_in(expected) == written);
    CHECK(capture("ls -A '" + tmp + "'") == "plugin");
  }
}

TEST_CASE("every converted peer history has 10+ migrations and passes check --seed on its engines",
          "[convert][seed]") {
  for (const auto& c : convert_cases()) {
    if (refused(c) || c.name != "blog") continue;
    INFO("case " << c.dir);
    std::string plugin = converted(c);
    CHECK(files_in(plugin).size() >= 10);
    auto engines = engines_of(c);
    for (const auto& engine : engines) {
      std::string db;
      if (engine == "sqlite") {
        db = "sqlite::memory:";
      } else if (engine == "postgresql") {
        if (postgres_url().empty()) {
          WARN("MIGPKG_TEST_PG_URL not set: " << c.dir << " not checked on PostgreSQL");
          continue;
        }
        db = postgres_url();
      } else {
        continue;
      }
      auto checked = run_cli("check '" + plugin + "' --seed 100 --db '" + db + "'");
      INFO(engine << ": " << checked.out << checked.err);
      CHECK(checked.exit_code == 0);
      CHECK(checked.out.find("every up kept its rows and every down restored the schema and the "
                             "rows") != std::string::npos);
    }
  }
}

TEST_CASE("converted peer histories pack, install from the package and roll back on their engines",
          "[convert][package]") {
  std::string keys = make_temp_dir();
  make_key(keys, "peer");
  for (const auto& c : convert_cases()) {
    if (refused(c) || c.name != "blog") continue;
    INFO("case " << c.dir);
    std::string plugin = converted(c);
    std::string package = make_temp_dir() + "/blog.migpkg";
    pack(plugin, package, keys + "/peer.key");
    auto engines = engines_of(c);
    for_each_database_url("convert_" + c.tool, [&](const std::string& url) {
      std::string engine = url.rfind("sqlite:", 0) == 0       ? "sqlite"
                           : url.rfind("postgresql:", 0) == 0 ? "postgresql"
                           : url.rfind("postgres:", 0) == 0   ? "postgresql"
                                                              : "mysql";
      if (std::find(engines.begin(), engines.end(), engine) == engines.end()) return;
      INFO(engine);
      auto installed =
          run_cli("install " + package + " --db '" + url + "' --trust " + keys + "/peer.pub");
      INFO(installed.out << installed.err);
      REQUIRE(installed.exit_code == 0);
      auto status = run_cli("status --db '" + url + "' --json");
      CHECK(status.out.find("\"1.0.12\"") != std::string::npos);
      // Backups into a directory of the test's, not ./migpkg-backups in the source tree.
      auto rolled_back = run_cli("rollback " + plugin_of(c) + " --db '" + url + "' --backup-dir '" +
                                 make_temp_dir() + "'");
      INFO(rolled_back.out << rolled_back.err);
      CHECK(rolled_back.exit_code == 0);
    });
  }
}

TEST_CASE("convert --from refuses an existing plugin directory and leaves it alone", "[convert]") {
  std::string tmp = make_temp_dir();
  shell("mkdir '" + tmp + "/plugin'");
  write_file(tmp + "/plugin/keep.txt", "mine\n");
  auto result = run_cli("convert --from dbmate tests/convert/dbmate/blog/input -o '" + tmp +
                        "/plugin' --plugin test.blog --dialect sqlite");
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("exists; convert writes a new plugin directory") != std::string::npos);
  CHECK(files_in(tmp) == std::vector<std::string>{"plugin/keep.txt"});
  CHECK(read_file(tmp + "/plugin/keep.txt") == "mine\n");
  // An empty directory is taken.
  shell("rm '" + tmp + "/plugin/keep.txt'");
  result = run_cli("convert --from dbmate tests/convert/dbmate/blog/input -o '" + tmp +
                   "/plugin' --plugin test.blog --dialect sqlite");
  CHECK(result.exit_code == 0);
  CHECK(files_in(tmp + "/plugin").size() == 12);

  for (const char* bad : {"--from flyway tests/convert/flyway/blog/input --plugin x.y",
                          "--from nope tests/convert/flyway/blog/input -o X --plugin x.y",
                          "--from dbmate tests/convert/dbmate/blog/input -o X --dialect sqlite",
                          "--from dbmate tests/convert/dbmate/blog/input -o X --plugin x.y",
                          "--from dbmate tests/convert/dbmate/blog/input -o X --plugin x.y "
                          "--dialect oracle",
                          "--from dbmate tests/convert/dbmate/blog/input -o X --plugin x.y "
                          "--dialect sqlite --to dsl",
                          "tests/dsl/every-statement.mig --to dsl --plugin x.y"}) {
    INFO(bad);
    auto refused_usage = run_cli(std::string("convert ") + bad);
    CHECK(refused_usage.exit_code == 2);
    CHECK_FALSE(path_exists(source_dir() + "/X"));
  }
}

// Flyway orders versions numerically, part by part, with `.` and `_` alike: any set of distinct
// versions, written in any order and any folders, converts in that order.
TEST_CASE("flyway versions convert in numeric order, part by part", "[convert]") {
  std::mt19937 random(20);
  for (int trial = 0; trial < 30; ++trial) {
    std::string dir = make_temp_dir();
    shell("mkdir '" + dir + "/a'");
    std::vector<std::vector<int>> versions;
    while (versions.size() < 12) {
      std::vector<int> v(1 + random() % 3);
      for (auto& part : v) part = 1 + static_cast<int>(random() % 12);
      if (std::find(versions.begin(), versions.end(), v) == versions.end()) versions.push_back(v);
    }
    for (std::size_t i = 0; i < versions.size(); ++i) {
      std::string text;
      for (std::size_t p = 0; p < versions[i].size(); ++p)
        text += (p ? (random() % 2 ? "." : "_") : "") + std::to_string(versions[i][p]);
      std::string sub = random() % 2 ? "/a/" : "/";
      write_file(dir + sub + "V" + text + "__m" + std::to_string(i) + ".sql",
                 "SELECT " + std::to_string(i) + ";\n");
    }
    auto history = migpkg::convert::read_flyway(dir);
    std::vector<std::size_t> order(versions.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return versions[a] < versions[b]; });
    REQUIRE(history.migrations.size() == versions.size());
    for (std::size_t i = 0; i < order.size(); ++i)
      CHECK(history.migrations[i].up.sql == "SELECT " + std::to_string(order[i]) + ";");
  }
}

// A changelog is the user's input, but an include must not read a file outside the folder
// through a symbolic link any more than through `..`.
TEST_CASE("liquibase refuses an included symbolic link", "[convert]") {
  std::string dir = make_temp_dir();
  write_file(dir + "/outside.sql", "--liquibase formatted sql\n--changeset a:1\nSELECT 1;\n");
  shell("mkdir '" + dir + "/in' && ln -s ../outside.sql '" + dir + "/in/linked.sql'");
  write_file(dir + "/in/changelog.yaml",
             "databaseChangeLog:\n  - include:\n      file: linked.sql\n");
  auto result = run_cli("convert --from liquibase '" + dir + "/in' -o '" + dir +
                        "/plugin' --plugin test.link --dialect sqlite");
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("changelog.yaml:2: the included file `linked.sql` is a symbolic link") !=
        std::string::npos);
  CHECK_FALSE(path_exists(dir + "/plugin"));
}

TEST_CASE("flyway refuses a symbolic link among its migrations rather than skip it", "[convert]") {
  std::string dir = make_temp_dir();
  shell("mkdir '" + dir + "/sql' && printf 'SELECT 1;\\n' > '" + dir +
        "/V2__b.sql' && ln -s ../V2__b.sql '" + dir + "/sql/V2__b.sql'");
  write_file(dir + "/sql/V1__a.sql", "SELECT 1;\n");
  auto result = run_cli("convert --from flyway '" + dir + "/sql' -o '" + dir +
                        "/plugin' --plugin test.link --dialect sqlite");
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("sql/V2__b.sql: a symbolic link") != std::string::npos);
  CHECK_FALSE(path_exists(dir + "/plugin"));
}
