// migpkg serve over loopback with a real HTTP client, on every test engine, with an installed
// plugin and its rows: every read route answers what the CLI's --json says, every route refuses
// a request without a known token, and every response matches schemas/openapi.json.
#include <sys/stat.h>
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "unit/serve_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using nlohmann::json;

namespace {

const std::string kFixtures = "tests/scenarios/fixtures/";

json cli_json(const std::string& arguments) {
  auto r = run_cli(arguments + " --json");
  INFO(arguments << "\n" << r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

json body_of(const httplib::Result& result) {
  REQUIRE(result);
  return json::parse(result->body);
}

// The routes a viewer token reads, as the OpenAPI document names them.
const std::vector<std::string> kViewerRoutes = {"/status", "/history", "/audit", "/backups",
                                                "/metrics"};

}  // namespace

TEST_CASE("serve answers the read routes with the CLI's reports, and 401 without a known token",
          "[serve][sqlite][postgresql]") {
  for_each_database_url("migpkg_serve", [&](const std::string& url) {
    const std::string db = " --db " + shell_quoted(url);
    auto installed = run_cli("install " + kFixtures + "shop" + db);
    INFO(installed.err);
    REQUIRE(installed.exit_code == 0);
    const std::string tokens = make_temp_dir() + "/tokens.json";
    const std::string viewer = add_token(tokens, "viewer-1", "viewer");
    const std::string admin = add_token(tokens, "admin-1", "admin");
    const std::string backup_dir = make_temp_dir();
    ServeProcess server(url, tokens, {"--audit-interval", "3600", "--backup-dir", backup_dir});
    auto client = server.client();

    auto health = get(client, "/healthz", "");
    REQUIRE(health);
    CHECK(health->status == 200);

    // Every protected route: 401 without a token, with an unknown one, and with a malformed
    // header; a viewer (and an admin, who may do more) gets 200.
    for (const auto& route : kViewerRoutes) {
      INFO(route);
      auto none = get(client, route, "");
      REQUIRE(none);
      CHECK(none->status == 401);
      CHECK(body_of(none)["code"] == "unauthorized");
      CHECK(none->get_header_value("WWW-Authenticate").find("Bearer") == 0);
      std::string wrong_token = viewer;
      wrong_token.back() = wrong_token.back() == '0' ? '1' : '0';
      auto wrong = get(client, route, wrong_token);
      REQUIRE(wrong);
      CHECK(wrong->status == 401);
      auto basic = client.Get(route.c_str(), {{"Authorization", "Basic " + viewer}});
      REQUIRE(basic);
      CHECK(basic->status == 401);
      for (const auto& token : {viewer, admin}) {
        auto ok = get(client, route, token);
        REQUIRE(ok);
        CHECK(ok->status == 200);
      }
    }

    // The same reports as the CLI, from the same functions.
    CHECK(body_of(get(client, "/status", viewer)) == cli_json("status" + db));
    json status = body_of(get(client, "/status", viewer));
    REQUIRE(status["plugins"].size() == 1);
    CHECK(status["plugins"][0]["pluginId"] == "acme.shop");
    CHECK(body_of(get(client, "/history", viewer)) == cli_json("history" + db));
    CHECK(body_of(get(client, "/history", viewer, "?plugin=acme.shop")) ==
          cli_json("history --plugin acme.shop" + db));
    CHECK(body_of(get(client, "/history", viewer, "?plugin=nobody")) == json::array());
    CHECK(body_of(get(client, "/audit", viewer, "?limit=1")) == cli_json("audit --limit 1" + db));
    json backups = body_of(get(client, "/backups", viewer));
    CHECK(backups == cli_json("backups --backup-dir " + shell_quoted(backup_dir) + db));

    // A bad option is the CLI's usage error, word for word, as a 400 problem.
    auto bad = get(client, "/audit", viewer, "?limit=ten");
    REQUIRE(bad);
    CHECK(bad->status == 400);
    auto cli_bad = run_cli("audit --limit ten" + db);
    CHECK(cli_bad.exit_code == 2);
    CHECK(cli_bad.err == "migpkg audit: " + body_of(bad)["detail"].get<std::string>() + "\n");
    CHECK(body_of(bad)["code"] == "usage");
    auto unknown = get(client, "/status", viewer, "?verbose=1");
    REQUIRE(unknown);
    CHECK(unknown->status == 400);
    auto missing = client.Get("/no-such-route", {{"Authorization", "Bearer " + viewer}});
    REQUIRE(missing);
    CHECK(missing->status == 404);
    CHECK(body_of(missing)["code"] == "not-found");

    auto metrics = get(client, "/metrics", viewer);
    REQUIRE(metrics);
    CHECK(metrics->body.find("migpkg_http_requests_total{route=\"/status\",method=\"GET\","
                             "status=\"200\"}") != std::string::npos);
    CHECK(metrics->body.find("migpkg_http_requests_total{route=\"/status\",method=\"GET\","
                             "status=\"401\"}") != std::string::npos);
    CHECK(metrics->body.find("migpkg_http_request_duration_seconds_bucket{route=\"/status\","
                             "le=\"+Inf\"}") != std::string::npos);

    // The reads changed nothing; the denied requests are in the audit log once the server
    // stops, aggregated: one row per token name and status.
    const json status_before_stop = cli_json("status" + db);
    CHECK(server.stop() == 0);
    CHECK(server.output() == "stopped\n");
    CHECK(cli_json("status" + db) == status_before_stop);
    json audit = cli_json("audit" + db);
    std::vector<json> denied;
    for (const auto& row : audit)
      if (row["outcome"] == "denied") denied.push_back(row);
    REQUIRE(denied.size() == 1);
    CHECK(denied[0]["actor"] == "unknown");
    CHECK(denied[0]["command"] == "serve");
    CHECK(denied[0]["detail"].get<std::string>().find(std::to_string(3 * kViewerRoutes.size()) +
                                                      " request(s) refused with 401") == 0);
  });
}

TEST_CASE("serve restarts while idle and answers the same", "[serve][sqlite][postgresql]") {
  for_each_database_url("migpkg_serve_restart", [&](const std::string& url) {
    const std::string db = " --db " + shell_quoted(url);
    REQUIRE(run_cli("install " + kFixtures + "shop" + db).exit_code == 0);
    const std::string tokens = make_temp_dir() + "/tokens.json";
    const std::string viewer = add_token(tokens, "viewer", "viewer");
    json first;
    {
      ServeProcess server(url, tokens);
      auto client = server.client();
      first = body_of(get(client, "/status", viewer));
      CHECK(server.stop() == 0);
    }
    ServeProcess again(url, tokens);
    auto client = again.client();
    CHECK(body_of(get(client, "/status", viewer)) == first);
    CHECK(body_of(get(client, "/history", viewer)) == cli_json("history" + db));
  });
}

TEST_CASE("serve's kept read connections see every change made beside them",
          "[serve][sqlite][postgresql]") {
  for_each_database_url("migpkg_serve_kept", [&](const std::string& url) {
    const std::string db = " --db " + shell_quoted(url);
    REQUIRE(run_cli("install " + kFixtures + "shop --to acme.shop@1.1.0" + db).exit_code == 0);
    const std::string tokens = make_temp_dir() + "/tokens.json";
    const std::string viewer = add_token(tokens, "viewer", "viewer");
    ServeProcess server(url, tokens, {"--audit-interval", "3600"});
    // Several clients at once, so that the server keeps more than one connection open.
    auto read_all = [&](const std::string& route) {
      std::vector<json> bodies;
      for (int i = 0; i < 4; ++i) {
        auto client = server.client();
        bodies.push_back(body_of(get(client, route, viewer)));
      }
      return bodies;
    };
    auto expect_cli = [&](const std::string& why) {
      INFO(why);
      for (const auto& body : read_all("/status")) CHECK(body == cli_json("status" + db));
      for (const auto& body : read_all("/history")) CHECK(body == cli_json("history" + db));
    };
    expect_cli("after the first install");
    auto later = run_cli("install " + kFixtures + "shop" + db);
    INFO(later.err);
    REQUIRE(later.exit_code == 0);
    expect_cli("after an upgrade by the CLI while the server held its connections");
    // Its backup into a directory of the test's: the default is ./migpkg-backups, and run_cli
    // runs in the source tree.
    REQUIRE(
        run_cli("rollback acme.shop" + db + " --backup-dir '" + make_temp_dir() + "'").exit_code ==
        0);
    expect_cli("after a rollback by the CLI");
    if (url.rfind("sqlite:", 0) != 0) return;
    // The file replaced by another database (moved over it), then gone: the kept connections
    // still have the old file open, and must not be read from.
    const std::string path = url.substr(7);
    const std::string other = make_temp_dir() + "/other.db";
    REQUIRE(run_cli("install " + kFixtures + "notes --db " + shell_quoted("sqlite:" + other))
                .exit_code == 0);
    REQUIRE(std::rename(other.c_str(), path.c_str()) == 0);
    expect_cli("after the file was replaced");
    auto client = server.client();
    json replaced = body_of(get(client, "/status", viewer));
    REQUIRE(replaced["plugins"].size() == 1);
    CHECK(replaced["plugins"][0]["pluginId"] != "acme.shop");
    REQUIRE(std::remove(path.c_str()) == 0);
    json gone = body_of(get(client, "/status", viewer));
    CHECK(gone["plugins"].empty());
    CHECK(!path_exists(path));  // a read creates no database
    CHECK(server.stop() == 0);
  });
}

TEST_CASE("serve refuses a listen address that is not loopback, and a token file others write",
          "[serve]") {
  const std::string dir = make_temp_dir();
  const std::string tokens = dir + "/tokens.json";
  add_token(tokens, "viewer", "viewer");
  const std::string db = " --db " + shell_quoted("sqlite:" + dir + "/x.db");
  for (const std::string& address :
       std::vector<std::string>{"0.0.0.0:0", "192.0.2.1:0", "[::]:0", "example.org:80"}) {
    auto r = run_cli("serve" + db + " --tokens " + shell_quoted(tokens) + " --listen " + address);
    INFO(address << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--allow-remote") != std::string::npos);
  }
  auto bad = run_cli("serve" + db + " --tokens " + shell_quoted(tokens) + " --listen 127.0.0.1");
  CHECK(bad.exit_code == 2);
  CHECK(run_cli("serve" + db).exit_code == 2);  // no --tokens
  REQUIRE(::chmod(tokens.c_str(), 0664) == 0);
  auto writable =
      run_cli("serve" + db + " --tokens " + shell_quoted(tokens) + " --listen 127.0.0.1:0");
  CHECK(writable.exit_code == 1);
  CHECK(writable.err.find("group or others may write it") != std::string::npos);
  CHECK(!path_exists(dir + "/x.db"));
}
