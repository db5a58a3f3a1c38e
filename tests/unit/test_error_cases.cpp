// Tests as data: each tests/errors/<name>.json (or directory) is rejected by `migpkg validate`
// with exactly the diagnostics in tests/errors/<name>.expected (stderr, then "exit: N").
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {
std::string stem(const std::string& name) {
  auto dot = name.rfind(".json");
  return dot == std::string::npos ? name : name.substr(0, dot);
}
}  // namespace

TEST_CASE("every invalid document gets its exact diagnostics", "[errors]") {
  std::string root = source_dir() + "/tests/errors/";
  int cases = 0;
  for (const auto& name : list_dir(root)) {
    if (name.size() > 9 && name.compare(name.size() - 9, 9, ".expected") == 0) continue;
    ++cases;
    DYNAMIC_SECTION(name) {
      auto result = run_cli("validate tests/errors/" + name);
      std::string actual = result.err + "exit: " + std::to_string(result.exit_code) + "\n";
      check_golden(root + stem(name) + ".expected", actual);
      // Only the warning case may pass, and nothing may crash.
      if (stem(name).rfind("warning-", 0) == 0)
        CHECK(result.exit_code == 0);
      else
        CHECK(result.exit_code == 1);
    }
  }
  CHECK(cases >= 30);
}

TEST_CASE("validate --json prints every diagnostic as data", "[errors]") {
  auto result = run_cli("validate --json tests/errors/many-errors.json");
  CHECK(result.exit_code == 1);
  auto diagnostics = nlohmann::json::parse(result.out);
  REQUIRE(diagnostics.is_array());
  CHECK(diagnostics.size() == 5);
  for (const auto& d : diagnostics) {
    CHECK(d["severity"] == "error");
    CHECK(d["file"] == "tests/errors/many-errors.json");
    CHECK(d["pointer"].get<std::string>().rfind("/migration", 0) == 0);
    CHECK(!d["code"].get<std::string>().empty());
    CHECK(!d["message"].get<std::string>().empty());
  }
}

TEST_CASE("validate --json gives line and column for syntax errors", "[errors]") {
  auto result = run_cli("validate --json tests/errors/truncated-json.json");
  CHECK(result.exit_code == 1);
  auto diagnostics = nlohmann::json::parse(result.out);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0]["code"] == "invalid-json");
  CHECK(diagnostics[0]["line"].get<int>() > 1);
  CHECK(diagnostics[0]["column"].get<int>() > 1);
  CHECK(!diagnostics[0].contains("pointer"));
}

TEST_CASE("valid sources validate cleanly", "[errors]") {
  for (const auto& dir : valid_source_dirs()) {
    auto result = run_cli("validate " + dir);
    INFO(dir << ": " << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.err.find(": error:") == std::string::npos);
  }
}
