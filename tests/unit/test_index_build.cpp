// `migpkg index build` (docs/trust.md): what it writes (minisign verifies it; reproducible apart
// from its dates; schemas/index.schema.json), what it refuses, and how an installer reads an
// index: hostile indexes (tests/index/hostile) refused before anything is installed, ranges
// resolved to the highest listed version, and the trust directory the state needs.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/package/minisign.hpp"
#include "runtime/package/utc_time.hpp"
#include "unit/json_schema_check.hpp"
#include "unit/registry_test_support.hpp"
#include "unit/schema_assertions.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using nlohmann::json;

namespace {

// index.json without the lines that hold its dates.
std::string without_dates(const std::string& text) {
  std::string out, line;
  for (char c : text) {
    line += c;
    if (c != '\n') continue;
    if (line.find("\"issued\"") == std::string::npos &&
        line.find("\"expires\"") == std::string::npos)
      out += line;
    line.clear();
  }
  return out;
}

}  // namespace

TEST_CASE("index build writes an index minisign verifies, reproducible but for its dates",
          "[index]") {
  RegistryWorld world;
  std::string dir = world.registry({{"shop-1.0.0.migpkg", {"1.0.0", "pub"}},
                                    {"shop-2.0.0.migpkg", {"2.0.0", "new"}},
                                    {"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
  REQUIRE(shell("echo notes > '" + dir + "/README.md' && mkdir '" + dir + "/sub' && cp '" +
                world.package("1.0.0", "other") + "' '" + dir + "/sub/'") == 0);
  world.rotate("pub", "new", dir);
  auto built = run_cli("index build '" + dir + "' --key '" + world.secret("registry") +
                       "' --expires 10d --json");
  INFO(built.err);
  REQUIRE(built.exit_code == 0);
  require_schema("index-build-report.schema.json", built.out);
  json report = json::parse(built.out);
  CHECK(report["version"] == 1);
  CHECK(report["packages"] == 3);  // not the one in sub/: the scan is not recursive
  CHECK(report["rotations"] == 1);
  CHECK(report["keyId"] == world.key_id("registry"));

  std::string text = read_file(dir + "/index.json");
  require_schema("index.schema.json", text);
  json index = json::parse(text);
  std::vector<std::string> order;
  for (const auto& p : index["packages"]) order.push_back(p["version"]);
  CHECK(order == std::vector<std::string>{"1.0.0", "1.1.0", "2.0.0"});
  CHECK(index["packages"][2]["keyId"] == world.key_id("new"));
  CHECK(index["packages"][0]["size"] == read_file(dir + "/shop-1.0.0.migpkg").size());
  CHECK(index["packages"][0]["sha256"] ==
        capture("sha256sum '" + dir + "/shop-1.0.0.migpkg' | cut -d' ' -f1"));
  CHECK(shell("minisign -V -q -p '" + world.public_key("registry") + "' -m '" + dir +
              "/index.json'") == 0);
  CHECK(capture("minisign -V -p '" + world.public_key("registry") + "' -m '" + dir +
                "/index.json' | tail -1") ==
        "Trusted comment: migpkg index version:1 expires:" + index["expires"].get<std::string>());
  // The statement it ships is the file's bytes, and minisign verifies those with the old key.
  CHECK(index["rotations"][0]["statement"] == read_file(dir + "/pub-new.rotation"));
  CHECK(shell("minisign -V -q -p '" + world.public_key("pub") + "' -m '" + dir +
              "/pub-new.rotation'") == 0);

  // Again: the next version by default, the same bytes but for the version and the dates.
  world.build_index(dir);
  std::string again = read_file(dir + "/index.json");
  CHECK(json::parse(again)["version"] == 2);
  std::string first_body = without_dates(text), second_body = without_dates(again);
  auto at = first_body.find("\"version\": 1,");
  REQUIRE(at != std::string::npos);
  first_body.replace(at, 13, "\"version\": 2,");
  CHECK(first_body == second_body);
  world.build_index(dir, "--version 2");  // the same version again is allowed
  CHECK(json::parse(read_file(dir + "/index.json"))["version"] == 2);
  CHECK(!path_exists(dir + "/index.json.tmp-" + std::to_string(0)));
  for (const auto& name : list_dir(dir)) CHECK(name.find(".tmp-") == std::string::npos);
}

TEST_CASE("index build refuses what installers would refuse", "[index]") {
  RegistryWorld world;
  std::string dir = world.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
  std::string key = " --key '" + world.secret("registry") + "'";
  auto run = [&](const std::string& extra) {
    return run_cli("index build '" + dir + "'" + key + " " + extra);
  };
  CHECK(run("--expires 2020-01-01").exit_code == 1);
  CHECK(run("--expires 2020-01-01").err.find("is not after the issue time") != std::string::npos);
  CHECK(run("--expires soon").exit_code == 2);
  CHECK(run("--version 0").exit_code == 2);
  CHECK(run("--revoke alice").exit_code == 2);
  auto revoked = run("--revoke " + world.key_id("pub"));
  CHECK(revoked.exit_code == 1);
  CHECK(revoked.err.find("shop-1.1.0.migpkg is signed by key " + world.key_id("pub") +
                         ", which --revoke lists") != std::string::npos);
  auto self = run("--revoke " + world.key_id("registry"));
  CHECK(self.err.find("names the index key") != std::string::npos);
  CHECK(!path_exists(dir + "/index.json"));

  REQUIRE(run("--version 5").exit_code == 0);
  auto lower = run("--version 4");
  CHECK(lower.exit_code == 1);
  CHECK(lower.err.find("lower than the existing index's 5") != std::string::npos);

  REQUIRE(shell("cp '" + world.package("1.1.0", "other") + "' '" + dir + "/again-1.1.0.migpkg'") ==
          0);
  auto twice = run("");
  CHECK(twice.exit_code == 1);
  CHECK(twice.err.find("both hold test.shop 1.1.0") != std::string::npos);
  REQUIRE(shell("rm '" + dir + "/again-1.1.0.migpkg' && echo junk > '" + dir + "/junk.migpkg'") ==
          0);
  CHECK(run("").exit_code != 0);
  CHECK(json::parse(read_file(dir + "/index.json"))["version"] == 5);  // left as it was
}

TEST_CASE("a hostile index is refused while it is read, before anything is installed",
          "[index][hostile]") {
  RegistryWorld world;
  std::string url = "sqlite:" + world.tmp + "/hostile.db";
  for (const auto& name : list_dir(source_dir() + "/tests/index/hostile")) {
    if (name.size() < 5 || name.compare(name.size() - 5, 5, ".json") != 0) continue;
    std::string stem = name.substr(0, name.size() - 5);
    INFO("tests/index/hostile/" << name);
    std::string expected = read_file(source_dir() + "/tests/index/hostile/" + stem + ".expected");
    expected = expected.substr(0, expected.find('\n'));
    std::string dir = world.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
    std::string bytes = read_file(source_dir() + "/tests/index/hostile/" + name);
    auto secret = migpkg::package::parse_secret_key(read_file(world.secret("registry")), "registry",
                                                    [] { return std::string(); });
    write_file(dir + "/index.json", bytes);
    write_file(dir + "/index.json.minisig",
               migpkg::package::sign_message(
                   secret, bytes, "migpkg index version:1 expires:2099-01-01T00:00:00Z"));
    auto refused = run_cli("install test.shop --index '" + dir + "' --db '" + url + "' --trust '" +
                           world.trust + "'");
    INFO(refused.err);
    CHECK(refused.exit_code == 3);
    CHECK(refused.err.find(expected) != std::string::npos);
    CHECK(!path_exists(world.tmp + "/hostile.db"));
    CHECK(index_state_files(world.trust).empty());
  }
}

TEST_CASE("install --index: ranges, and the trust directory the index state needs",
          "[index][sqlite]") {
  RegistryWorld world;
  std::string dir = world.registry({{"shop-1.0.0.migpkg", {"1.0.0", "pub"}},
                                    {"shop-1.1.0.migpkg", {"1.1.0", "pub"}},
                                    {"shop-2.0.0.migpkg", {"2.0.0", "pub"}}});
  world.build_index(dir);
  std::string url = "sqlite:" + world.tmp + "/ranges.db";
  auto plan = [&](const std::string& what, const std::string& trust) {
    return run_cli("plan " + what + " --index '" + dir + "' --db '" + url + "' --trust '" + trust +
                   "'");
  };
  auto exact = plan("test.shop@~1.0", world.trust);
  INFO(exact.err);
  CHECK(exact.exit_code == 0);
  CHECK(exact.out.find("shop-001") != std::string::npos);
  CHECK(exact.out.find("shop-002") == std::string::npos);
  CHECK(plan("'test.shop@>=1.1 <2'", world.trust).out.find("shop-003") == std::string::npos);
  CHECK(plan("test.shop", world.trust).out.find("shop-003") != std::string::npos);
  auto none = plan("test.shop@^3", world.trust);
  CHECK(none.exit_code == 1);
  CHECK(none.err.find("no version of test.shop in range '^3' (listed: 1.0.0, 1.1.0, 2.0.0)") !=
        std::string::npos);
  CHECK(plan("acme.other", world.trust).err.find("the index lists none") != std::string::npos);
  CHECK(index_state_files(world.trust).empty());  // plan never writes it

  auto file = run_cli("install test.shop --index '" + dir + "' --db '" + url + "' --trust '" +
                      world.trust + "/registry.pub'");
  CHECK(file.exit_code == 3);
  CHECK(file.err.find("--index needs a trust directory") != std::string::npos);
  auto missing = run_cli("install test.shop --index '" + dir + "' --db '" + url + "' --trust '" +
                         world.tmp + "/nowhere'");
  CHECK(missing.exit_code == 3);
  CHECK(missing.err.find("nowhere does not exist") != std::string::npos);
  CHECK(!path_exists(world.tmp + "/ranges.db"));
}

TEST_CASE("index times: one spelling per instant, and the expiry forms", "[index]") {
  using migpkg::package::format_utc;
  using migpkg::package::parse_expiry;
  using migpkg::package::parse_utc;
  CHECK(parse_utc("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_utc("2024-02-29T12:00:00Z") == 1709208000);
  CHECK(format_utc(1709208000) == "2024-02-29T12:00:00Z");
  for (std::int64_t t : {0LL, 951782400LL, 4102444799LL, 1790000000LL})
    CHECK(parse_utc(format_utc(t)) == t);
  for (const char* bad :
       {"2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-06T24:00:00Z",
        "2026-12-06T10:00:00+01:00", "2026-12-06T10:00:00.5Z", "2026-12-06 10:00:00Z",
        "2026-12-06t10:00:00z", "", "1969-12-31T23:59:59Z"})
    CHECK_FALSE(parse_utc(bad));
  const std::int64_t now = 1790000000;
  CHECK(parse_expiry("30d", now) == now + 30 * 86400);
  CHECK(parse_expiry("12h", now) == now + 12 * 3600);
  CHECK(parse_expiry("2027-01-31", now) == *parse_utc("2027-01-31T23:59:59Z"));
  CHECK(parse_expiry("2027-01-31T08:00:00Z", now) == *parse_utc("2027-01-31T08:00:00Z"));
  for (const char* bad : {"0d", "d", "30", "30m", "-3d", "2027-02-30", "tomorrow"})
    CHECK_FALSE(parse_expiry(bad, now));
}

TEST_CASE("install --index refuses oversized files, a linked package and a damaged state",
          "[index][hostile]") {
  RegistryWorld world;
  std::string url = "sqlite:" + world.tmp + "/bounds.db";
  auto install = [&](const std::string& dir) {
    return run_cli("install test.shop --index '" + dir + "' --db '" + url + "' --trust '" +
                   world.trust + "'");
  };
  // An index above 8 MiB is refused before it is read (its signature is checked first, over
  // bytes read with that bound).
  std::string big = world.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
  world.build_index(big);
  REQUIRE(shell("truncate -s 9M '" + big + "/index.json'") == 0);
  auto too_big = install(big);
  CHECK(too_big.exit_code == 3);
  CHECK(too_big.err.find("above the limit of 8388608") != std::string::npos);
  // A signature above 4 KiB likewise.
  std::string long_signature = world.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
  world.build_index(long_signature);
  REQUIRE(shell("truncate -s 5000 '" + long_signature + "/index.json.minisig'") == 0);
  auto signature = install(long_signature);
  CHECK(signature.exit_code == 3);
  CHECK(signature.err.find("index signature") != std::string::npos);
  CHECK(signature.err.find("above the limit of 4096") != std::string::npos);
  // A listed package that is a symbolic link (to the very bytes the index pins).
  std::string linked = world.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
  world.build_index(linked);
  REQUIRE(shell("cd '" + linked + "' && mv shop-1.1.0.migpkg ../elsewhere.migpkg && ln -s " +
                "../elsewhere.migpkg shop-1.1.0.migpkg") == 0);
  auto link = install(linked);
  CHECK(link.exit_code == 3);
  CHECK(link.err.find("is not a regular file") != std::string::npos);
  // A damaged index state is refused, never reset.
  std::string good = world.registry({{"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
  world.build_index(good);
  REQUIRE(install(good).exit_code == 0);
  std::string state = world.trust + "/index-state/" + world.key_id("registry") + ".json";
  write_file(state, "{\"format\": \"migpkg-index-state-v1\", \"version\": ");
  std::string before = read_file(state);
  auto damaged = install(good);
  CHECK(damaged.exit_code == 3);
  CHECK(damaged.err.find("is damaged") != std::string::npos);
  CHECK(read_file(state) == before);
}
