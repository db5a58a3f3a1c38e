// The MySQL / MariaDB engine (runtime/engines/mysql/), loaded from migpkg-mysql.so through the
// registry, against the suite's MariaDB server (MIGPKG_TEST_MYSQL_URL). Every test that touches a
// database works in its own scratch database, with rows in its tables. The engine's text helpers
// that need no server are tested in test_mysql_text.cpp.
#include <dlfcn.h>
#include <sys/stat.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "compiler/util/utf8.hpp"
#include "runtime/engines/engine_module.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/engines/mysql/backup.hpp"
#include "runtime/engines/mysql/parameters.hpp"
#include "runtime/engines/mysql/url.hpp"
#include "unit/mysql_test_bytes.hpp"
#include "unit/test_support.hpp"

using migpkg::runtime::BackupError;
using migpkg::runtime::Connection;
using migpkg::runtime::DatabaseError;
using migpkg::runtime::DatabaseUrl;
using migpkg::runtime::LockTimeout;
using migpkg::runtime::ResultSet;
using migpkg::runtime::Row;
using migpkg::runtime::ScratchDatabase;

namespace {

const migpkg::runtime::Engine& mysql_engine() {
  return migpkg::runtime::engine_for(migpkg::ir::Engine::MySQL);
}

using Value = std::optional<std::string>;

DatabaseUrl url_of(const std::string& url) {
  return migpkg::runtime::mysql::mysql_database_url(url);
}

// A scratch database on the test server, and connections to it.
struct Database {
  std::unique_ptr<ScratchDatabase> scratch;
  DatabaseUrl url;
  std::unique_ptr<Connection> open(int lock_wait_ms = 5000) const {
    return mysql_engine().open(url, lock_wait_ms);
  }
};

// nullopt when no server is configured (mysql_url() fails the test itself under CI or
// MIGPKG_REQUIRE_PG); the caller then skips, saying so.
std::optional<Database> scratch_database() {
  std::string server = migpkg::test::mysql_url();
  if (server.empty()) {
    WARN("MIGPKG_TEST_MYSQL_URL is not set: MySQL engine test skipped");
    return std::nullopt;
  }
  Database db;
  db.scratch = mysql_engine().scratch_database(url_of(server), "migpkg_test");
  db.url = url_of(db.scratch->url());
  return db;
}

std::string value(Connection& c, const std::string& sql) {
  return c.query(sql).rows.at(0).at(0).value_or("NULL");
}

std::string render(const std::vector<Row>& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (const auto& v : row) out += (v ? "'" + *v + "'" : std::string("NULL")) + "|";
    out += "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("MySQL values round-trip: NULL, unicode, binary, big integers, repeated parameters",
          "[mysql]") {
  auto db = scratch_database();
  if (!db) return;
  auto c = db->open();
  c->execute(
      "CREATE TABLE vals (id BIGINT UNSIGNED PRIMARY KEY, big BIGINT, name VARCHAR(100), "
      "data BLOB, note TEXT)");
  const std::string binary("\x00\xff\x01'\\\"\n\t", 9);
  const std::string unicode = "Grüße 😀 日本語 ' \" \\ $1";
  c->execute("INSERT INTO vals VALUES ($1, $2, $3, $4, $5), ($6, $2, $3, NULL, $3)",
             {"18446744073709551615", "-9223372036854775808", unicode, binary, std::nullopt,
              "9007199254740993"});
  c->execute("INSERT INTO vals (id, big) VALUES ($1, $1)", {"9007199254740992"});
  ResultSet rows = c->query("SELECT id, big, name, data, note FROM vals ORDER BY id");
  REQUIRE(rows.rows.size() == 3);
  CHECK(rows.rows[0] ==
        Row{"9007199254740992", "9007199254740992", std::nullopt, std::nullopt, std::nullopt});
  CHECK(rows.rows[1] ==
        Row{"9007199254740993", "-9223372036854775808", unicode, std::nullopt, unicode});
  CHECK(rows.rows[2] ==
        Row{"18446744073709551615", "-9223372036854775808", unicode, binary, std::nullopt});
  // A big integer as a parameter selects exactly its row, not its neighbour as a double would.
  ResultSet one = c->query("SELECT id FROM vals WHERE id = $1", {"9007199254740993"});
  CHECK(render(one.rows) == "'9007199254740993'|\n");
  // A byte string that is not UTF-8 comes back byte for byte, in a text context too.
  CHECK(c->query("SELECT $1", {binary}).rows.at(0).at(0) == Value(binary));
  // A failing statement's SQL, which messages and --json output carry, stays valid UTF-8.
  try {
    c->execute("INSERT INTO missing (data) VALUES ($1)", {binary});
    FAIL("inserted into a missing table");
  } catch (const DatabaseError& error) {
    CHECK(migpkg::first_invalid_utf8(error.sql()) == std::string::npos);
  }
  CHECK(value(*c, "SELECT COUNT(*) FROM vals WHERE data = " +
                      migpkg::runtime::mysql::mysql_literal(binary, true)) == "1");
}

TEST_CASE(
    "MySQL scripts run every statement, and an error names the statement and the server's code",
    "[mysql]") {
  auto db = scratch_database();
  if (!db) return;
  auto c = db->open();
  c->execute(
      "CREATE TABLE s (id INT PRIMARY KEY, v VARCHAR(10));\n"
      "INSERT INTO s VALUES (1, 'a');\n"
      "SELECT * FROM s;\n"
      "INSERT INTO s VALUES (2, 'b'), (3, 'c');");
  CHECK(value(*c, "SELECT COUNT(*) FROM s") == "3");
  ResultSet last = c->query("SELECT 1 AS one; SELECT v FROM s ORDER BY id");
  CHECK(last.columns == std::vector<std::string>{"v"});
  CHECK(last.rows.size() == 3);
  try {
    c->execute(
        "INSERT INTO s VALUES (4, 'd'); INSERT INTO s VALUES (1, 'dup'); "
        "INSERT INTO s VALUES (5, 'e')");
    FAIL("a duplicate key passed");
  } catch (const DatabaseError& error) {
    std::string message = error.what();
    CHECK(message.find("Duplicate entry") != std::string::npos);
    CHECK(message.find("MySQL error 1062") != std::string::npos);
    CHECK(error.sql().find("INSERT INTO s VALUES (1, 'dup')") != std::string::npos);
  }
  // The statements before the failing one ran (autocommit), the ones after it did not, and the
  // connection is usable.
  CHECK(value(*c, "SELECT GROUP_CONCAT(id ORDER BY id) FROM s") == "1,2,3,4");
  // Strict mode: a value that does not fit is an error, not a silent truncation.
  CHECK_THROWS_AS(c->execute("INSERT INTO s VALUES (9, 'far too long a value')"), DatabaseError);
  // ANSI_QUOTES: a double-quoted name is a name.
  CHECK(value(*c, "SELECT \"v\" FROM \"s\" WHERE \"id\" = 2") == "b");
}

TEST_CASE("MySQL statement timeout interrupts a long statement and is cleared", "[mysql]") {
  auto db = scratch_database();
  if (!db) return;
  auto c = db->open();
  c->execute("CREATE TABLE slow (id INT PRIMARY KEY); INSERT INTO slow VALUES (1), (2), (3)");
  c->set_statement_timeout(300);
  auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(c->query("SELECT COUNT(*) FROM slow WHERE SLEEP(1) = 0"), DatabaseError);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  c->set_statement_timeout(std::nullopt);
  CHECK(value(*c, "SELECT COUNT(*) FROM slow WHERE SLEEP(0.2) = 0") == "3");
}

TEST_CASE("MySQL in_transaction follows the server: DDL commits the open transaction", "[mysql]") {
  auto db = scratch_database();
  if (!db) return;
  auto c = db->open();
  auto other = db->open();
  c->execute("CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO t VALUES (1)");
  c->begin();
  CHECK(c->in_transaction());
  c->execute("INSERT INTO t VALUES (2)");
  CHECK(value(*other, "SELECT COUNT(*) FROM t") == "1");
  c->execute("CREATE TABLE u (id INT)");
  CHECK_FALSE(c->in_transaction());
  CHECK(value(*other, "SELECT COUNT(*) FROM t") == "2");  // committed by the DDL

  // A statement failed inside a transaction: commit refuses and rolls everything back.
  c->begin();
  c->execute("INSERT INTO t VALUES (3)");
  CHECK_THROWS_AS(c->execute("INSERT INTO t VALUES (1)"), DatabaseError);
  CHECK_THROWS_AS(c->commit(), DatabaseError);
  CHECK_FALSE(c->in_transaction());
  CHECK(value(*other, "SELECT COUNT(*) FROM t") == "2");
  c->begin();
  CHECK_THROWS_AS(c->begin(), DatabaseError);  // no nested transactions
  c->rollback();
}

TEST_CASE(
    "MySQL execute_all sends statements as one query and names the one that failed, and "
    "begin rides with the next statement",
    "[mysql]") {
  auto db = scratch_database();
  if (!db) return;
  auto c = db->open();
  auto other = db->open();
  c->execute("CREATE TABLE t (id INT PRIMARY KEY, note VARCHAR(40)) ENGINE=InnoDB");
  c->execute("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
  using Params = Connection::Params;

  // Outside a transaction each statement commits by itself; the first failure ends the query.
  try {
    c->execute_all({{"INSERT INTO t VALUES ($1, $2)", Params{"3", "three; not a separator"}},
                    {"INSERT INTO t VALUES (1, 'again')", std::nullopt},
                    {"INSERT INTO t VALUES (4, 'four')", std::nullopt}});
    FAIL("the duplicate key did not fail");
  } catch (const migpkg::runtime::StatementsFailure& e) {
    INFO(e.what());
    CHECK(e.index() == 1);
    CHECK(e.sql() == "INSERT INTO t VALUES (1, 'again')");
    CHECK(std::string(e.what()).find("Duplicate entry") != std::string::npos);
  }
  CHECK(value(*other, "SELECT GROUP_CONCAT(note ORDER BY id) FROM t") ==
        "one,two,three; not a separator");

  // begin() sends nothing until the next statement, which carries START TRANSACTION.
  auto questions = [&] {
    return std::stoll(
        c->query("SHOW SESSION STATUS LIKE 'Questions'").rows.at(0).at(1).value_or("0"));
  };
  long long asked = questions();
  c->begin();
  CHECK(c->in_transaction());
  c->commit();  // nothing ran in it
  CHECK_FALSE(c->in_transaction());
  c->begin();
  c->rollback();
  CHECK(questions() == asked + 1);  // only the SHOW itself

  c->begin();
  c->execute("INSERT INTO t VALUES (5, 'five')");
  CHECK(value(*other, "SELECT COUNT(*) FROM t WHERE id = 5") == "0");  // inside the transaction
  c->rollback();
  CHECK(value(*other, "SELECT COUNT(*) FROM t WHERE id = 5") == "0");

  // commit_after: the statements and COMMIT as one query; a failure commits nothing.
  c->begin();
  c->execute("INSERT INTO t VALUES (6, 'six')");
  try {
    c->commit_after({{"UPDATE t SET note = 'changed' WHERE id = 2", std::nullopt},
                     {"INSERT INTO t VALUES (2, 'dup')", std::nullopt}});
    FAIL("the duplicate key did not fail");
  } catch (const migpkg::runtime::StatementsFailure& e) {
    CHECK(e.index() == 1);
  }
  CHECK(c->in_transaction());
  CHECK_THROWS_AS(c->commit(), DatabaseError);  // a statement in it failed: rolled back
  CHECK(value(*other, "SELECT GROUP_CONCAT(note ORDER BY id) FROM t") ==
        "one,two,three; not a separator");
  c->begin();
  c->execute("INSERT INTO t VALUES (7, 'seven')");
  c->commit_after({{"UPDATE t SET note = 'changed' WHERE id = 2", std::nullopt}});
  CHECK_FALSE(c->in_transaction());
  CHECK(value(*other, "SELECT GROUP_CONCAT(note ORDER BY id) FROM t") ==
        "one,changed,three; not a separator,seven");
}

TEST_CASE("MySQL row lock waits end in LockTimeout", "[mysql]") {
  auto db = scratch_database();
  if (!db) return;
  auto holder = db->open();
  auto waiter = db->open(1000);
  holder->execute("CREATE TABLE acct (id INT PRIMARY KEY, n INT); INSERT INTO acct VALUES (1, 0)");
  holder->begin();
  holder->execute("UPDATE acct SET n = 1 WHERE id = 1");
  auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(waiter->execute("UPDATE acct SET n = 2 WHERE id = 1"), LockTimeout);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
  holder->rollback();
  waiter->execute("UPDATE acct SET n = 2 WHERE id = 1");
  CHECK(value(*holder, "SELECT n FROM acct") == "2");
  // A DDL statement waits for the metadata lock of another connection's open transaction.
  holder->begin();
  CHECK(value(*holder, "SELECT n FROM acct") == "2");
  start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(waiter->execute("ALTER TABLE acct ADD COLUMN extra INT"), LockTimeout);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
  holder->rollback();
  waiter->execute("ALTER TABLE acct ADD COLUMN extra INT");
  CHECK(value(*holder, "SELECT COUNT(extra) + COUNT(*) FROM acct") == "1");
}

TEST_CASE(
    "MySQL run lock: a second run waits, then LockTimeout names the holder, and it is freed when "
    "the holder's connection closes",
    "[mysql]") {
  auto db = scratch_database();
  if (!db) return;
  auto first = db->open();
  auto second = db->open();
  first->execute("CREATE TABLE work (id INT PRIMARY KEY); INSERT INTO work VALUES (1), (2)");
  auto lock = mysql_engine().acquire_run_lock(*first, db->url, "migpkg install by alice", 5);
  std::string first_id = value(*first, "SELECT CONNECTION_ID()");
  auto start = std::chrono::steady_clock::now();
  try {
    mysql_engine().acquire_run_lock(*second, db->url, "migpkg rollback by bob", 1);
    FAIL("the second run got the lock");
  } catch (const LockTimeout& timeout) {
    std::string message = timeout.what();
    INFO(message);
    CHECK(message.find("migpkg install by alice") != std::string::npos);
    CHECK(message.find("connection " + first_id) != std::string::npos);
    CHECK(message.find("user root") != std::string::npos);
  }
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(900));
  // The holder's session ends without releasing anything (as when its process dies): the
  // server frees the lock.
  second->execute("KILL CONNECTION " + first_id);
  auto free_again = mysql_engine().acquire_run_lock(*second, db->url, "migpkg rollback by bob", 5);
  free_again.reset();
  lock.reset();  // its RELEASE_LOCK meets the dead connection and is ignored
  first.reset();
  auto again = mysql_engine().acquire_run_lock(*second, db->url, "migpkg rollback by bob", 5);
  CHECK(value(*second, "SELECT COUNT(*) FROM work") == "2");
  again.reset();
  // Released by the holder: free at once.
  auto third = db->open();
  auto third_lock = mysql_engine().acquire_run_lock(*third, db->url, "third", 0);
  CHECK(third_lock != nullptr);
  third_lock.reset();
  // A holder whose connection is closed (its process exited) without letting go.
  {
    auto closing = db->open();
    CHECK(value(*closing, "SELECT GET_LOCK(CONCAT('migpkg:', DATABASE()), 0)") == "1");
    CHECK_THROWS_AS(mysql_engine().acquire_run_lock(*third, db->url, "third", 0), LockTimeout);
  }
  CHECK(mysql_engine().acquire_run_lock(*third, db->url, "third", 5) != nullptr);
}

TEST_CASE(
    "MySQL schema snapshot lines describe the schema, a change shows as a diff and its "
    "undo compares equal",
    "[mysql]") {
  auto db = scratch_database();
  if (!db) return;
  auto c = db->open();
  c->execute(
      "CREATE TABLE parent (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, code VARCHAR(20) NOT NULL "
      "DEFAULT 'x', UNIQUE KEY uq_code (code));"
      "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id INT NULL, qty INT NOT NULL DEFAULT 0, "
      "CONSTRAINT qty_positive CHECK (qty >= 0), KEY ix_parent (parent_id), "
      "CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE);"
      "CREATE VIEW big_children AS SELECT id, qty FROM child WHERE qty > 10;"
      "CREATE TABLE migpkg_meta (k VARCHAR(10));"
      "INSERT INTO parent (code) VALUES ('a'), ('b'); INSERT INTO child VALUES (1, 1, 5), (2, 2, "
      "20)");
  c->execute(
      "CREATE TRIGGER qty_floor BEFORE INSERT ON child FOR EACH ROW SET NEW.qty = "
      "GREATEST(NEW.qty, 0)");
  c->execute("CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2");
  auto lines = mysql_engine().inspect_schema(*c);
  std::sort(lines.begin(), lines.end());
  std::string all;
  for (const auto& line : lines) all += line + "\n";
  INFO(all);
  auto has = [&](const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  };
  CHECK(has("table \"child\" columns \"id\", \"parent_id\", \"qty\""));
  CHECK(has("table \"parent\" column \"code\" varchar(20) not null default 'x'"));
  CHECK(has("table \"parent\" column \"id\" int(11) not null auto_increment"));
  CHECK(has("table \"child\" column \"parent_id\" int(11)"));
  CHECK(has("table \"child\" primary key (\"id\")"));
  CHECK(has("index \"parent\".\"uq_code\" unique (\"code\") using btree"));
  CHECK(has("index \"child\".\"ix_parent\" (\"parent_id\") using btree"));
  CHECK(
      has("table \"child\" constraint \"fk_parent\" foreign key (\"parent_id\") references "
          "\"parent\" (\"id\") on update restrict on delete cascade"));
  CHECK(has("table \"child\" constraint \"qty_positive\" check (\"qty\" >= 0)"));
  CHECK(all.find("view \"big_children\" select") != std::string::npos);
  CHECK(all.find("migpkg_meta") == std::string::npos);
  CHECK(
      has("trigger \"child\".\"qty_floor\" before insert order 1 SET NEW.qty = "
          "GREATEST(NEW.qty, 0)"));
  CHECK(
      has("function \"twice\"(in \"x\" int(11)) returns int(11) deterministic contains sql "
          "security definer definition RETURN x * 2"));

  std::vector<std::string> before = lines;
  c->execute("ALTER TABLE child ADD COLUMN note VARCHAR(50) NULL; DROP INDEX uq_code ON parent");
  auto changed = mysql_engine().inspect_schema(*c);
  std::sort(changed.begin(), changed.end());
  CHECK(changed != before);
  CHECK(std::find(changed.begin(), changed.end(), "table \"child\" column \"note\" varchar(50)") !=
        changed.end());
  c->execute("ALTER TABLE child DROP COLUMN note; CREATE UNIQUE INDEX uq_code ON parent (code)");
  auto undone = mysql_engine().inspect_schema(*c);
  std::sort(undone.begin(), undone.end());
  CHECK(undone == before);
  CHECK(value(*c, "SELECT COUNT(*) FROM child") == "2");
}

TEST_CASE(
    "MySQL backup: taken with rows, verified, a flipped byte fails verification, restore "
    "brings back a dropped table and changed rows",
    "[mysql]") {
  auto db = scratch_database();
  if (!db) return;
  auto c = db->open();
  c->execute(
      "CREATE TABLE parent (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL, ratio FLOAT, "
      "amount DOUBLE, price DECIMAL(20, 6), at DATETIME(6));"
      "CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, body BLOB, note TEXT, "
      "FOREIGN KEY (parent_id) REFERENCES parent (id));"
      "CREATE TABLE nokey (v VARCHAR(20));"
      "CREATE TABLE migpkg_history (id INT PRIMARY KEY);"
      "INSERT INTO parent VALUES (1, 'Ünïcode 😀', 3.1415927, 1e300 / 3, "
      "12345678901234.123456, '2026-12-06 05:30:01.123456'), "
      "(2, 'tab\\there', -1e-30, NULL, NULL, NULL);"
      "INSERT INTO nokey VALUES ('same'), ('same'), (NULL);"
      "INSERT INTO migpkg_history VALUES (1)");
  c->execute("INSERT INTO child VALUES (10, 1, $1, $2), (11, 2, NULL, NULL)",
             {std::string("\x00\n\\N\t\xff", 6), "line1\nline2\\N"});
  const std::string numbers_sql = "SELECT ratio + 0e0, amount, price, at FROM parent ORDER BY id";
  const std::string numbers = render(c->query(numbers_sql).rows);
  std::string dir = migpkg::test::make_temp_dir() + "/backups";
  auto info = mysql_engine().take_backup(*c, db->url, dir, "before risky");
  CHECK(info.engine == "mysql");
  CHECK(info.total_rows == 7);
  REQUIRE(info.tables.size() == 3);  // migpkg_history is not backed up
  struct stat st {};
  REQUIRE(stat(info.path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(stat((info.path + "/manifest.json").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(stat((info.path + "/child.rows.zst").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(mysql_engine().verify_backup(info.path).sha256 == info.sha256);

  // The damage: a table dropped, rows changed, deleted and added, bookkeeping written.
  c->execute(
      "DROP TABLE child; UPDATE parent SET name = 'changed', ratio = 1, amount = 1, "
      "price = 1, at = NOW() WHERE id = 1; "
      "DELETE FROM parent WHERE id = 2; INSERT INTO parent (id, name) VALUES (3, 'new'); "
      "DELETE FROM nokey WHERE v IS NULL; INSERT INTO migpkg_history VALUES (2); "
      "ALTER TABLE parent DROP COLUMN price, DROP COLUMN name");
  mysql_engine().restore_backup(*c, db->url, info.path);
  CHECK(render(c->query("SELECT id, name FROM parent ORDER BY id").rows) ==
        "'1'|'Ünïcode 😀'|\n'2'|'tab\there'|\n");
  // Dropped columns are back, with their values and NOT NULL.
  CHECK(value(*c,
              "SELECT IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
              "DATABASE() AND TABLE_NAME = 'parent' AND COLUMN_NAME = 'name'") == "NO");
  // Floating-point, decimal and temporal values come back exactly (a FLOAT too).
  CHECK(render(c->query(numbers_sql).rows) == numbers);
  ResultSet child = c->query("SELECT id, parent_id, body, note FROM child ORDER BY id");
  REQUIRE(child.rows.size() == 2);
  CHECK(child.rows[0] == Row{"10", "1", std::string("\x00\n\\N\t\xff", 6), "line1\nline2\\N"});
  CHECK(child.rows[1] == Row{"11", "2", std::nullopt, std::nullopt});
  CHECK(value(*c, "SELECT COUNT(*) FROM nokey") == "3");
  CHECK(value(*c, "SELECT COUNT(*) FROM nokey WHERE v IS NULL") == "1");
  CHECK(value(*c, "SELECT COUNT(*) FROM migpkg_history") == "2");  // untouched
  // The recreated table has its foreign key back.
  CHECK_THROWS_AS(c->execute("INSERT INTO child (id, parent_id) VALUES (12, 99)"), DatabaseError);

  // One flipped byte in a data file: verification and restore refuse, the database is unchanged.
  std::string file = info.path + "/parent.rows.zst";
  std::string data = migpkg::test::read_file(file);
  data[data.size() / 2] = static_cast<char>(~data[data.size() / 2]);
  chmod(file.c_str(), 0600);
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << data;
  }
  CHECK_THROWS_AS(mysql_engine().verify_backup(info.path), BackupError);
  c->execute("UPDATE parent SET name = 'after' WHERE id = 1");
  CHECK_THROWS_AS(mysql_engine().restore_backup(*c, db->url, info.path), BackupError);
  CHECK(value(*c, "SELECT name FROM parent WHERE id = 1") == "after");
}

TEST_CASE("MySQL scratch databases are created empty and dropped", "[mysql]") {
  std::string server = migpkg::test::mysql_url();
  if (server.empty()) {
    WARN("MIGPKG_TEST_MYSQL_URL is not set: MySQL engine test skipped");
    return;
  }
  auto admin = mysql_engine().open(url_of(server), 5000);
  std::string name;
  std::unique_ptr<Connection> c;  // outlives the scratch database, with a transaction open
  {
    auto scratch = mysql_engine().scratch_database(url_of(server), "migpkg_scratchtest");
    c = mysql_engine().open(url_of(scratch->url()), 5000);
    name = value(*c, "SELECT DATABASE()");
    CHECK(name.rfind("migpkg_scratchtest_", 0) == 0);
    CHECK(mysql_engine().user_tables(*c).empty());
    c->execute("CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1), (2)");
    c->begin();
    c->execute("UPDATE t SET id = 3 WHERE id = 2");  // an open transaction: dropped all the same
    CHECK(value(*admin, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" +
                            name + "'") == "1");
  }
  CHECK(value(*admin, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" +
                          name + "'") == "0");
}

TEST_CASE("MySQL read_rows and write_rows round-trip rows, and a refused row is named", "[mysql]") {
  auto db = scratch_database();
  if (!db) return;
  auto c = db->open();
  c->execute(
      "CREATE TABLE src (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, data BLOB, ratio FLOAT);"
      "CREATE TABLE dst LIKE src");
  std::vector<Row> rows = {{"3", "three", std::nullopt, "3.1415927410125732"},
                           {"1", "éin", std::string("\x00\xfe", 2), std::nullopt},
                           {"2", "it's", "\\N", "-1.0000000031710769e-30"},
                           {"5", "five", "", "0"},
                           {"4", "four", "x", "1"}};
  std::vector<std::string> columns = {"id", "name", "data", "ratio"};
  mysql_engine().write_rows(*c, "src", columns, rows);
  std::vector<std::vector<Row>> batches;
  mysql_engine().read_rows(*c, "\"src\"", columns, 2,
                           [&](const std::vector<Row>& batch) { batches.push_back(batch); });
  REQUIRE(batches.size() == 3);
  CHECK(batches[0].size() == 2);
  CHECK(batches[2].size() == 1);
  std::vector<Row> read;
  for (const auto& batch : batches) read.insert(read.end(), batch.begin(), batch.end());
  std::vector<Row> sorted = rows;
  std::sort(sorted.begin(), sorted.end(),
            [](const Row& a, const Row& b) { return std::stoi(*a[0]) < std::stoi(*b[0]); });
  CHECK(render(read) == render(sorted));
  mysql_engine().write_rows(*c, "dst", columns, read);
  CHECK(value(*c,
              "SELECT COUNT(*) FROM src JOIN dst USING (id) WHERE src.name = dst.name AND "
              "src.data <=> dst.data AND src.ratio <=> dst.ratio") == "5");

  c->begin();
  c->execute("INSERT INTO dst (id, name) VALUES (20, 'before the call')");
  try {
    mysql_engine().write_rows(*c, "dst", columns,
                              {{"10", "ok", std::nullopt, std::nullopt},
                               {"11", std::nullopt, std::nullopt, std::nullopt}});
    FAIL("a NULL went into a NOT NULL column");
  } catch (const DatabaseError& error) {
    CHECK(std::string(error.what()).find("row 2 of table dst was refused") != std::string::npos);
  }
  // Nothing of the failed call is left (not its row 1), the caller's earlier work is, and the
  // transaction goes on.
  CHECK(c->in_transaction());
  CHECK(value(*c, "SELECT GROUP_CONCAT(id ORDER BY id) FROM dst") == "1,2,3,4,5,20");
  c->commit();
  CHECK(value(*c, "SELECT COUNT(*) FROM dst") == "6");
  // Outside a transaction the refused statement's rows are named as a range.
  CHECK_THROWS_WITH(mysql_engine().write_rows(*c, "dst", columns,
                                              {{"30", "ok", std::nullopt, std::nullopt},
                                               {"31", std::nullopt, std::nullopt, std::nullopt}}),
                    Catch::Contains("rows 1 to 2 of table dst were refused"));
  CHECK(value(*c, "SELECT COUNT(*) FROM dst") == "6");
}

TEST_CASE("MySQL catalog: tables, keys, objects, foreign key violations, the batch key",
          "[mysql]") {
  auto db = scratch_database();
  if (!db) return;
  auto c = db->open();
  c->execute(
      "CREATE TABLE b_parent (id INT PRIMARY KEY);"
      "CREATE TABLE a_child (k1 INT, k2 VARCHAR(5), parent_id INT, PRIMARY KEY (k2, k1), "
      "CONSTRAINT fk_p FOREIGN KEY (parent_id) REFERENCES b_parent (id));"
      "CREATE TABLE migpkg_plugins (id INT); CREATE VIEW v AS SELECT id FROM b_parent;"
      "CREATE INDEX ix_pid ON a_child (parent_id);"
      "INSERT INTO b_parent VALUES (1), (2); INSERT INTO a_child VALUES (1, 'a', 1), (2, 'b', "
      "NULL)");
  CHECK(mysql_engine().user_tables(*c) == std::vector<std::string>{"a_child", "b_parent"});
  CHECK(mysql_engine().primary_key(*c, "`a_child`") == std::vector<std::string>{"k2", "k1"});
  CHECK(mysql_engine().primary_key(*c, "v").empty());
  CHECK(mysql_engine().table_exists(*c, "\"b_parent\""));
  CHECK(mysql_engine().table_exists(*c, "v"));
  CHECK_FALSE(mysql_engine().table_exists(*c, "missing"));
  std::string objects = render(mysql_engine().list_objects(*c).rows);
  CHECK(objects.find("'table'|'a_child'|") != std::string::npos);
  CHECK(objects.find("'view'|'v'|") != std::string::npos);
  CHECK(objects.find("'index'|'ix_pid'|") != std::string::npos);
  CHECK(mysql_engine().foreign_key_violations(*c).empty());
  c->execute(
      "SET foreign_key_checks = 0; INSERT INTO a_child VALUES (3, 'c', 42); "
      "SET foreign_key_checks = 1");
  auto violations = mysql_engine().foreign_key_violations(*c);
  REQUIRE(violations.size() == 1);
  CHECK(violations[0] ==
        "table \"a_child\": 1 rows whose column `parent_id` (foreign key fk_p) points at no row "
        "of \"b_parent\"");
  migpkg::plan::TransformInfo transform;
  transform.source_table = "b_parent";
  CHECK(mysql_engine().batch_key(*c, transform) == "`id`");
  transform.source_table = "a_child";
  CHECK(mysql_engine().batch_key(*c, transform).empty());
  CHECK(mysql_engine().ddl_commits_implicitly());
}

TEST_CASE("MySQL spellings hold migpkg's bookkeeping: keys, long text, ids, exact comparison",
          "[mysql]") {
  auto db = scratch_database();
  if (!db) return;
  auto c = db->open();
  const auto& s = mysql_engine().spellings();
  // In a database whose default character set cannot hold the values.
  c->execute("ALTER DATABASE CHARACTER SET latin1 COLLATE latin1_swedish_ci");
  c->execute("CREATE TABLE migpkg_t (id " + s.auto_id_column + ", a " + s.key_text +
             " NOT NULL, b " + s.key_text + " NOT NULL, c " + s.key_text + " NOT NULL, body " +
             s.long_text + ", flag BOOLEAN NOT NULL DEFAULT " + s.false_literal +
             ", UNIQUE (a, b, c))");
  std::string big(100000, 'x');
  const std::string long_key(255, 'k');
  c->execute(
      "INSERT INTO migpkg_t (a, b, c, body, flag) VALUES ($1, $1, $1, $2, " + s.true_literal + ")",
      {long_key, big + "😀"});
  c->execute("INSERT INTO migpkg_t (a, b, c, body) VALUES ('Foo', 'x', 'y', 'ż')");
  c->execute("INSERT INTO migpkg_t (a, b, c, body) VALUES ('foo', 'x', 'y', 'z')");  // not a clash
  // Spelt as row_generator.cpp spells it: "INSERT " + prefix + "INTO ... VALUES ..." + suffix.
  c->execute("INSERT " + s.insert_ignore_prefix +
             "INTO migpkg_t (a, b, c, body) VALUES ('foo', 'x', 'y', "
             "'dup')" +
             s.insert_ignore_suffix);
  CHECK(value(*c, "SELECT COUNT(*) FROM migpkg_t") == "3");
  CHECK(value(*c, "SELECT COUNT(*) FROM migpkg_t WHERE a = 'FOO'") == "0");
  CHECK(value(*c, "SELECT body FROM migpkg_t WHERE a = 'Foo'") == "ż");
  CHECK(value(*c, "SELECT body FROM migpkg_t WHERE flag = " + s.true_literal) == big + "😀");
  CHECK(value(*c, "SELECT MAX(id) FROM migpkg_t") == "3");
  // Byte strings from hex digits (check's seed values) go into a binary column as those bytes.
  c->execute("CREATE TABLE bytes_t (id INT PRIMARY KEY, b VARBINARY(8))");
  c->execute("INSERT INTO bytes_t VALUES (1, $1)", {mysql_engine().bytes_value("00ff7f41")});
  CHECK(value(*c, "SELECT HEX(b) FROM bytes_t") == "00FF7F41");
  CHECK_THROWS_AS(mysql_engine().bytes_value("abc"), std::invalid_argument);
  CHECK_THROWS_AS(mysql_engine().bytes_value("zz"), std::invalid_argument);
}

TEST_CASE(
    "migpkg-mysql.so exports only the generic entry point, checks the caller's build, and the "
    "registry hands out its engine for mysql:// and mariadb:// URLs, and migpkg itself does not "
    "link libmariadb",
    "[mysql]") {
  const char* path = std::getenv("MIGPKG_MYSQL_MODULE");  // set by the suite's main.cpp
  REQUIRE(path != nullptr);
  void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  REQUIRE(handle != nullptr);  // never closed: its objects may outlive this test
  using Entry = const migpkg::runtime::Engine* (*)(const migpkg::runtime::EngineModuleAbi*);
  auto entry = reinterpret_cast<Entry>(dlsym(handle, migpkg::runtime::kEngineModuleEntry));
  REQUIRE(entry != nullptr);
  CHECK(dlsym(handle, "_ZN6migpkg7runtime5mysql12mysql_engineEv") == nullptr);  // stays local
  auto abi = migpkg::runtime::engine_module_abi();
  auto other = abi;
  other.version = "0.0.0-other";
  CHECK(entry(&other) == nullptr);
  CHECK(entry(nullptr) == nullptr);
  const migpkg::runtime::Engine* engine = entry(&abi);
  REQUIRE(engine != nullptr);
  CHECK(engine == &mysql_engine());  // the registry loaded the same module
  CHECK(engine->id() == migpkg::ir::Engine::MySQL);
  CHECK(engine->ddl_commits_implicitly());
  CHECK(DatabaseUrl::parse("mysql://u@h/db").engine == migpkg::ir::Engine::MySQL);
  CHECK(DatabaseUrl::parse("mariadb://u@h/db").engine == migpkg::ir::Engine::MySQL);
  CHECK(DatabaseUrl::parse("mariadb://u@h/db").conninfo == "mariadb://u@h/db");
  CHECK(migpkg::test::capture("readelf -d " + migpkg::test::shell_quoted(migpkg::test::binary()))
            .find("libmariadb") == std::string::npos);
  CHECK(
      migpkg::test::capture("readelf -d " + migpkg::test::shell_quoted(path)).find("libmariadb") !=
      std::string::npos);

  std::string server = migpkg::test::mysql_url();
  if (server.empty()) return;
  auto c = migpkg::runtime::open_url(server);
  CHECK(c->engine() == migpkg::ir::Engine::MySQL);
  CHECK(value(*c, "SELECT 40 + 2") == "42");
}

TEST_CASE("MySQL parameters carry any bytes to the server and back", "[mysql]") {
  auto db = scratch_database();
  if (!db) return;
  auto c = db->open();
  c->execute("CREATE TABLE b (id INT PRIMARY KEY, v LONGBLOB, w LONGBLOB)");
  std::mt19937 random(16);
  std::vector<Row> sent;
  for (int n = 0; n < 300; ++n) {
    Row row = {std::to_string(n), migpkg::test::random_bytes(random),
               migpkg::test::random_bytes(random)};
    // The same value twice in one statement, once through a repeated placeholder.
    c->execute("INSERT INTO b (id, v, w) VALUES ($1, $2, $3)", {row[0], row[1], row[2]});
    REQUIRE(c->query("SELECT $1, $1 = v, w FROM b WHERE id = $2", {row[1], row[0]}).rows.at(0) ==
            Row{row[1], "1", row[2]});
    sent.push_back(row);
  }
  ResultSet all = c->query("SELECT id, v, w FROM b ORDER BY id");
  CHECK(all.rows == sent);
}
