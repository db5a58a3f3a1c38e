// A database whose bookkeeping tables are version 1 (the DDL kept in tests/data/bookkeeping-v1/,
// filled with the rows real runs wrote, and plugin tables with rows) on SQLite, PostgreSQL and
// MariaDB: read-only commands read it as it is and write nothing; the next run that writes
// upgrades it in place (every row kept, the new columns NULL in them) and records provenance;
// a version newer than this migpkg knows is refused.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "compiler/ir/ir.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/data_move_support.hpp"
#include "unit/package_test_support.hpp"
#include "unit/provenance_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using nlohmann::json;

namespace {

const std::string F = "tests/scenarios/fixtures/";

const std::vector<std::string> kTables = {"migpkg_plugins",  "migpkg_applied", "migpkg_journal",
                                          "migpkg_inflight", "migpkg_history", "migpkg_audit",
                                          "migpkg_meta"};

std::string engine_of_url(const std::string& url) {
  return migpkg::ir::engine_name(migpkg::runtime::open_url(url)->engine());
}

// The statements of tests/data/bookkeeping-v1/<engine>.sql, one a line ("--" lines are comments).
std::vector<std::string> version_1_ddl(const std::string& engine) {
  std::string text = read_file(source_dir() + "/tests/data/bookkeeping-v1/" + engine + ".sql");
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.rfind("--", 0) == 0) continue;
    REQUIRE(line.back() == ';');
    out.push_back(line.substr(0, line.size() - 1));
  }
  return out;
}

// Turns the bookkeeping this migpkg made into version 1's: its tables are set aside, made again
// with version 1's DDL, given back every row (the columns version 1 has) and dropped.
void make_version_1(const std::string& url, const std::string& engine) {
  auto c = migpkg::runtime::open_url(url);
  c->execute(engine == "mysql" ? "DROP INDEX migpkg_applied_sequence ON migpkg_applied"
                               : "DROP INDEX migpkg_applied_sequence");
  for (const auto& table : kTables) c->execute("ALTER TABLE " + table + " RENAME TO old_" + table);
  for (const auto& statement : version_1_ddl(engine)) c->execute(statement);
  for (const auto& table : kTables) {
    std::string columns;
    for (const auto& column : c->query("SELECT * FROM " + table + " WHERE 1 = 0").columns)
      columns += (columns.empty() ? "" : ", ") + ("\"" + column + "\"");
    c->execute("INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM old_" +
               table + (table == "migpkg_meta" ? " WHERE \"key\" <> 'bookkeeping_version'" : ""));
    c->execute("DROP TABLE old_" + table);
  }
  // The ids given back do not move PostgreSQL's sequences (MySQL and SQLite follow them).
  if (engine == "postgresql")
    for (const std::string table : {"migpkg_history", "migpkg_audit"})
      c->query("SELECT setval(pg_get_serial_sequence('" + table +
               "', 'id'), (SELECT MAX(id) FROM " + table + "))");
}

// Every row of every bookkeeping table (version 1's columns) and of the plugins' tables.
std::vector<std::string> snapshot(const std::string& url) {
  std::vector<std::string> out;
  auto add = [&](const std::string& sql) {
    for (const auto& row : rows_of(url, sql)) out.push_back(row);
  };
  add("SELECT plugin_id, migration_id, version, checksum, applied_at, applied_by, sequence, plan "
      "FROM migpkg_applied ORDER BY sequence");
  add("SELECT id, plugin_id, migration_id, version, direction, state, checksum, applied_by, "
      "started_at, finished_at, duration_ms, backup, error, skipped_steps FROM migpkg_history "
      "ORDER BY id");
  add("SELECT id, at, actor, command, arguments, outcome, detail FROM migpkg_audit ORDER BY id");
  add("SELECT \"key\", value FROM migpkg_meta ORDER BY \"key\"");
  add("SELECT id, name, price_cents, sku FROM shop_products ORDER BY id");
  add("SELECT id, product_id, quantity FROM shop_orders ORDER BY id");
  add("SELECT id, body FROM notes ORDER BY id");
  return out;
}

}  // namespace

TEST_CASE("a version-1 bookkeeping with rows is read as it is, then upgraded in place by a write",
          "[provenance][upgrade][sqlite][postgresql][mysql]") {
  std::string tmp = make_temp_dir();
  make_key(tmp, "alice");
  const std::string pub = tmp + "/alice.pub";
  const std::string package = tmp + "/shop-2.0.0.migpkg";
  pack(F + "shop", package, tmp + "/alice.key");
  const std::string package_sha = sha256sum(package), key_id = key_id_of_pub(pub);

  for_each_database_url("migpkg_upgrade", [&](const std::string& url) {
    const std::string db = " --db '" + url + "'";
    const std::string engine = engine_of_url(url);
    INFO("engine " << engine);
    // Runs of every kind leave rows: installs from sources, a refusal, a rollback.
    REQUIRE(run_cli("install " + F + "shop --to 1.1.0" + db).exit_code == 0);
    REQUIRE(run_cli("install " + F + "notes/001-install.json" + db).exit_code == 0);
    execute(url, "INSERT INTO shop_orders (id, product_id, quantity) VALUES (1, 1, 3), (2, 2, 1)");
    execute(url, "UPDATE shop_products SET sku = 'T-1' WHERE id = 1");
    execute(url, "INSERT INTO notes (id, body) VALUES (7, 'kept')");
    CHECK(run_cli("rollback acme.nothing" + db).exit_code != 0);
    REQUIRE(run_cli("install " + F + "notes/001-install.json " + F +
                    "notes/002-drop-legacy.json --backup-dir '" + tmp + "'" + db)
                .exit_code == 0);
    REQUIRE(run_cli("rollback acme.notes --steps 1 --no-backup" + db).exit_code == 0);
    const std::vector<std::string> upgraded_columns_applied = columns_of(url, "migpkg_applied");
    const std::vector<std::string> upgraded_columns_history = columns_of(url, "migpkg_history");
    make_version_1(url, engine);
    REQUIRE(rows_of(url, "SELECT value FROM migpkg_meta WHERE \"key\" = 'bookkeeping_version'") ==
            std::vector<std::string>{"1"});
    const std::vector<std::string> before = snapshot(url);
    const std::string file = url.rfind("sqlite:", 0) == 0 ? url.substr(7) : "";
    const std::string file_before = file.empty() ? "" : file_state(file);

    // Read-only commands read version 1 as it is: no provenance, nothing written.
    for (const std::string& command :
         std::vector<std::string>{"status", "history", "audit", "install " + F + "shop --dry-run",
                                  "plan " + F + "shop"}) {
      auto result = run_cli(command + db);
      INFO(command << "\n" << result.err);
      CHECK(result.exit_code == 0);
    }
    auto history = run_cli("history --json" + db);
    require_schema("history.schema.json", history.out);
    for (const auto& row : json::parse(history.out)) CHECK(row["packageSha256"].is_null());
    require_schema("status.schema.json", run_cli("status --json" + db).out);
    CHECK(snapshot(url) == before);
    CHECK(columns_of(url, "migpkg_applied").size() == 8);
    if (!file.empty()) CHECK(file_state(file) == file_before);

    // A MySQL upgrade killed after its first ALTER (each commits by itself) left one column.
    execute(url, "ALTER TABLE migpkg_applied ADD COLUMN package_sha256 " +
                     migpkg::runtime::engine_for(migpkg::runtime::open_url(url)->engine())
                         .spellings()
                         .long_text);
    CHECK(run_cli("history" + db).exit_code == 0);  // still read as version 1

    // The next run that writes upgrades the tables, then records where its migration came from.
    auto installed = run_cli("install '" + package + "' --trust '" + pub + "'" + db);
    INFO(installed.err);
    REQUIRE(installed.exit_code == 0);
    CHECK(rows_of(url, "SELECT value FROM migpkg_meta WHERE \"key\" = 'bookkeeping_version'") ==
          std::vector<std::string>{"2"});
    CHECK(columns_of(url, "migpkg_applied") == upgraded_columns_applied);
    CHECK(columns_of(url, "migpkg_history") == upgraded_columns_history);
    // Every row is kept as it was (the new ones come after them).
    std::vector<std::string> after = snapshot(url);
    for (const auto& row : before) {
      INFO(row);
      if (row.rfind("bookkeeping_version ", 0) == 0) continue;
      CHECK(std::find(after.begin(), after.end(), row) != after.end());
    }
    CHECK(table_provenance(url, "migpkg_applied") ==
          std::map<std::string, std::string>{{"shop-001-install", "none"},
                                             {"shop-002-sku", "none"},
                                             {"shop-003-reviews", package_sha + " " + key_id},
                                             {"notes-001-install", "none"}});
    auto upgraded = json::parse(run_cli("history --json" + db).out);
    REQUIRE(upgraded.size() > 1);
    for (const auto& row : upgraded)
      CHECK(provenance_text(row["packageSha256"], row["signingKey"]) ==
            (row["migrationId"] == "shop-003-reviews" ? package_sha + " " + key_id : "none"));
    // Upgraded once: the next run finds version 2 and changes nothing of the tables.
    REQUIRE(run_cli("rollback acme.shop --steps 1 --no-backup" + db).exit_code == 0);
    CHECK(rows_of(url,
                  "SELECT package_sha256, signing_key FROM migpkg_history WHERE migration_id = "
                  "'shop-003-reviews' AND state = 'rolled-back'") ==
          std::vector<std::string>{package_sha + " " + key_id});

    // Tables newer than this migpkg: refused by writers and readers alike, nothing written.
    execute(url, "UPDATE migpkg_meta SET value = '99' WHERE \"key\" = 'bookkeeping_version'");
    const std::vector<std::string> newer = snapshot(url);
    for (const std::string& command : std::vector<std::string>{
             "install " + F + "shop", "status", "history", "audit", "rollback acme.shop"}) {
      auto result = run_cli(command + db);
      INFO(command << "\n" << result.out << result.err);
      CHECK(result.exit_code != 0);
      CHECK((result.err + result.out).find("version 99") != std::string::npos);
    }
    CHECK(snapshot(url) == newer);
  });
}

TEST_CASE("tables an older migpkg's stopped first run left are completed at version 2",
          "[provenance][upgrade][sqlite][postgresql][mysql]") {
  for_each_database_url("migpkg_upgrade_left", [&](const std::string& url) {
    const std::string db = " --db '" + url + "'";
    const std::string engine = engine_of_url(url);
    INFO("engine " << engine);
    // Where each CREATE commits by itself (MySQL), a first run killed before migpkg_meta leaves
    // the other tables, at version 1's layout.
    for (const auto& statement : version_1_ddl(engine))
      if (statement.find("migpkg_meta") == std::string::npos) execute(url, statement);
    auto installed = run_cli("install " + F + "shop --to 1.0.0" + db);
    INFO(installed.err);
    REQUIRE(installed.exit_code == 0);
    CHECK(rows_of(url, "SELECT value FROM migpkg_meta WHERE \"key\" = 'bookkeeping_version'") ==
          std::vector<std::string>{"2"});
    CHECK(rows_of(url, "SELECT migration_id, package_sha256, signing_key FROM migpkg_applied") ==
          std::vector<std::string>{"shop-001-install NULL NULL"});
    CHECK(rows_of(url, "SELECT COUNT(*) FROM migpkg_history WHERE package_sha256 IS NULL") ==
          std::vector<std::string>{"1"});
  });
}
