// export, import, restore and an uploaded package's install over migpkg serve's API, with rows,
// on SQLite and PostgreSQL: each route refuses a weaker role (403) and no token (401); files are
// named only inside the server's directories (a name that tries to leave one is a 400 that runs
// nothing); an exported data set imported into the emptied tables gives the same rows back; an
// uploaded package is verified before anything is written (untrusted: 422, nothing kept),
// installs as the token's name and is removed after; the backup that install took restores.
#include <dirent.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "unit/crash_test_support.hpp"
#include "unit/data_move_support.hpp"
#include "unit/package_test_support.hpp"
#include "unit/serve_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using nlohmann::json;

namespace {

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (const dirent* e = ::readdir(d))
      if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") out.push_back(e->d_name);
    ::closedir(d);
  }
  return out;
}

json cli_json(const std::string& arguments) {
  auto r = run_cli(arguments + " --json");
  INFO(arguments << "\n" << r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

struct Digests {
  TableDigest customers, orders;
  bool operator==(const Digests& o) const { return customers == o.customers && orders == o.orders; }
};

Digests digests(const std::string& url) {
  return {table_digest(url, "shop_customers"), table_digest(url, "shop_orders")};
}

}  // namespace

TEST_CASE("export, import, restore and an uploaded install run as operations over HTTP",
          "[serve][operations][data][sqlite][postgresql]") {
  const std::string keys = make_temp_dir();
  make_key(keys, "alice");
  make_key(keys, "mallory");
  const std::string crm = keys + "/crm.migpkg", crm_mallory = keys + "/crm-mallory.migpkg";
  pack("packages/examples/crm", crm, keys + "/alice.key");
  pack("packages/examples/crm", crm_mallory, keys + "/mallory.key");
  for_each_database_url("migpkg_serve_data", [&](const std::string& url) {
    if (url.rfind("mysql", 0) == 0) return;  // the crm example is written for SQLite and PostgreSQL
    const std::string db = " --db " + shell_quoted(url);
    install_shop(url);
    fill_shop(url, 300, 900);
    const Digests filled = digests(url);
    const std::string state = make_temp_dir();
    const std::string tokens = state + "/tokens.json";
    const std::string viewer = add_token(tokens, "watcher", "viewer");
    const std::string operator_ = add_token(tokens, "deployer", "operator");
    const std::string admin = add_token(tokens, "root-admin", "admin");
    const std::string data = make_temp_dir(), backups = make_temp_dir();
    // A link inside the data directory to a directory outside it.
    const std::string outside = make_temp_dir();
    REQUIRE(::symlink(outside.c_str(), (data + "/escape").c_str()) == 0);
    ServeProcess server(url, tokens,
                        {"--data-dir", data, "--backup-dir", backups, "--trust",
                         keys + "/alice.pub", "--max-body", "4000000", "--audit-interval", "3600"});
    auto client = server.client();

    // Roles: export is an operator's, import and restore an admin's.
    const json export_body = {{"output", "shop-set"}};
    const json import_body = {{"input", "shop-set"}};
    const json restore_body = {{"backup", "none"}};
    struct Route {
      std::string route, body;
      std::vector<std::string> weaker;
    };
    for (const Route& r :
         std::vector<Route>{{"/operations/export", export_body.dump(), {viewer}},
                            {"/operations/import", import_body.dump(), {viewer, operator_}},
                            {"/operations/restore", restore_body.dump(), {viewer, operator_}}}) {
      INFO(r.route);
      auto none = post(client, r.route, "", r.body, "application/json");
      REQUIRE(none);
      CHECK(none->status == 401);
      for (const auto& token : r.weaker) {
        auto weak = post(client, r.route, token, r.body, "application/json");
        REQUIRE(weak);
        CHECK(weak->status == 403);
      }
    }

    // export by the operator: a data set in --data-dir.
    auto exported =
        post(client, "/operations/export", operator_, export_body.dump(), "application/json");
    REQUIRE(exported);
    REQUIRE(exported->status == 202);
    json export_done = finished_over_http(client, viewer, body_json(exported)["id"]);
    INFO(export_done.dump(2));
    REQUIRE(export_done["state"] == "completed");
    CHECK(export_done["kind"] == "export");
    CHECK(export_done["result"]["output"] == data + "/shop-set");

    // Names that would leave a directory, or a request of the wrong shape: 400, nothing run.
    const std::size_t operations_before = body_json(get(client, "/operations", viewer)).size();
    const std::vector<std::pair<std::string, json>> hostile = {
        {"/operations/export", {{"output", "../shop-set-2"}}},
        {"/operations/export", {{"output", "sub/shop-set-2"}}},
        {"/operations/export", {{"output", ".hidden"}}},
        {"/operations/export", {{"output", "shop-set"}}},  // there already
        {"/operations/export", {{"output", "escape"}}},
        {"/operations/export", {{"output", "x"}, {"format", "xml"}}},
        {"/operations/import", {{"input", "../shop-set"}}},
        {"/operations/import", {{"input", data + "/shop-set"}}},
        {"/operations/import", {{"input", "escape"}}},
        {"/operations/import", {{"input", "shop-set"}, {"onConflict", "clobber"}}},
        {"/operations/import", {{"input", "shop-set"}, {"batchRows", 0}}},
        {"/operations/import", {{"input", "shop-set"}, {"extra", true}}},
        {"/operations/copy", {{"from", "sqlite:../from.db"}}},
        {"/operations/copy", {{"from", "sqlite:" + data + "/from.db"}}},
        {"/operations/copy", {{"from", "sqlite:x.db"}, {"to", "sqlite:y.db"}}},
        {"/operations/copy", json::object()},
        {"/operations/copy", {{"from", "ftp://example/x"}}},
        {"/operations/restore", {{"backup", "../" + backups}}},
        {"/operations/restore", {{"backup", "missing"}}}};
    for (const auto& [route, body] : hostile) {
      INFO(route << " " << body.dump());
      auto bad = post(client, route, admin, body.dump(), "application/json");
      REQUIRE(bad);
      CHECK(bad->status == 400);
      CHECK(body_json(bad)["code"] == "usage");
    }
    CHECK(body_json(get(client, "/operations", viewer)).size() == operations_before);
    CHECK(entries(outside).empty());
    CHECK(digests(url) == filled);

    // import into the emptied tables by the admin: the same rows back.
    execute(url, "DELETE FROM shop_orders");
    execute(url, "DELETE FROM shop_customers");
    auto imported =
        post(client, "/operations/import", admin, import_body.dump(), "application/json");
    REQUIRE(imported);
    REQUIRE(imported->status == 202);
    json import_done = finished_over_http(client, viewer, body_json(imported)["id"]);
    INFO(import_done.dump(2));
    REQUIRE(import_done["state"] == "completed");
    CHECK(import_done["result"]["status"] == "ok");
    CHECK(digests(url) == filled);

    // An uploaded package: refused ones write nothing and queue nothing.
    const std::string uploads = state + "/uploads";
    const json status_before = cli_json("status" + db);
    for (const auto& [bytes, code] : std::vector<std::pair<std::string, std::string>>{
             {bytes_of(crm_mallory), "refused"}, {std::string(5000, 'x'), "unreadable"}}) {
      INFO(code);
      auto refused =
          post(client, "/operations/install", operator_, bytes, "application/octet-stream");
      REQUIRE(refused);
      CHECK(refused->status == 422);
      CHECK(body_json(refused)["code"] == code);
      CHECK(entries(uploads).empty());
    }
    auto too_large = post(client, "/operations/install", operator_, std::string(4000001, 'x'),
                          "application/octet-stream");
    REQUIRE(too_large);
    CHECK(too_large->status == 413);
    auto bad_option =
        client.Post("/operations/install?force=true", {{"Authorization", "Bearer " + operator_}},
                    bytes_of(crm), "application/octet-stream");
    REQUIRE(bad_option);
    CHECK(bad_option->status == 400);
    CHECK(entries(uploads).empty());
    CHECK(body_json(get(client, "/operations", viewer)).size() == operations_before + 1);
    CHECK(cli_json("status" + db) == status_before);

    // The trusted one installs as the operator's name, and is gone afterwards.
    auto uploaded =
        post(client, "/operations/install", operator_, bytes_of(crm), "application/octet-stream");
    REQUIRE(uploaded);
    REQUIRE(uploaded->status == 202);
    json install_done = finished_over_http(client, viewer, body_json(uploaded)["id"]);
    INFO(install_done.dump(2));
    REQUIRE(install_done["state"] == "completed");
    CHECK(entries(uploads).empty());
    json installed = cli_json("status" + db);
    std::size_t crm_migrations = 0;
    for (const auto& p : installed["plugins"])
      if (p["pluginId"] == "acme.crm")
        for (const auto& m : p["migrations"]) {
          ++crm_migrations;
          CHECK(m["appliedBy"] == "deployer");
        }
    CHECK(crm_migrations == 4);
    CHECK(digests(url) == filled);

    // The backup the install took (one of its migrations requires one) restores by its name.
    json listed = body_json(get(client, "/backups", viewer));
    REQUIRE(listed["backups"].size() == 1);
    const std::string path = listed["backups"][0]["path"];
    const std::string name = path.substr(path.rfind('/') + 1);
    auto restored = post(client, "/operations/restore", admin, json{{"backup", name}}.dump(),
                         "application/json");
    REQUIRE(restored);
    REQUIRE(restored->status == 202);
    json restore_done = finished_over_http(client, viewer, body_json(restored)["id"]);
    INFO(restore_done.dump(2));
    REQUIRE(restore_done["state"] == "completed");
    CHECK(restore_done["kind"] == "restore");
    // The backup was taken right before the migration that requires one (the third): the two
    // before it stay applied, the rows are as they were.
    const json restored_status = cli_json("status" + db);
    INFO(restored_status.dump(2));
    std::size_t after_restore = 0;
    for (const auto& p : restored_status["plugins"])
      if (p["pluginId"] == "acme.crm") after_restore = p["migrations"].size();
    CHECK(after_restore == 2);
    CHECK(digests(url) == filled);
    CHECK(server.stop() == 0);
  });
}
