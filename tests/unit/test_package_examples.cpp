// Every example plugin, packed, verified, installed from the package on SQLite and PostgreSQL,
// and repacked byte for byte; install from a package records the same checksums as from sources.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "compiler/dialects/dialect.hpp"
#include "compiler/sources.hpp"
#include "runtime/drivers/connection.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/package_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

// The plugin an example directory holds and its number of migrations, as the front ends read
// them (a .mig file may hold several migrations, and its plugin id need not be acme.<dir>).
migpkg::ir::Plugin example_plugin(const std::string& dir) {
  migpkg::Diagnostics diagnostics;
  auto program = migpkg::load_sources({source_dir() + "/" + dir}, diagnostics);
  REQUIRE(program.plugins.size() == 1);
  return program.plugins[0];
}

std::vector<std::string> example_names() {
  return list_dir(source_dir() + "/packages/examples", true);
}

// The (migration id, checksum) pairs of the applied rows in `history --json`.
std::vector<std::string> applied_checksums(const std::string& url) {
  auto result = run_cli("history --db '" + url + "' --json");
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  std::vector<std::string> out;
  for (const auto& row : nlohmann::json::parse(result.out))
    if (row["state"] == "applied")
      out.push_back(row["migrationId"].get<std::string>() + " " +
                    row["checksum"].get<std::string>());
  return out;
}

std::string public_key_id(const std::string& pub_path) {
  std::string text = read_file(pub_path);
  std::string first = text.substr(0, text.find('\n'));
  return first.substr(first.size() - 16);
}

}  // namespace

TEST_CASE("every example packs, verifies, repacks byte-identically and lists its engines",
          "[package]") {
  std::string tmp = make_temp_dir();
  make_key(tmp, "alice");
  std::string key = tmp + "/alice.key", pub = tmp + "/alice.pub";
  for (const auto& name : example_names()) {
    INFO("example: " << name);
    std::string source = "packages/examples/" + name;
    std::string first = pack(source, tmp + "/" + name + ".migpkg", key);
    std::string again = pack(source, tmp + "/" + name + "-again.migpkg", key);
    CHECK(first == again);
    // Where pack runs from, or how the directory is named, does not matter either.
    std::string absolute =
        pack(source_dir() + "/" + source + "/", tmp + "/" + name + "-abs.migpkg", key);
    CHECK(first == absolute);
    for (const auto& entry : read_raw_entries(absolute))
      CHECK(entry.content.find(source_dir()) == std::string::npos);

    auto verified = run_cli("verify " + tmp + "/" + name + ".migpkg --trust " + pub);
    INFO(verified.err);
    CHECK(verified.exit_code == 0);
    CHECK(verified.out.find("OK") != std::string::npos);
    CHECK(verified.out.find(public_key_id(pub)) != std::string::npos);

    // SOURCE_DATE_EPOCH changes the entries' timestamps, and only those: still reproducible.
    auto dated =
        run_cli("pack " + source + " -o " + tmp + "/" + name + "-dated.migpkg --key " + key,
                "SOURCE_DATE_EPOCH=1700000000");
    REQUIRE(dated.exit_code == 0);
    auto dated_again =
        run_cli("pack " + source + " -o " + tmp + "/" + name + "-dated2.migpkg --key " + key,
                "SOURCE_DATE_EPOCH=1700000000");
    REQUIRE(dated_again.exit_code == 0);
    CHECK(read_file(tmp + "/" + name + "-dated.migpkg") ==
          read_file(tmp + "/" + name + "-dated2.migpkg"));
    CHECK(read_file(tmp + "/" + name + "-dated.migpkg") != first);
    auto bad_epoch = run_cli("pack " + source + " -o " + tmp + "/x.migpkg --key " + key,
                             "SOURCE_DATE_EPOCH=yesterday");
    CHECK(bad_epoch.exit_code == 2);
    CHECK(bad_epoch.err.find("SOURCE_DATE_EPOCH") != std::string::npos);

    // Layout: manifest and signature first, then the members sorted; one plan per engine.
    auto entries = read_raw_entries(first);
    REQUIRE(entries.size() > 2);
    CHECK(entries[0].name == "manifest.json");
    CHECK(entries[1].name == "manifest.json.minisig");
    CHECK(std::is_sorted(entries.begin() + 2, entries.end(),
                         [](const RawEntry& a, const RawEntry& b) { return a.name < b.name; }));
    auto inspected = run_cli("inspect " + tmp + "/" + name + ".migpkg --json --trust " + pub);
    REQUIRE(inspected.exit_code == 0);
    auto report = nlohmann::json::parse(inspected.out);
    CHECK(report["signature"]["verified"] == true);
    const auto& manifest = report["manifest"];
    std::vector<std::string> engines = manifest["engines"];
    for (const auto& e : manifest["unsupportedEngines"]) engines.push_back(e["engine"]);
    std::sort(engines.begin(), engines.end());
    auto registered = migpkg::dialect_names();
    std::sort(registered.begin(), registered.end());
    CHECK(engines == registered);  // every registered dialect was compiled
    for (const auto& engine : manifest["engines"]) {
      CHECK(find_entry(entries, "plans/" + engine.get<std::string>() + ".json"));
      CHECK(find_entry(entries, "plans/" + engine.get<std::string>() + ".sql"));
    }
    std::vector<std::string> supported = manifest["engines"];
    CHECK(std::count(supported.begin(), supported.end(), "postgresql") == 1);
    CHECK(std::count(supported.begin(), supported.end(), "sqlite") == 1);
    CHECK(manifest["migrations"].size() == example_plugin(source).migrations.size());
  }
}

TEST_CASE("installing a package records the checksums installing its sources records",
          "[package][sqlite][postgresql]") {
  std::string tmp = make_temp_dir();
  make_key(tmp, "alice");
  std::string key = tmp + "/alice.key", pub = tmp + "/alice.pub";
  for (const auto& name : example_names()) {
    INFO("example: " << name);
    std::string package = tmp + "/" + name + ".migpkg";
    pack("packages/examples/" + name, package, key);

    std::string from_sources = "sqlite:" + tmp + "/" + name + "-sources.db";
    auto installed = run_cli("install packages/examples/" + name + " --db " + from_sources);
    REQUIRE(installed.exit_code == 0);
    auto expected = applied_checksums(from_sources);
    REQUIRE(!expected.empty());

    std::string sqlite_url = "sqlite:" + tmp + "/" + name + "-package.db";
    auto from_package = run_cli("install " + package + " --db " + sqlite_url + " --trust " + pub);
    INFO(from_package.err);
    REQUIRE(from_package.exit_code == 0);
    CHECK(applied_checksums(sqlite_url) == expected);
    // Installing the same package again has nothing to do.
    auto again = run_cli("install " + package + " --db " + sqlite_url + " --trust " + pub);
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("ok, 0 migrations") != std::string::npos);

    std::string server = postgres_url();
    if (server.empty()) continue;
    migpkg::runtime::TemporaryDatabase database(server, "migpkg_package");
    // Backups (crm-003 requires one before it runs) go to a directory of the test's: the
    // default is ./migpkg-backups, and run_cli runs in the source tree.
    const std::string backups = " --backup-dir '" + make_temp_dir() + "'";
    auto on_pg =
        run_cli("install " + package + " --db '" + database.url() + "' --trust " + pub + backups);
    INFO(on_pg.err);
    REQUIRE(on_pg.exit_code == 0);
    CHECK(applied_checksums(database.url()) == expected);
    auto rolled_back = run_cli("rollback " + example_plugin("packages/examples/" + name).id +
                               " --all --no-backup" + backups + " --db '" + database.url() + "'");
    CHECK(rolled_back.exit_code == 0);
  }
}

TEST_CASE("plan and check take packages, which need trust (sources do not)", "[package]") {
  std::string tmp = make_temp_dir();
  make_key(tmp, "alice");
  std::string package = tmp + "/crm.migpkg";
  pack("packages/examples/crm", package, tmp + "/alice.key");

  std::string db = tmp + "/plan.db";
  auto planned =
      run_cli("plan " + package + " --db sqlite:" + db + " --trust " + tmp + "/alice.pub");
  INFO(planned.err);
  CHECK(planned.exit_code == 0);
  CHECK(planned.out.find("CREATE TABLE") != std::string::npos);
  CHECK(file_state(db) == "missing");  // plan changes nothing, not even by creating the file

  auto checked = run_cli("check " + package + " --trust " + tmp + "/alice.pub");
  INFO(checked.err);
  CHECK(checked.exit_code == 0);

  // A package and a source directory in one run.
  auto mixed = run_cli("install " + package + " packages/examples/search --db sqlite:" + tmp +
                       "/mixed.db --trust " + tmp + "/alice.pub");
  INFO(mixed.err);
  CHECK(mixed.exit_code == 0);
  CHECK(mixed.out.find("acme.search/search-001-install") != std::string::npos);
  CHECK(mixed.out.find("acme.crm/crm-001-install") != std::string::npos);

  // Two packages by two publishers, trusted through a directory holding both keys.
  make_key(tmp, "bob");
  pack("packages/examples/search", tmp + "/search.migpkg", tmp + "/bob.key");
  std::string keys = tmp + "/keys";
  std::system(("mkdir -p " + keys + " && cp " + tmp + "/alice.pub " + tmp + "/bob.pub " + keys +
               " && echo 'not a key' > " + keys + "/README")
                  .c_str());
  auto both = run_cli("install " + package + " " + tmp + "/search.migpkg --db sqlite:" + tmp +
                      "/both.db --trust " + keys);
  INFO(both.err);
  CHECK(both.exit_code == 0);
  CHECK(both.out.find("install: ok, 6 migrations") != std::string::npos);
  auto only_alice = run_cli("install " + package + " " + tmp + "/search.migpkg --db sqlite:" + tmp +
                            "/alice-only.db --trust " + tmp + "/alice.pub");
  CHECK(only_alice.exit_code == 3);
  CHECK(only_alice.err.find("search.migpkg: signed by key") != std::string::npos);
  CHECK(file_state(tmp + "/alice-only.db") ==
        "missing");  // the first package alone is not installed

  // No --trust: the default directory, under XDG_CONFIG_HOME.
  std::string config = tmp + "/config";
  auto untrusted = run_cli("verify " + package, "XDG_CONFIG_HOME=" + config);
  CHECK(untrusted.exit_code == 3);
  CHECK(untrusted.err.find(config + "/migpkg/trust does not exist") != std::string::npos);
  std::system(("mkdir -p " + config + "/migpkg/trust && cp " + tmp + "/alice.pub " + config +
               "/migpkg/trust/")
                  .c_str());
  auto trusted = run_cli("verify " + package, "XDG_CONFIG_HOME=" + config);
  CHECK(trusted.exit_code == 0);
  auto sources = run_cli("plan packages/examples/crm --db sqlite::memory:",
                         "XDG_CONFIG_HOME=" + tmp + "/nowhere");
  CHECK(sources.exit_code == 0);
}

TEST_CASE("an older package is refused unless --allow-downgrade", "[package][sqlite]") {
  std::string tmp = make_temp_dir();
  make_key(tmp, "alice");
  std::string key = tmp + "/alice.key", trust = " --trust " + tmp + "/alice.pub";
  // acme.crm 1.2.0: the example without its 2.0.0 migration.
  std::string old_dir = tmp + "/crm-1.2";
  std::system(("mkdir -p " + old_dir + " && cd '" + source_dir() +
               "' && cp packages/examples/crm/00[123]-*.json " + old_dir)
                  .c_str());
  pack(old_dir, tmp + "/crm-1.2.0.migpkg", key);
  pack("packages/examples/crm", tmp + "/crm-2.0.0.migpkg", key);

  std::string db = tmp + "/down.db", url = " --db sqlite:" + db;
  REQUIRE(run_cli("install " + tmp + "/crm-2.0.0.migpkg" + url + trust).exit_code == 0);
  std::string before = file_state(db);
  auto refused = run_cli("install " + tmp + "/crm-1.2.0.migpkg" + url + trust);
  CHECK(refused.exit_code == 3);
  CHECK(refused.err.find("1.2.0 is older than the installed 2.0.0") != std::string::npos);
  CHECK(refused.err.find("--allow-downgrade") != std::string::npos);
  CHECK(file_state(db) == before);
  auto planned = run_cli("plan " + tmp + "/crm-1.2.0.migpkg" + url + trust + " --json");
  CHECK(planned.exit_code == 3);
  auto report = nlohmann::json::parse(planned.out);
  CHECK(report["status"] == "refused");
  CHECK(report["problems"][0].get<std::string>().find("refusing a downgrade") != std::string::npos);
  auto allowed =
      run_cli("install " + tmp + "/crm-1.2.0.migpkg" + url + trust + " --allow-downgrade");
  INFO(allowed.err);
  CHECK(allowed.exit_code == 0);
  CHECK(allowed.out.find("ok, 0 migrations") != std::string::npos);
}

TEST_CASE("pack bundles data/, refuses links and bad names, and one plugin per package",
          "[package]") {
  std::string tmp = make_temp_dir();
  make_key(tmp, "alice");
  std::string key = tmp + "/alice.key", pub = tmp + "/alice.pub";
  std::string plugin = tmp + "/plugin";
  std::system(("mkdir -p " + plugin + "/data/seed && cd '" + source_dir() +
               "' && cp tests/cases/minimal/001-create-table.json " + plugin)
                  .c_str());
  write_file(plugin + "/data/people.csv", "id,name\n1,Ada\n");
  write_file(plugin + "/data/seed/notes.txt", "hello\n");
  std::string bytes = pack(plugin, tmp + "/minimal.migpkg", key);
  auto entries = read_raw_entries(bytes);
  REQUIRE(find_entry(entries, "data/people.csv"));
  CHECK(find_entry(entries, "data/people.csv")->content == "id,name\n1,Ada\n");
  CHECK(find_entry(entries, "data/seed/notes.txt"));
  CHECK(find_entry(entries, "sources/001-create-table.json"));
  auto verified = run_cli("verify " + tmp + "/minimal.migpkg --trust " + pub + " --json");
  CHECK(verified.exit_code == 0);
  auto report = nlohmann::json::parse(verified.out);
  CHECK(report["ok"] == true);
  CHECK(report["files"] == entries.size() - 2);

  std::system(("ln -s /etc/passwd " + plugin + "/data/passwd").c_str());
  auto linked = run_cli("pack " + plugin + " -o " + tmp + "/linked.migpkg --key " + key);
  CHECK(linked.exit_code == 1);
  CHECK(linked.err.find("data/passwd: error: data file is a symbolic link") != std::string::npos);
  CHECK(file_state(tmp + "/linked.migpkg") == "missing");
  std::remove((plugin + "/data/passwd").c_str());

  write_file(plugin + "/data/with space.csv", "x\n");
  auto spaced = run_cli("pack " + plugin + " -o " + tmp + "/spaced.migpkg --key " + key);
  CHECK(spaced.exit_code == 1);
  CHECK(spaced.err.find("cannot be packed: character not allowed") != std::string::npos);
  std::remove((plugin + "/data/with space.csv").c_str());

  std::system(
      ("cd '" + source_dir() + "' && cp packages/examples/search/001-install.json " + plugin)
          .c_str());
  auto two = run_cli("pack " + plugin + " -o " + tmp + "/two.migpkg --key " + key);
  CHECK(two.exit_code == 1);
  CHECK(two.err.find("a package holds exactly one plugin; this directory holds 2") !=
        std::string::npos);
}

TEST_CASE("a package without a plan for the database's engine is refused", "[package]") {
  std::string tmp = make_temp_dir();
  make_key(tmp, "alice");
  std::string plugin = tmp + "/pg-only";
  std::system(("mkdir -p " + plugin).c_str());
  std::string source = read_file(source_dir() + "/tests/cases/minimal/001-create-table.json");
  for (std::string from : {"\"universal\": \"CREATE", "\"universal\": \"DROP"}) {
    auto at = source.find(from);
    REQUIRE(at != std::string::npos);
    source.replace(at, 11, "\"postgresql\"");
  }
  write_file(plugin + "/001.json", source);
  std::string bytes = pack(plugin, tmp + "/pg-only.migpkg", tmp + "/alice.key");
  auto inspected = run_cli("inspect " + tmp + "/pg-only.migpkg --json");
  REQUIRE(inspected.exit_code == 0);
  auto manifest = nlohmann::json::parse(inspected.out)["manifest"];
  CHECK(manifest["engines"] == nlohmann::json::array({"postgresql"}));
  bool sqlite_explained = false;
  for (const auto& u : manifest["unsupportedEngines"])
    if (u["engine"] == "sqlite") sqlite_explained = !u["reason"].get<std::string>().empty();
  CHECK(sqlite_explained);
  CHECK(!find_entry(read_raw_entries(bytes), "plans/sqlite.json"));

  std::string db = tmp + "/app.db";
  auto refused = run_cli("install " + tmp + "/pg-only.migpkg --db sqlite:" + db + " --trust " +
                         tmp + "/alice.pub");
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("has no plan for sqlite") != std::string::npos);
  CHECK(refused.err.find("it supports postgresql") != std::string::npos);
  CHECK(file_state(db) == "missing");
}

TEST_CASE("verify --json reports a refusal on stdout", "[package]") {
  std::string tmp = make_temp_dir();
  make_key(tmp, "alice");
  make_key(tmp, "mallory");
  pack("packages/examples/search", tmp + "/search.migpkg", tmp + "/mallory.key");
  auto refused = run_cli("verify " + tmp + "/search.migpkg --trust " + tmp + "/alice.pub --json");
  CHECK(refused.exit_code == 3);
  auto report = nlohmann::json::parse(refused.out);
  CHECK(report["ok"] == false);
  CHECK(report["refused"] == true);
  CHECK(report["error"].get<std::string>().find("which is not trusted") != std::string::npos);
}
