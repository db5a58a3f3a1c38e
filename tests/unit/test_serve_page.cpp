// The status page at /, rendered by headless Chromium against a real server and database: with a
// viewer token in the URL fragment it shows the installed plugins; without one it asks for it.
#include <catch2/catch.hpp>

#include "unit/serve_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

// chromium --dump-dom after the page's scripts and fetches ran (virtual time lets them finish).
std::string rendered(const std::string& url) {
  const std::string profile = make_temp_dir();
  return capture(
      "chromium --headless --no-sandbox --disable-gpu --user-data-dir=" + shell_quoted(profile) +
      " --virtual-time-budget=10000 --dump-dom " + shell_quoted(url) + " 2>/dev/null");
}

}  // namespace

TEST_CASE("the status page shows a real database's plugins in headless Chromium",
          "[serve][page][sqlite][postgresql]") {
  if (capture("command -v chromium") == "<failed>") {
    if (std::getenv("CI")) FAIL("chromium is not installed (scripts/install-deps.sh installs it)");
    WARN("chromium is not installed: skipped");
    return;
  }
  for_each_database_url("migpkg_serve_page", [&](const std::string& url) {
    if (url.rfind("mysql", 0) == 0) return;  // SQLite and PostgreSQL are enough for the page
    REQUIRE(run_cli("install tests/scenarios/fixtures/shop --db " + shell_quoted(url)).exit_code ==
            0);
    const std::string tokens = make_temp_dir() + "/tokens.json";
    const std::string viewer = add_token(tokens, "page", "viewer");
    ServeProcess server(url, tokens);
    const std::string base = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
    const std::string page = rendered(base + "#token=" + viewer);
    INFO(page);
    CHECK(page.find("<td>acme.shop</td>") != std::string::npos);
    CHECK(page.find("<td>2.0.0</td>") != std::string::npos);
    CHECK(page.find("shop-001-install") != std::string::npos);  // the history table
    const std::string asking = rendered(base);
    CHECK(asking.find("<td>acme.shop</td>") == std::string::npos);
    CHECK(asking.find("id=\"login\" hidden") == std::string::npos);
    CHECK(server.stop() == 0);
  });
}
