// `convert FILE.mig --to dsl` keeps the author's comments, the file's `use` lines and groups,
// and `use GROUP` in tables, for every example and tests/dsl source: the output is golden
// (tests/convert-dsl/), holds every comment and `use` of the source, reads back as the same
// migrations (the same compiled SQL in every dialect, checksums included) and converts to
// itself again.
#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>

#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

// The .mig files that declare migrations (tests/dsl/groups/ holds a module of groups only).
std::vector<std::string> dsl_sources() {
  std::vector<std::string> out;
  for (const auto& name : list_dir(source_dir() + "/packages/examples", true))
    for (const auto& file : list_dir(source_dir() + "/packages/examples/" + name))
      if (file.size() > 4 && file.compare(file.size() - 4, 4, ".mig") == 0)
        out.push_back("packages/examples/" + name + "/" + file);
  for (const auto& file : list_dir(source_dir() + "/tests/dsl"))
    if (file.size() > 4 && file.compare(file.size() - 4, 4, ".mig") == 0)
      out.push_back("tests/dsl/" + file);
  std::sort(out.begin(), out.end());
  return out;
}

// tests/convert-dsl/<folder>-<file>: packages/examples/notes-dsl/notes.mig -> notes-dsl-notes.mig
std::string golden_path(const std::string& source) {
  std::size_t slash = source.rfind('/');
  std::size_t folder = source.rfind('/', slash - 1);
  return source_dir() + "/tests/convert-dsl/" + source.substr(folder + 1, slash - folder - 1) +
         "-" + source.substr(slash + 1);
}

// Comments as a sorted list of their texts, found line by line: `--` to the end of the line
// and `/* ... */` blocks (including the ones inside SQL blocks, which both texts keep alike).
std::vector<std::string> comments_of(const std::string& text) {
  std::vector<std::string> out;
  static const std::regex comment(R"(--[^\n]*|/\*[\s\S]*?\*/)");
  for (std::sregex_iterator it(text.begin(), text.end(), comment), end; it != end; ++it) {
    std::string c = it->str();
    while (!c.empty() && (c.back() == ' ' || c.back() == '\t')) c.pop_back();
    out.push_back(c);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// `use NAME` and `use "file"`, wherever they stand.
std::vector<std::string> uses_of(const std::string& text) {
  std::vector<std::string> out;
  static const std::regex use(R"((^|[\s(,])use\s+("[^"]*"|[A-Za-z_][A-Za-z0-9_]*))");
  for (std::sregex_iterator it(text.begin(), text.end(), use), end; it != end; ++it)
    out.push_back((*it)[2]);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("convert --to dsl keeps every comment and use line of a DSL source",
          "[convert][golden][dsl]") {
  auto sources = dsl_sources();
  REQUIRE(sources.size() >= 6);
  for (const auto& source : sources) {
    INFO("source " << source);
    auto converted = run_cli("convert " + source + " --to dsl");
    INFO(converted.err);
    REQUIRE(converted.exit_code == 0);
    check_golden(golden_path(source), converted.out);

    std::string original = read_file(source_dir() + "/" + source);
    CHECK(comments_of(converted.out) == comments_of(original));
    CHECK(uses_of(converted.out) == uses_of(original));

    // The output in place of the source, in a copy of its folder (local `use` files resolve).
    std::size_t slash = source.rfind('/');
    std::string copy = make_temp_dir();
    shell("cp -r '" + source_dir() + "/" + source.substr(0, slash) + "/.' '" + copy + "/'");
    std::string copied = copy + "/" + source.substr(slash + 1);
    write_file(copied, converted.out);
    for (const char* dialect : {"postgresql", "sqlite", "mysql"}) {
      INFO(dialect);
      auto before = run_cli("compile " + source.substr(0, slash) + " --dialect " + dialect);
      auto after = run_cli("compile '" + copy + "' --dialect " + dialect);
      CHECK(after.exit_code == before.exit_code);
      CHECK(after.out == before.out);
    }
    auto again = run_cli("convert '" + copied + "' --to dsl");
    CHECK(again.exit_code == 0);
    CHECK(again.out == converted.out);
  }
}

// JSON has no comments and no groups: from JSON the canonical form is printed, and a DSL
// source with comments goes through JSON to that same canonical form as before.
TEST_CASE("convert --to dsl from JSON prints the canonical form without comments or use lines",
          "[convert][dsl]") {
  std::string tmp = make_temp_dir();
  auto to_json =
      run_cli("convert packages/examples/notes-dsl/notes.mig --to json -o '" + tmp + "/json'");
  REQUIRE(to_json.exit_code == 0);
  auto back = run_cli("convert '" + tmp + "/json/notes-001-install.json' --to dsl");
  REQUIRE(back.exit_code == 0);
  CHECK(comments_of(back.out).empty());
  CHECK(uses_of(back.out).empty());
  CHECK(back.out.find("tenant_id string(64) not null") != std::string::npos);
}
