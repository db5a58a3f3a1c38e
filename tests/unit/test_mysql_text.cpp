// The MySQL engine's text helpers that need no server (runtime/engines/mysql/url, parameters,
// backup_lines), compiled into the test binary: URLs, placeholders bound as literals, and the
// backup files' row lines.
#include <catch2/catch.hpp>

#include <random>

#include "runtime/engines/mysql/backup.hpp"
#include "runtime/engines/mysql/parameters.hpp"
#include "runtime/engines/mysql/url.hpp"
#include "unit/mysql_test_bytes.hpp"

using migpkg::runtime::Row;
using Value = std::optional<std::string>;

TEST_CASE("MySQL URLs: credentials percent-decoded, host, port, database, parameters", "[mysql]") {
  using migpkg::runtime::mysql::parse_mysql_url;
  auto url = parse_mysql_url("mysql://al%40ce:p%3Ass@w@db.example:3307/shop%20db?socket=/tmp/s");
  CHECK(url.user == "al@ce");
  CHECK(url.password == std::optional<std::string>("p:ss@w"));
  CHECK(url.host == "db.example");
  CHECK(url.port == 3307u);
  CHECK(url.database == "shop db");
  CHECK(url.socket == "/tmp/s");
  auto v6 = parse_mysql_url("mariadb://root@[::1]:3310");
  CHECK(v6.host == "::1");
  CHECK(v6.port == 3310u);
  CHECK(v6.database.empty());
  CHECK_FALSE(v6.password);

  // A misspelt parameter is refused, and the message never shows the password.
  try {
    parse_mysql_url("mysql://u:secret@h/db?sslmode=required");
    FAIL("accepted an unknown parameter");
  } catch (const std::invalid_argument& error) {
    std::string message = error.what();
    CHECK(message.find("sslmode") != std::string::npos);
    CHECK(message.find("secret") == std::string::npos);
  }
  CHECK_THROWS_AS(parse_mysql_url("mysql://h:99999/db"), std::invalid_argument);
  CHECK_THROWS_AS(parse_mysql_url("mysql://h/d%zz"), std::invalid_argument);

  CHECK(migpkg::runtime::mysql::mysql_url_with_database("mysql://u:p@h:1/old?socket=x", "new db") ==
        "mysql://u:p@h:1/new%20db?socket=x");
  CHECK(migpkg::runtime::mysql::mysql_url_with_database("mysql://h", "x") == "mysql://h/x");
  CHECK(migpkg::runtime::mysql::mysql_database_url("mariadb://h/x").engine ==
        migpkg::ir::Engine::MySQL);
  CHECK(migpkg::runtime::mysql::mysql_database_url("mariadb://h/x").conninfo == "mariadb://h/x");
  CHECK_THROWS_AS(migpkg::runtime::mysql::mysql_database_url("mysql://h/x?bad=1"),
                  std::invalid_argument);
  CHECK(migpkg::runtime::redact_password("mysql://u:secret@h/db") == "mysql://u:***@h/db");
}

TEST_CASE("MySQL placeholders become literals, outside quotes and comments only", "[mysql]") {
  using migpkg::runtime::mysql::bind_parameters;
  CHECK(bind_parameters("SELECT $1, $2, $1", {"a'b", std::nullopt}, true) ==
        "SELECT 'a''b', NULL, 'a''b'");
  CHECK(bind_parameters("SELECT '$1', \"$1\", `$1` -- $1\n, $1 /* $1 */ # $1", {"x"}, true) ==
        "SELECT '$1', \"$1\", `$1` -- $1\n, 'x' /* $1 */ # $1");
  CHECK(bind_parameters("SELECT 'it''s $1', $1", {"v"}, true) == "SELECT 'it''s $1', 'v'");
  CHECK(bind_parameters("SELECT 'a\\'$1', $1", {"v"}, true) == "SELECT 'a\\'$1', 'v'");
  CHECK(bind_parameters("SELECT $1", {"back\\slash"}, true) == "SELECT 'back\\\\slash'");
  CHECK(bind_parameters("SELECT $1", {"back\\slash"}, false) == "SELECT 'back\\slash'");
  CHECK(bind_parameters("SELECT $1", {std::string("\xff\x00", 2)}, true) == "SELECT X'FF00'");
  CHECK_THROWS_AS(bind_parameters("SELECT $2", {"a"}, true), std::invalid_argument);
  CHECK_THROWS_AS(bind_parameters("SELECT $1", {"a", "b"}, true), std::invalid_argument);
}

TEST_CASE("MySQL backup lines decode to the rows they encode, for any bytes", "[mysql]") {
  std::mt19937 random(16);
  for (int n = 0; n < 3000; ++n) {
    Row row;
    std::size_t width = 1 + random() % 5;
    for (std::size_t i = 0; i < width; ++i)
      row.push_back(random() % 5 == 0 ? std::nullopt : Value(migpkg::test::random_bytes(random)));
    std::string line = migpkg::runtime::mysql::encode_row(row);
    REQUIRE(line.back() == '\n');
    REQUIRE(line.find('\n') == line.size() - 1);  // one line per row, whatever the values
    line.pop_back();
    INFO("row " << n);
    REQUIRE(migpkg::runtime::mysql::decode_row(line) == row);
  }
}
