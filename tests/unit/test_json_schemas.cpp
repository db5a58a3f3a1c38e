// The JSON Schemas in schemas/ are part of migpkg's interface (docs/runtime.md, plan-format.md,
// package-format.md, format.md): these tests hold what migpkg really writes to them, on SQLite
// and PostgreSQL, in success and in every refusal and failure a run report can describe.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <map>

#include "compiler/dialects/dialect.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/json_schema_check.hpp"
#include "unit/package_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using nlohmann::json;

namespace {

// Parses `text` (a command's stdout) and checks it against schemas/<schema>; `what` says where
// it came from in the failure message.
void require_valid(const std::string& schema_name, const std::string& text,
                   const std::string& what) {
  INFO(what);
  json document;
  try {
    document = json::parse(text);
  } catch (const json::exception& e) {
    FAIL("not JSON (" << e.what() << "):\n" << text);
  }
  static std::map<std::string, json> schemas;
  auto schema = schemas.find(schema_name);
  if (schema == schemas.end())
    schema = schemas.emplace(schema_name, load_schema(schema_name)).first;
  auto violations = schema_violations(schema->second, document);
  std::string listed;
  for (const auto& v : violations) listed += "  " + v + "\n";
  INFO("violations of " << schema_name << ":\n" << listed << "document:\n" << text);
  CHECK(violations.empty());
}

// `migpkg ARGS --json` against the database: checks the exit code and the report's schema.
void report(const std::string& schema, const std::string& arguments, int exit_code) {
  auto result = run_cli(arguments + " --json");
  INFO("migpkg " << arguments << " --json\nstderr:\n" << result.err);
  CHECK(result.exit_code == exit_code);
  require_valid(schema, result.out, "migpkg " + arguments + " --json");
}

bool ends_with(const std::string& text, const std::string& end) {
  return text.size() >= end.size() && text.compare(text.size() - end.size(), end.size(), end) == 0;
}

// Every *.json file below `dir` (relative to the repository root), recursively.
std::vector<std::string> json_files(const std::string& dir) {
  std::vector<std::string> out;
  auto dirs = list_dir(source_dir() + "/" + dir, true);
  for (const auto& name : list_dir(source_dir() + "/" + dir)) {
    std::string path = dir + "/" + name;
    if (std::find(dirs.begin(), dirs.end(), name) != dirs.end())
      for (const auto& inner : json_files(path)) out.push_back(inner);
    else if (ends_with(name, ".json"))
      out.push_back(path);
  }
  return out;
}

}  // namespace

TEST_CASE("the schema checker finds what breaks a schema, and only that", "[schemas]") {
  json schema = json::parse(R"({
    "$defs": {"id": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 5}},
    "type": "object",
    "required": ["id", "n"],
    "additionalProperties": false,
    "properties": {
      "id": {"$ref": "#/$defs/id"},
      "n": {"type": "integer", "minimum": 1},
      "kind": {"enum": ["a", "b"]},
      "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true, "maxItems": 2},
      "v": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
      "w": {"if": {"const": 1}, "then": {"type": "integer"}, "else": {"type": "string"}},
      "x": {"not": {"type": "null"}, "anyOf": [{"type": "boolean"}, {"type": "number"}]}
    }
  })");
  REQUIRE(schema_problems(schema).empty());
  CHECK(schema_violations(schema, json::parse(R"({"id": "abc", "n": 2, "kind": "a",
      "tags": ["x", "y"], "v": 3, "w": "s", "x": true})"))
            .empty());
  CHECK(schema_violations(schema, json::parse(R"({"id": "abc", "n": 2.0})")).empty());

  auto broken = [&](const char* text) { return schema_violations(schema, json::parse(text)); };
  CHECK(broken(R"({"id": "abc"})") ==
        std::vector<std::string>{": the required member \"n\" is missing"});
  CHECK(broken(R"({"id": "ABC", "n": 1})") ==
        std::vector<std::string>{"/id: \"ABC\" does not match \"^[a-z]+$\""});
  CHECK(broken(R"({"id": "abcdef", "n": 1})") ==
        std::vector<std::string>{"/id: longer than 5 characters"});
  CHECK(broken(R"({"id": "a", "n": 0})") ==
        std::vector<std::string>{"/n: 0 is below the minimum 1"});
  CHECK(broken(R"({"id": "a", "n": 1.5})") ==
        std::vector<std::string>{"/n: number where the schema wants \"integer\""});
  CHECK(broken(R"({"id": "a", "n": 1, "kind": "c"})") ==
        std::vector<std::string>{"/kind: \"c\" is not one of [\"a\",\"b\"]"});
  CHECK(broken(R"({"id": "a", "n": 1, "tags": ["x", "x"]})") ==
        std::vector<std::string>{
            "/tags: items 0 and 1 are equal, and the schema wants unique items"});
  CHECK(broken(R"({"id": "a", "n": 1, "tags": ["x", 2, "y"]})").size() == 2);
  CHECK(broken(R"({"id": "a", "n": 1, "v": null})") ==
        std::vector<std::string>{"/v: matches 0 of the oneOf alternatives, not exactly one"});
  CHECK(broken(R"({"id": "a", "n": 1, "w": 1})").empty());
  CHECK(broken(R"({"id": "a", "n": 1, "w": 2})") ==
        std::vector<std::string>{"/w: number where the schema wants \"string\""});
  CHECK(broken(R"({"id": "a", "n": 1, "x": null})").size() == 2);  // not, and anyOf
  CHECK(broken(R"({"id": "a", "n": 1, "extra/member": 1})") ==
        std::vector<std::string>{"/extra~1member: a member the schema does not allow"});
  CHECK(broken(R"([])") == std::vector<std::string>{": array where the schema wants \"object\""});

  json more = json::parse(R"({
    "type": "object", "minProperties": 1, "maxProperties": 3,
    "properties": {
      "c": {"const": "v1"},
      "s": {"type": "string", "minLength": 2},
      "a": {"type": "array", "minItems": 1},
      "m": {"type": "number", "maximum": 10},
      "all": {"allOf": [{"type": "integer"}, {"minimum": 5}]},
      "plan": {"$ref": "plan.schema.json#/$defs/source"}
    }
  })");
  REQUIRE(schema_problems(more).empty());
  auto more_broken = [&](const char* text) { return schema_violations(more, json::parse(text)); };
  CHECK(more_broken(R"({"c": "v1", "s": "ab", "m": 10})").empty());
  CHECK(more_broken(R"({})") == std::vector<std::string>{": fewer than 1 members"});
  CHECK(more_broken(R"({"c": 1, "s": "ab", "a": [1], "m": 1})") ==
        std::vector<std::string>{"/c: 1 is not \"v1\"", ": more than 3 members"});
  CHECK(more_broken(R"({"s": "é"})") == std::vector<std::string>{"/s: shorter than 2 characters"});
  CHECK(more_broken(R"({"s": "éé"})").empty());  // characters, not bytes
  CHECK(more_broken(R"({"a": []})") == std::vector<std::string>{"/a: fewer than 1 items"});
  CHECK(more_broken(R"({"m": 10.5})") ==
        std::vector<std::string>{"/m: 10.5 is above the maximum 10"});
  CHECK(more_broken(R"({"all": 4})") == std::vector<std::string>{"/all: 4 is below the minimum 5"});
  CHECK(more_broken(R"({"plan": {"file": "a.json", "pointer": "/migration"}})").empty());
  CHECK_FALSE(more_broken(R"({"plan": {"file": 1}})").empty());

  // What the checker cannot check, it says instead of passing it by.
  json unknown = json::parse(R"({"type": "string", "contentEncoding": "base64",
                                 "properties": {"a": {"$ref": "#/$defs/missing"}}})");
  CHECK(schema_problems(unknown) ==
        std::vector<std::string>{"/contentEncoding: a keyword the checker does not know",
                                 "/properties/a/$ref: #/$defs/missing leads nowhere"});
  CHECK_FALSE(schema_violations(unknown, json("text")).empty());
}

TEST_CASE("every schema in schemas/ uses only what the checker checks", "[schemas]") {
  for (const auto& name : list_dir(source_dir() + "/schemas")) {
    // The OpenAPI document is not a schema; its schemas are checked by test_serve_openapi.cpp.
    if (name == "openapi.json") continue;
    INFO(name);
    json schema = load_schema(name);
    CHECK(schema.value("$schema", "") == "https://json-schema.org/draft/2020-12/schema");
    CHECK(schema_problems(schema) == std::vector<std::string>{});
  }
}

// A schema cannot include the C++ lists of engines and dialects, so it states them again; these
// checks keep the copies equal to the one list (ir::kAllEngines, the dialect registry).
TEST_CASE("the schemas list exactly the engines and dialects migpkg knows", "[schemas]") {
  json source = load_schema("portable-migration-v1.schema.json");
  CHECK(source["$defs"]["engine"]["enum"].get<std::vector<std::string>>() ==
        migpkg::ir::engine_names());
  std::vector<std::string> sql_members;
  for (const auto& [member, _] : source["$defs"]["engineSql"]["properties"].items())
    sql_members.push_back(member);
  std::vector<std::string> expected = migpkg::ir::engine_names();
  expected.push_back("universal");
  std::sort(sql_members.begin(), sql_members.end());
  std::sort(expected.begin(), expected.end());
  CHECK(sql_members == expected);

  json plan = load_schema("plan.schema.json");
  CHECK(plan["properties"]["dialect"]["enum"].get<std::vector<std::string>>() ==
        migpkg::dialect_names());

  // status names the engine of the database: one migpkg runs on (the registry's engines).
  std::vector<std::string> runtime_engines;
  for (migpkg::ir::Engine engine : migpkg::ir::kAllEngines)
    if (migpkg::runtime::has_runtime(engine))
      runtime_engines.push_back(migpkg::ir::engine_name(engine));
  std::sort(runtime_engines.begin(), runtime_engines.end());
  std::vector<std::string> status_engines =
      load_schema("status.schema.json")["properties"]["engine"]["enum"];
  std::sort(status_engines.begin(), status_engines.end());
  CHECK(status_engines == runtime_engines);
  // check's report names the dialect of the database it rehearsed on.
  std::vector<std::string> check_dialects =
      load_schema("check-report.schema.json")["properties"]["dialect"]["enum"];
  std::sort(check_dialects.begin(), check_dialects.end());
  CHECK(check_dialects == runtime_engines);
}

TEST_CASE("sources, stored plans and golden plans match their schemas", "[schemas]") {
  std::size_t sources = 0, plans = 0;
  for (const auto& dir : valid_source_dirs()) {
    for (const auto& file : json_files(dir)) {
      std::string text = read_file(source_dir() + "/" + file);
      std::string format = json::parse(text).value("format", "");
      if (format == "portable-migration-v1") {
        require_valid("portable-migration-v1.schema.json", text, file);
        ++sources;
      } else if (format == "migpkg-plan-v1") {
        require_valid("plan.schema.json", text, file);
        ++plans;
      }
    }
  }
  CHECK(sources >= 30);
  CHECK(plans >= 50);
}

TEST_CASE("compiled plans and converted DSL sources match their schemas", "[schemas]") {
  for (const auto& dir : valid_source_dirs()) {
    bool example = dir.rfind("packages/examples/", 0) == 0;
    auto dialects =
        example ? migpkg::dialect_names() : case_dialects(dir.substr(dir.rfind('/') + 1));
    for (const auto& dialect : dialects) {
      auto compiled = run_cli("compile " + dir + " --dialect " + dialect + " --format json");
      INFO(dir << " " << dialect << ": " << compiled.err);
      if (compiled.exit_code != 0) {
        // A dialect a case cannot be compiled for says so (unsupported-change); not a plan.
        CHECK(compiled.err.find("error") != std::string::npos);
        continue;
      }
      require_valid("plan.schema.json", compiled.out, "compile " + dir + " --dialect " + dialect);
    }
    for (const auto& name : list_dir(source_dir() + "/" + dir)) {
      if (!ends_with(name, ".mig")) continue;
      // One document per migration, written into a directory.
      std::string out = make_temp_dir();
      auto converted = run_cli("convert " + dir + "/" + name + " --to json -o '" + out + "'");
      INFO(converted.err);
      REQUIRE(converted.exit_code == 0);
      auto documents = list_dir(out);
      CHECK_FALSE(documents.empty());
      for (const auto& document : documents)
        require_valid("portable-migration-v1.schema.json", read_file(out + "/" + document),
                      "convert " + dir + "/" + name + ": " + document);
    }
  }
}

TEST_CASE("a package's manifest matches its schema", "[schemas][package]") {
  std::string tmp = make_temp_dir();
  make_key(tmp, "publisher");
  for (const auto& example : list_dir(source_dir() + "/packages/examples", true)) {
    std::string bytes = pack(source_dir() + "/packages/examples/" + example,
                             tmp + "/" + example + ".migpkg", tmp + "/publisher.key");
    auto entries = read_raw_entries(bytes);
    REQUIRE_FALSE(entries.empty());
    REQUIRE(entries[0].name == "manifest.json");
    require_valid("manifest.schema.json", entries[0].content, example + ": manifest.json");
  }
}

TEST_CASE("status, history and run reports match their schemas in every outcome",
          "[schemas][sqlite][postgresql]") {
  const std::string F = "tests/scenarios/fixtures/";
  std::string backups = make_temp_dir();
  for_each_database_url("migpkg_schemas", [&](const std::string& url) {
    std::string db = " --db '" + url + "'";
    // A database migpkg has never touched.
    report("status.schema.json", "status" + db, 0);
    report("history.schema.json", "history" + db, 0);
    report("audit.schema.json", "audit" + db, 0);
    report("run-report.schema.json", "plan " + F + "shop" + db, 0);
    report("run-report.schema.json", "install " + F + "shop --dry-run" + db, 0);
    // Installed, then a risky migration with a backup, a failing step, drift, a conflict.
    report("run-report.schema.json", "install " + F + "shop" + db, 0);
    report("run-report.schema.json",
           "install " + F + "shop " + F + "shop-risky --backup-dir '" + backups + "'" + db, 0);
    report(
        "run-report.schema.json",
        "install " + F + "shop " + F + "shop-risky " + F + "shop-broken --single-transaction" + db,
        1);
    report("run-report.schema.json",
           "install " + F + "shop-drift/001-install.json " + F + "shop/002-sku.json " + F +
               "shop/003-reviews.json" + db,
           5);
    report("run-report.schema.json", "install " + F + "rival" + db, 1);
    // A non-transactional migration that fails half-way stays partial.
    report("run-report.schema.json",
           "install " + F + "shop " + F + "shop-risky " + F + "shop-nontx-broken" + db, 1);
    auto status = run_cli("status --json" + db);
    REQUIRE(status.exit_code == 0);
    CHECK_FALSE(json::parse(status.out)["partial"].empty());
    require_valid("status.schema.json", status.out, "status with a partial migration");
    // repair: refused (not half-done; a plan that runs other statements, without --yes), nothing
    // to repair, then the half-done migration marked applied (a history row `repaired`).
    report("repair-report.schema.json", "repair acme.shop --mark-applied shop-001-install" + db, 1);
    report("repair-report.schema.json", "repair --update-checksums " + F + "shop" + db, 0);
    report("repair-report.schema.json",
           "repair --update-checksums " + F + "shop-drift/001-install.json " + F +
               "shop/002-sku.json " + F + "shop/003-reviews.json" + db,
           1);
    report("repair-report.schema.json", "repair acme.shop --mark-applied shop-005-nontx" + db, 0);
    report("run-report.schema.json",
           "install " + F + "shop " + F + "shop-risky " + F + "shop-nontx-broken --dry-run" + db,
           0);
    // The backup the risky migration took, put back.
    std::string backup;
    for (const auto& row : json::parse(run_cli("history --json" + db).out))
      if (row.contains("backup") && row["backup"].is_string()) backup = row["backup"];
    REQUIRE_FALSE(backup.empty());
    report("run-report.schema.json", "restore '" + backup + "'" + db, 0);
    // Rollbacks: one version, then everything (the partial migration too).
    report("run-report.schema.json", "rollback acme.shop --to 1.1.0 --dry-run" + db, 0);
    // Their downs drop tables that hold rows: each is backed up first (named in the report).
    const std::string rollback_backups = " --backup-dir '" + backups + "'";
    report("run-report.schema.json", "rollback acme.shop --steps 1" + rollback_backups + db, 0);
    report("run-report.schema.json", "rollback acme.shop --all" + rollback_backups + db, 0);
    // The backup the last rollback took, put back: its migrations are applied again
    // ("restored-back", and history rows of state restored, direction up).
    std::string rollback_backup;
    for (const auto& row : json::parse(run_cli("history --json" + db).out))
      if (row["direction"] == "down" && row["state"] == "rolled-back" && row["backup"].is_string())
        rollback_backup = row["backup"];
    REQUIRE_FALSE(rollback_backup.empty());
    report("run-report.schema.json", "restore '" + rollback_backup + "'" + db, 0);
    report("run-report.schema.json", "rollback acme.shop --all --no-backup" + db, 0);
    // A journalled migration whose committed steps were undone at once after its failure.
    report("run-report.schema.json", "install " + F + "undo " + F + "undo-late" + db, 1);
    report("status.schema.json", "status" + db, 0);
    auto history = run_cli("history --json" + db);
    REQUIRE(history.exit_code == 0);
    auto rows = json::parse(history.out);
    CHECK(rows.size() >= 8);
    require_valid("history.schema.json", history.out, "history after every outcome");
    report("history.schema.json", "history --plugin acme.shop" + db, 0);
    // The backups the risky install and the rollbacks took: listed, then pruned (dry run first).
    auto listed = run_cli("backups --json" + rollback_backups + db);
    REQUIRE(listed.exit_code == 0);
    CHECK(json::parse(listed.out)["backups"].size() >= 2);
    require_valid("backups.schema.json", listed.out, "backups --json");
    report("backups.schema.json", "backups --prune --keep 1 --dry-run" + rollback_backups + db, 0);
    report("backups.schema.json", "backups --prune --keep 1" + rollback_backups + db, 0);
    // Every run above that wrote, in every outcome (interrupted runs: test_crash_*).
    report("audit.schema.json", "audit" + db, 0);
    report("audit.schema.json", "audit --plugin acme.shop --since 2000-01-01 --limit 3" + db, 0);
  });
}

TEST_CASE("check --json reports match schemas/check-report.schema.json",
          "[schemas][check][sqlite][postgresql]") {
  for_each_database_url("migpkg_schema_check", [&](const std::string& url) {
    bool server = url.rfind("sqlite:", 0) != 0;
    // --db: a scratch database on the server (PostgreSQL, MariaDB) or a new file (SQLite).
    std::string scratch = server ? url : "sqlite:" + make_temp_dir() + "/scratch.db";
    report("check-report.schema.json", "check tests/cases/ddl-alter --db '" + scratch + "'", 0);
    report("check-report.schema.json",
           "check packages/examples/notes-dsl --seed 20 --db '" + scratch + "'", 0);
    report("check-report.schema.json",
           "check tests/check-failures/down-loses-rows --seed 20 --db '" + scratch + "'", 1);
    report("check-report.schema.json",
           "check tests/check-failures/up-loses-rows --seed 20 --db '" + scratch + "'", 1);
    report("check-report.schema.json",
           "check tests/check-failures/down-leaves-index --db '" + scratch + "'", 1);
    // --against a database with the first migration installed.
    REQUIRE(run_cli("install tests/cases/ddl-alter/001-base.json --db '" + url + "'").exit_code ==
            0);
    report("check-report.schema.json", "check tests/cases/ddl-alter --against '" + url + "'", 0);
  });
}
