// The configuration file (cli/config_file.cpp) as data: each tests/config/NAME.json is read by
// `migpkg backups --config` and must be accepted ("ok" in NAME.expected) or refused with exit 2
// and the message in NAME.expected (its JSON pointer); schemas/config.schema.json must agree.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "unit/json_schema_check.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

TEST_CASE("configuration files: accepted or refused by JSON pointer, as the schema says",
          "[config]") {
  const std::string cases = source_dir() + "/tests/config";
  nlohmann::json schema = load_schema("config.schema.json");
  std::string dir = make_temp_dir();
  int count = 0;
  for (const auto& name : list_dir(cases)) {
    if (name.size() < 5 || name.substr(name.size() - 5) != ".json") continue;
    std::string base = name.substr(0, name.size() - 5);
    std::string file = cases + "/" + name;
    std::string expected = read_file(cases + "/" + base + ".expected");
    expected.erase(expected.find_last_not_of('\n') + 1);
    INFO(file << ": expected " << expected);
    ++count;
    auto result = run_cli("backups --config '" + file + "' --db 'sqlite:" + dir + "/x.db'");
    INFO("stdout: " << result.out << "\nstderr: " << result.err);
    std::vector<std::string> violations;
    nlohmann::json document = nlohmann::json::parse(read_file(file), nullptr, false);
    if (!document.is_discarded()) violations = schema_violations(schema, document);
    if (expected == "ok") {
      CHECK(result.exit_code == 0);
      CHECK(violations == std::vector<std::string>{});
    } else {
      CHECK(result.exit_code == 2);
      CHECK_THAT(result.err, Catch::Contains("configuration " + file + ": " + expected) ||
                                 Catch::Contains("configuration " + file + " " + expected));
      CHECK((document.is_discarded() || !violations.empty()));
    }
  }
  CHECK(count >= 10);
}

TEST_CASE("the default configuration file is read from $XDG_CONFIG_HOME, and --config must exist",
          "[config]") {
  std::string home = make_temp_dir();
  std::string dir = make_temp_dir();
  REQUIRE(system(("mkdir -p '" + home + "/migpkg'").c_str()) == 0);
  write_file(home + "/migpkg/config.json", R"({"backups": {"keep": 0}})");
  auto refused =
      run_cli("backups --db 'sqlite:" + dir + "/x.db'", "XDG_CONFIG_HOME='" + home + "'");
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains(home + "/migpkg/config.json: /backups/keep"));
  auto missing = run_cli("backups --config '" + dir + "/none.json' --db 'sqlite:" + dir + "/x.db'");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("none.json cannot be read"));
  // Without one there is nothing to read and nothing is refused.
  auto none = run_cli("backups --db 'sqlite:" + dir + "/x.db'", "XDG_CONFIG_HOME='" + dir + "'");
  CHECK(none.exit_code == 0);
}
