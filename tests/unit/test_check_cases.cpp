// `check` on real engines: every valid case and example applies every up and every down on
// SQLite and PostgreSQL with the schema restored; a document whose downs do not undo its ups
// fails with the schema difference.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/check/check_runner.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

TEST_CASE("check passes for every valid case and example", "[check][sqlite][postgresql]") {
  for (const auto& dir : valid_source_dirs()) {
    DYNAMIC_SECTION(dir) {
      for_each_engine([&](migpkg::runtime::Connection& connection, const std::string& dialect) {
        // pgvector is not part of PostgreSQL: the vector case runs only where it is installed.
        if (dir == "tests/cases/ddl-vector" && dialect == "postgresql" &&
            connection.query("SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")
                    .rows.at(0)
                    .at(0) == std::optional<std::string>("0")) {
          WARN("ddl-vector not checked on PostgreSQL: the pgvector extension is not installed");
          return;
        }
        // A declarative case a dialect cannot express has expected/<dialect>.error instead; raw SQL
        // written for other engines only is not run on this one.
        if (path_exists(source_dir() + "/" + dir + "/expected/" + dialect + ".error")) return;
        if (!written_for(dir, dialect)) return;
        auto plan = plan_for(dir, dialect);
        REQUIRE_FALSE(plan.migrations.empty());
        auto result = migpkg::runtime::run_check(connection, plan);
        for (const auto& m : result.migrations) {
          INFO(dialect << " " << m.plugin_id << "/" << m.id << ": " << m.error);
          CHECK(m.up == "ok");
          CHECK((m.down == "ok" || m.down == "not-reversible"));
          CHECK(m.difference.empty());
        }
        CHECK(result.ok);
      });
    }
  }
}

TEST_CASE("check fails when the downs do not restore the schema", "[check][sqlite]") {
  auto result = run_cli("check tests/check-failures/down-leaves-index");
  CHECK(result.exit_code == 1);
  CHECK(result.out.find("FAILED") != std::string::npos);
  CHECK(result.out.find("schema difference") != std::string::npos);
  CHECK(result.out.find("notes_broken_tags") != std::string::npos);
}

TEST_CASE("check --json on PostgreSQL reports the difference as data", "[check][postgresql]") {
  std::string url = postgres_url();
  if (url.empty()) return;
  auto result = run_cli("check tests/check-failures/down-leaves-index --json --db '" + url + "'");
  CHECK(result.exit_code == 1);
  auto report = nlohmann::json::parse(result.out);
  CHECK(report["ok"] == false);
  CHECK(report["dialect"] == "postgresql");
  REQUIRE(report["migrations"].size() == 1);
  const auto& m = report["migrations"][0];
  CHECK(m["up"] == "ok");
  CHECK(m["down"] == "failed");
  bool names_table = false;
  for (const auto& line : m["difference"])
    names_table =
        names_table || line.get<std::string>().find("notes_broken_tags") != std::string::npos;
  CHECK(names_table);
}

TEST_CASE("check refuses to run on an existing SQLite file", "[check][sqlite]") {
  std::string dir = make_temp_dir();
  write_file(dir + "/real.db", "");
  auto result = run_cli("check tests/cases/minimal --db sqlite:" + dir + "/real.db");
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("scratch") != std::string::npos);
  CHECK(read_file(dir + "/real.db").empty());
}
