// Provenance and the audit log, through the CLI with rows in the tables, on SQLite, PostgreSQL
// and MariaDB: a migration installed from a package records the package's SHA-256 and the
// signing key's id (migpkg_applied, migpkg_history; status and history show them), one from
// sources records none, an upgrade records the new package for its new migrations only, and
// rollbacks keep what their applied rows said. `migpkg audit` lists the runs, newest first.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>

#include "runtime/engines/engine_registry.hpp"
#include "unit/data_move_support.hpp"
#include "unit/json_schema_check.hpp"
#include "unit/package_test_support.hpp"
#include "unit/provenance_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using nlohmann::json;

namespace {

const std::string F = "tests/scenarios/fixtures/";

// (migration id -> "sha256 key") of the rows `history --json` shows in `state`, direction `dir`.
std::map<std::string, std::string> history_provenance(const std::string& db,
                                                      const std::string& state,
                                                      const std::string& direction) {
  auto history = run_cli("history --json" + db);
  INFO(history.err);
  REQUIRE(history.exit_code == 0);
  require_schema("history.schema.json", history.out);
  std::map<std::string, std::string> out;
  for (const auto& row : json::parse(history.out))
    if (row["state"] == state && row["direction"] == direction)
      out[row["migrationId"]] = provenance_text(row["packageSha256"], row["signingKey"]);
  return out;
}

// (migration id -> "sha256 key") of the applied migrations `status --json` shows.
std::map<std::string, std::string> status_provenance(const std::string& db) {
  auto status = run_cli("status --json" + db);
  INFO(status.err);
  REQUIRE(status.exit_code == 0);
  require_schema("status.schema.json", status.out);
  std::map<std::string, std::string> out;
  const json report = json::parse(status.out);
  for (const auto& plugin : report["plugins"])
    for (const auto& m : plugin["migrations"])
      out[m["id"]] = provenance_text(m["packageSha256"], m["signingKey"]);
  return out;
}

// The audit log as (command outcome) pairs, newest first, checked against its schema.
std::vector<std::string> audit_runs(const std::string& arguments) {
  auto audit = run_cli("audit --json" + arguments);
  INFO("audit" << arguments << "\n" << audit.err);
  REQUIRE(audit.exit_code == 0);
  require_schema("audit.schema.json", audit.out);
  std::vector<std::string> out;
  for (const auto& row : json::parse(audit.out))
    out.push_back(row["command"].get<std::string>() + " " + row["outcome"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE(
    "package installs record the package's SHA-256 and key id, sources none, rollbacks keep them",
    "[provenance][package][sqlite][postgresql][mysql]") {
  std::string tmp = make_temp_dir();
  make_key(tmp, "alice");
  const std::string pub = tmp + "/alice.pub";
  const std::string key_id = key_id_of_pub(pub);
  // acme.shop 2.0.0 (three migrations), then 2.1.0: the same three and a fourth.
  const std::string older = tmp + "/shop-2.0.0.migpkg", newer = tmp + "/shop-2.1.0.migpkg";
  pack(F + "shop", older, tmp + "/alice.key");
  pack(joined_plugin_dir(tmp + "/shop-2.1.0", {F + "shop", F + "shop-risky"}), newer,
       tmp + "/alice.key");
  // Hashed here independently of migpkg: coreutils' sha256sum.
  const std::string older_sha = sha256sum(older), newer_sha = sha256sum(newer);
  REQUIRE(older_sha != newer_sha);
  const std::string from_older = older_sha + " " + key_id, from_newer = newer_sha + " " + key_id;
  // 2.1.0 with a migration whose step fails.
  const std::string broken = tmp + "/shop-broken.migpkg";
  pack(joined_plugin_dir(tmp + "/shop-broken", {F + "shop", F + "shop-risky", F + "shop-broken"}),
       broken, tmp + "/alice.key");
  const std::string broken_sha = sha256sum(broken);
  const std::string none = provenance_text(nullptr, nullptr);

  for_each_database_url("migpkg_provenance", [&](const std::string& url) {
    const std::string db = " --db '" + url + "'";
    const std::string backups = " --backup-dir '" + make_temp_dir() + "'";
    const std::string trust = " --trust '" + pub + "'";
    auto installed = run_cli("install '" + older + "'" + trust + db);
    INFO(installed.err);
    REQUIRE(installed.exit_code == 0);
    execute(url, "INSERT INTO shop_orders (id, product_id, quantity) VALUES (1, 1, 3), (2, 2, 1)");
    auto source = run_cli("install " + F + "notes/001-install.json" + db);
    INFO(source.err);
    REQUIRE(source.exit_code == 0);
    auto upgraded = run_cli("install '" + newer + "'" + trust + backups + db);
    INFO(upgraded.err);
    REQUIRE(upgraded.exit_code == 0);

    // What the tables hold, read with SQL, then what status and history print.
    const std::map<std::string, std::string> applied{{"shop-001-install", from_older},
                                                     {"shop-002-sku", from_older},
                                                     {"shop-003-reviews", from_older},
                                                     {"shop-004-price-rewrite", from_newer},
                                                     {"notes-001-install", none}};
    CHECK(table_provenance(url, "migpkg_applied") == applied);
    CHECK(status_provenance(db) == applied);
    CHECK(history_provenance(db, "applied", "up") == applied);
    std::map<std::string, std::string> history_rows = table_provenance(url, "migpkg_history");
    CHECK(history_rows == applied);  // one row each so far
    // The rows the plugin's tables held stay (the rewrite doubled the prices).
    CHECK(rows_of(url, "SELECT id, product_id, quantity FROM shop_orders ORDER BY id") ==
          std::vector<std::string>{"1 1 3", "2 2 1"});
    CHECK(rows_of(url, "SELECT id, price_cents FROM shop_products ORDER BY id") ==
          std::vector<std::string>{"1 700", "2 840"});

    // Rollbacks: each down row names the package its migration was installed from.
    REQUIRE(run_cli("rollback acme.shop --steps 2" + backups + db).exit_code == 0);
    CHECK(history_provenance(db, "rolled-back", "down") ==
          std::map<std::string, std::string>{{"shop-004-price-rewrite", from_newer},
                                             {"shop-003-reviews", from_older}});
    CHECK(rows_of(url, "SELECT id, price_cents FROM shop_products ORDER BY id") ==
          std::vector<std::string>{"1 350", "2 420"});
    // The backup the rollback took (shop_reviews held a row) restored: the migrations it took
    // away are applied again, with the packages they came from.
    auto rollback_backup = rows_of(url,
                                   "SELECT backup FROM migpkg_history WHERE state = 'rolled-back' "
                                   "AND backup IS NOT NULL");
    REQUIRE(rollback_backup.size() == 1);
    auto restored = run_cli("restore '" + rollback_backup[0] + "'" + db);
    INFO(restored.err);
    REQUIRE(restored.exit_code == 0);
    // It was taken before 003 was rolled back, after 004 was: 003 is back, 004 is not.
    std::map<std::string, std::string> restored_applied = applied;
    restored_applied.erase("shop-004-price-rewrite");
    CHECK(status_provenance(db) == restored_applied);
    CHECK(history_provenance(db, "restored", "up") ==
          std::map<std::string, std::string>{{"shop-003-reviews", from_older}});
    REQUIRE(run_cli("rollback acme.shop --steps 1 --no-backup" + db).exit_code == 0);
    // Installed again from the newer package: now both come from it.
    REQUIRE(run_cli("install '" + newer + "'" + trust + backups + db).exit_code == 0);
    auto again = status_provenance(db);
    CHECK(again["shop-003-reviews"] == from_newer);
    CHECK(again["shop-004-price-rewrite"] == from_newer);
    CHECK(again["shop-001-install"] == from_older);
    // A package whose next migration fails: its failed row names that package.
    auto failed = run_cli("install '" + broken + "'" + trust + backups + db);
    CHECK(failed.exit_code == 1);
    CHECK(history_provenance(db, "failed", "up") ==
          std::map<std::string, std::string>{{"shop-004-broken", broken_sha + " " + key_id}});
    CHECK(status_provenance(db).count("shop-004-broken") == 0);

    // The audit log: every run that wrote, newest first, refusals too.
    auto refused = run_cli("rollback acme.nothing" + db);
    CHECK(refused.exit_code != 0);
    const std::vector<std::string> runs{"rollback refused", "install failed", "install ok",
                                        "rollback ok",      "restore ok",     "rollback ok",
                                        "install ok",       "install ok",     "install ok"};
    CHECK(audit_runs(db) == runs);
    CHECK(audit_runs(db + " --limit 2") ==
          std::vector<std::string>(runs.begin(), runs.begin() + 2));
    CHECK(audit_runs(db + " --plugin acme.notes") == std::vector<std::string>{"install ok"});
    CHECK(audit_runs(db + " --plugin acme.nothing") ==
          std::vector<std::string>{"rollback refused"});
    // Four installs (one failed), two rollbacks and the restore.
    CHECK(audit_runs(db + " --plugin acme.shop").size() == 7);
    CHECK(audit_runs(db + " --since 2999-01-01").empty());
    CHECK(audit_runs(db + " --since 2000-01-01T00:00Z") == runs);
    auto text = run_cli("audit" + db);
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("$ migpkg rollback acme.nothing --db") != std::string::npos);
    CHECK(text.out.find("plugin acme.nothing is not installed") != std::string::npos);
    auto bad = run_cli("audit --since yesterday" + db);
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("--since takes a UTC date or time") != std::string::npos);
  });
}

TEST_CASE("audit on a database without migpkg tables says so and creates nothing",
          "[provenance][sqlite]") {
  std::string tmp = make_temp_dir();
  std::string path = tmp + "/never.db";
  auto text = run_cli("audit --db sqlite:" + path);
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("has no migpkg tables") != std::string::npos);
  auto json_out = run_cli("audit --json --db sqlite:" + path);
  CHECK(json_out.exit_code == 0);
  CHECK(json::parse(json_out.out) == json::array());
  CHECK(file_state(path) == "missing");
}
