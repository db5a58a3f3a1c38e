// `migpkg lint` as data: every tests/lint/<case> is linted, through the CLI as a user runs it,
// for each dialect the runtime installs on, and its findings (text, with the exit code) compared
// with tests/lint/<case>/expected/<dialect>.txt. A case named after a code (l101-...) must report
// that code on some dialect, and every code of the rule table has a case and a row in
// docs/lint.md. UPDATE_GOLDEN=1 rewrites the goldens.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <set>

#include "compiler/dialects/dialect.hpp"
#include "compiler/lint/lint_rules.hpp"
#include "unit/json_schema_check.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using nlohmann::json;

namespace {

const std::vector<std::string> kLintDialects = {"postgresql", "mysql", "sqlite"};

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// `lint ARGS --json`, parsed and checked against schemas/lint-report.schema.json.
json lint_json(const std::string& arguments, int* exit_code = nullptr) {
  auto result = run_cli("lint " + arguments + " --json");
  INFO("migpkg lint " << arguments << " --json\nstderr:\n" << result.err);
  if (exit_code) *exit_code = result.exit_code;
  json report = json::parse(result.out);
  static const json schema = load_schema("lint-report.schema.json");
  std::string listed;
  for (const auto& v : schema_violations(schema, report)) listed += "  " + v + "\n";
  INFO("violations:\n" << listed << result.out);
  CHECK(listed.empty());
  return report;
}

std::set<std::string> codes_of(const json& report) {
  std::set<std::string> out;
  for (const auto& finding : report["findings"]) out.insert(finding["code"]);
  return out;
}

}  // namespace

TEST_CASE("every lint case reports its golden findings on each dialect", "[golden][lint]") {
  auto cases = list_dir(source_dir() + "/tests/lint", true);
  REQUIRE(cases.size() >= 15);
  for (const auto& name : cases) {
    std::set<std::string> seen;
    for (const auto& dialect : kLintDialects) {
      DYNAMIC_SECTION(name << " on " << dialect) {
        std::string dir = "tests/lint/" + name;
        auto text = run_cli("lint " + dir + " --dialect " + dialect);
        INFO(text.err);
        check_golden(source_dir() + "/" + dir + "/expected/" + dialect + ".txt",
                     text.out + "exit " + std::to_string(text.exit_code) + "\n");
        // The JSON report says the same: its schema, and exit 1 exactly when an error is found.
        int exit_code = -1;
        json report = lint_json(dir + " --dialect " + dialect, &exit_code);
        CHECK(exit_code == text.exit_code);
        CHECK(exit_code == (report["errors"].get<int>() > 0 ? 1 : 0));
        CHECK(report["findings"].size() ==
              report["errors"].get<std::size_t>() + report["warnings"].get<std::size_t>());
        for (const auto& finding : report["findings"]) {
          CHECK(finding["location"]["file"].get<std::string>().rfind(dir + "/", 0) == 0);
          if (finding.contains("dialect")) CHECK(finding["dialect"] == dialect);
        }
      }
    }
    // Outside the sections: the codes over every dialect.
    for (const auto& dialect : kLintDialects)
      for (const auto& code : codes_of(lint_json("tests/lint/" + name + " --dialect " + dialect)))
        seen.insert(code);
    if (name.size() > 5 && name[0] == 'l' && std::isdigit(static_cast<unsigned char>(name[1]))) {
      INFO(name << " reports " << seen.size() << " codes");
      CHECK(seen.count(upper(name.substr(0, 4))) == 1);
    }
    if (name == "clean") CHECK(seen.empty());
  }
}

TEST_CASE("every lint code has a case and a row in docs/lint.md", "[lint]") {
  auto cases = list_dir(source_dir() + "/tests/lint", true);
  std::string docs = read_file(source_dir() + "/docs/lint.md");
  for (const auto& rule : migpkg::lint::rules()) {
    INFO(rule.code << " " << rule.name);
    std::string prefix = "l" + std::string(rule.code).substr(1) + "-" + rule.name;
    CHECK(std::find(cases.begin(), cases.end(), prefix) != cases.end());
    CHECK(docs.find("| `" + std::string(rule.code) + "` | `" + rule.name + "` |") !=
          std::string::npos);
  }
}

TEST_CASE("the examples and the valid cases lint with the codes listed", "[golden][lint]") {
  // One line per directory: its codes over the three dialects, or "clean".
  std::string listed;
  for (const auto& dir : valid_source_dirs()) {
    std::set<std::string> codes;
    for (const auto& dialect : kLintDialects) {
      int exit_code = -1;
      json report = lint_json(dir + " --dialect " + dialect, &exit_code);
      for (const auto& code : codes_of(report)) codes.insert(code);
    }
    std::string line = dir + ":";
    for (const auto& code : codes) line += " " + code;
    listed += (codes.empty() ? line + " clean" : line) + "\n";
  }
  check_golden(source_dir() + "/tests/lint-examples.expected", listed);
}

TEST_CASE("lint levels: --level, the configuration file, and what is refused", "[lint]") {
  const std::string dir = "tests/lint/l101-drop-table";
  auto plain = run_cli("lint " + dir + " --dialect sqlite");
  CHECK(plain.exit_code == 1);
  CHECK_THAT(plain.out, Catch::Contains("error: L101 drop-table"));

  // A code or a name; off drops the finding, warning keeps it without failing.
  auto off = run_cli("lint " + dir + " --dialect sqlite --level L101=off");
  CHECK(off.exit_code == 0);
  CHECK_THAT(off.out, !Catch::Contains("L101"));
  auto warning = run_cli("lint " + dir + " --dialect sqlite --level drop-table=warning");
  CHECK(warning.exit_code == 0);
  CHECK_THAT(warning.out, Catch::Contains("warning: L101 drop-table"));
  // A warning made an error fails the run.
  auto error = run_cli("lint tests/lint/l304-volatile-default --dialect postgresql");
  CHECK(error.exit_code == 0);
  CHECK(run_cli("lint tests/lint/l304-volatile-default --dialect postgresql --level L304=error")
            .exit_code == 1);

  // The configuration's lint.levels, and --level over it.
  std::string temp = make_temp_dir();
  write_file(temp + "/config.json", R"({"lint": {"levels": {"drop-table": "off"}}})");
  auto configured = run_cli("lint " + dir + " --dialect sqlite --config " + temp + "/config.json");
  CHECK(configured.exit_code == 0);
  CHECK_THAT(configured.out, !Catch::Contains("L101"));
  CHECK(run_cli("lint " + dir + " --dialect sqlite --config " + temp +
                "/config.json --level L101=error")
            .exit_code == 1);
  // The default file ($XDG_CONFIG_HOME/migpkg/config.json) is read too.
  REQUIRE(shell("mkdir -p " + shell_quoted(temp + "/migpkg")) == 0);
  write_file(temp + "/migpkg/config.json", R"({"lint": {"levels": {"L101": "warning"}}})");
  CHECK(run_cli("lint " + dir + " --dialect sqlite", "XDG_CONFIG_HOME=" + temp).exit_code == 0);

  // Refused before any source is read: exit 2, naming what was wrong.
  auto unknown = run_cli("lint " + dir + " --level L999=off");
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("unknown lint code 'L999'"));
  auto bad_level = run_cli("lint " + dir + " --level L101=ignore");
  CHECK(bad_level.exit_code == 2);
  CHECK_THAT(bad_level.err, Catch::Contains("off, warning or error, not 'ignore'"));
  CHECK(run_cli("lint " + dir + " --level L101").exit_code == 2);
  auto dialect = run_cli("lint " + dir + " --dialect db2");
  CHECK(dialect.exit_code == 2);
  CHECK_THAT(dialect.err, Catch::Contains("unknown dialect 'db2'"));
  write_file(temp + "/bad.json", R"({"lint": {"levels": {"L999": "off"}}})");
  auto bad_config = run_cli("lint " + dir + " --config " + temp + "/bad.json");
  CHECK(bad_config.exit_code == 2);
  CHECK_THAT(bad_config.err, Catch::Contains("/lint/levels/L999: unknown lint code"));
}

TEST_CASE("lint refuses sources that do not validate with exit 2, and lints nothing", "[lint]") {
  auto text = run_cli("lint tests/errors-dsl");
  CHECK(text.exit_code == 2);
  CHECK(text.out.empty());
  CHECK_THAT(text.err, Catch::Contains("error:"));
  auto json_out = run_cli("lint tests/errors-dsl --json");
  CHECK(json_out.exit_code == 2);
  CHECK(json::parse(json_out.out).is_array());  // the diagnostics, as validate --json prints
}

TEST_CASE("validate --lint folds the findings into its diagnostics and exit code", "[lint]") {
  const std::string dir = "tests/lint/l101-drop-table";
  CHECK(run_cli("validate " + dir).exit_code == 0);
  auto linted = run_cli("validate " + dir + " --lint --dialect postgresql");
  CHECK(linted.exit_code == 1);
  CHECK_THAT(linted.err, Catch::Contains("error: L101 drop-table: drops table \"items\""));
  auto json_out = run_cli("validate " + dir + " --lint --json");
  CHECK(json_out.exit_code == 1);
  bool found = false;
  for (const auto& d : json::parse(json_out.out)) found = found || d["code"] == "L101";
  CHECK(found);
  CHECK(run_cli("validate " + dir + " --lint --level L101=warning").exit_code == 0);
  // The lint options belong to --lint.
  CHECK(run_cli("validate " + dir + " --level L101=off").exit_code == 2);
}

TEST_CASE("the lint report's schema lists exactly the rule table's codes and the dialects",
          "[lint][schemas]") {
  json schema = load_schema("lint-report.schema.json");
  const json& finding = schema["$defs"]["finding"]["properties"];
  std::vector<std::string> codes, names;
  for (const auto& rule : migpkg::lint::rules()) {
    codes.push_back(rule.code);
    names.push_back(rule.name);
  }
  CHECK(finding["code"]["enum"].get<std::vector<std::string>>() == codes);
  CHECK(finding["name"]["enum"].get<std::vector<std::string>>() == names);
  auto dialects = finding["dialect"]["enum"].get<std::vector<std::string>>();
  auto known = migpkg::dialect_names();
  std::sort(dialects.begin(), dialects.end());
  std::sort(known.begin(), known.end());
  CHECK(dialects == known);
  CHECK(schema["properties"]["dialects"]["items"]["enum"] == finding["dialect"]["enum"]);
}
