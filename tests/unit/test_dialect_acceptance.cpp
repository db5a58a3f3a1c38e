// What the engines without a runtime in the suite accept, held over every golden plan of the
// declarative cases. MySQL and Oracle commit every DDL statement at once, so their plans must
// not present DDL as transactional: a step that runs DDL is `transactional: false` with
// `implicitCommit: true` (and only such a step), and the readable SQL never puts DDL between
// BEGIN and COMMIT, and says so before each such step. SQL Server and Oracle have no booleans in
// a select list, and Oracle no AS before a table alias.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <regex>
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

TEST_CASE("SQL Server and Oracle plans select no booleans and Oracle aliases tables without AS",
          "[golden]") {
  // A check migpkg generates (not the author's pre/postValidation) selects CASE WHEN ... on
  // both; Oracle's transform SQL writes `FROM (...) "m"`, never `) AS "m"`.
  static const std::regex table_alias_with_as(R"re(AS "[^"]+"(\s*(LEFT JOIN|WHERE|ON )|\s*$))re");
  int generated = 0;
  for (const auto& name : list_dir(source_dir() + "/tests/cases", true)) {
    if (!is_declarative_case(name)) continue;
    for (const std::string dialect : {"sqlserver", "oracle"}) {
      std::string path = source_dir() + "/tests/cases/" + name + "/expected/" + dialect + ".json";
      if (!path_exists(path)) continue;
      json plan = json::parse(read_file(path));
      for (const auto& m : plan["migrations"])
        for (const char* direction : {"up", "down"})
          for (const auto& step : m[direction]) {
            INFO(name << " " << dialect << " step " << step["id"]);
            for (const char* list : {"preChecks", "postChecks"})
              for (const auto& check : step[list]) {
                std::string origin = check["origin"], sql = check["sql"];
                if (origin == "preValidation" || origin == "postValidation") continue;
                ++generated;
                INFO(sql);
                CHECK(sql.rfind("SELECT CASE WHEN ", 0) == 0);
                CHECK(sql.find("NOT COALESCE(") == std::string::npos);
                if (dialect == "oracle") CHECK_FALSE(std::regex_search(sql, table_alias_with_as));
              }
            if (dialect != "oracle" || !step.contains("transform")) continue;
            for (const auto& statement : step["statements"]) {
              INFO(statement);
              CHECK_FALSE(std::regex_search(statement.get<std::string>(), table_alias_with_as));
            }
            std::string batched = step["transform"]["batchedInsert"];
            CHECK_FALSE(std::regex_search(batched, table_alias_with_as));
          }
    }
  }
  CHECK(generated >= 6);
}
