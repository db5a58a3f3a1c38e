// The status page at /, rendered by headless Chromium against a real server and database: with a
// viewer token in the URL fragment it shows the installed plugins; without one it asks for it;
// rendered twice while a copy runs, it shows the operation's rows done growing.
#include <catch2/catch.hpp>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "unit/data_move_support.hpp"

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

bool has_chromium() {
  if (capture("command -v chromium") != "<failed>") return true;
  if (std::getenv("CI")) FAIL("chromium is not installed (scripts/install-deps.sh installs it)");
  WARN("chromium is not installed: skipped");
  return false;
}

// The rows done the page shows for the running copy, or -1 when it shows none running.
long long rows_shown(const std::string& page) {
  static const std::regex row(R"(<td>copy</td><td>running</td><td>(\d+)(?: of \d+)? rows</td>)");
  std::smatch m;
  return std::regex_search(page, m, row) ? std::stoll(m[1].str()) : -1;
}

}  // namespace

TEST_CASE("the status page shows a real database's plugins in headless Chromium",
          "[serve][page][sqlite][postgresql]") {
  if (!has_chromium()) return;
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

TEST_CASE("the status page shows a running operation's progress changing",
          "[serve][page][copy][sqlite]") {
  if (!has_chromium()) return;
  const std::string data = make_temp_dir();
  const std::string from = "sqlite:" + data + "/from.db", to = "sqlite:" + data + "/to.db";
  install_shop(from);
  install_shop(to);
  fill_shop(from, 200000, 0);
  const std::string tokens = make_temp_dir() + "/tokens.json";
  const std::string viewer = add_token(tokens, "page", "viewer");
  const std::string admin = add_token(tokens, "copier", "admin");
  ServeProcess server(to, tokens, {"--data-dir", data});
  auto client = server.client();
  // Small batches: each is a commit, so the copy runs long enough for two renderings.
  const std::string body = nlohmann::json{
      {"from", "sqlite:from.db"},
      {"tables", {"shop_customers"}},
      {"batchRows", 50}}.dump();
  auto submitted = post(client, "/operations/copy", admin, body, "application/json");
  REQUIRE(submitted);
  REQUIRE(submitted->status == 202);
  const std::string id = body_json(submitted)["id"];
  const std::string page_url =
      "http://127.0.0.1:" + std::to_string(server.port()) + "/#token=" + viewer;
  const std::string first = rendered(page_url);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const std::string second = rendered(page_url);
  INFO("first:\n" << first << "\nsecond:\n" << second);
  const long long before = rows_shown(first), after = rows_shown(second);
  CHECK(before >= 0);
  CHECK(after > before);
  CHECK(first.find("<td>" + id + "</td>") != std::string::npos);
  auto cancel = call(client, "DELETE", "/operations/{id}", "/operations/" + id, admin);
  REQUIRE(cancel);
  CHECK(finished_over_http(client, viewer, id)["state"] != "running");
  CHECK(server.stop() == 0);
}
