// import --where's conditions (runtime/data/row_filter.hpp), data-driven: every case of
// tests/data-move/where-conditions.json is parsed against the table it describes and run over
// its rows; the ids selected, or the error's words, must be as the file says.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "compiler/schema/type_names.hpp"
#include "runtime/data/row_filter.hpp"
#include "test_support.hpp"

using namespace migpkg::test;
using namespace migpkg::data;
using json = nlohmann::json;

TEST_CASE("import --where conditions select the rows the case file says, or name the problem",
          "[data][where]") {
  const json file = json::parse(read_file(source_dir() + "/tests/data-move/where-conditions.json"));
  DataTable table;
  table.name = "t";
  for (const json& column : file["columns"]) {
    DataColumn c;
    c.name = column["name"];
    auto type = migpkg::schema::parse_type_name(column["type"].get<std::string>());
    REQUIRE(type);
    c.type = *type;
    table.columns.push_back(c);
  }
  std::vector<Row> rows;
  for (const json& row : file["rows"]) {
    Row r;
    for (const json& value : row)
      r.push_back(value.is_null() ? Value() : Value(value.get<std::string>()));
    rows.push_back(r);
  }
  REQUIRE(file["cases"].size() > 40);
  for (const json& c : file["cases"]) {
    const std::string where = c["where"];
    INFO(where);
    if (c.contains("error")) {
      try {
        RowFilter filter(table, where);
        FAIL("accepted");
      } catch (const std::runtime_error& error) {
        CHECK_THAT(error.what(), Catch::Contains(c["error"].get<std::string>()));
        CHECK_THAT(error.what(), Catch::StartsWith("--where t:" + where + ": "));
      }
      continue;
    }
    RowFilter filter(table, where);
    if (c.contains("rowError")) {
      CHECK_THROWS_WITH(
          [&] {
            for (const Row& row : rows) filter.matches(row);
          }(),
          Catch::Contains(c["rowError"].get<std::string>()));
      continue;
    }
    std::vector<long long> ids;
    for (const Row& row : rows)
      if (filter.matches(row)) ids.push_back(std::stoll(*row[0]));
    CHECK(ids == c["ids"].get<std::vector<long long>>());
  }
}
