// The signed registry index (docs/trust.md): `index build`, and `install PLUGIN@RANGE --index`
// on a database that already holds test.shop 1.0.0 WITH ROWS. An accepted index installs and
// keeps every row; each refusal (rollback, freeze, bytes that differ, revoked or untrusted keys,
// rotations without a valid statement) exits 3 and leaves the rows, migpkg's tables and the
// trust directory's index state as they were.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/package/index_selection.hpp"
#include "runtime/package/key_rotation.hpp"
#include "runtime/package/utc_time.hpp"
#include "unit/json_schema_check.hpp"
#include "unit/registry_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
namespace package = migpkg::package;

namespace {

const int kSeededRows = 40;

// test.shop 1.0.0 from its package, then rows in shop_items.
void install_seeded(RegistryWorld& world, const std::string& url) {
  auto result = run_cli("install '" + world.package("1.0.0", "pub") + "' --db '" + url +
                        "' --trust '" + world.trust + "'");
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  for (int i = 1; i <= kSeededRows; ++i)
    execute_sql(url, "INSERT INTO shop_items (id, name) VALUES (" + std::to_string(i) + ", 'item " +
                         std::to_string(i) + "')");
}

CommandResult install_from(const RegistryWorld& world, const std::string& url,
                           const std::string& index, const std::string& what = "test.shop@^1") {
  return run_cli("install '" + what + "' --index '" + index + "' --db '" + url + "' --trust '" +
                 world.trust + "'");
}

struct RefusalCase {
  const char* name;
  // Prepares a registry (and may run accepted installs first); returns the index to refuse.
  std::function<std::string(RegistryWorld&, const std::string& url)> setup;
  // Fragments the refusal message must hold; "{KEY}" stands for that key's id.
  std::vector<std::string> expected;
};

std::string with_key_ids(std::string text, const RegistryWorld& world) {
  for (const char* key : {"registry", "pub", "mid", "new", "other"}) {
    std::string marker = std::string("{") + key + "}";
    for (auto at = text.find(marker); at != std::string::npos; at = text.find(marker))
      text.replace(at, marker.size(), world.key_id(key));
  }
  return text;
}

const std::vector<RefusalCase>& refusal_cases() {
  static const std::vector<RefusalCase> cases = {
      {"an older index after a newer one was accepted",
       [](RegistryWorld& w, const std::string& url) {
         std::string newer = w.registry({{"shop-1.0.0.migpkg", {"1.0.0", "pub"}}});
         w.build_index(newer, "--version 7");
         auto seen = install_from(w, url, newer, "test.shop@1.0.0");  // nothing to do: accepted
         REQUIRE(seen.exit_code == 0);
         std::string older = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
         w.build_index(older, "--version 6");
         return older;
       },
       {"index version 6 is older than version 7 already accepted for key {registry}",
        "/index-state/{registry}.json", "refusing a rolled-back index"}},
      {"an expired index",
       [](RegistryWorld& w, const std::string&) {
         std::string dir = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
         w.build_index(dir);
         w.resign(dir, [](package::RegistryIndex& index) {
           index.issued = package::format_utc(package::unix_now() - 3 * 86400);
           index.expires = package::format_utc(package::unix_now() - 60);
         });
         return dir;
       },
       {"the index expired at", "/expires", "refusing a stale index"}},
      {"a package longer than the index says",
       [](RegistryWorld& w, const std::string&) {
         std::string dir = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
         w.build_index(dir);
         REQUIRE(shell("printf x >> '" + dir + "/shop-1.1.0.migpkg'") == 0);
         return dir;
       },
       {"shop-1.1.0.migpkg (test.shop 1.1.0) is", "bytes but the index says", "(/packages, size)"}},
      {"a package of the listed size whose bytes differ",
       [](RegistryWorld& w, const std::string&) {
         std::string dir = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
         w.build_index(dir);
         std::string path = dir + "/shop-1.1.0.migpkg";
         std::string bytes = read_file(path);
         bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
         write_file(path, bytes);
         return dir;
       },
       {"shop-1.1.0.migpkg (test.shop 1.1.0) has SHA-256", "but the index says",
        "(/packages, sha256)"}},
      {"another validly signed package under a listed file name",
       [](RegistryWorld& w, const std::string&) {
         // The publisher's 1.0.0, where the index pins 1.1.0: signed by a trusted key, so only
         // the index's size and hash stand between it and the install.
         std::string dir = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
         w.build_index(dir);
         REQUIRE(shell("cp '" + w.package("1.0.0", "pub") + "' '" + dir + "/shop-1.1.0.migpkg'") ==
                 0);
         return dir;
       },
       {"shop-1.1.0.migpkg (test.shop 1.1.0) is", "bytes but the index says"}},
      {"a package signed by a key the index revokes",
       [](RegistryWorld& w, const std::string&) {
         REQUIRE(shell("cp '" + w.public_key("new") + "' '" + w.trust + "/'") == 0);
         std::string dir = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "new"}}});
         w.build_index(dir);
         w.resign(dir, [&](package::RegistryIndex& index) {
           index.revoked.push_back(*package::parse_key_id_hex(w.key_id("new")));
         });
         return dir;
       },
       {"package shop-1.1.0.migpkg is signed by key {new}, which the index lists as revoked "
        "(/revokedKeys)"}},
      {"an index signed by a key it revokes",
       [](RegistryWorld& w, const std::string&) {
         std::string dir = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
         w.build_index(dir);
         w.resign(dir, [&](package::RegistryIndex& index) {
           index.revoked.push_back(*package::parse_key_id_hex(w.key_id("registry")));
         });
         return dir;
       },
       {"the index is signed by key {registry}, which the index lists as revoked"}},
      {"an index signed by an untrusted key",
       [](RegistryWorld& w, const std::string&) {
         std::string dir = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
         w.build_index(dir, "", "other");
         return dir;
       },
       {"index.json: signed by key {other}, which is not trusted"}},
      {"an index changed after signing",
       [](RegistryWorld& w, const std::string&) {
         std::string dir = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
         w.build_index(dir);
         std::string text = read_file(dir + "/index.json");
         auto at = text.find("\"version\": 1,");
         REQUIRE(at != std::string::npos);
         text.replace(at, 13, "\"version\": 9,");
         write_file(dir + "/index.json", text);
         return dir;
       },
       {"index.json: signature verification failed"}},
      {"a package by a rotated key without a rotation statement",
       [](RegistryWorld& w, const std::string&) {
         std::string dir = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "new"}}});
         w.build_index(dir);
         return dir;
       },
       {"signed by key {new}, which is not trusted"}},
      {"a rotation statement signed by another key than the old one",
       [](RegistryWorld& w, const std::string&) {
         std::string dir = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "new"}}});
         // "other" vouches for "new"; the statement is then relabelled as pub's.
         std::string statement = w.rotate("other", "new", w.trust);
         std::string text = read_file(statement);
         auto at = text.find(w.key_id("other"));
         text.replace(at, 16, w.key_id("pub"));
         write_file(statement, text);
         w.build_index(dir);
         return dir;
       },
       {"other-new.rotation: the statement vouches for key {new} in the name of key {pub} but is "
        "signed by key {other}"}},
      {"a rotation statement changed after the old key signed it",
       [](RegistryWorld& w, const std::string&) {
         std::string dir = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "new"}}});
         std::string statement = w.rotate("pub", "new", w.trust);
         std::string text = read_file(statement);
         auto at = text.find("\"date\": \"20");
         REQUIRE(at != std::string::npos);
         text[at + 11] = text[at + 11] == '1' ? '2' : '1';  // another year, still well formed
         write_file(statement, text);
         w.build_index(dir);
         return dir;
       },
       {"pub-new.rotation: rotation statement {pub} -> {new} is not signed by the old key {pub}",
        "refusing a forged rotation"}},
      {"a key an index accepted before revoked, in an index of that version no longer listing it",
       [](RegistryWorld& w, const std::string& url) {
         REQUIRE(shell("cp '" + w.public_key("new") + "' '" + w.trust + "/'") == 0);
         std::string revoking = w.registry({{"shop-1.0.0.migpkg", {"1.0.0", "pub"}}});
         w.build_index(revoking, "--version 4 --revoke " + w.key_id("new"));
         auto seen = install_from(w, url, revoking, "test.shop@1.0.0");  // nothing to do
         REQUIRE(seen.exit_code == 0);
         std::string dir = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "new"}}});
         w.build_index(dir, "--version 4");
         return dir;
       },
       {"package shop-1.1.0.migpkg is signed by key {new}, which an index accepted before revoked "
        "(remembered in",
        "/index-state/{registry}.json; /revokedKeys): a revoked key stays refused"}},
      {"a key revoked before, in an older index signed by another trusted index key",
       [](RegistryWorld& w, const std::string& url) {
         for (const char* key : {"new", "other"})
           REQUIRE(shell("cp '" + w.public_key(key) + "' '" + w.trust + "/'") == 0);
         std::string revoking = w.registry({{"shop-1.0.0.migpkg", {"1.0.0", "pub"}}});
         w.build_index(revoking, "--version 9 --revoke " + w.key_id("new"));
         auto seen = install_from(w, url, revoking, "test.shop@1.0.0");
         REQUIRE(seen.exit_code == 0);
         std::string dir = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "new"}}});
         w.build_index(dir, "--version 1", "other");
         w.resign(
             dir,
             [](package::RegistryIndex& index) {
               index.issued = package::format_utc(package::unix_now() - 2 * 86400);
             },
             "other");
         return dir;
       },
       {"package shop-1.1.0.migpkg is signed by key {new}, which an index accepted before revoked",
        "/index-state/{registry}.json"}},
      {"an index issued in the future",
       [](RegistryWorld& w, const std::string&) {
         std::string dir = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
         w.build_index(dir);
         w.resign(dir, [](package::RegistryIndex& index) {
           index.issued = package::format_utc(package::unix_now() + 86400);
         });
         return dir;
       },
       {"index.json: the index was issued at", ", in the future (now", "/issued)"}},
      {"a newer index version issued before the index accepted last",
       [](RegistryWorld& w, const std::string& url) {
         std::string newer = w.registry({{"shop-1.0.0.migpkg", {"1.0.0", "pub"}}});
         w.build_index(newer, "--version 5");
         auto seen = install_from(w, url, newer, "test.shop@1.0.0");
         REQUIRE(seen.exit_code == 0);
         std::string older = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
         w.build_index(older, "--version 6");
         w.resign(older, [](package::RegistryIndex& index) {
           index.issued = package::format_utc(package::unix_now() - 86400);
         });
         return older;
       },
       {"index.json: the index was issued at",
        ", when the index already accepted for key {registry} was issued",
        "/index-state/{registry}.json; /issued): refusing a rolled-back index"}},
      {"a rotation whose old key the index revokes",
       [](RegistryWorld& w, const std::string&) {
         std::string dir = w.registry({{"shop-1.1.0.migpkg", {"1.1.0", "new"}}});
         w.rotate("pub", "new", dir);  // shipped in the index
         w.build_index(dir, "--revoke " + w.key_id("pub"));
         return dir;
       },
       {"package shop-1.1.0.migpkg is signed by key {new}, trusted only through rotation "
        "statements from key {pub}, which the index lists as revoked"}},
  };
  return cases;
}

}  // namespace

TEST_CASE("install --index: a fresh index installs the highest version in range and keeps the rows",
          "[index][sqlite][postgresql][mysql]") {
  RegistryWorld world;
  for_each_database_url("migpkg_index_fresh", [&](const std::string& url) {
    install_seeded(world, url);
    std::string rows_before = query_text(url, "SELECT id, name FROM shop_items ORDER BY id");
    std::string dir = world.registry({{"shop-1.0.0.migpkg", {"1.0.0", "pub"}},
                                      {"shop-1.1.0.migpkg", {"1.1.0", "pub"}},
                                      {"shop-2.0.0.migpkg", {"2.0.0", "new"}}});
    world.rotate("pub", "new", dir);  // shipped in the index: 2.0.0 is signed by the new key
    world.build_index(dir);
    REQUIRE(index_state_files(world.trust).empty());

    auto first = install_from(world, url, dir, "test.shop@^1");
    INFO(first.out << first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(first.out.find("applied test.shop/shop-002-price 1.1.0") != std::string::npos);
    CHECK(first.out.find("shop-003") == std::string::npos);
    CHECK(query_text(url, "SELECT id, name FROM shop_items ORDER BY id") == rows_before);
    CHECK(query_text(url, "SELECT COUNT(*) FROM shop_items WHERE price = 0") ==
          std::to_string(kSeededRows) + "|");
    std::string state = index_state_files(world.trust);
    CHECK(state.find(world.key_id("registry") + ".json") != std::string::npos);
    CHECK(state.find("\"version\": 1,") != std::string::npos);
    CHECK(state.find("\"issued\": \"" +
                     migpkg::package::format_utc(migpkg::package::unix_now()).substr(0, 10)) !=
          std::string::npos);
    CHECK(audit_details(url).back().find("index " + dir + "/index.json version 1 signed by key " +
                                         world.key_id("registry")) != std::string::npos);

    // PLUGIN alone: the highest listed version, 2.0.0, whose signer pub vouched for.
    auto second = install_from(world, url, dir + "/index.json", "test.shop");
    INFO(second.out << second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(second.out.find("applied test.shop/shop-003-stock 2.0.0") != std::string::npos);
    std::string chain = "key " + world.key_id("new") + " accepted through rotation statement " +
                        "signed by " + world.key_id("pub") + " (" +
                        migpkg::package::format_utc(migpkg::package::unix_now()).substr(0, 10) +
                        ")";
    CHECK(second.err.find(chain) != std::string::npos);
    CHECK(audit_details(url).back().find("test.shop 2.0.0: " + chain) != std::string::npos);
    CHECK(query_text(url, "SELECT id, name FROM shop_items ORDER BY id") == rows_before);
    CHECK(query_text(url, "SELECT COUNT(*) FROM shop_items WHERE stock = 5") ==
          std::to_string(kSeededRows) + "|");
    // The state does not move for an index of the same version.
    CHECK(index_state_files(world.trust) == state);
    REQUIRE(shell("rm -r '" + world.trust + "/index-state'") == 0);
  });
}

TEST_CASE("install --index refuses, changing no row, no migpkg table and no index state",
          "[index][index-refusals][sqlite][postgresql][mysql]") {
  for (const auto& c : refusal_cases()) {
    INFO("case: " << c.name);
    // A fresh world (trust directory, keys, packages) and database per case: a case may run an
    // accepted install first.
    for_each_database_url("migpkg_index_refusal", [&](const std::string& url) {
      RegistryWorld world;
      install_seeded(world, url);
      std::string index = c.setup(world, url);
      std::string database_before = database_state(url);
      std::string state_before = index_state_files(world.trust);
      auto refused = install_from(world, url, index);
      INFO(refused.out << refused.err);
      CHECK(refused.exit_code == 3);
      for (const auto& fragment : c.expected)
        CHECK(refused.err.find(with_key_ids(fragment, world)) != std::string::npos);
      CHECK(database_state(url) == database_before);
      CHECK(index_state_files(world.trust) == state_before);
      // plan refuses alike (and never writes the state either).
      auto planned = run_cli("plan test.shop@^1 --index '" + index + "' --db '" + url +
                             "' --trust '" + world.trust + "' --json");
      CHECK(planned.exit_code == 3);
      CHECK(database_state(url) == database_before);
      CHECK(index_state_files(world.trust) == state_before);
    });
  }
}

TEST_CASE("install --index verifies and installs the bytes it hashed, whatever the file becomes",
          "[index]") {
  RegistryWorld world;
  std::string dir = world.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
  world.build_index(dir);
  auto trust = package::TrustStore::load(world.trust);
  auto selection =
      package::select_from_index(dir, trust, world.trust, {"test.shop@^1"}, package::unix_now());
  REQUIRE(selection.chosen.size() == 1);
  // Swapped once hashed: another package a trusted key signed, under the listed name. Then gone.
  std::string listed = dir + "/shop-1.1.0.migpkg";
  REQUIRE(shell("cp '" + world.package("1.0.0", "pub") + "' '" + listed + "'") == 0);
  migpkg::Diagnostics diagnostics;
  auto loaded = package::load_index_packages(selection, trust, diagnostics);
  REQUIRE(loaded.size() == 1);
  CHECK(loaded[0].verified.manifest.version == "1.1.0");
  CHECK(loaded[0].sha256 == selection.chosen[0].sha256);
  CHECK(loaded[0].path == listed);
  REQUIRE(shell("rm '" + listed + "'") == 0);
  auto again = package::load_index_packages(selection, trust, diagnostics);
  CHECK(again.at(0).sha256 == selection.chosen[0].sha256);
}
