// Load steps (docs/format-changes.md, "Loading data"): the data file's hash is part of the
// checksum, the derived unload deletes exactly the keys the file holds on every dialect, and the
// runtime refuses a file whose hash is not the plan's before a row is written, on every engine. The
// rows themselves are checked through the CLI in tests/scenarios/load-steps.scenario.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "compiler/json/ir_json.hpp"
#include "compiler/sources.hpp"
#include "compiler/util/sha256.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/executor/step_runner.hpp"
#include "runtime/package/file_hash.hpp"
#include "runtime/package/manifest.hpp"
#include "unit/package_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

std::map<std::string, std::string> checksums(const std::string& dir) {
  migpkg::Diagnostics diagnostics;
  auto program = migpkg::load_and_validate({dir}, diagnostics);
  REQUIRE_FALSE(diagnostics.has_errors());
  std::map<std::string, std::string> out;
  for (const auto& plugin : program.plugins)
    for (const auto& m : plugin.migrations) out[m.id] = migpkg::migration_checksum(m);
  return out;
}

// The lines of a file that hold a row: NDJSON's non-blank lines, CSV's records but the header.
std::size_t rows_in(const std::string& text, bool csv) {
  std::size_t rows = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) ++rows;
    start = end + 1;
  }
  return csv ? rows - 1 : rows;
}

}  // namespace

TEST_CASE("a load step's data file is part of the migration's checksum", "[load]") {
  std::string dir = make_temp_dir();
  REQUIRE(shell("cp -r " + shell_quoted(source_dir() + "/tests/cases/ddl-load-data/.") + " " +
                shell_quoted(dir)) == 0);
  auto before = checksums(dir);
  REQUIRE(before.size() == 2);
  // One byte of one row: another checksum. Back as it was: the same again.
  std::string file = dir + "/data/rates.csv";
  std::string original = read_file(file);
  std::string changed = original;
  changed[changed.find("4.3067") + 5] = '8';
  write_file(file, changed);
  auto after = checksums(dir);
  CHECK(after.at("reference-rows") != before.at("reference-rows"));
  CHECK(after.at("reference-tables") == before.at("reference-tables"));
  write_file(file, original);
  CHECK(checksums(dir) == before);
  // A file that is not there is an error at the load step's file member.
  REQUIRE(shell("rm " + shell_quoted(file)) == 0);
  auto result = run_cli("validate " + shell_quoted(dir));
  CHECK(result.exit_code == 1);
  CHECK(result.err.find(
            "002-reference-rows.json: /migration/steps/up/1/load/file: error: no data file") !=
        std::string::npos);
}

TEST_CASE("the unload of a load deletes exactly the keys its file holds", "[load]") {
  const std::string dir = "tests/cases/ddl-load-data";
  for (const char* dialect : {"sqlite", "postgresql", "mysql", "sqlserver", "oracle"}) {
    DYNAMIC_SECTION(dialect) {
      auto plan = plan_for(dir, dialect);
      REQUIRE(plan.migrations.size() == 2);
      const auto& m = plan.migrations[1];
      REQUIRE(m.id == "reference-rows");
      CHECK(m.reversible);
      // No down steps written: the unloads are the down, the last load first.
      REQUIRE(m.down.size() == 2);
      CHECK(m.down[0].id == "unload-load-rates");
      CHECK(m.down[1].id == "unload-load-countries");
      // The tables' own migration drops them: its down needs (and gets) no unload.
      CHECK(plan.migrations[0].down.size() == 2);
      for (const auto* load : {&m.up[0], &m.up[1]}) {
        INFO(load->id);
        REQUIRE(load->kind == "load");
        REQUIRE(load->load);
        CHECK(load->statements.empty());
        bool csv = load->load->file.size() > 4 &&
                   load->load->file.compare(load->load->file.size() - 4, 4, ".csv") == 0;
        std::string text = read_file(source_dir() + "/" + dir + "/" + load->load->file);
        CHECK(load->load->sha256 == migpkg::sha256_hex(text));
        const auto& unload = load->id == "load-rates" ? m.down[0] : m.down[1];
        REQUIRE(unload.kind == "sql");
        REQUIRE(unload.statements.size() == 1);
        // The up step's reverse is the same DELETE, for undoing a journalled migration.
        REQUIRE(load->reverse.has_value());
        CHECK(*load->reverse == unload.statements);
        const std::string& sql = unload.statements[0];
        CHECK(sql.rfind("DELETE FROM ", 0) == 0);
        // One key per row: a single key column lists literals in IN (...), a composite key one
        // AND group per row.
        std::size_t keys = 0;
        if (load->id == "load-countries") {
          std::size_t open = sql.find(" IN (");
          REQUIRE(open != std::string::npos);
          keys = 1;
          for (std::size_t i = open; i < sql.size(); ++i) keys += sql.compare(i, 3, "', ") == 0;
        } else {
          for (std::size_t i = 0; i < sql.size(); ++i) keys += sql.compare(i, 5, " AND ") == 0;
        }
        CHECK(keys == rows_in(text, csv));
      }
      CHECK(m.down[1].statements[0].find("'O''") != std::string::npos);  // a quote in a key
    }
  }
}

TEST_CASE("a load refuses a file whose SHA-256 is not the plan's before writing a row",
          "[load][sqlite][postgresql][mysql]") {
  std::string dir = make_temp_dir();
  write_file(dir + "/001.json", "{}");  // the step's source: the file is read beside it
  REQUIRE(shell("mkdir " + shell_quoted(dir + "/data")) == 0);
  const std::string rows = "{\"id\":2,\"label\":\"two\"}\n{\"id\":3,\"label\":\"three\"}\n";
  write_file(dir + "/data/items.ndjson", rows);
  for_each_engine([&](migpkg::runtime::Connection& c, const std::string& dialect) {
    INFO(dialect);
    c.execute("CREATE TABLE ld_hash (id INTEGER PRIMARY KEY, label VARCHAR(20))");
    c.execute("INSERT INTO ld_hash (id, label) VALUES (1, 'one')");
    migpkg::plan::Step step;
    step.id = "load-items";
    step.name = "Load items";
    step.kind = "load";
    step.load = migpkg::plan::LoadInfo{
        "data/items.ndjson", migpkg::sha256_hex(rows + "{\"id\":4}\n"), "ld_hash", "fail"};
    step.source.file = dir + "/001.json";
    try {
      migpkg::runtime::run_steps(c, {step}, {});
      FAIL("the load ran");
    } catch (const migpkg::runtime::StepFailure& failure) {
      std::string message = failure.what();
      CHECK(failure.step_id() == "load-items");
      CHECK(message.find("data/items.ndjson has SHA-256 " + migpkg::sha256_hex(rows)) !=
            std::string::npos);
      CHECK(message.find("nothing was loaded") != std::string::npos);
    }
    auto result = c.query("SELECT id, label FROM ld_hash ORDER BY id");
    REQUIRE(result.rows.size() == 1);
    CHECK(result.rows[0][1] == std::optional<std::string>("one"));
    c.execute("DROP TABLE ld_hash");
  });
}

TEST_CASE("a plugin that ships data is packed, installed from the package and rolled back",
          "[load][package][sqlite][postgresql][mysql]") {
  std::string tmp = make_temp_dir();
  make_key(tmp, "alice");
  std::string package = tmp + "/currencies.migpkg";
  pack("packages/examples/currencies-dsl", package, tmp + "/alice.key");
  auto entries = read_raw_entries(read_file(package));
  REQUIRE(find_entry(entries, "data/currencies.ndjson"));
  REQUIRE(find_entry(entries, "data/countries.csv"));
  for_each_database_url("load_package", [&](const std::string& url) {
    INFO(url);
    auto installed = run_cli("install " + package + " --db '" + url + "' --trust " + tmp +
                             "/alice.pub --backup-dir " + tmp);
    INFO(installed.err);
    REQUIRE(installed.exit_code == 0);
    {
      auto c = migpkg::runtime::open_url(url);
      auto value = [&](const std::string& sql) {
        auto result = c->query(sql);
        REQUIRE(result.rows.size() == 1);
        return result.rows[0][0].value_or("NULL");
      };
      CHECK(value("SELECT COUNT(*) FROM cur_currencies") == "25");
      CHECK(value("SELECT COUNT(*) FROM cur_countries") == "34");
      CHECK(value("SELECT name FROM cur_currencies WHERE code = 'PLN'") == "Polish złoty");
      CHECK(value("SELECT minor_units FROM cur_currencies WHERE code = 'TND'") == "3");
      CHECK(value("SELECT name FROM cur_countries WHERE code = 'ZA'") ==
            "South Africa, Republic of");
    }
    auto rolled_back =
        run_cli("rollback acme.currencies --all --db '" + url + "' --backup-dir " + tmp);
    INFO(rolled_back.err);
    CHECK(rolled_back.exit_code == 0);
    auto c = migpkg::runtime::open_url(url);
    CHECK_FALSE(c->query("SELECT 1 FROM migpkg_applied").rows.size() > 0);
  });
}

TEST_CASE("a package whose data file was changed and re-signed is refused before any row",
          "[load][package]") {
  std::string tmp = make_temp_dir();
  make_key(tmp, "alice");
  std::string package = tmp + "/currencies.migpkg";
  pack("packages/examples/currencies-dsl", package, tmp + "/alice.key");
  auto entries = read_raw_entries(read_file(package));
  auto manifest = nlohmann::ordered_json::parse(entries.at(0).content);
  // The publisher's own key signs a manifest that lists the changed file with its true size
  // and hash: the archive verifies, but the migration's checksum covers the file's SHA-256.
  std::string changed;
  for (auto& entry : entries)
    if (entry.name == "data/currencies.ndjson") {
      std::size_t at = entry.content.find("Euro");
      REQUIRE(at != std::string::npos);
      entry.content.replace(at, 4, "Ecu!");
      changed = entry.content;
    }
  for (auto& file : manifest["files"])
    if (file["path"] == "data/currencies.ndjson") {
      file["size"] = changed.size();
      file["hash"] = migpkg::package::hash_hex(changed);
    }
  entries[0].content = manifest.dump(2) + "\n";
  entries[1].content =
      sign_with(tmp + "/alice.key", entries[0].content,
                migpkg::package::trusted_comment_for(manifest["plugin"].get<std::string>(),
                                                     manifest["version"].get<std::string>()));
  std::string doctored = tmp + "/doctored.migpkg";
  write_file(doctored, write_raw_archive(entries));
  REQUIRE(run_cli("verify " + doctored + " --trust " + tmp + "/alice.pub").exit_code == 0);
  std::string db = tmp + "/target.db";
  auto installed =
      run_cli("install " + doctored + " --db sqlite:" + db + " --trust " + tmp + "/alice.pub");
  INFO(installed.err);
  CHECK(installed.exit_code == 3);
  CHECK(installed.err.find("has checksum") != std::string::npos);
  CHECK(installed.err.find("but the signed manifest says") != std::string::npos);
  CHECK(file_state(db) == "missing");
}
