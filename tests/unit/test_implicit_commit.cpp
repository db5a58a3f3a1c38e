// MySQL and Oracle commit every DDL statement at once, so their plans must not present DDL as
// transactional: over every golden plan of the declarative cases, a step that runs DDL is
// `transactional: false` with `implicitCommit: true` (and only such a step), and the readable
// SQL never puts DDL between BEGIN and COMMIT, and says so before each such step.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <sstream>

#include "unit/test_support.hpp"

using namespace migpkg::test;
using json = nlohmann::json;

namespace {

bool is_ddl(const std::string& statement) {
  std::size_t i = 0;
  while (i < statement.size() && std::isspace(static_cast<unsigned char>(statement[i]))) ++i;
  for (const char* keyword : {"CREATE ", "ALTER ", "DROP ", "RENAME ", "TRUNCATE ", "COMMENT "})
    if (statement.compare(i, std::string(keyword).size(), keyword) == 0) return true;
  return false;
}

bool commits_at_once(const std::string& dialect) {
  return dialect == "mysql" || dialect == "oracle";
}

}  // namespace

TEST_CASE("DDL steps are marked as committing implicitly on MySQL and Oracle", "[golden]") {
  int checked = 0;
  for (const auto& name : list_dir(source_dir() + "/tests/cases", true)) {
    if (!is_declarative_case(name)) continue;
    std::string expected = source_dir() + "/tests/cases/" + name + "/expected/";
    for (const std::string& dialect : case_dialects(name)) {
      if (!path_exists(expected + dialect + ".json")) continue;
      json plan = json::parse(read_file(expected + dialect + ".json"));
      for (const auto& m : plan["migrations"])
        for (const char* direction : {"up", "down"})
          for (const auto& step : m[direction]) {
            INFO(name << " " << dialect << " " << m["id"] << " " << direction << " step "
                      << step["id"]);
            bool ddl = false;
            for (const auto& statement : step["statements"])
              ddl = ddl || is_ddl(statement.get<std::string>());
            bool marked = step.contains("implicitCommit");
            if (marked) CHECK(step["implicitCommit"] == true);
            CHECK(marked == (ddl && commits_at_once(dialect)));
            if (marked) CHECK(step["transactional"] == false);
            ++checked;
          }
    }
  }
  CHECK(checked > 100);
}

TEST_CASE("the readable MySQL and Oracle SQL has no DDL inside BEGIN and COMMIT", "[golden]") {
  int files = 0;
  for (const auto& name : list_dir(source_dir() + "/tests/cases", true)) {
    if (!is_declarative_case(name)) continue;
    for (const char* dialect : {"mysql", "oracle"})
      for (const char* direction : {"up", "down"}) {
        std::string path = source_dir() + "/tests/cases/" + name + "/expected/" + dialect + "." +
                           direction + ".sql";
        if (!path_exists(path)) continue;
        ++files;
        std::istringstream in(read_file(path));
        // The "-- implicit commit" line comes just before its step's "-- step" line.
        bool in_transaction = false, announced = false, step_commits = false;
        int number = 0;
        for (std::string line; std::getline(in, line);) {
          ++number;
          INFO(path << ":" << number << ": " << line);
          if (line == "BEGIN;") in_transaction = true;
          if (line == "COMMIT;") in_transaction = false;
          if (line.rfind("-- step ", 0) == 0) {
            step_commits = announced;
            announced = false;
          }
          if (line.rfind("-- implicit commit: ", 0) == 0) announced = true;
          if (is_ddl(line)) {
            CHECK_FALSE(in_transaction);
            CHECK(step_commits);
          }
        }
      }
  }
  CHECK(files >= 10);
}
