// MySQL has no uuid or timestamptz type of its own that migpkg uses: it declares a uuid
// CHAR(36) and a timestamptz DATETIME(6), and marks them in the column's comment
// (compiler/dialects/type_markers.hpp), so that the catalog reads them back as declared. With
// rows: the edge values of every portable type go PostgreSQL -> MariaDB -> PostgreSQL with
// --create and come back with their types and values; columns of the old shape (no marker)
// read as they always did, and a database of that shape installs and upgrades as before.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>

#include "compiler/schema/type_names.hpp"
#include "runtime/data/data_move.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/crash_test_support.hpp"
#include "unit/data_move_support.hpp"
#include "unit/edge_values.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using migpkg::data::Row;
using json = nlohmann::json;

namespace {

CommandResult copy_cli(const std::string& from, const std::string& to, const std::string& extra) {
  return run_cli("copy --from '" + from + "' --to '" + to + "' " + extra);
}

bool refused_on(const json& entry, const std::string& dialect) {
  return entry.contains("refused") &&
         (entry["refused"].contains(dialect) || entry["refused"].contains("*"));
}

// The ids a --lenient copy set aside, per table, from its rejects file.
std::map<std::string, std::set<std::string>> rejected_ids(const std::string& path) {
  std::map<std::string, std::set<std::string>> out;
  std::string text = read_file(path);
  std::size_t at = 0;
  for (std::size_t end; (end = text.find('\n', at)) != std::string::npos; at = end + 1) {
    json line = json::parse(text.substr(at, end - at));
    out[line["table"].get<std::string>()].insert(line["row"]["id"].get<std::string>());
  }
  return out;
}

std::string type_of(const std::string& url, const std::string& table, const std::string& column) {
  return migpkg::schema::type_name(column_type(url, table, column));
}

void write_migration(const std::string& dir, const std::string& file, const json& migration) {
  write_file(dir + "/" + file,
             json{{"format", "portable-migration-v1"}, {"migration", migration}}.dump(2));
}

}  // namespace

TEST_CASE(
    "copy --create PostgreSQL -> MariaDB -> PostgreSQL keeps every portable type, uuid and "
    "timestamptz included, and every edge value",
    "[data][copy][edge][mysql][postgresql]") {
  const std::string pg = postgres_url(), my = mysql_url();
  if (pg.empty() || my.empty()) {
    WARN("MIGPKG_TEST_PG_URL or MIGPKG_TEST_MYSQL_URL is not set: skipped");
    return;
  }
  const json cases = json::parse(read_file(source_dir() + "/tests/data/edge-values.json"));
  migpkg::runtime::TemporaryDatabase first(pg, "migpkg_types_pg1"), middle(my, "migpkg_types_my"),
      last(pg, "migpkg_types_pg2");
  std::vector<std::string> tables;
  std::map<std::string, std::set<std::string>> may_refuse;  // table -> ids MySQL cannot hold
  int number = 0;
  for (const json& type_case : cases["types"]) {
    const std::string table = "edge_" + std::to_string(++number);
    tables.push_back(table);
    create_value_table(first.url(), table, type_case["type"]);
    std::vector<Row> rows;
    int id = 0;
    for (const json& entry : type_case["values"]) {
      ++id;
      if (refused_on(entry, "postgresql")) continue;
      rows.push_back({std::to_string(id), edge_input(entry)});
      if (refused_on(entry, "mysql")) may_refuse[table].insert(std::to_string(id));
    }
    write_rows(first.url(), table, {"id", "v"}, rows);
  }
  std::string list;
  for (const std::string& table : tables) list += (list.empty() ? "" : ",") + table;

  const std::string rejects = make_temp_dir() + "/rejects.ndjson";
  CommandResult there = copy_cli(first.url(), middle.url(),
                                 "--create --tables " + list + " --lenient --rejects " + rejects);
  INFO(there.out << there.err);
  REQUIRE(there.exit_code == 0);
  CommandResult back = copy_cli(middle.url(), last.url(), "--create --tables " + list);
  INFO(back.out << back.err);
  REQUIRE(back.exit_code == 0);

  std::map<std::string, std::set<std::string>> refused = rejected_ids(rejects);
  for (const std::string& table : tables) {
    INFO(table << " (" << type_of(first.url(), table, "v") << ")");
    // MariaDB reads each column back as the type PostgreSQL declared, so the second --create
    // declares it again.
    CHECK(type_of(middle.url(), table, "v") == type_of(first.url(), table, "v"));
    CHECK(type_of(last.url(), table, "v") == type_of(first.url(), table, "v"));
    for (const std::string& id : refused[table]) {
      INFO("refused id " << id);
      CHECK(may_refuse[table].count(id) == 1);  // only what MariaDB is known not to hold
    }
    std::vector<Row> expected;
    for (const Row& row : table_rows(first.url(), table))
      if (!refused[table].count(*row[0])) expected.push_back(row);
    CHECK(table_rows(last.url(), table) == expected);
  }
  // The two types this is about, by name.
  CHECK(migpkg::test::scalar(middle.url(),
                             "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                             "DATABASE() AND COLUMN_COMMENT IN ('migpkg:uuid', "
                             "'migpkg:timestamptz')") == "2");
}

TEST_CASE(
    "MariaDB columns without the type marker read as their SQL type says, and a database of "
    "that shape installs and upgrades as before",
    "[data][mysql]") {
  const std::string my = mysql_url();
  if (my.empty()) {
    WARN("MIGPKG_TEST_MYSQL_URL is not set: skipped");
    return;
  }
  migpkg::runtime::TemporaryDatabase database(my, "migpkg_oldshape");
  const std::string url = database.url();
  const std::string dir = make_temp_dir();
  // Version 1 as migpkg declared uuid and timestamptz before the marker: CHAR(36) and
  // DATETIME(6) (raw SQL, the compiler now adds the marker); and a comment of the author's.
  write_migration(dir, "001.json", json::parse(R"({
    "id": "legacy-001", "pluginId": "test.legacy", "version": "1.0.0", "name": "the old shape",
    "type": "schema", "databaseEngines": ["mysql"],
    "steps": {
      "up": [{"id": "create", "name": "create legacy", "sql": {"mysql":
        "CREATE TABLE legacy (id CHAR(36) NOT NULL PRIMARY KEY, at DATETIME(6) COMMENT 'when it happened (UTC)', note VARCHAR(20)) DEFAULT CHARACTER SET utf8mb4"}}],
      "down": [{"id": "drop", "name": "drop", "sql": {"mysql": "DROP TABLE legacy"}}]}})"));
  auto v1 = run_cli("install " + dir + " --db '" + url + "'");
  INFO(v1.err);
  REQUIRE(v1.exit_code == 0);
  migpkg::runtime::open_url(url)->execute(
      "INSERT INTO legacy (id, at, note) VALUES ('123E4567-E89B-12D3-A456-426614174000', "
      "'1969-07-20 20:17:40', 'größe'), ('00000000-0000-0000-0000-000000000000', "
      "'2024-06-30 23:59:59.123456', NULL)");
  auto legacy_rows = [&] { return table_rows(url, "legacy"); };
  const std::vector<Row> before = legacy_rows();
  // As before the marker: a char(36) as it was written (upper case kept), a timestamp with no
  // zone. Nothing is reinterpreted.
  CHECK(type_of(url, "legacy", "id") == "char(36)");
  CHECK(type_of(url, "legacy", "at") == "timestamp");
  REQUIRE(before.size() == 2);
  CHECK(before[1] == Row{"123E4567-E89B-12D3-A456-426614174000", "1969-07-20T20:17:40", "größe"});

  // Version 2, compiled: a new table whose uuid column references the old CHAR(36) key, and a
  // timestamptz column added to the old table.
  write_migration(dir, "002.json", json::parse(R"({
    "id": "legacy-002", "pluginId": "test.legacy", "version": "1.1.0",
    "name": "upgrade over the old shape", "type": "schema", "dependencies": ["legacy-001"],
    "steps": {"up": [
      {"id": "children", "name": "children", "change": {"createTable": {
        "table": "legacy_child",
        "columns": [{"name": "id", "type": "int64", "nullable": false},
                    {"name": "legacy_id", "type": "uuid"},
                    {"name": "seen", "type": "timestamptz", "comment": "seen by the app"}],
        "constraints": [{"kind": "primaryKey", "columns": ["id"]},
                        {"kind": "foreignKey", "columns": ["legacy_id"],
                         "references": {"table": "legacy", "columns": ["id"]}}]}}},
      {"id": "checked", "name": "checked at", "change": {"addColumn": {
        "table": "legacy", "column": {"name": "checked", "type": "timestamptz"}}}}],
      "down": "automatic"}})"));
  auto v2 = run_cli("install " + dir + " --db '" + url + "'");
  INFO(v2.err);
  REQUIRE(v2.exit_code == 0);
  migpkg::runtime::open_url(url)->execute(
      "INSERT INTO legacy_child (id, legacy_id, seen) VALUES (1, "
      "'123E4567-E89B-12D3-A456-426614174000', '2024-01-01 10:00:00')");
  CHECK(type_of(url, "legacy", "id") == "char(36)");
  CHECK(type_of(url, "legacy", "at") == "timestamp");
  CHECK(type_of(url, "legacy", "checked") == "timestamptz");
  CHECK(type_of(url, "legacy_child", "legacy_id") == "uuid");
  CHECK(type_of(url, "legacy_child", "seen") == "timestamptz");
  std::vector<Row> after = legacy_rows();
  REQUIRE(after.size() == 2);
  for (std::size_t i = 0; i < after.size(); ++i) {
    CHECK(Row(after[i].begin(), after[i].begin() + 3) == before[i]);
    CHECK_FALSE(after[i][3]);  // the new column, NULL
  }
  CHECK(table_rows(url, "legacy_child") ==
        std::vector<Row>{{"1", "123e4567-e89b-12d3-a456-426614174000", "2024-01-01T10:00:00Z"}});
  // The author's comment is kept, the marker goes after it; an old column's is left alone.
  CHECK(scalar(url,
               "SELECT COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
               "DATABASE() AND TABLE_NAME = 'legacy_child' AND COLUMN_NAME = 'seen'") ==
        "seen by the app migpkg:timestamptz");
  CHECK(scalar(url,
               "SELECT COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
               "DATABASE() AND TABLE_NAME = 'legacy' AND COLUMN_NAME = 'at'") ==
        "when it happened (UTC)");

  auto down = run_cli("rollback test.legacy --no-backup --db '" + url + "'");
  INFO(down.err);
  REQUIRE(down.exit_code == 0);
  CHECK(legacy_rows() == before);
  CHECK(type_of(url, "legacy", "at") == "timestamp");
}
