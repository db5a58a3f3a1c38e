// Runtime scenarios as data (tests/scenarios/*.scenario, format in its README): each runs
// through the real CLI on a new SQLite file and on a scratch PostgreSQL database.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <sstream>

#include "runtime/check/schema_snapshot.hpp"
#include "runtime/check/table_rows.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

std::string expand(std::string line) {
  std::string out;
  std::istringstream words(line);
  std::string word;
  while (words >> word) {
    if (word.rfind("F/", 0) == 0) word = "tests/scenarios/fixtures/" + word.substr(2);
    out += (out.empty() ? "" : " ") + word;
  }
  return out;
}

std::string rest_after(const std::string& line, const std::string& keyword) {
  return line.substr(keyword.size() + 1);
}

// Every user table's rows, sorted: an UPDATE may move a row within PostgreSQL's heap.
migpkg::runtime::DataSnapshot sorted_rows(migpkg::runtime::Connection& connection) {
  auto snapshot = migpkg::runtime::snapshot_rows(connection);
  for (auto& [table, rows] : snapshot) std::sort(rows.rows.begin(), rows.rows.end());
  return snapshot;
}

void run_scenario(const std::string& path, const std::string& url) {
  std::map<std::string, migpkg::runtime::SchemaSnapshot> schemas;
  std::map<std::string, migpkg::runtime::DataSnapshot> rows;
  CommandResult last;
  std::string backups = make_temp_dir();
  auto connect = [&] {
    return migpkg::runtime::open_connection(migpkg::runtime::DatabaseUrl::parse(url));
  };
  auto inspect = [&] { return migpkg::runtime::inspect_schema(*connect()); };
  const std::string engine =
      migpkg::ir::engine_name(migpkg::runtime::DatabaseUrl::parse(url).engine);
  std::istringstream lines(read_file(path));
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    INFO(path << ":" << number << ": " << line);
    std::string keyword = line.substr(0, line.find(' '));
    // `if ENGINES LINE` / `unless ENGINES LINE`: LINE on (not on) the engines named, a
    // comma-separated list, where an engine genuinely differs (MySQL commits DDL at once).
    if (keyword == "if" || keyword == "unless") {
      std::string rest = rest_after(line, keyword);
      std::string engines = "," + rest.substr(0, rest.find(' ')) + ",";
      bool named = engines.find("," + engine + ",") != std::string::npos;
      if (named != (keyword == "if")) continue;
      line = rest_after(rest, rest.substr(0, rest.find(' ')));
      keyword = line.substr(0, line.find(' '));
    }
    if (keyword == "run") {
      std::string args = rest_after(line, "run");
      int expected = 0;
      if (args.rfind("exit=", 0) == 0) {
        expected = std::stoi(args.substr(5));
        args = args.substr(args.find(' ') + 1);
      }
      // Backups go to a private directory, never into the source tree.
      bool takes_backups =
          args.rfind("install", 0) == 0 || args.rfind("rollback", 0) == 0;  // plan takes no backups
      last = run_cli(expand(args) + " --db '" + url + "'" +
                     (takes_backups ? " --backup-dir '" + backups + "'" : ""));
      INFO("stdout: " << last.out << "\nstderr: " << last.err);
      REQUIRE(last.exit_code == expected);
    } else if (keyword == "expect-out") {
      INFO("stdout: " << last.out);
      CHECK(last.out.find(rest_after(line, keyword)) != std::string::npos);
    } else if (keyword == "expect-no-out") {
      INFO("stdout: " << last.out);
      CHECK(last.out.find(rest_after(line, keyword)) == std::string::npos);
    } else if (keyword == "expect-err") {
      INFO("stderr: " << last.err);
      CHECK(last.err.find(rest_after(line, keyword)) != std::string::npos);
    } else if (keyword == "save-schema") {
      schemas[rest_after(line, keyword)] = inspect();
    } else if (keyword == "same-schema") {
      auto now = inspect();
      const auto& saved = schemas.at(rest_after(line, keyword));
      std::string difference;
      for (const auto& d : migpkg::runtime::diff_schema(saved, now)) difference += d + "\n";
      INFO(difference);
      CHECK(saved == now);
    } else if (keyword == "save-rows") {
      rows[rest_after(line, keyword)] = sorted_rows(*connect());
    } else if (keyword == "same-rows") {
      auto now = sorted_rows(*connect());
      const auto& saved = rows.at(rest_after(line, keyword));
      for (const auto& [table, before] : saved) {
        INFO("table " << table);
        auto after = now.find(table);
        REQUIRE(after != now.end());
        CHECK(before.columns == after->second.columns);
        CHECK(before.rows == after->second.rows);
      }
      CHECK(saved.size() == now.size());
    } else if (keyword == "sql") {
      connect()->execute(rest_after(line, keyword));
    } else if (keyword == "value") {
      std::string rest = rest_after(line, keyword);
      auto split = rest.rfind(" == ");
      REQUIRE(split != std::string::npos);
      auto connection = migpkg::runtime::open_connection(migpkg::runtime::DatabaseUrl::parse(url));
      auto result = connection->query(rest.substr(0, split));
      REQUIRE_FALSE(result.rows.empty());
      CHECK(result.rows[0][0].value_or("NULL") == rest.substr(split + 4));
    } else if (keyword == "restore-last-backup") {
      auto connection = migpkg::runtime::open_connection(migpkg::runtime::DatabaseUrl::parse(url));
      auto result = connection->query(
          "SELECT backup FROM migpkg_history WHERE backup IS NOT NULL ORDER BY id DESC LIMIT 1");
      REQUIRE_FALSE(result.rows.empty());
      connection.reset();
      last = run_cli("restore '" + result.rows[0][0].value_or("") + "' --db '" + url + "'");
      INFO("stderr: " << last.err);
      REQUIRE(last.exit_code == 0);
    } else {
      FAIL("unknown scenario instruction '" << keyword << "'");
    }
  }
}

}  // namespace

TEST_CASE("runtime scenarios on SQLite", "[scenario][sqlite]") {
  for (const auto& name : list_dir(source_dir() + "/tests/scenarios")) {
    if (name.size() < 9 || name.substr(name.size() - 9) != ".scenario") continue;
    DYNAMIC_SECTION(name) {
      std::string dir = make_temp_dir();
      run_scenario(source_dir() + "/tests/scenarios/" + name, "sqlite:" + dir + "/test.db");
    }
  }
}

// Every scenario on a fresh scratch database of the test server `server_url` names.
static void run_scenarios_on_server(const std::string& server_url, const char* variable) {
  if (server_url.empty()) {
    WARN(std::string("skipped: ") + variable + " is not set");
    return;
  }
  for (const auto& name : list_dir(source_dir() + "/tests/scenarios")) {
    if (name.size() < 9 || name.substr(name.size() - 9) != ".scenario") continue;
    DYNAMIC_SECTION(name) {
      migpkg::runtime::TemporaryDatabase database(server_url, "migpkg_scenario");
      run_scenario(source_dir() + "/tests/scenarios/" + name, database.url());
    }
  }
}

TEST_CASE("runtime scenarios on PostgreSQL", "[scenario][postgresql]") {
  run_scenarios_on_server(postgres_url(), "MIGPKG_TEST_PG_URL");
}

TEST_CASE("runtime scenarios on MariaDB", "[scenario][mysql]") {
  run_scenarios_on_server(mysql_url(), "MIGPKG_TEST_MYSQL_URL");
}
