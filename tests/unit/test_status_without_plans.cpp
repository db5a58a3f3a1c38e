// status prints no stored plan, so it must not read one: on a long history the plans are most of
// the bytes of migpkg_applied, and `migpkg serve` answers GET /status with the same report. On
// PostgreSQL, a role that may read every column of migpkg_applied but `plan` runs status (CLI
// and report alike) and gets the owner's report; reading the plan itself is refused to it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "runtime/drivers/connection.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using nlohmann::json;

TEST_CASE("status reads no stored plan: a role that may not read them runs it",
          "[status][postgresql]") {
  const std::string server = postgres_url();
  if (server.empty()) {
    WARN("skipped: MIGPKG_TEST_PG_URL is not set");
    return;
  }
  const std::string superuser = "//postgres@";
  if (server.find(superuser) == std::string::npos) {
    WARN("skipped: the test server URL does not name user postgres without a password");
    return;
  }
  const std::string role = "migpkg_status_reader";
  auto admin = migpkg::runtime::open_url(server);
  admin->execute("DROP ROLE IF EXISTS " + role + "; CREATE ROLE " + role + " LOGIN");
  {
    migpkg::runtime::TemporaryDatabase scratch(server, "migpkg_status_plans");
    REQUIRE(run_cli("install tests/scenarios/fixtures/shop --db " + shell_quoted(scratch.url()))
                .exit_code == 0);
    auto owner = migpkg::runtime::open_url(scratch.url());
    owner->execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role +
                   "; REVOKE SELECT ON migpkg_applied FROM " + role +
                   "; GRANT SELECT (plugin_id, migration_id, version, checksum, applied_at, "
                   "applied_by, sequence, package_sha256, signing_key) ON migpkg_applied TO " +
                   role);
    std::string reader_url = scratch.url();
    reader_url.replace(reader_url.find(superuser), superuser.size(), "//" + role + "@");

    auto as_owner = run_cli("status --json --db " + shell_quoted(scratch.url()));
    REQUIRE(as_owner.exit_code == 0);
    auto as_reader = run_cli("status --json --db " + shell_quoted(reader_url));
    INFO(as_reader.err);
    REQUIRE(as_reader.exit_code == 0);
    json owner_report = json::parse(as_owner.out), reader_report = json::parse(as_reader.out);
    owner_report.erase("database");  // the URLs differ by the user name
    reader_report.erase("database");
    CHECK(reader_report == owner_report);
    CHECK(reader_report["plugins"].size() == 1);
    auto text = run_cli("status --db " + shell_quoted(reader_url));
    INFO(text.err);
    CHECK(text.exit_code == 0);
    {
      // The column privilege holds: the plans themselves are not the reader's to read.
      auto reader = migpkg::runtime::open_url(reader_url);
      CHECK_THROWS(reader->query("SELECT plan FROM migpkg_applied"));
    }
    owner->execute("DROP OWNED BY " + role);
  }
  admin->execute("DROP ROLE " + role);
}
