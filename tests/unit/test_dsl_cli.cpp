// The DSL through the command line: exact diagnostics for invalid sources (tests/errors-dsl;
// warning-*.mig there are valid sources with warnings), `convert` in both directions, stdlib
// modules, and hostile input.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>

#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

TEST_CASE("every invalid DSL source gets its exact diagnostics", "[dsl][errors]") {
  std::string root = source_dir() + "/tests/errors-dsl/";
  int cases = 0;
  for (const auto& name : list_dir(root)) {
    if (!ends_with(name, ".mig")) continue;
    ++cases;
    DYNAMIC_SECTION(name) {
      auto result = run_cli("validate tests/errors-dsl/" + name);
      std::string actual = result.err + "exit: " + std::to_string(result.exit_code) + "\n";
      check_golden(root + name.substr(0, name.size() - 4) + ".expected", actual);
      // warning-*.mig hold only warnings: validate reports them and succeeds.
      CHECK(result.exit_code == (name.rfind("warning-", 0) == 0 ? 0 : 1));
      // Every diagnostic points at a line and column of a file, never only at the file.
      CHECK(result.err.find(".mig:") != std::string::npos);
      // Hints speak the DSL (`irreversible`, `requires backup`), not the JSON format's members.
      for (const char* member : {"rollbackSupported", "requiresBackup", "riskLevel"}) {
        INFO(member);
        CHECK(result.err.find(member) == std::string::npos);
      }
    }
  }
  CHECK(cases >= 10);
}

TEST_CASE("DSL diagnostics as JSON carry line and column", "[dsl][errors]") {
  auto result = run_cli("validate --json tests/errors-dsl/misspelt-keyword.mig");
  CHECK(result.exit_code == 1);
  auto diagnostics = nlohmann::json::parse(result.out);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics[0]["code"] == "dsl-syntax");
  CHECK(diagnostics[0]["line"] == 3);
  CHECK(diagnostics[0]["column"] == 3);
  CHECK(diagnostics[0]["hint"] == "did you mean `version`?");
  CHECK(result.err.empty());  // nothing from ANTLR's console listener either
}

TEST_CASE("huge and deeply nested DSL input is refused, not crashed on", "[dsl][errors]") {
  std::string dir = make_temp_dir();
  // 200,000 levels of parentheses and braces: refused before the recursive parser runs.
  std::string deep =
      "plugin t.deep\nmigration m {\n version 1.0.0\n up { create table t (x int32 check " +
      std::string(200000, '(') + "x" + std::string(200000, ')') + ") }\n}\n";
  write_file(dir + "/deep.mig", deep);
  auto result = run_cli("validate " + dir + "/deep.mig");
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("nesting deeper than 64 levels") != std::string::npos);
  std::string braces = "plugin t.deep\n" + std::string(100000, '{');
  write_file(dir + "/braces.mig", braces);
  result = run_cli("validate " + dir + "/braces.mig");
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("nesting deeper than 64 levels") != std::string::npos);
  // Larger than 16 MiB: refused before it is read.
  write_file(dir + "/huge.mig", std::string((16u << 20) + 1, ' '));
  result = run_cli("validate " + dir + "/huge.mig");
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("the limit is 16777216 bytes") != std::string::npos);
  // Not UTF-8.
  write_file(dir + "/latin1.mig", "plugin t.x\n-- caf\xe9\n");
  result = run_cli("validate " + dir + "/latin1.mig");
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("latin1.mig:2:7: error: invalid UTF-8") != std::string::npos);
  // Garbage of every byte value below 0x80.
  std::string garbage;
  for (int i = 0; i < 20000; ++i) garbage += static_cast<char>(1 + (i * 37) % 127);
  write_file(dir + "/garbage.mig", garbage);
  result = run_cli("validate " + dir + "/garbage.mig");
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("error:") != std::string::npos);
}

TEST_CASE("convert JSON to DSL and back through the CLI", "[dsl][convert]") {
  std::string dir = make_temp_dir();
  auto to_dsl =
      run_cli("convert packages/examples/crm/001-install.json --to dsl -o " + dir + "/crm.mig");
  INFO(to_dsl.err);
  REQUIRE(to_dsl.exit_code == 0);
  CHECK(to_dsl.out.empty());
  std::string dsl = read_file(dir + "/crm.mig");
  CHECK(dsl.rfind("plugin acme.crm\n", 0) == 0);
  CHECK(dsl.find("migration crm-001-install {") != std::string::npos);
  auto back = run_cli("convert " + dir + "/crm.mig --to json");
  REQUIRE(back.exit_code == 0);
  auto normalized = run_cli("convert packages/examples/crm/001-install.json --to json");
  REQUIRE(normalized.exit_code == 0);
  CHECK(back.out == normalized.out);
  CHECK(nlohmann::json::parse(back.out)["format"] == "portable-migration-v1");
}

TEST_CASE("convert writes one JSON document per migration of a DSL file", "[dsl][convert]") {
  std::string dir = make_temp_dir();
  auto refused = run_cli("convert packages/examples/crm-dsl/crm.mig --to json");
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("holds 4 migrations; give -o DIR") != std::string::npos);
  CHECK(refused.out.empty());
  auto result = run_cli("convert packages/examples/crm-dsl/crm.mig --to json -o " + dir + "/out");
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(list_dir(dir + "/out") ==
        std::vector<std::string>{"crm-001-install.json", "crm-002-departments.json",
                                 "crm-003-import-legacy.json", "crm-004-lifecycle-stage.json"});
  auto doc = nlohmann::json::parse(read_file(dir + "/out/crm-002-departments.json"));
  CHECK(doc["migration"]["id"] == "crm-002-departments");
  CHECK(doc["migration"]["pluginId"] == "acme.crm-dsl");
  // The written documents are sources in their own right.
  CHECK(run_cli("validate " + dir + "/out").exit_code == 0);
  // "-o x.json" names one file: several migrations are refused, and no directory is made.
  auto to_file =
      run_cli("convert packages/examples/crm-dsl/crm.mig --to json -o " + dir + "/notes.json");
  CHECK(to_file.exit_code == 2);
  CHECK(to_file.err.find("give -o a directory") != std::string::npos);
  CHECK(!path_exists(dir + "/notes.json"));
}

TEST_CASE("convert refuses what it cannot convert", "[dsl][convert]") {
  CHECK(run_cli("convert packages/examples/crm --to dsl").exit_code == 2);
  CHECK(run_cli("convert packages/examples/crm/001-install.json").exit_code == 2);
  CHECK(run_cli("convert packages/examples/crm/001-install.json --to yaml").exit_code == 2);
  CHECK(run_cli("convert a.mig b.mig --to json").exit_code == 2);
  auto invalid = run_cli("convert tests/errors-dsl/misspelt-keyword.mig --to json");
  CHECK(invalid.exit_code == 1);
  CHECK(invalid.out.empty());
  CHECK(invalid.err.find("misspelt-keyword.mig:3:3: error:") != std::string::npos);
  auto help = run_cli("convert --help");
  CHECK(help.exit_code == 0);
  CHECK((help.out + help.err).find("--to") != std::string::npos);
}

TEST_CASE("stdlib modules are compiled into the binary", "[dsl][stdlib]") {
  std::string dir = make_temp_dir();
  write_file(dir + "/notes.mig",
             "plugin t.notes\nuse timestamps\nuse soft_delete\nuse audit\nuse uuid_pk\nuse tenant\n"
             "migration notes-001 {\n  version 1.0.0\n  up {\n"
             "    create table notes (use uuid_pk, body text, use tenant, use timestamps, "
             "use soft_delete, use audit)\n  }\n}\n");
  // Through JSON, which holds the columns the groups gave (`--to dsl` of a .mig keeps the uses).
  auto json = run_cli("convert " + dir + "/notes.mig --to json");
  REQUIRE(json.exit_code == 0);
  write_file(dir + "/notes.json", json.out);
  auto result = run_cli("convert " + dir + "/notes.json --to dsl");
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  for (const char* column : {"id uuid not null default uuid()", "tenant_id string(64) not null",
                             "created_at timestamptz not null default now()", "deleted_at",
                             "created_by string(255)", "updated_by", "primary key (id)"})
    CHECK(result.out.find(column) != std::string::npos);
}

TEST_CASE("a copied binary needs no source tree for the stdlib", "[dsl][stdlib]") {
  std::string dir = make_temp_dir();
  write_file(dir + "/t.mig",
             "plugin t.copy\nuse timestamps\nmigration m {\n  version 1.0.0\n  up {\n"
             "    create table t (id serial primary key, use timestamps)\n  }\n}\n");
  std::string command = "cp '" + binary() + "' '" + dir + "/migpkg' && cd '" + dir +
                        "' && ./migpkg convert t.mig --to json >t.json 2>err.txt && ./migpkg "
                        "convert t.json --to dsl >out.txt";
  REQUIRE(std::system(command.c_str()) == 0);
  CHECK(read_file(dir + "/out.txt").find("created_at timestamptz not null default now()") !=
        std::string::npos);
}

TEST_CASE("MIGPKG_STDLIB_DIR replaces the embedded stdlib", "[dsl][stdlib]") {
  std::string dir = make_temp_dir();
  write_file(dir + "/timestamps.mig", "group timestamps (stamped_at date not null)\n");
  write_file(dir + "/t.mig",
             "plugin t.override\nuse timestamps\nmigration m {\n  version 1.0.0\n  up {\n"
             "    create table t (id serial primary key, use timestamps)\n  }\n}\n");
  setenv("MIGPKG_STDLIB_DIR", dir.c_str(), 1);
  auto json = run_cli("convert " + dir + "/t.mig --to json");
  auto missing = run_cli("convert tests/dsl/every-statement.mig --to dsl");  // uses soft_delete
  unsetenv("MIGPKG_STDLIB_DIR");
  REQUIRE(json.exit_code == 0);
  write_file(dir + "/t.json", json.out);
  auto result = run_cli("convert " + dir + "/t.json --to dsl");
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("stamped_at date not null") != std::string::npos);
  CHECK(result.out.find("created_at") == std::string::npos);
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("no stdlib module `soft_delete`") != std::string::npos);
}
