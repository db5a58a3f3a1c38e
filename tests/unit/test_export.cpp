// `migpkg export` end to end on every engine (SQLite, PostgreSQL, MariaDB), with rows: a
// plugin's tables filled through the engine's bulk path, exported by the CLI, read back from
// the data set value for value; the plugin scope; filters; and bad arguments refused before
// anything is written.
#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "json_schema_check.hpp"
#include "runtime/data/dataset.hpp"
#include "runtime/data/plugin_scope.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "test_support.hpp"

using namespace migpkg::test;
using namespace migpkg::data;
using json = nlohmann::json;

namespace {

const std::string kPlugins = "tests/data-format/plugins/";

void install_plugins(const std::string& url) {
  auto result = run_cli("install " + kPlugins + "data-a " + kPlugins + "data-b --db '" + url + "'");
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
}

std::string format(const char* pattern, long long a, long long b = 0) {
  char buffer[128];
  std::snprintf(buffer, sizeof buffer, pattern, a, b);
  return buffer;
}

// Row i of dataa_items in portable form: a deterministic mix of edge values and NULLs that
// every engine holds.
Row item(long long i) {
  static const char* timestamps[] = {"2024-01-01T00:00:00", "1960-05-06T07:08:09.123456",
                                     "1999-12-31T23:59:59.5", "2038-01-19T03:14:08"};
  static const char* instants[] = {"2024-06-30T22:00:00Z", "1969-07-20T20:17:40Z",
                                   "2000-02-29T12:00:00.000001Z"};
  static const char* days[] = {"2024-02-29", "1900-01-01", "1970-01-01", "9999-12-31"};
  static const char* floats[] = {"0.1", "-2.5", "1e+300", "3", "123456.789"};
  static const char* labels[] = {"plain", "café 😀", "comma, \"quoted\"", "", "line\nbreak"};
  Row r;
  r.emplace_back(std::to_string(i));
  if (i == 1) {
    r.emplace_back("9223372036854775807");
  } else if (i == 2) {
    r.emplace_back("-9223372036854775808");
  } else if (i % 7 == 0) {
    r.emplace_back();
  } else {
    long long n = static_cast<long long>((static_cast<unsigned long long>(i) * 2654435761ull) >> 3);
    r.emplace_back(std::to_string(i % 2 ? n : -n));
  }
  r.emplace_back(i == 3 ? "-32768" : i == 4 ? "32767" : std::to_string(i % 1000 - 500));
  long long cents = (i * 7919) % 100000;
  r.emplace_back(i == 5 ? std::string("9999999999.99")
                        : (i % 2 && cents ? "-" : "") + std::to_string(cents / 100) + "." +
                              format("%02lld", cents % 100));
  r.emplace_back(i % 3 == 0 ? Value() : Value(i % 3 == 1 ? "true" : "false"));
  r.emplace_back(std::string(labels[i % 5]) + (i % 5 == 3 ? "" : " " + std::to_string(i)));
  r.emplace_back(i % 13 == 0 ? Value() : Value("body of " + std::to_string(i) + "\r\n\tend"));
  r.emplace_back(i % 17 == 0 ? std::string()
                             : std::string({'\0', static_cast<char>(i & 0xff), '\xff', '\0'}));
  r.emplace_back(timestamps[i % 4]);
  r.emplace_back(instants[i % 3]);
  r.emplace_back(days[i % 4]);
  r.emplace_back(i % 4 == 0 ? Value()
                            : Value("{\"i\":" + std::to_string(i) + ",\"tags\":[\"a\",\"b\"]}"));
  r.emplace_back(format("%08llx-0000-4000-8000-%012llx", i, i * 31));
  r.emplace_back(floats[i % 5]);
  return r;
}

constexpr long long kItems = 12000;  // more than one batch of read_data

void fill_items(const std::string& url) {
  auto connection = migpkg::runtime::open_url(url);
  const auto& engine = migpkg::runtime::engine_of(*connection);
  auto table = engine.data_table(*connection, "dataa_items");
  REQUIRE(table);
  std::vector<std::string> columns;
  for (const auto& c : table->columns) columns.push_back(c.name);
  connection->begin();
  std::vector<Row> rows;
  for (long long i = 1; i <= kItems; ++i) {
    rows.push_back(item(i));
    if (rows.size() == 1000 || i == kItems) {
      engine.write_data(*connection, *table, columns, rows, OnConflict::Fail);
      rows.clear();
    }
  }
  connection->execute(
      "INSERT INTO datab_things (id, name) VALUES (1, 'one'), (2, 'two'), "
      "(7, 'seven'), (9, 'nine')");
  connection->commit();
}

std::vector<Row> read_all(const std::string& path, const std::string& table) {
  std::vector<Row> out;
  DatasetReader::open(path)->read_rows(table, 0, 5000, [&](std::vector<Row> rows) {
    for (auto& r : rows) out.push_back(std::move(r));
  });
  return out;
}

void check_schema(const std::string& schema_name, const std::string& text) {
  for (const auto& v : schema_violations(load_schema(schema_name), json::parse(text)))
    FAIL_CHECK(schema_name << ": " << v);
}

}  // namespace

TEST_CASE("plugin scope: a plugin's installed version and the tables its migrations created",
          "[data][export]") {
  for_each_database_url("migpkg_scope", [&](const std::string& url) {
    install_plugins(url);
    auto connection = migpkg::runtime::open_url(url);
    auto scopes = plugin_scopes(*connection, {"acme.datab", "acme.dataa"});
    REQUIRE(scopes.size() == 2);
    CHECK(scopes[0].plugin_id == "acme.datab");
    CHECK(scopes[0].version == "2.0.0");
    CHECK(scopes[0].tables == std::vector<std::string>{"datab_things"});
    CHECK(scopes[1].version == "1.1.0");
    CHECK(scopes[1].tables == std::vector<std::string>{"dataa_items", "dataa_notes"});
    CHECK(installed_plugin_version(*connection, "acme.dataa") == std::string("1.1.0"));
    CHECK_FALSE(installed_plugin_version(*connection, "acme.nope"));
    CHECK_THROWS_WITH(plugin_scopes(*connection, {"acme.nope"}),
                      "plugin acme.nope is not installed in this database (installed: acme.dataa "
                      "1.1.0, acme.datab 2.0.0)");
  });
  auto empty = migpkg::runtime::open_url("sqlite::memory:");
  CHECK_THROWS_WITH(plugin_scopes(*empty, {"acme.dataa"}),
                    "plugin acme.dataa is not installed in this database (no plugin is installed "
                    "there)");
}

TEST_CASE("export writes a plugin's tables, every value as the engine holds it", "[data][export]") {
  for_each_database_url("migpkg_export", [&](const std::string& url) {
    install_plugins(url);
    fill_items(url);
    const std::string db = " --db '" + url + "'";
    for (const char* form : {"set", "set.migdata"}) {
      INFO(form);
      std::string out = make_temp_dir() + "/" + form;
      auto result = run_cli("export acme.dataa -o '" + out + "' --compress zstd --json" + db);
      INFO(result.err);
      REQUIRE(result.exit_code == 0);
      check_schema("export-report.schema.json", result.out);
      json report = json::parse(result.out);
      CHECK(report["rows"] == kItems);
      CHECK(report["plugins"] == json::parse(R"([{"id":"acme.dataa","version":"1.1.0"}])"));
      REQUIRE(report["tables"].size() == 2);
      CHECK(report["tables"][0]["name"] == "dataa_items");
      CHECK(report["tables"][0]["rows"] == kItems);
      CHECK(report["tables"][1]["name"] == "dataa_notes");
      CHECK(report["tables"][1]["rows"] == 0);
      auto reader = DatasetReader::open(out);
      const DatasetManifest& m = reader->manifest();
      CHECK(m.plugins.size() == 1);
      CHECK(m.source_engine ==
            migpkg::runtime::engine_of(migpkg::runtime::DatabaseUrl::parse(url)).name());
      CHECK(m.tables[0].content_hash == report["tables"][0]["contentHash"]);
      std::vector<Row> rows = read_all(out, "dataa_items");
      REQUIRE(rows.size() == static_cast<std::size_t>(kItems));
      for (long long i = 1; i <= kItems; ++i) {
        Row expected = item(i);
        for (std::size_t c = 0; c < expected.size(); ++c) {
          if (rows[i - 1][c] == expected[c]) continue;
          FAIL_CHECK("row " << i << ", column " << m.tables[0].table.columns[c].name << ": "
                            << (rows[i - 1][c] ? *rows[i - 1][c] : "NULL") << " instead of "
                            << (expected[c] ? *expected[c] : "NULL"));
        }
      }
    }
    // Without a plugin: named tables, a filter, CSV.
    std::string csv = make_temp_dir() + "/things";
    auto result = run_cli(
        "export --tables datab_things,dataa_notes --where 'datab_things:id > 2' "
        "--format csv -o '" +
        csv + "'" + db);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::Contains("exported 2 rows of 2 tables to " + csv));
    CHECK(read_file(csv + "/datab_things.csv") == "id,name\r\n7,seven\r\n9,nine\r\n");
    CHECK(json::parse(read_file(csv + "/dataset.json"))["plugins"].empty());
    check_schema("dataset.schema.json", read_file(csv + "/dataset.json"));
    // Every user table, never migpkg's own.
    std::string all = make_temp_dir() + "/all";
    REQUIRE(run_cli("export -o '" + all + "'" + db).exit_code == 0);
    std::vector<std::string> names;
    // The reader lives as long as the loop: the manifest is its member.
    auto reader = DatasetReader::open(all);
    for (const auto& t : reader->manifest().tables) names.push_back(t.table.name);
    CHECK(names == std::vector<std::string>{"dataa_items", "dataa_notes", "datab_things"});
  });
}

TEST_CASE("export refuses bad arguments before writing anything, and leaves no partial output",
          "[data][export]") {
  for_each_database_url("migpkg_export_bad", [&](const std::string& url) {
    install_plugins(url);
    const std::string db = " --db '" + url + "'";
    const std::string parent = make_temp_dir();
    const std::string out = parent + "/out";
    auto refused = [&](const std::string& arguments, int exit_code, const std::string& error) {
      INFO(arguments);
      auto result = run_cli("export " + arguments + " -o '" + out + "'" + db);
      CHECK(result.exit_code == exit_code);
      CHECK_THAT(result.err, Catch::Contains(error));
      CHECK(list_dir(parent).empty());
    };
    refused("--tables nope", 2, "there is no table nope in ");
    refused("--tables datab_things,datab_things", 2, "--tables names datab_things twice");
    refused("--tables migpkg_applied", 2, "migpkg's own bookkeeping");
    refused("--where datab_things", 2, "--where 'datab_things' is not TABLE:CONDITION");
    refused("--tables datab_things --where 'dataa_items:id > 1'", 2,
            "--where names table dataa_items, which is not exported");
    refused("acme.dataa --tables datab_things", 2,
            "table datab_things is not one of the tables of plugin acme.dataa");
    refused("acme.nope", 1,
            "plugin acme.nope is not installed in this database (installed: "
            "acme.dataa 1.1.0, acme.datab 2.0.0)");
    refused("--format xml", 2, "--format must be ndjson or csv");
    // A condition the database refuses: the run fails after the data set was begun.
    refused("--where 'datab_things:no_such_column = 1'", 1, "no_such_column");
    // An existing data set is never overwritten.
    write_file(parent + "/keep.migdata", "mine");
    auto result = run_cli("export -o '" + parent + "/keep.migdata'" + db);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Catch::Contains("exists already"));
    CHECK(read_file(parent + "/keep.migdata") == "mine");
  });
  auto result = run_cli("export -o /tmp/never --db sqlite:/nonexistent/nothing.db");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("database /nonexistent/nothing.db does not exist"));
}
