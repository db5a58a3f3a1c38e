// DSL <-> portable-migration-v1: for every case and example, JSON -> DSL -> JSON gives the same
// document and DSL -> JSON -> DSL the same DSL; the printer's lexical forms read back exactly.
#include <catch2/catch.hpp>

#include "compiler/diagnostics/render.hpp"
#include "compiler/dsl/dsl_loader.hpp"
#include "compiler/dsl/dsl_printer.hpp"
#include "compiler/dsl/dsl_text.hpp"
#include "compiler/json/ir_json.hpp"
#include "compiler/json/json_document.hpp"
#include "compiler/json/json_loader.hpp"
#include "unit/test_support.hpp"

using namespace migpkg;
using namespace migpkg::test;

namespace {

std::string rendered(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics.items()) out += render_diagnostic(d);
  return out;
}

ir::Migration load_json(const std::string& path) {
  Diagnostics diagnostics;
  auto document = read_json_file(path, diagnostics);
  REQUIRE(document);
  auto migration = load_portable_migration(*document, path, diagnostics);
  INFO(rendered(diagnostics));
  REQUIRE_FALSE(diagnostics.has_errors());
  return *migration;
}

std::vector<ir::Migration> parse(const std::string& text, const std::string& name) {
  Diagnostics diagnostics;
  auto migrations = dsl::load_dsl_text(text, name, diagnostics);
  INFO(text << "\n" << rendered(diagnostics));
  REQUIRE_FALSE(diagnostics.has_errors());
  return migrations;
}

ir::Migration json_text_to_ir(const std::string& text) {
  Diagnostics diagnostics;
  auto document = parse_json_text(text, "converted.json", diagnostics);
  REQUIRE(document);
  auto migration = load_portable_migration(*document, "converted.json", diagnostics);
  INFO(rendered(diagnostics));
  REQUIRE_FALSE(diagnostics.has_errors());
  return *migration;
}

std::vector<std::string> files_with(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> out;
  for (const auto& name : list_dir(dir))
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.push_back(dir + "/" + name);
  return out;
}

std::vector<std::string> source_files_everywhere(const std::string& suffix) {
  std::vector<std::string> files;
  for (const auto& dir : valid_source_dirs())
    for (const auto& f : files_with(source_dir() + "/" + dir, suffix)) files.push_back(f);
  for (const auto& f : files_with(source_dir() + "/tests/dsl", suffix)) files.push_back(f);
  return files;
}

}  // namespace

TEST_CASE("JSON -> DSL -> JSON is a fixed point for every case and example", "[dsl]") {
  auto files = source_files_everywhere(".json");
  CHECK(files.size() >= 20);
  for (const auto& file : files) {
    DYNAMIC_SECTION(file) {
      ir::Migration original = load_json(file);
      std::string dsl = dsl::print_dsl({original});
      auto back = parse(dsl, "printed.mig");
      REQUIRE(back.size() == 1);
      INFO(dsl);
      CHECK(to_portable_json(back[0]).dump(2) == to_portable_json(original).dump(2));
      // and printing again changes nothing
      CHECK(dsl::print_dsl(back) == dsl);
    }
  }
}

TEST_CASE("DSL -> JSON -> DSL gives the same DSL for every .mig source", "[dsl]") {
  auto files = source_files_everywhere(".mig");
  CHECK(files.size() >= 3);
  for (const auto& file : files) {
    DYNAMIC_SECTION(file) {
      Diagnostics diagnostics;
      auto migrations = dsl::load_dsl_file(file, diagnostics);
      INFO(rendered(diagnostics));
      REQUIRE_FALSE(diagnostics.has_errors());
      REQUIRE_FALSE(migrations.empty());
      std::string canonical = dsl::print_dsl(migrations);
      std::vector<ir::Migration> through_json;
      for (const auto& m : migrations)
        through_json.push_back(json_text_to_ir(to_portable_json(m).dump(2)));
      CHECK(dsl::print_dsl(through_json) == canonical);
      // The canonical text parses back to itself.
      CHECK(dsl::print_dsl(parse(canonical, file)) == canonical);
    }
  }
}

TEST_CASE("dollar-quoted blocks hold any text and read back exactly", "[dsl]") {
  const std::vector<std::string> texts = {
      "",
      "SELECT 1",
      " leading",
      "trailing ",
      "a$",
      "$a",
      "$$",
      "x $$ y $sql$ z",
      "a\n",
      "\n",
      "\n\nx\n\n",
      "line 1\n  line 2",
      "  \n  ",
      "tab\there",
      "}{;",
      "-- c\n/* d */",
      "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;"};
  for (const auto& text : texts) {
    for (const std::string indent : {"", "    "}) {
      std::string quoted = dsl::dollar_quote(text, indent);
      std::string source = "plugin t.p\nmigration m {\n version 1.0.0\n up {\n  step s {\n   sql " +
                           quoted + "\n  }\n }\n down {}\n}\n";
      auto migrations = parse(source, "dollar.mig");
      REQUIRE(migrations.size() == 1);
      REQUIRE(migrations[0].up.size() == 1);
      REQUIRE(migrations[0].up[0].sql);
      REQUIRE(migrations[0].up[0].sql->universal);
      CHECK(migrations[0].up[0].sql->universal->text == text);
    }
  }
}

TEST_CASE("strings and parenthesized SQL read back exactly", "[dsl]") {
  for (const std::string text : {"plain", "quote \" and \\ backslash", "line\nbreak\ttab",
                                 "\x01 control", "caf\xc3\xa9 \xe2\x82\xac"}) {
    std::string error;
    auto decoded = dsl::decode_string(dsl::quote_string(text), error);
    REQUIRE(decoded);
    CHECK(*decoded == text);
  }
  std::string error;
  CHECK(*dsl::decode_string("\"\\ud83d\\ude00\"", error) == "\xf0\x9f\x98\x80");
  CHECK_FALSE(dsl::decode_string("\"\\q\"", error));
  CHECK(dsl::paren_safe("price > 0 AND status IN ('a', 'b)')"));
  CHECK_FALSE(dsl::paren_safe("a) OR (b"));
  CHECK_FALSE(dsl::paren_safe("x -- comment"));
  CHECK_FALSE(dsl::paren_safe("\"Quoted\" > 1"));
  CHECK(dsl::is_bare_name("crm-001-install"));
  CHECK(dsl::is_bare_name("acme.crm"));
  CHECK_FALSE(dsl::is_bare_name("001-install"));
  CHECK_FALSE(dsl::is_bare_name("a b"));
  CHECK_FALSE(dsl::is_bare_name("a..b"));
}
