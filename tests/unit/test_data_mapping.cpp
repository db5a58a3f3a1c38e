// --map of import and copy without a database: the transform functions on portable values
// (cases in tests/data-move/functions.json), properties of round and substring, the mapping
// file's mistakes reported with file and JSON pointer (tests/data-move/map-errors/), and how a
// mapping turns a source row into the target's (docs/data.md, "Mappings").
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <random>

#include "runtime/data/data_mapping.hpp"
#include "runtime/data/value_functions.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using migpkg::data::Row;
using migpkg::data::Value;
using json = nlohmann::json;

namespace {

migpkg::ir::Literal literal(const json& value) {
  migpkg::ir::Literal out;
  if (value.is_boolean()) {
    out.kind = migpkg::ir::Literal::Kind::Bool;
    out.boolean = value.get<bool>();
  } else if (value.is_number_integer()) {
    out.kind = migpkg::ir::Literal::Kind::Integer;
    out.integer = value.get<std::int64_t>();
    out.text = value.dump();
  } else if (value.is_string()) {
    out.kind = migpkg::ir::Literal::Kind::String;
    out.text = value.get<std::string>();
  }
  return out;
}

Value value(const json& v) {
  return v.is_null() ? Value() : Value(v.get<std::string>());
}

std::string decimal(std::mt19937_64& random) {
  std::string out = random() % 2 ? "-" : "";
  out += std::to_string(random() % 100000);
  std::size_t fraction = random() % 8;
  if (fraction) out += ".";
  for (std::size_t i = 0; i < fraction; ++i) out += static_cast<char>('0' + random() % 10);
  return out;
}

}  // namespace

TEST_CASE("transform functions give the documented value for each case", "[data][mappings]") {
  json cases = json::parse(read_file(source_dir() + "/tests/data-move/functions.json"))["cases"];
  REQUIRE(cases.size() > 20);
  for (const json& c : cases) {
    INFO(c.dump());
    std::vector<migpkg::ir::Literal> parameters;
    for (const json& p : c.value("parameters", json::array())) parameters.push_back(literal(p));
    if (c.contains("refused")) {
      CHECK_THROWS_WITH(migpkg::data::apply_function(c["function"], parameters, value(c["in"])),
                        Catch::Contains(c["refused"].get<std::string>()));
    } else {
      CHECK(migpkg::data::apply_function(c["function"], parameters, value(c["in"])) ==
            value(c["out"]));
    }
  }
}

TEST_CASE(
    "round keeps at most the digits asked for and is off by at most half a unit, and "
    "substring pieces put together give the text back",
    "[data][mappings]") {
  std::mt19937_64 random(17);
  for (int i = 0; i < 2000; ++i) {
    std::string in = decimal(random);
    std::int64_t places = static_cast<std::int64_t>(random() % 4);
    migpkg::ir::Literal p;
    p.kind = migpkg::ir::Literal::Kind::Integer;
    p.integer = places;
    std::string out = *migpkg::data::apply_function("round", {p}, in);
    INFO(in << " -> " << out << " at " << places);
    std::size_t dot = out.find('.');
    CHECK((dot == std::string::npos ? 0 : out.size() - dot - 1) <=
          static_cast<std::size_t>(places));
    double difference = std::abs(std::stod(out) - std::stod(in));
    CHECK(difference <= 0.5 * std::pow(10.0, -static_cast<double>(places)) + 1e-9);
  }
  for (const std::string text : {"", "a", "héllo wörld 😀", "ab\xF0\x9F\x98\x80z"}) {
    std::string length = *migpkg::data::apply_function("length", {}, text);
    std::int64_t n = std::stoll(length);
    for (std::int64_t cut = 1; cut <= n + 1; ++cut) {
      migpkg::ir::Literal one, at, count;
      one.kind = at.kind = count.kind = migpkg::ir::Literal::Kind::Integer;
      one.integer = 1;
      at.integer = cut;
      count.integer = cut - 1;
      std::string head = *migpkg::data::apply_function("substring", {one, count}, text);
      std::string tail = *migpkg::data::apply_function("substring", {at}, text);
      CHECK(head + tail == text);
    }
  }
}

TEST_CASE("a mapping file's mistakes are reported with the file and the JSON pointer",
          "[data][mappings][errors]") {
  const std::string dir = source_dir() + "/tests/data-move/map-errors";
  std::vector<std::string> files = list_dir(dir);
  std::size_t cases = 0;
  for (const std::string& file : files) {
    if (file.size() < 5 || file.substr(file.size() - 5) != ".json") continue;
    ++cases;
    std::string path = dir + "/" + file;
    std::string expected = read_file(path.substr(0, path.size() - 5) + ".expected");
    while (!expected.empty() && expected.back() == '\n') expected.pop_back();
    INFO(file);
    CHECK_THROWS_WITH(migpkg::data::DataMapping::read(path),
                      Catch::StartsWith(path + ": ") && Catch::Contains(expected));
  }
  CHECK(cases >= 8);
}

TEST_CASE("a mapping renames, drops and transforms the columns it names and keeps the others",
          "[data][mappings]") {
  const std::string path = make_temp_dir() + "/map.json";
  write_file(path, R"({"tables": [{"source": "legacy", "target": "people", "mapping": [
      {"source": "full_name", "target": "name", "transform": {"type": "function", "definition": "upper"}},
      {"source": "status", "transform": {"type": "lookup", "definition": {"A": "active", "X": null}},
       "defaultValue": "unknown"},
      {"source": "junk", "drop": true}]}]})");
  migpkg::data::DataMapping mapping = migpkg::data::DataMapping::read(path);
  CHECK(mapping.target_table("legacy") == "people");
  CHECK(mapping.target_table("other") == "other");
  migpkg::data::DataTable legacy;
  legacy.name = "legacy";
  for (const char* name : {"id", "full_name", "junk", "status"})
    legacy.columns.push_back({name, {}, true, false});
  legacy.primary_key = {"id"};
  migpkg::data::RowProjection projection(legacy, mapping.find("legacy"));
  CHECK(projection.target_columns() == std::vector<std::string>{"id", "name", "status"});
  CHECK(projection.apply({"1", "ada", "x", "A"}) == Row{"1", "ADA", "active"});
  CHECK(projection.apply({"2", std::nullopt, "x", "X"}) == Row{"2", std::nullopt, "unknown"});
  CHECK(projection.apply({"3", "", std::nullopt, "B"}) == Row{"3", "", "unknown"});

  // A column the source does not have, and two columns into one, are refused.
  write_file(path, R"({"tables": [{"source": "legacy", "mapping": [{"source": "nope"}]}]})");
  mapping = migpkg::data::DataMapping::read(path);
  CHECK_THROWS_WITH(migpkg::data::RowProjection(legacy, mapping.find("legacy")),
                    Catch::Contains("/tables/0/mapping/0: table legacy has no column nope"));
  write_file(
      path,
      R"({"tables": [{"source": "legacy", "mapping": [{"source": "junk", "target": "status"}]}]})");
  mapping = migpkg::data::DataMapping::read(path);
  CHECK_THROWS_WITH(migpkg::data::RowProjection(legacy, mapping.find("legacy")),
                    Catch::Contains("two columns of table legacy map to status"));
  // A value a function cannot take is a refused value naming table, key, column and value.
  write_file(path, R"({"tables": [{"source": "legacy", "mapping": [{"source": "junk",
      "transform": {"type": "function", "definition": "abs"}}]}]})");
  mapping = migpkg::data::DataMapping::read(path);
  migpkg::data::RowProjection refusing(legacy, mapping.find("legacy"));
  CHECK_THROWS_WITH(refusing.apply({"7", "a", "x1", "A"}),
                    Catch::Contains("table legacy, row ('7'), column junk, value x1"));
}
