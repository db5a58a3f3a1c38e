// schemas/openapi.json: its schemas use only what the test's checker checks (so that holding a
// response to them means something), and it describes exactly the routes the server has.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>

#include "unit/json_schema_check.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using nlohmann::json;

TEST_CASE("the OpenAPI document's schemas are ones the checker checks", "[serve][schemas]") {
  json doc = load_schema("openapi.json");
  CHECK(doc["openapi"].get<std::string>().rfind("3.1", 0) == 0);
  for (const auto& [name, schema] : doc["components"]["schemas"].items()) {
    INFO(name);
    CHECK(schema_problems_at(doc, "/components/schemas/" + name).empty());
  }
  std::size_t checked = 0;
  for (const auto& [path, item] : doc["paths"].items())
    for (const auto& [method, operation] : item.items())
      for (const auto& [status, response] : operation["responses"].items()) {
        INFO(method << " " << path << " " << status);
        if (!response.contains("content")) continue;
        for (const auto& [type, media] : response["content"].items()) {
          INFO(type);
          REQUIRE(media.contains("schema"));
          std::string pointer = "/paths/";
          for (char c : path) pointer += c == '/' ? std::string("~1") : std::string(1, c);
          pointer += "/" + method + "/responses/" + status + "/content/";
          for (char c : type) pointer += c == '/' ? std::string("~1") : std::string(1, c);
          CHECK(schema_problems_at(doc, pointer + "/schema").empty());
          ++checked;
        }
      }
  CHECK(checked >= 8);
}

TEST_CASE("the OpenAPI document lists the routes the server has", "[serve][schemas]") {
  json doc = load_schema("openapi.json");
  std::set<std::string> documented;
  for (const auto& [path, item] : doc["paths"].items())
    for (const auto& [method, operation] : item.items()) documented.insert(method + " " + path);
  // The server's routes, as serve/ registers them (add_route calls).
  std::set<std::string> served;
  for (const auto& file : list_dir(source_dir() + "/serve")) {
    // Without white space, so that a call however formatted reads the same.
    std::string text;
    for (char c : read_file(source_dir() + "/serve/" + file))
      if (!std::isspace(static_cast<unsigned char>(c))) text += c;
    std::size_t at = 0;
    while ((at = text.find("add_route(server,state,\"", at)) != std::string::npos) {
      at += std::string("add_route(server,state,\"").size();
      const std::string method = text.substr(at, text.find('"', at) - at);
      const std::size_t path_start = text.find('"', text.find(',', at)) + 1;
      const std::string path = text.substr(path_start, text.find('"', path_start) - path_start);
      std::string lower = method;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      served.insert(lower + " " + path);
    }
  }
  CHECK(served.size() >= 8);
  CHECK(served == documented);
}
