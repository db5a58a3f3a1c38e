// Hostile requests to migpkg serve: oversized bodies, malformed JSON, package names that try to
// leave the package directory, a package signed by a key the server does not trust, and a
// thousand wrong tokens. Each is refused with a 4xx problem and changes nothing; the wrong tokens
// take the same time whichever byte is wrong and add a bounded number of audit rows.
#include <sys/stat.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "unit/package_test_support.hpp"
#include "unit/serve_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using nlohmann::json;

namespace {

struct World {
  std::string dir, db_url, db_file, tokens, viewer, packages, trusted_pub;
};

// A SQLite database with the shop plugin, a package directory holding one package signed by
// alice (trusted) and one by mallory (not), and a viewer token.
World make_world() {
  World w;
  w.dir = make_temp_dir();
  w.db_file = w.dir + "/shop.db";
  w.db_url = "sqlite:" + w.db_file;
  REQUIRE(
      run_cli("install tests/scenarios/fixtures/shop --db " + shell_quoted(w.db_url)).exit_code ==
      0);
  w.tokens = w.dir + "/tokens.json";
  w.viewer = add_token(w.tokens, "viewer", "viewer");
  w.packages = w.dir + "/packages";
  REQUIRE(::mkdir(w.packages.c_str(), 0700) == 0);
  make_key(w.dir, "alice");
  make_key(w.dir, "mallory");
  pack("packages/examples/crm", w.packages + "/crm.migpkg", w.dir + "/alice.key");
  pack("packages/examples/crm", w.packages + "/crm-mallory.migpkg", w.dir + "/mallory.key");
  w.trusted_pub = w.dir + "/alice.pub";
  // Outside the directory: a package a symbolic link inside it points to.
  pack("packages/examples/crm", w.dir + "/outside.migpkg", w.dir + "/alice.key");
  REQUIRE(::symlink((w.dir + "/outside.migpkg").c_str(), (w.packages + "/escape.migpkg").c_str()) ==
          0);
  return w;
}

json body_of(const httplib::Result& result) {
  REQUIRE(result);
  return json::parse(result->body);
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

TEST_CASE("serve verifies packages by name or upload, and refuses what it should not read",
          "[serve][package][sqlite]") {
  World w = make_world();
  ServeProcess server(w.db_url, w.tokens,
                      {"--packages", w.packages, "--trust", w.trusted_pub, "--max-body", "262144",
                       "--audit-interval", "3600"});
  auto client = server.client();
  const std::string db_before = file_state(w.db_file);

  SECTION("a trusted package verifies, named or uploaded, as `migpkg verify --json` says") {
    auto named =
        post(client, "/verify", w.viewer, R"({"package": "crm.migpkg"})", "application/json");
    REQUIRE(named);
    CHECK(named->status == 200);
    auto cli = run_cli("verify " + shell_quoted(w.packages + "/crm.migpkg") + " --trust " +
                       shell_quoted(w.trusted_pub) + " --json");
    REQUIRE(cli.exit_code == 0);
    json expected = json::parse(cli.out);
    expected["package"] = "crm.migpkg";
    CHECK(body_of(named) == expected);
    auto uploaded = post(client, "/verify", w.viewer, read_file(w.packages + "/crm.migpkg"),
                         "application/octet-stream");
    REQUIRE(uploaded);
    CHECK(uploaded->status == 200);
    CHECK(body_of(uploaded)["signature"]["verified"] == true);
  }
  SECTION("a package signed by an untrusted key is a 422 with the CLI's trust error") {
    auto refused = post(client, "/verify", w.viewer, R"({"package": "crm-mallory.migpkg"})",
                        "application/json");
    REQUIRE(refused);
    CHECK(refused->status == 422);
    CHECK(body_of(refused)["code"] == "refused");
    auto cli = run_cli("verify " + shell_quoted(w.packages + "/crm-mallory.migpkg") + " --trust " +
                       shell_quoted(w.trusted_pub));
    CHECK(cli.exit_code == 3);
    CHECK(cli.err == "migpkg verify: " + body_of(refused)["detail"].get<std::string>() + "\n");
    auto uploaded = post(client, "/verify", w.viewer, read_file(w.packages + "/crm-mallory.migpkg"),
                         "application/octet-stream");
    REQUIRE(uploaded);
    CHECK(uploaded->status == 422);
    auto garbage =
        post(client, "/verify", w.viewer, std::string(1000, 'x'), "application/octet-stream");
    REQUIRE(garbage);
    CHECK(garbage->status == 422);
  }
  SECTION("names that leave the package directory are refused") {
    for (const std::string& name : std::vector<std::string>{
             "../outside.migpkg", "escape.migpkg", "/etc/passwd", "..", ".hidden.migpkg",
             "sub/crm.migpkg", "crm.migpkg/..", "crm.txt", "missing.migpkg",
             std::string("crm\0.migpkg", 11), std::string(300, 'a') + ".migpkg"}) {
      INFO(name);
      auto r =
          post(client, "/verify", w.viewer, json{{"package", name}}.dump(), "application/json");
      REQUIRE(r);
      CHECK(r->status == 400);
      CHECK(body_of(r)["code"] == "usage");
    }
  }
  SECTION("malformed JSON, a wrong body type and an oversized body are 4xx problems") {
    for (const std::string& body :
         std::vector<std::string>{"{not json", "[]", R"({"package": 7})", ""}) {
      INFO(body);
      auto r = post(client, "/verify", w.viewer, body, "application/json");
      REQUIRE(r);
      CHECK(r->status == 400);
    }
    auto text = post(client, "/verify", w.viewer, "crm.migpkg", "text/plain");
    REQUIRE(text);
    CHECK(text->status == 400);
    auto huge =
        post(client, "/verify", w.viewer, std::string(1 << 20, 'x'), "application/octet-stream");
    REQUIRE(huge);
    CHECK(huge->status == 413);
    CHECK(body_of(huge)["code"] == "too-large");
    // The server goes on answering.
    auto status = get(client, "/status", w.viewer);
    REQUIRE(status);
    CHECK(status->status == 200);
  }
  CHECK(server.stop() == 0);
  CHECK(file_state(w.db_file) == db_before);
}

// Timing method: one keep-alive connection, 500 requests with the viewer token's first hex digit
// changed and 500 with its last changed, interleaved so that drift in the machine's load falls
// on both alike; the medians are compared. The server hashes the presented token and compares
// hashes with crypto_verify_32 against every entry, so no byte of the token decides when the
// comparison stops; the assertion is that the medians differ by less than a quarter of the
// smaller one (loopback round trips on a shared 2-core machine vary by tens of microseconds).
TEST_CASE("a thousand wrong tokens: same time for a wrong first or last byte, bounded audit rows",
          "[serve][sqlite]") {
  World w = make_world();
  ServeProcess server(w.db_url, w.tokens, {"--audit-interval", "3600"});
  auto client = server.client();
  client.set_keep_alive(true);
  std::string wrong_first = w.viewer, wrong_last = w.viewer;
  wrong_first[4] = wrong_first[4] == '0' ? '1' : '0';
  wrong_last.back() = wrong_last.back() == '0' ? '1' : '0';
  const httplib::Headers first_headers = {{"Authorization", "Bearer " + wrong_first}};
  const httplib::Headers last_headers = {{"Authorization", "Bearer " + wrong_last}};
  std::vector<double> first_times, last_times;
  int refused = 0;
  for (int i = 0; i < 1000; ++i) {
    const bool first = i % 2 == 0;
    const auto start = std::chrono::steady_clock::now();
    auto r = client.Get("/status", first ? first_headers : last_headers);
    const double micros =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(r);
    if (r->status == 401) ++refused;
    (first ? first_times : last_times).push_back(micros);
  }
  CHECK(refused == 1000);
  const double a = median(first_times), b = median(last_times);
  INFO("median wrong-first " << a << " us, wrong-last " << b << " us");
  CHECK(std::abs(a - b) < 0.25 * std::min(a, b));
  // The right token still works, and nothing of the database changed but the audit log's one
  // aggregated row.
  auto ok = get(client, "/status", w.viewer);
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(server.stop() == 0);
  json audit = json::parse(run_cli("audit --json --db " + shell_quoted(w.db_url)).out);
  int denied = 0;
  for (const auto& row : audit)
    if (row["outcome"] == "denied") {
      ++denied;
      CHECK(row["detail"].get<std::string>().find("1000 request(s) refused with 401") == 0);
    }
  CHECK(denied == 1);
}
