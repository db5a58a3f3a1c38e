// Operations over migpkg serve, on every test engine with the plugin's rows in its tables: an
// install and a rollback of a signed package as operations (applied_by is the token's name),
// plan, the role each route needs (403 for a weaker one, 401 without a token), cancel of an
// unknown or finished operation, and the operations still listed after a restart.
#include <sys/stat.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "unit/package_test_support.hpp"
#include "unit/serve_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using nlohmann::json;

namespace {

json body_of(const httplib::Result& result) {
  REQUIRE(result);
  return json::parse(result->body);
}

// Polls GET /operations/{id} until the operation has finished (60 s at most).
json finished(httplib::Client& client, const std::string& token, const std::string& id) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  json record;
  while (std::chrono::steady_clock::now() < deadline) {
    record = body_of(call(client, "GET", "/operations/{id}", "/operations/" + id, token));
    const std::string state = record["state"];
    if (state == "completed" || state == "failed" || state == "cancelled") return record;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL("operation " << id << " did not finish: " << record.dump());
  return record;
}

json cli_json(const std::string& arguments) {
  auto r = run_cli(arguments + " --json");
  INFO(arguments << "\n" << r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("install and rollback run as operations, each route refusing a weaker role",
          "[serve][operations][sqlite][postgresql]") {
  const std::string keys = make_temp_dir();
  make_key(keys, "alice");
  const std::string packages = make_temp_dir();
  pack("packages/examples/crm", packages + "/crm.migpkg", keys + "/alice.key");
  for_each_database_url("migpkg_serve_ops", [&](const std::string& url) {
    if (url.rfind("mysql", 0) == 0) return;  // the crm example is written for SQLite and PostgreSQL
    const std::string db = " --db " + shell_quoted(url);
    // Another plugin's rows are there before and must be there after.
    REQUIRE(run_cli("install tests/scenarios/fixtures/shop" + db).exit_code == 0);
    const std::string dir = make_temp_dir();
    const std::string tokens = dir + "/tokens.json";
    const std::string viewer = add_token(tokens, "watcher", "viewer");
    const std::string operator_ = add_token(tokens, "deployer", "operator");
    const std::string admin = add_token(tokens, "root-admin", "admin");
    const std::string backups = make_temp_dir();
    const json install_body = {{"package", "crm.migpkg"}};
    const json rollback_body = {{"plugin", "acme.crm"}, {"all", true}};
    std::string install_id;
    {
      ServeProcess server(url, tokens,
                          {"--packages", packages, "--trust", keys + "/alice.pub", "--backup-dir",
                           backups, "--audit-interval", "3600"});
      auto client = server.client();

      // Role boundaries: every write route, no token (401), a weaker role (403).
      struct Route {
        std::string route, body;
        std::vector<std::string> weaker;
      };
      const std::vector<Route> routes = {
          {"/plan", install_body.dump(), {viewer}},
          {"/operations/install", install_body.dump(), {viewer}},
          {"/operations/rollback", rollback_body.dump(), {viewer, operator_}}};
      for (const auto& r : routes) {
        INFO(r.route);
        auto none = post(client, r.route, "", r.body, "application/json");
        REQUIRE(none);
        CHECK(none->status == 401);
        for (const auto& token : r.weaker) {
          auto weak = post(client, r.route, token, r.body, "application/json");
          REQUIRE(weak);
          CHECK(weak->status == 403);
          CHECK(body_of(weak)["code"] == "forbidden");
        }
      }
      for (const std::string& route : {std::string("/operations"), std::string("/operations/x")}) {
        auto none =
            call(client, "GET", route == "/operations" ? route : "/operations/{id}", route, "");
        REQUIRE(none);
        CHECK(none->status == 401);
      }
      auto no_delete = call(client, "DELETE", "/operations/{id}", "/operations/x", "");
      REQUIRE(no_delete);
      CHECK(no_delete->status == 401);
      const json status_before = cli_json("status" + db);
      CHECK(status_before["plugins"].size() == 1);  // the 403s ran nothing

      // plan: the CLI's report of what install would run.
      auto plan = post(client, "/plan", operator_, install_body.dump(), "application/json");
      REQUIRE(plan);
      CHECK(plan->status == 200);
      json planned = body_of(plan);
      CHECK(planned["command"] == "plan");
      CHECK(planned["status"] == "ok");
      CHECK(!planned["migrations"].empty());
      CHECK(cli_json("status" + db) == status_before);

      // install as an operation, by the operator: applied_by is the token's name.
      auto submitted =
          post(client, "/operations/install", operator_, install_body.dump(), "application/json");
      REQUIRE(submitted);
      CHECK(submitted->status == 202);
      install_id = body_of(submitted)["id"];
      CHECK(submitted->get_header_value("Location") == "/operations/" + install_id);
      json done = finished(client, viewer, install_id);
      INFO(done.dump(2));
      CHECK(done["state"] == "completed");
      CHECK(done["requestedBy"] == "deployer");
      CHECK(done["result"]["status"] == "ok");
      json status = body_of(get(client, "/status", viewer));
      CHECK(status == cli_json("status" + db));
      bool found = false;
      for (const auto& p : status["plugins"])
        if (p["pluginId"] == "acme.crm") {
          found = true;
          for (const auto& m : p["migrations"]) CHECK(m["appliedBy"] == "deployer");
        }
      CHECK(found);
      // The other plugin's rows are untouched.
      CHECK(cli_json("status" + db)["plugins"].size() == 2);

      // A finished operation cannot be cancelled; an unknown one is not found.
      auto late = call(client, "DELETE", "/operations/{id}", "/operations/" + install_id, admin);
      REQUIRE(late);
      CHECK(late->status == 409);
      auto unknown = call(client, "DELETE", "/operations/{id}", "/operations/nope", admin);
      REQUIRE(unknown);
      CHECK(unknown->status == 404);
      auto unknown_get = call(client, "GET", "/operations/{id}", "/operations/nope", viewer);
      REQUIRE(unknown_get);
      CHECK(unknown_get->status == 404);

      // rollback as an operation, by the admin.
      auto rollback =
          post(client, "/operations/rollback", admin, rollback_body.dump(), "application/json");
      REQUIRE(rollback);
      CHECK(rollback->status == 202);
      json undone = finished(client, viewer, body_of(rollback)["id"]);
      INFO(undone.dump(2));
      CHECK(undone["state"] == "completed");
      CHECK(undone["kind"] == "rollback");
      CHECK(cli_json("status" + db) == status_before);

      // Bad bodies are 400s that run nothing.
      for (const std::string& body :
           {std::string("{"), std::string(R"({"package": "../crm.migpkg"})"),
            std::string(R"({"package": "crm.migpkg", "extra": 1})"),
            std::string(R"({"plugin": "acme.crm", "all": true, "steps": 1})")}) {
        INFO(body);
        auto bad = post(client,
                        body.find("plugin") != std::string::npos ? "/operations/rollback"
                                                                 : "/operations/install",
                        admin, body, "application/json");
        REQUIRE(bad);
        CHECK(bad->status == 400);
      }
      json listed = body_of(get(client, "/operations", viewer));
      CHECK(listed.size() == 3);  // plan, install, rollback
      auto metrics = get(client, "/metrics", viewer);
      REQUIRE(metrics);
      CHECK(metrics->body.find("migpkg_operations{kind=\"install\",state=\"completed\"} 1") !=
            std::string::npos);
      CHECK(server.stop() == 0);
    }
    // A restart shows the operations of the earlier run as history.
    ServeProcess again(url, tokens, {"--packages", packages, "--trust", keys + "/alice.pub"});
    auto client = again.client();
    json listed = body_of(get(client, "/operations", viewer));
    REQUIRE(listed.size() == 3);
    json first =
        body_of(call(client, "GET", "/operations/{id}", "/operations/" + install_id, viewer));
    CHECK(first["state"] == "completed");
    CHECK(first["requestedBy"] == "deployer");
    // 403s went to the audit log with the token's name.
    CHECK(again.stop() == 0);
    int denied_operator = 0;
    for (const auto& row : cli_json("audit" + db))
      if (row["outcome"] == "denied" && row["actor"] == "deployer") ++denied_operator;
    CHECK(denied_operator == 1);
  });
}
