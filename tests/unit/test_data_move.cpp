// import and copy end to end through the CLI, with rows, on SQLite, PostgreSQL and MariaDB
// (docs/data.md): copy in every direction between the engines, copy --create, each conflict
// mode, strict and lenient, mappings, filters and plugin scope. Every expectation is read back
// from the target through the engine, independently of the command's own verification.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>

#include "compiler/schema/type_names.hpp"
#include "runtime/data/data_move.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/data_move_support.hpp"
#include "unit/edge_values.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using migpkg::data::Row;
using json = nlohmann::json;

namespace {

CommandResult copy_cli(const std::string& from, const std::string& to,
                       const std::string& extra = "") {
  return run_cli("copy --from '" + from + "' --to '" + to + "' " + extra);
}

// Every engine as source against every engine as target (the same engine too: two databases),
// each pair on two new databases.
void for_each_pair(const std::string& prefix,
                   const std::function<void(const std::string&, const std::string&)>& body) {
  struct Place {
    std::string name, server;  // server empty: a SQLite file
  };
  std::vector<Place> places{{"sqlite", ""}};
  for (const ServerEngine& engine : server_engines()) {
    std::string server = engine.server_url();
    if (server.empty())
      WARN(std::string(engine.name) + " part skipped: " + engine.variable + " is not set");
    else
      places.push_back({engine.dialect, server});
  }
  for (const Place& from : places)
    for (const Place& to : places) {
      INFO(from.name << " -> " << to.name);
      const std::string dir = make_temp_dir();
      std::optional<migpkg::runtime::TemporaryDatabase> from_db, to_db;
      if (!from.server.empty()) from_db.emplace(from.server, prefix + "_from");
      if (!to.server.empty()) to_db.emplace(to.server, prefix + "_to");
      body(from_db ? from_db->url() : "sqlite:" + dir + "/from.db",
           to_db ? to_db->url() : "sqlite:" + dir + "/to.db");
    }
}

}  // namespace

TEST_CASE("copy moves every row and value between every pair of engines, verified",
          "[data][copy][sqlite][postgresql][mysql]") {
  for_each_pair("migpkg_copy", [](const std::string& from, const std::string& to) {
    install_shop(from);
    install_shop(to);
    fill_shop(from, 300, 700);
    CommandResult result = copy_cli(from, to, "--json --batch-rows 128");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    json report = checked_report(result.out, "copy-report.schema.json");
    CHECK(report["status"] == "ok");
    REQUIRE(report["tables"].size() == 2);
    CHECK(report["tables"][0]["table"] == "shop_customers");  // parents first
    for (const json& table : report["tables"]) {
      CHECK(table["verified"] == "rows and content");
      CHECK(table["sourceHash"] == table["targetHash"]);
    }
    for (const std::string& table : kShopTables) check_same_rows(from, to, table);
    CHECK(table_digest(to, "shop_customers").rows == 300);
    CHECK(table_digest(to, "shop_orders").rows == 700);
    // The generated key's counter was moved past the copied keys: a new row gets a new key.
    execute(to, "INSERT INTO shop_orders (customer_id, total) VALUES (1, 1.00)");
    CHECK(table_digest(to, "shop_orders").rows == 701);
  });
}

TEST_CASE("copy --create makes the missing tables for the target's dialect, then their keys",
          "[data][copy][sqlite][postgresql][mysql]") {
  for_each_pair("migpkg_create", [](const std::string& from, const std::string& to) {
    install_shop(from);
    fill_shop(from, 50, 120);
    CommandResult result = copy_cli(from, to, "--create --json");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    json report = checked_report(result.out, "copy-report.schema.json");
    CHECK(report["created"] == json::array({"shop_customers", "shop_orders"}));
    for (const std::string& table : kShopTables) check_same_rows(from, to, table);
    // The unique key and the foreign key came after the rows.
    CHECK(run_cli("copy --from '" + from + "' --to '" + to +
                  "' --tables shop_customers "
                  "--on-conflict skip")
              .exit_code == 0);
    auto fails = [&](const std::string& sql) {
      try {
        execute(to, sql);
        return false;
      } catch (const std::exception&) {
        return true;
      }
    };
    CHECK(
        fails("INSERT INTO shop_customers (id, name, email, vip) VALUES (-5, 'x', "
              "'user1@example.org', " +
              std::string(to.rfind("postgresql", 0) == 0 ? "false" : "0") + ")"));
    CHECK(fails("INSERT INTO shop_orders (customer_id, total) VALUES (-999, 1)"));
  });
}

TEST_CASE(
    "on-conflict fail stops at the first existing key and nothing of the run stays, and skip, "
    "overwrite and merge",
    "[data][conflicts][sqlite][postgresql][mysql]") {
  const std::string source = "sqlite:" + make_temp_dir() + "/source.db";
  install_shop(source);
  fill_shop(source, 100, 0);  // ids 1..99 and the largest int64
  for_each_database_url("migpkg_conflict", [&](const std::string& to) {
    auto prepare = [&] {
      execute(to, "DELETE FROM shop_customers");
      fill_shop(to, 100, 0, 50);  // ids 50..149: 50..99 clash with the source's
      execute(to, "UPDATE shop_customers SET name = 'old', email = NULL");
      execute(to, "UPDATE shop_customers SET email = 'kept@example.org' WHERE id = 60");
    };
    install_shop(to);
    const std::string tables = " --tables shop_customers --batch-rows 10";
    auto name_of = [&](const std::string& id) {
      for (const Row& row : table_rows(to, "shop_customers"))
        if (row[0] == id) return row[1].value_or("NULL") + "|" + row[2].value_or("NULL");
      return std::string("missing");
    };

    SECTION("fail") {
      prepare();
      TableDigest before = table_digest(to, "shop_customers");
      CommandResult result = copy_cli(source, to, tables);
      INFO(result.out << result.err);
      CHECK(result.exit_code == 1);
      CHECK(result.err.find("nothing of this copy stays") != std::string::npos);
      // Four batches of new keys were committed before the clash: deleted again.
      CHECK(table_digest(to, "shop_customers") == before);
    }
    SECTION("skip keeps the existing rows") {
      prepare();
      CommandResult result = copy_cli(source, to, tables + " --on-conflict skip --json");
      INFO(result.out << result.err);
      REQUIRE(result.exit_code == 0);
      CHECK(checked_report(result.out, "copy-report.schema.json")["tables"][0]["verified"] ==
            "rows");
      CHECK(table_digest(to, "shop_customers").rows == 150);
      CHECK(name_of("60") == "old|kept@example.org");
      CHECK(name_of("1") == *customer_row(1)[1] + "|" + *customer_row(1)[2]);
    }
    SECTION("overwrite replaces them") {
      prepare();
      CommandResult result = copy_cli(source, to, tables + " --on-conflict overwrite");
      INFO(result.out << result.err);
      REQUIRE(result.exit_code == 0);
      CHECK(table_digest(to, "shop_customers").rows == 150);
      CHECK(name_of("60") == *customer_row(60)[1] + "|" + *customer_row(60)[2]);
      CHECK(name_of("120") == "old|NULL");
    }
    SECTION("merge updates the columns the source has and keeps the others") {
      prepare();
      const std::string map = make_temp_dir() + "/map.json";
      write_file(map, R"({"tables": [{"source": "shop_customers",
                          "mapping": [{"source": "email", "drop": true}]}]})");
      CommandResult result = copy_cli(source, to, tables + " --on-conflict merge --map " + map);
      INFO(result.out << result.err);
      REQUIRE(result.exit_code == 0);
      CHECK(table_digest(to, "shop_customers").rows == 150);
      CHECK(name_of("60") == *customer_row(60)[1] + "|kept@example.org");
      CHECK(name_of("1") == *customer_row(1)[1] + "|NULL");
    }
  });
}

TEST_CASE(
    "strict stops at a value the target cannot hold naming table, key, column and value, and "
    "--lenient sets the row aside in the rejects file",
    "[data][strict][sqlite][postgresql][mysql]") {
  const std::string dir = make_temp_dir();
  const std::string source = "sqlite:" + dir + "/source.db";
  execute(source, "CREATE TABLE flags (id BIGINT PRIMARY KEY, flag TEXT)");
  execute(source, "INSERT INTO flags VALUES (1, 'true'), (2, 'false'), (3, 'maybe'), (4, NULL)");
  for_each_database_url("migpkg_strict", [&](const std::string& to) {
    execute(to, "CREATE TABLE flags (id BIGINT PRIMARY KEY, flag BOOLEAN)");
    CommandResult strict = copy_cli(source, to, "--tables flags");
    INFO(strict.out << strict.err);
    CHECK(strict.exit_code == 1);
    for (const char* part : {"flags", "3", "flag", "maybe"})
      CHECK(strict.err.find(part) != std::string::npos);
    CHECK(table_digest(to, "flags").rows == 0);

    const std::string rejects = dir + "/rejects.ndjson";
    CommandResult lenient =
        copy_cli(source, to, "--tables flags --lenient --rejects " + rejects + " --json");
    INFO(lenient.out << lenient.err);
    REQUIRE(lenient.exit_code == 0);
    json report = checked_report(lenient.out, "copy-report.schema.json");
    CHECK(report["tables"][0]["rejects"] == 1);
    CHECK(report["tables"][0]["verified"] == "rows and content");
    CHECK(table_rows(to, "flags") ==
          std::vector<Row>{{"1", "true"}, {"2", "false"}, {"4", std::nullopt}});
    std::string text = read_file(rejects);
    REQUIRE(std::count(text.begin(), text.end(), '\n') == 1);
    json line = json::parse(text);
    CHECK(line["table"] == "flags");
    CHECK(line["column"] == "flag");
    CHECK(line["value"] == "maybe");
    CHECK(line["row"] == json({{"id", "3"}, {"flag", "maybe"}}));
  });
}

TEST_CASE(
    "a mapping file (--map) renames tables and columns, drops columns and transforms values, and "
    "--tables filters",
    "[data][mappings][sqlite][postgresql][mysql]") {
  const std::string dir = make_temp_dir();
  const std::string source = "sqlite:" + dir + "/source.db";
  execute(source,
          "CREATE TABLE legacy (id BIGINT PRIMARY KEY, full_name TEXT, status TEXT, junk TEXT)");
  execute(source,
          "INSERT INTO legacy VALUES (1, '  ada lovelace ', 'A', 'x'), "
          "(2, 'Grace', 'I', 'y'), (3, NULL, 'Z', NULL), (4, 'Émile', NULL, 'z')");
  execute(source, "CREATE TABLE other (id BIGINT PRIMARY KEY)");
  execute(source, "INSERT INTO other VALUES (1)");
  const std::string map = dir + "/map.json";
  write_file(map, R"({"tables": [{"source": "legacy", "target": "people", "mapping": [
      {"source": "full_name", "target": "name", "transform": {"type": "function", "definition": "trim"}},
      {"source": "status", "target": "state",
       "transform": {"type": "lookup", "definition": {"A": "active", "I": "inactive"}},
       "defaultValue": "unknown"},
      {"source": "junk", "drop": true}]}]})");
  for_each_database_url("migpkg_map", [&](const std::string& to) {
    execute(to, "CREATE TABLE people (id BIGINT PRIMARY KEY, name TEXT, state TEXT)");
    CommandResult result = copy_cli(source, to, "--tables legacy --map " + map + " --json");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(checked_report(result.out, "copy-report.schema.json")["tables"][0]["verified"] ==
          "rows and content");
    CHECK(table_rows(to, "people") == std::vector<Row>{{"1", "ada lovelace", "active"},
                                                       {"2", "Grace", "inactive"},
                                                       {"3", std::nullopt, "unknown"},
                                                       {"4", "Émile", "unknown"}});
  });
  // A mapping naming a column the source does not have is refused before a row is written.
  write_file(map, R"({"tables": [{"source": "legacy", "mapping": [{"source": "nope"}]}]})");
  const std::string to = "sqlite:" + dir + "/target.db";
  CommandResult bad = copy_cli(source, to, "--tables legacy --map " + map);
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("/tables/0/mapping/0") != std::string::npos);
  CHECK(bad.err.find("nope") != std::string::npos);
  write_file(map, R"({"tables": [{"source": "legacy", "mapping": [{"source": "status",
      "transform": {"type": "function", "definition": "shout"}}]}]})");
  bad = copy_cli(source, to, "--tables legacy --map " + map);
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("unknown function 'shout'") != std::string::npos);
}

TEST_CASE("copy PLUGIN takes the plugin's tables, and only into a target at the same version",
          "[data][plugin][sqlite][postgresql][mysql]") {
  const std::string source = "sqlite:" + make_temp_dir() + "/source.db";
  install_shop(source);
  fill_shop(source, 20, 30);
  execute(source, "CREATE TABLE not_the_plugins (id BIGINT PRIMARY KEY)");
  for_each_database_url("migpkg_scope", [&](const std::string& to) {
    install_shop(to, "1.0.0");
    CommandResult refused = copy_cli(source, to, "test.shop");
    INFO(refused.out << refused.err);
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("plugin test.shop is installed in the target at version 1.0.0; the "
                           "source holds its data at schema version 1.1.0") != std::string::npos);
    CHECK(table_digest(to, "shop_customers").rows == 0);

    install_shop(to);
    CommandResult result = copy_cli(source, to, "test.shop --json");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    json report = checked_report(result.out, "copy-report.schema.json");
    REQUIRE(report["tables"].size() == 2);
    for (const std::string& table : kShopTables) check_same_rows(source, to, table);
  });
}

TEST_CASE(
    "copy carries every edge value of every portable type between every pair of engines, "
    "or sets it aside naming it",
    "[data][copy][edge][sqlite][postgresql][mysql]") {
  const json cases = json::parse(read_file(source_dir() + "/tests/data/edge-values.json"));
  auto refused_on = [](const json& entry, const std::string& dialect) {
    return entry.contains("refused") &&
           (entry["refused"].contains(dialect) || entry["refused"].contains("*"));
  };
  auto dialect_of = [](const std::string& url) -> std::string {
    if (url.rfind("sqlite:", 0) == 0) return "sqlite";
    if (url.rfind("postgresql:", 0) == 0) return "postgresql";
    return "mysql";
  };
  for_each_pair("migpkg_edge", [&](const std::string& from, const std::string& to) {
    const std::string source_dialect = dialect_of(from), target_dialect = dialect_of(to);
    INFO(source_dialect << " -> " << target_dialect);
    std::vector<std::string> tables;
    std::map<std::string, std::set<std::string>> may_refuse;  // table -> ids
    int number = 0;
    for (const json& type_case : cases["types"]) {
      const std::string table = "edge_" + std::to_string(++number);
      tables.push_back(table);
      create_value_table(from, table, type_case["type"]);
      create_value_table(to, table, type_case["type"]);
      std::vector<Row> rows;
      int id = 0;
      for (const json& entry : type_case["values"]) {
        ++id;
        if (refused_on(entry, source_dialect)) continue;
        rows.push_back({std::to_string(id), edge_input(entry)});
        if (refused_on(entry, target_dialect)) may_refuse[table].insert(std::to_string(id));
      }
      write_rows(from, table, {"id", "v"}, rows);
    }
    std::string table_list;
    for (const std::string& table : tables) table_list += (table_list.empty() ? "" : ",") + table;
    const std::string rejects = make_temp_dir() + "/rejects.ndjson";
    CommandResult result = copy_cli(
        from, to, "--tables " + table_list + " --lenient --rejects " + rejects + " --json");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    std::map<std::string, std::set<std::string>> refused;
    std::string text = read_file(rejects);
    std::size_t at = 0;
    for (std::size_t end; (end = text.find('\n', at)) != std::string::npos; at = end + 1) {
      json line = json::parse(text.substr(at, end - at));
      INFO(line.dump());
      CHECK(line["column"] == "v");
      CHECK_FALSE(line["reason"].get<std::string>().empty());
      refused[line["table"].get<std::string>()].insert(line["row"]["id"].get<std::string>());
    }
    for (const std::string& table : tables) {
      INFO(table);
      // Every value the target took is the source's, exactly; the others were refused by name,
      // and only values the target is known not to hold were.
      std::vector<Row> source_rows = table_rows(from, table), target_rows = table_rows(to, table);
      const migpkg::ir::ColumnType type = column_type(to, table, "v");
      std::size_t t = 0;
      for (const Row& row : source_rows) {
        if (refused[table].count(*row[0])) continue;
        INFO("id " << *row[0] << ": " << row[1].value_or("NULL"));
        REQUIRE(t < target_rows.size());
        // The same value, in the target column's spelling of it (a SQLite text UUID in upper
        // case is a PostgreSQL uuid in lower case).
        CHECK(target_rows[t++] == Row{row[0], migpkg::data::as_column_holds(type, row[1])});
      }
      CHECK(t == target_rows.size());
      // Refused only where the target is known not to hold the value, or where the engines
      // read the same declared type as different portable types (MySQL's TIMESTAMP, declared
      // timestamptz, reads as timestamp: a time without a zone, which a PostgreSQL
      // timestamptz refuses rather than guess the zone).
      const bool same_type = migpkg::schema::type_name(column_type(from, table, "v")) ==
                             migpkg::schema::type_name(type);
      for (const std::string& id : refused[table]) {
        INFO("refused id " << id);
        CHECK((may_refuse[table].count(id) || !same_type));
      }
    }
  });
}

TEST_CASE("import and copy refuse bad arguments before opening anything", "[data][cli]") {
  const std::string dir = make_temp_dir();
  const std::string db = "sqlite:" + dir + "/t.db";
  struct Case {
    std::string arguments, message;
    int exit_code;
  };
  for (const Case& c : std::vector<Case>{
           {"copy --from " + db, "copy needs --from URL and --to URL", 2},
           {"copy --from " + db + " --to " + db, "--from and --to name the same database", 2},
           {"copy --from sqlite:" + dir + "/absent.db --to " + db, "does not exist", 1},
           {"import " + dir + "/none --db " + db + " --lenient", "--lenient needs --rejects FILE",
            2},
           {"import " + dir + "/none --db " + db + " --rejects r.ndjson",
            "--rejects goes with --lenient", 2},
           {"import " + dir + "/none --db " + db + " --on-conflict replace",
            "--on-conflict takes fail, skip, overwrite or merge, not 'replace'", 2},
           {"import " + dir + "/none --db " + db + " --batch-rows 0",
            "--batch-rows takes a number of rows from 1 to 1000000", 2},
           {"import " + dir + "/none --db " + db + " --tables a,,b", "--tables takes names", 2},
           {"import " + dir + "/none --db " + db, dir + "/none", 1},
       }) {
    CommandResult result = run_cli(c.arguments);
    INFO(c.arguments << "\n" << result.err);
    CHECK(result.exit_code == c.exit_code);
    CHECK(result.err.find(c.message) != std::string::npos);
  }
  CHECK_FALSE(path_exists(dir + "/t.db"));  // nothing was created
  CHECK_FALSE(path_exists(dir + "/absent.db"));
}
