// The JSON Schemas as editors use them (docs/editors.md): a portable-migration-v1 document names
// its schema with "$schema" set to the schema's $id, each $id ends in the schema's file name (the
// name `cmake --install` gives it under share/migpkg/schemas/), and a document that carries the
// member is still valid to the schema and to migpkg.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "unit/json_schema_check.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {
const std::string kSchemaBase = "https://migpkg.dev/schemas/";
}

TEST_CASE("every schema's $id names its file under the one base URL", "[editors]") {
  std::size_t schemas = 0;
  for (const auto& name : list_dir(source_dir() + "/schemas")) {
    if (name.size() < 12 || name.substr(name.size() - 12) != ".schema.json") continue;
    ++schemas;
    INFO(name);
    auto schema = nlohmann::json::parse(read_file(source_dir() + "/schemas/" + name));
    CHECK(schema.value("$id", "") == kSchemaBase + name);
  }
  CHECK(schemas > 10);
  CHECK(read_file(source_dir() + "/docs/format.md")
            .find("`" + kSchemaBase + "portable-migration-v1.schema.json`") != std::string::npos);
}

TEST_CASE("a portable-migration-v1 document may name its schema by $id", "[editors]") {
  const std::string id = kSchemaBase + "portable-migration-v1.schema.json";
  auto schema = load_schema("portable-migration-v1.schema.json");
  std::string dir = make_temp_dir();
  std::size_t documents = 0;
  for (const auto& example : list_dir(source_dir() + "/packages/examples", true)) {
    std::string from = source_dir() + "/packages/examples/" + example;
    for (const auto& name : list_dir(from)) {
      if (std::filesystem::path(name).extension() != ".json") continue;
      auto document = nlohmann::json::parse(read_file(from + "/" + name));
      if (document.value("format", "") != "portable-migration-v1") continue;
      ++documents;
      INFO(example << "/" << name);
      document["$schema"] = id;
      CHECK(schema_violations(schema, document).empty());
      std::filesystem::create_directories(dir + "/" + example);
      write_file(dir + "/" + example + "/" + name, document.dump(2));
    }
    if (std::filesystem::exists(dir + "/" + example)) {
      INFO(example);
      CommandResult validate = run_cli("validate " + shell_quoted(dir + "/" + example));
      CHECK(validate.err.find("warning") == std::string::npos);
      CHECK(validate.err.rfind("ok: ", 0) == 0);
      CHECK(validate.exit_code == 0);
    }
  }
  CHECK(documents > 5);
}
