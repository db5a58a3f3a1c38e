// copy --create from SQLite, whose keys are often TEXT, into MariaDB, which keys no TEXT column:
// a text column in a primary key, index or foreign key becomes string(n), n the longest value's
// characters in the source; past what a MySQL key holds the copy is refused naming table and
// column, with nothing created; --map gives such a column a type of its own.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "compiler/schema/type_names.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/crash_test_support.hpp"
#include "unit/data_move_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using json = nlohmann::json;

namespace {

std::string repeat(const std::string& text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += text;
  return out;
}

// 40 characters, 30 of them of 4 bytes in UTF-8: the longest key of `tags`.
const std::string kLongest = repeat("🎉", 30) + repeat("ż", 9) + "x";

// A SQLite database with text keys: tags (name TEXT PRIMARY KEY), tag_uses (a text foreign key
// to it and a text index), and rows with non-ASCII and 4-byte characters.
std::string text_key_source(const std::string& dir) {
  const std::string url = "sqlite:" + dir + "/source.db";
  auto c = migpkg::runtime::open_url(url);
  c->execute("CREATE TABLE tags (name TEXT PRIMARY KEY, note TEXT)");
  c->execute(
      "CREATE TABLE tag_uses (id INTEGER PRIMARY KEY, tag TEXT REFERENCES tags (name), label "
      "TEXT)");
  c->execute("CREATE INDEX tag_uses_label ON tag_uses (label)");
  c->execute(
      "INSERT INTO tags (name, note) VALUES ('a', 'plain'), ('zażółć gęślą', NULL), "
      "('𝄞 clef', 'four bytes'), ('" +
      kLongest + "', '" + repeat("long note ", 100) + "')");
  c->execute("INSERT INTO tag_uses (id, tag, label) VALUES (1, 'a', 'ą'), (2, '" + kLongest +
             "', '🎉🎉'), (3, '𝄞 clef', NULL), (4, NULL, 'plain')");
  return url;
}

std::string type_of(const std::string& url, const std::string& table, const std::string& column) {
  return migpkg::schema::type_name(column_type(url, table, column));
}

}  // namespace

TEST_CASE(
    "copy --create SQLite -> MariaDB makes text keys string(n) of the longest value, with "
    "every row",
    "[data][copy][mysql]") {
  const std::string server = mysql_url();
  if (server.empty()) {
    WARN("MIGPKG_TEST_MYSQL_URL is not set: skipped");
    return;
  }
  const std::string dir = make_temp_dir();
  const std::string from = text_key_source(dir);
  migpkg::runtime::TemporaryDatabase target(server, "migpkg_textkeys");
  CommandResult result =
      run_cli("copy --from '" + from + "' --to '" + target.url() + "' --create --json");
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  json report = json::parse(result.out);
  std::string notes = report["notes"].dump();
  CHECK(notes.find("table tags, column name: text in a key") != std::string::npos);
  CHECK(notes.find("string(40)") != std::string::npos);

  CHECK(type_of(target.url(), "tags", "name") == "string(40)");
  CHECK(type_of(target.url(), "tags", "note") == "text");  // in no key: stays text
  CHECK(type_of(target.url(), "tag_uses", "tag") == "string(40)");
  CHECK(type_of(target.url(), "tag_uses", "label") == "string(5)");
  for (const char* table : {"tags", "tag_uses"}) check_same_rows(from, target.url(), table);
  // The foreign key and the index came too.
  CHECK(scalar(target.url(),
               "SELECT COUNT(*) FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = "
               "DATABASE() AND TABLE_NAME = 'tag_uses' AND REFERENCED_TABLE_NAME = 'tags'") == "1");
  CHECK(scalar(target.url(),
               "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
               "DATABASE() AND TABLE_NAME = 'tag_uses' AND COLUMN_NAME = 'label'") == "1");

  // Run again: the tables are there, nothing to create, every row still verified.
  CommandResult again = run_cli("copy --from '" + from + "' --to '" + target.url() +
                                "' --create --on-conflict skip --json");
  INFO(again.out << again.err);
  CHECK(again.exit_code == 0);
}

TEST_CASE("copy --create refuses a text key longer than a MariaDB key holds, creating nothing",
          "[data][copy][mysql]") {
  const std::string server = mysql_url();
  if (server.empty()) {
    WARN("MIGPKG_TEST_MYSQL_URL is not set: skipped");
    return;
  }
  const std::string dir = make_temp_dir();
  const std::string from = text_key_source(dir);
  {
    auto c = migpkg::runtime::open_url(from);
    c->execute("CREATE TABLE zz_long (code TEXT PRIMARY KEY)");
    c->execute("INSERT INTO zz_long VALUES ('" + repeat("é", 769) + "'), ('short')");
  }
  migpkg::runtime::TemporaryDatabase target(server, "migpkg_textkeys_long");
  CommandResult result = run_cli("copy --from '" + from + "' --to '" + target.url() + "' --create");
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("table zz_long, column code: text in a key") != std::string::npos);
  CHECK(result.err.find("769 characters, more than the 768") != std::string::npos);
  CHECK(scalar(target.url(),
               "SELECT COUNT(*) FROM information_schema.TABLES WHERE "
               "TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'migpkg%'") == "0");

  // --map gives the column a type of its own, which copy --create takes as it is: the table
  // is made, and the value longer than it is refused naming the table (strict), no row kept.
  const std::string map = dir + "/map.json";
  write_file(map,
             "{\"tables\": [{\"source\": \"zz_long\", \"mapping\": [{\"source\": \"code\", "
             "\"type\": \"string(700)\"}]}]}");
  CommandResult mapped = run_cli("copy --from '" + from + "' --to '" + target.url() +
                                 "' --tables zz_long --create --map " + map);
  INFO(mapped.out << mapped.err);
  CHECK(mapped.exit_code == 1);
  CHECK(mapped.err.find("zz_long") != std::string::npos);
  CHECK(scalar(target.url(), "SELECT COUNT(*) FROM zz_long") == "0");
  CHECK(type_of(target.url(), "zz_long", "code") == "string(700)");
}
