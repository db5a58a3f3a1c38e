// migpkg token: tokens are printed once and stored only as SHA-256 hashes, in a 0600 file.
#include <sys/stat.h>
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "unit/json_schema_check.hpp"
#include "unit/serve_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using nlohmann::json;

TEST_CASE("token add prints a token once and keeps only its hash, in a 0600 file",
          "[serve][token]") {
  const std::string file = make_temp_dir() + "/tokens.json";
  const std::string viewer = add_token(file, "alice", "viewer");
  const std::string admin = add_token(file, "ops-bot", "admin");
  CHECK(viewer != admin);
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const std::string stored = read_file(file);
  CHECK(stored.find(viewer) == std::string::npos);
  CHECK(stored.find(viewer.substr(4)) == std::string::npos);

  auto listed = run_cli("token list --json --tokens " + shell_quoted(file));
  REQUIRE(listed.exit_code == 0);
  json list = json::parse(listed.out);
  CHECK(schema_violations(load_schema("token-list.schema.json"), list).empty());
  REQUIRE(list.size() == 2);
  CHECK(list[0]["name"] == "alice");
  CHECK(list[0]["role"] == "viewer");
  CHECK(list[1]["role"] == "admin");
  CHECK(listed.out.find(viewer) == std::string::npos);

  SECTION("a taken name, a bad name or a bad role is a usage error that changes nothing") {
    const std::string before = read_file(file);
    for (const std::string& args : std::vector<std::string>{
             "token add alice --role viewer", "token add 'a b' --role admin",
             "token add ../x --role admin", "token add bob --role root", "token add bob"}) {
      INFO(args);
      auto r = run_cli(args + " --tokens " + shell_quoted(file));
      CHECK(r.exit_code == 2);
      CHECK(r.out.empty());
    }
    CHECK(read_file(file) == before);
  }
  SECTION("remove revokes one token; removing an unknown name fails") {
    CHECK(run_cli("token remove alice --tokens " + shell_quoted(file)).exit_code == 0);
    json after = json::parse(run_cli("token list --json --tokens " + shell_quoted(file)).out);
    REQUIRE(after.size() == 1);
    CHECK(after[0]["name"] == "ops-bot");
    CHECK(run_cli("token remove alice --tokens " + shell_quoted(file)).exit_code == 1);
  }
}
