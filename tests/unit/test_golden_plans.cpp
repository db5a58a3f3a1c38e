// Tests as data: every tests/cases/<case> compiles, through the CLI as a user runs it, to the
// golden plan of each dialect (JSON plan, up SQL, down SQL) in tests/cases/<case>/expected/.
#include <catch2/catch.hpp>

#include "unit/test_support.hpp"

using namespace migpkg::test;

TEST_CASE("every valid case compiles to its golden plans", "[golden]") {
  for (const auto& name : list_dir(source_dir() + "/tests/cases", true)) {
    std::string dir = "tests/cases/" + name;
    std::string expected = source_dir() + "/" + dir + "/expected/";
    for (const std::string& dialect : case_dialects(name)) {
      DYNAMIC_SECTION(name << " on " << dialect) {
        // A dialect that cannot express a change of the case: the exact diagnostics.
        if (path_exists(expected + dialect + ".error")) {
          auto result = run_cli("compile " + dir + " --dialect " + dialect + " --format json");
          CHECK(result.exit_code == 1);
          CHECK(result.out.empty());
          check_golden(expected + dialect + ".error", result.err);
          continue;
        }
        struct Output {
          const char* args;
          const char* suffix;
        };
        for (Output output : {Output{"--format json", ".json"}, Output{"--format sql", ".up.sql"},
                              Output{"--format sql --direction down", ".down.sql"}}) {
          auto result = run_cli("compile " + dir + " --dialect " + dialect + " " + output.args);
          INFO(result.err);
          REQUIRE(result.exit_code == 0);
          check_golden(expected + dialect + output.suffix, result.out);
        }
      }
    }
  }
}

TEST_CASE("compiling is deterministic", "[golden]") {
  auto first = run_cli("compile packages/examples/crm --dialect postgresql --format json");
  auto second = run_cli("compile packages/examples/crm --dialect postgresql --format json");
  REQUIRE(first.exit_code == 0);
  CHECK(first.out == second.out);
}
