// `migpkg key rotate` and the trust store's rotation statements (docs/trust.md): a statement
// minisign verifies with the old key; a trust directory holding it accepts the new key, through
// chains up to the bound; verify and install say which chain, and the install's audit row keeps
// it; statements from keys the store does not trust are unused.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "unit/json_schema_check.hpp"
#include "unit/registry_test_support.hpp"
#include "unit/schema_assertions.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using nlohmann::json;

namespace {

std::string accepted(const RegistryWorld& world, const std::string& new_key,
                     const std::string& old_key) {
  return "key " + world.key_id(new_key) + " accepted through rotation statement signed by " +
         world.key_id(old_key) + " (";
}

}  // namespace

TEST_CASE("key rotate writes a statement minisign verifies with the old key", "[rotation]") {
  RegistryWorld world;
  std::string out = world.tmp + "/handover.rotation";
  auto result =
      run_cli("key rotate --old '" + world.secret("pub") + "' --new '" + world.public_key("new") +
              "' -o '" + out + "' --note 'laptop retired' --json");
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  require_schema("key-rotate-report.schema.json", result.out);
  CHECK(json::parse(result.out)["oldKeyId"] == world.key_id("pub"));
  std::string statement = read_file(out);
  require_schema("rotation.schema.json", statement);
  json s = json::parse(statement);
  CHECK(s["newKeyId"] == world.key_id("new"));
  CHECK(s["note"] == "laptop retired");
  CHECK(shell("minisign -V -q -p '" + world.public_key("pub") + "' -m '" + out + "'") == 0);
  CHECK(shell("minisign -V -q -p '" + world.public_key("new") + "' -m '" + out + "' 2>/dev/null") !=
        0);
  CHECK(capture("minisign -V -p '" + world.public_key("pub") + "' -m '" + out + "' | tail -1") ==
        "Trusted comment: migpkg rotation old:" + world.key_id("pub") +
            " new:" + world.key_id("new"));
  auto same = run_cli("key rotate --old '" + world.secret("pub") + "' --new '" +
                      world.public_key("pub") + "' -o '" + world.tmp + "/same.rotation'");
  CHECK(same.exit_code == 1);
  CHECK(same.err.find("a rotation names two different keys") != std::string::npos);
  CHECK(run_cli("key rotate --old '" + world.secret("pub") + "'").exit_code == 2);
  CHECK(run_cli("key spin").exit_code == 2);
}

TEST_CASE("a trust directory accepts a rotated key through its statements, chains included",
          "[rotation]") {
  RegistryWorld world;
  auto verify = [&](const std::string& key) {
    return run_cli("verify '" + world.package("1.1.0", key) + "' --trust '" + world.trust + "'");
  };
  auto unknown = verify("new");
  CHECK(unknown.exit_code == 3);
  CHECK(unknown.err.find("signed by key " + world.key_id("new") + ", which is not trusted") !=
        std::string::npos);

  // pub -> mid -> new: both statements in the trust directory.
  world.rotate("pub", "mid", world.trust);
  world.rotate("mid", "new", world.trust);
  auto chained = verify("new");
  INFO(chained.out << chained.err);
  CHECK(chained.exit_code == 0);
  CHECK(chained.out.find(accepted(world, "new", "mid")) != std::string::npos);
  CHECK(chained.out.find(accepted(world, "mid", "pub")) != std::string::npos);
  auto json_report = run_cli("verify '" + world.package("1.1.0", "new") + "' --trust '" +
                             world.trust + "' --json");
  CHECK(json::parse(json_report.out)["signature"]["rotation"].get<std::string>().find(
            accepted(world, "new", "mid")) == 0);
  CHECK(verify("pub").out.find("rotation") == std::string::npos);  // trusted directly

  // A statement from a key the store does not trust vouches for nothing.
  REQUIRE(shell("rm '" + world.trust + "'/*.rotation*") == 0);
  world.rotate("other", "new", world.trust);
  CHECK(verify("new").exit_code == 3);
  // A statement without its signature is refused, as a damaged key file is.
  REQUIRE(shell("rm '" + world.trust + "'/*.rotation.minisig") == 0);
  auto unsigned_statement = verify("pub");
  CHECK(unsigned_statement.exit_code == 3);
  CHECK(unsigned_statement.err.find("other-new.rotation.minisig: cannot read") !=
        std::string::npos);
}

TEST_CASE("chains of rotation statements stop at the bound", "[rotation]") {
  RegistryWorld world;
  // pub -> k1 -> k2 -> k3 -> k4 -> k5: five statements, one more than kMaxRotationChain.
  std::vector<std::string> keys = {"pub", "k1", "k2", "k3", "k4", "k5"};
  for (std::size_t i = 1; i < keys.size(); ++i) make_key_in(world.tmp, keys[i]);
  for (std::size_t i = 1; i < keys.size(); ++i) world.rotate(keys[i - 1], keys[i], world.trust);
  auto verify = [&](const std::string& key) {
    return run_cli("verify '" + world.package("1.0.0", key) + "' --trust '" + world.trust + "'");
  };
  auto fourth = verify("k4");
  INFO(fourth.err);
  CHECK(fourth.exit_code == 0);
  auto fifth = verify("k5");
  CHECK(fifth.exit_code == 3);
  CHECK(fifth.err.find("signed by key " + world.key_id("k5") + ", which is not trusted") !=
        std::string::npos);
}

TEST_CASE("installing a package signed by a rotated key records the chain in the audit row",
          "[rotation][sqlite][postgresql][mysql]") {
  RegistryWorld world;
  world.rotate("pub", "new", world.trust);
  for_each_database_url("migpkg_rotation_audit", [&](const std::string& url) {
    auto first = run_cli("install '" + world.package("1.0.0", "pub") + "' --db '" + url +
                         "' --trust '" + world.trust + "'");
    REQUIRE(first.exit_code == 0);
    for (int i = 1; i <= 25; ++i)
      execute_sql(url, "INSERT INTO shop_items (id, name) VALUES (" + std::to_string(i) + ", 'n" +
                           std::to_string(i) + "')");
    auto second = run_cli("install '" + world.package("1.1.0", "new") + "' --db '" + url +
                          "' --trust '" + world.trust + "'");
    INFO(second.out << second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(second.err.find(accepted(world, "new", "pub")) != std::string::npos);
    CHECK(audit_details(url).back().find("test.shop 1.1.0: " + accepted(world, "new", "pub")) !=
          std::string::npos);
    CHECK(audit_details(url).front().find("rotation") == std::string::npos);
    CHECK(query_text(url, "SELECT COUNT(*), SUM(price) FROM shop_items") == "25|0|");
  });
}
