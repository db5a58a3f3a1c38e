#include <sqlite3.h>
#include <sys/stat.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/backup/backup.hpp"
#include "runtime/drivers/connection.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/engines/sqlite/sqlite_native.hpp"
#include "unit/backup_test_support.hpp"
#include "unit/test_support.hpp"

using migpkg::runtime::BackupError;
using migpkg::runtime::BackupInfo;
using migpkg::runtime::Connection;
using migpkg::runtime::DatabaseUrl;
using migpkg::runtime::ResultSet;

namespace {

// A result set as text, so that a difference shows up readably in the test output.
std::string render(const ResultSet& result) {
  std::string out;
  for (const auto& column : result.columns) out += column + "|";
  out += "\n";
  for (const auto& row : result.rows) {
    for (const auto& value : row) out += (value ? "'" + *value + "'" : std::string("NULL")) + "|";
    out += "\n";
  }
  return out;
}

std::vector<std::string> snapshot(Connection& db, const std::vector<std::string>& queries) {
  std::vector<std::string> out;
  for (const auto& sql : queries) out.push_back(sql + "\n" + render(db.query(sql)));
  return out;
}

std::string scalar(Connection& db, const std::string& sql) {
  return db.query(sql).rows.at(0).at(0).value_or("NULL");
}

int mode_of(const std::string& path) {
  struct stat info {};
  REQUIRE(stat(path.c_str(), &info) == 0);
  return static_cast<int>(info.st_mode & 0777);
}

std::string backup_error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const BackupError& error) {
    return error.what();
  }
  FAIL("expected a BackupError");
  return "";
}

const char* const kSqliteSchema = R"sql(
CREATE TABLE authors (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, bio TEXT);
CREATE TABLE books (
  id INTEGER PRIMARY KEY,
  author_id INTEGER NOT NULL REFERENCES authors (id),
  title TEXT, price REAL, cover BLOB);
CREATE INDEX books_author ON books (author_id);
CREATE TABLE notes (body TEXT, n);
CREATE TABLE migpkg_history (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT);
CREATE INDEX migpkg_history_what ON migpkg_history (what);
INSERT INTO authors (name, bio) VALUES
  ('Ann', NULL), ('O''Brien', 'tab	and
newline'), ('Zoë Ünïcödé ✓', '日本語');
INSERT INTO books VALUES
  (1, 1, 'First', 9.5, x'00ff10'), (2, 2, 'It''s "quoted"', NULL, NULL),
  (3, 3, 'Ünïcödé', 0.1, x''), (4, 3, NULL, -1e300, x'deadbeef');
INSERT INTO notes VALUES ('same', 1), ('same', 1), (NULL, 2.5), ('x', x'01');
INSERT INTO migpkg_history (what) VALUES ('installed');
DELETE FROM authors WHERE id = 3 AND 0;
)sql";

const std::vector<std::string> kSqliteQueries = {
    "SELECT * FROM authors ORDER BY id", "SELECT * FROM books ORDER BY id",
    "SELECT body, n, typeof(n) FROM notes ORDER BY rowid",
    "SELECT name, seq FROM sqlite_sequence WHERE name NOT LIKE 'migpkg%' ORDER BY name"};

}  // namespace

TEST_CASE("a SQLite backup holds every user table and verifies", "[backup][sqlite]") {
  std::string dir = migpkg::test::make_temp_dir();
  std::string path = dir + "/app.db";
  auto db = migpkg::runtime::open_sqlite(path);
  DatabaseUrl url = DatabaseUrl::parse("sqlite:" + path);
  db->execute(kSqliteSchema);

  BackupInfo info = migpkg::runtime::take_backup(*db, url, dir + "/backups/nested", "app@1.0 pre");
  INFO(info.path);
  CHECK(info.engine == "sqlite");
  CHECK(std::regex_match(
      info.path, std::regex(".*/backups/nested/app_1\\.0_pre-\\d{8}T\\d{6}Z\\.sqlite\\.zst")));
  CHECK(mode_of(info.path) == 0600);
  CHECK(mode_of(info.path + ".manifest.json") == 0600);
  CHECK(mode_of(dir + "/backups") == 0700);
  // Only the backup and its manifest: no temporary or journal files left behind.
  CHECK(migpkg::test::list_dir(dir + "/backups/nested").size() == 2);

  REQUIRE(info.tables.size() == 3);  // migpkg_history is migpkg's own
  CHECK(info.tables[0].name == "authors");
  CHECK(info.tables[0].rows == 3);
  CHECK(info.tables[1].name == "books");
  CHECK(info.tables[1].rows == 4);
  CHECK(info.tables[2].name == "notes");
  CHECK(info.total_rows == 11);
  CHECK(info.sha256.size() == 64);

  auto manifest = nlohmann::json::parse(migpkg::test::read_file(info.path + ".manifest.json"));
  CHECK(manifest["engine"] == "sqlite");
  CHECK(manifest["compression"] == "zstd");
  CHECK(manifest["sha256"] == info.sha256);
  // zstd's frame magic, and smaller than the database it holds.
  CHECK(migpkg::test::read_file(info.path).substr(0, 4) == std::string("\x28\xb5\x2f\xfd"));
  CHECK(migpkg::test::read_file(info.path).size() < migpkg::test::read_file(path).size());
  CHECK(manifest["tables"].size() == 3);

  BackupInfo verified = migpkg::runtime::verify_backup(info.path);
  CHECK(verified.sha256 == info.sha256);
  CHECK(verified.total_rows == 11);
  CHECK(migpkg::runtime::verify_backup(info.path + ".manifest.json").sha256 == info.sha256);

  // A second backup in the same second gets its own name.
  BackupInfo again = migpkg::runtime::take_backup(*db, url, dir + "/backups/nested", "app@1.0 pre");
  CHECK(again.path != info.path);
  CHECK(again.sha256 == info.sha256);  // same data, same hash
}

TEST_CASE("a SQLite restore brings back rows, tables and counters but keeps migpkg_ tables",
          "[backup][sqlite]") {
  std::string dir = migpkg::test::make_temp_dir();
  std::string path = dir + "/app.db";
  auto db = migpkg::runtime::open_sqlite(path);
  DatabaseUrl url = DatabaseUrl::parse("sqlite:" + path);
  db->execute(kSqliteSchema);
  db->execute(
      "INSERT INTO authors (name) VALUES ('gone'); DELETE FROM authors WHERE name = 'gone'");
  auto before = snapshot(*db, kSqliteQueries);
  BackupInfo info = migpkg::runtime::take_backup(*db, url, dir + "/backups", "before");

  db->execute(R"sql(
    DELETE FROM books WHERE id IN (1, 2);
    UPDATE authors SET bio = 'changed' WHERE id = 1;
    DROP TABLE notes;
    INSERT INTO authors (name) VALUES ('new 1'), ('new 2');
    CREATE TABLE added_later (x);
    INSERT INTO migpkg_history (what) VALUES ('migrated'), ('dropped later');
    DELETE FROM migpkg_history WHERE what = 'dropped later';
  )sql");
  auto bookkeeping = snapshot(*db, {"SELECT * FROM migpkg_history ORDER BY id"});

  migpkg::runtime::restore_backup(*db, url, info.path);
  CHECK(snapshot(*db, kSqliteQueries) == before);
  CHECK(scalar(*db, "SELECT count(*) FROM sqlite_master WHERE name = 'added_later'") == "0");
  CHECK(scalar(*db, "SELECT count(*) FROM sqlite_master WHERE name = 'books_author'") == "1");
  // migpkg's bookkeeping is as it was just before the restore, not as in the backup.
  CHECK(snapshot(*db, {"SELECT * FROM migpkg_history ORDER BY id"}) == bookkeeping);
  CHECK(scalar(*db, "SELECT count(*) FROM sqlite_master WHERE name = 'migpkg_history_what'") ==
        "1");
  // Its AUTOINCREMENT counter is the current one too (3, from the deleted row), not the backup's.
  db->execute("INSERT INTO migpkg_history (what) VALUES ('restored')");
  CHECK(scalar(*db, "SELECT max(id) FROM migpkg_history") == "4");
  // AUTOINCREMENT continues after the backup's highest id (4, deleted), not after 'new 2'.
  db->execute("INSERT INTO authors (name) VALUES ('after restore')");
  CHECK(scalar(*db, "SELECT max(id) FROM authors") == "5");
  CHECK(db->query("PRAGMA foreign_key_check").rows.empty());
  // A second connection to the file sees the restored contents too.
  auto other = migpkg::runtime::open_sqlite(path);
  CHECK(scalar(*other, "SELECT count(*) FROM books") == "4");
  CHECK(migpkg::test::list_dir(dir + "/backups").size() == 2);  // no staging files left
}

TEST_CASE("an in-memory SQLite database is backed up to a file and restored", "[backup][sqlite]") {
  std::string dir = migpkg::test::make_temp_dir();
  auto db = migpkg::runtime::open_sqlite(":memory:");
  DatabaseUrl url = DatabaseUrl::parse("sqlite::memory:");
  db->execute(kSqliteSchema);
  auto before = snapshot(*db, kSqliteQueries);
  BackupInfo info = migpkg::runtime::take_backup(*db, url, dir, "mem");
  db->execute(
      "DELETE FROM books; DROP TABLE notes; INSERT INTO migpkg_history (what) VALUES ('x')");
  migpkg::runtime::restore_backup(*db, url, info.path);
  CHECK(snapshot(*db, kSqliteQueries) == before);
  CHECK(scalar(*db, "SELECT count(*) FROM migpkg_history") == "2");
}

TEST_CASE("a tampered SQLite backup is refused and the database is left alone",
          "[backup][sqlite]") {
  std::string dir = migpkg::test::make_temp_dir();
  std::string path = dir + "/app.db";
  auto db = migpkg::runtime::open_sqlite(path);
  DatabaseUrl url = DatabaseUrl::parse("sqlite:" + path);
  db->execute(kSqliteSchema);
  BackupInfo info = migpkg::runtime::take_backup(*db, url, dir + "/backups", "before");
  db->execute("DELETE FROM books WHERE id = 4");
  auto current = snapshot(*db, kSqliteQueries);

  SECTION("a flipped byte in the data file") {
    migpkg::test::flip_middle_byte(info.path);
    std::string message = backup_error_of([&] { migpkg::runtime::verify_backup(info.path); });
    CHECK_THAT(message, Catch::Contains(info.path) && Catch::Contains("modified or damaged"));
    message = backup_error_of([&] { migpkg::runtime::restore_backup(*db, url, info.path); });
    CHECK_THAT(message, Catch::Contains("modified or damaged"));
  }
  SECTION("a row count changed in the manifest") {
    std::string manifest_path = info.path + ".manifest.json";
    auto manifest = nlohmann::json::parse(migpkg::test::read_file(manifest_path));
    manifest["tables"][1]["rows"] = 5;
    migpkg::test::write_file(manifest_path, manifest.dump(2));
    std::string message = backup_error_of([&] { migpkg::runtime::verify_backup(info.path); });
    CHECK_THAT(message, Catch::Contains("inconsistent"));
  }
  SECTION("the manifest is missing") {
    std::remove((info.path + ".manifest.json").c_str());
    std::string message = backup_error_of([&] { migpkg::runtime::verify_backup(info.path); });
    CHECK_THAT(message, Catch::Contains("manifest") && Catch::Contains("does not exist"));
  }
  CHECK(snapshot(*db, kSqliteQueries) == current);
}

TEST_CASE("a failed or refused SQLite backup leaves nothing behind", "[backup][sqlite]") {
  std::string dir = migpkg::test::make_temp_dir();
  std::string path = dir + "/app.db";
  auto db = migpkg::runtime::open_sqlite(path);
  DatabaseUrl url = DatabaseUrl::parse("sqlite:" + path);
  db->execute(kSqliteSchema);

  migpkg::test::write_file(dir + "/plain-file", "x");
  std::string message = backup_error_of(
      [&] { migpkg::runtime::take_backup(*db, url, dir + "/plain-file/sub", "x"); });
  CHECK_THAT(message, Catch::Contains("plain-file"));

  std::string backups = dir + "/backups";
  db->begin();
  message = backup_error_of([&] { migpkg::runtime::take_backup(*db, url, backups, "x"); });
  CHECK_THAT(message, Catch::Contains("outside a transaction"));
  db->rollback();
  CHECK(!migpkg::test::path_exists(backups));

  // A collation only this connection knows: the copy is written, then cannot be read back by
  // the verifying connection, so the backup fails after its files exist, and removes them.
  sqlite3_create_collation(migpkg::runtime::sqlite_handle(*db), "only_here", SQLITE_UTF8, nullptr,
                           [](void*, int a_size, const void* a, int b_size, const void* b) {
                             int common = std::min(a_size, b_size);
                             int order = std::memcmp(a, b, static_cast<std::size_t>(common));
                             return order != 0 ? order : a_size - b_size;
                           });
  db->execute(
      "CREATE TABLE special (k TEXT PRIMARY KEY COLLATE only_here); "
      "INSERT INTO special VALUES ('a'), ('b')");
  message = backup_error_of([&] { migpkg::runtime::take_backup(*db, url, backups, "x"); });
  CHECK_THAT(message, Catch::Contains("only_here"));
  CHECK(migpkg::test::list_dir(backups).empty());
}

namespace {

const char* const kPostgresSchema = R"sql(
CREATE SCHEMA app;
CREATE TABLE app.authors (
  id serial PRIMARY KEY,
  name text NOT NULL,
  bio text,
  born date,
  tags text[],
  score double precision DEFAULT 0.5);
CREATE TABLE app.books (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  author_id integer NOT NULL REFERENCES app.authors (id),
  title text CONSTRAINT title_not_empty CHECK (title <> ''),
  price numeric(10, 2),
  cover bytea,
  meta jsonb,
  title_length integer GENERATED ALWAYS AS (length(title)) STORED,
  UNIQUE (title));
CREATE INDEX books_by_author ON app.books (author_id);
CREATE TABLE public.notes (body text, at timestamptz, during interval);
CREATE TABLE public."Odd.Name/x" ("col ""q""" text, n integer);
CREATE TABLE public.migpkg_history (id serial PRIMARY KEY, what text);
CREATE FUNCTION public.shout() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN NEW.body := NEW.body || '!'; RETURN NEW; END $$;

INSERT INTO app.authors (name, bio, born, tags) VALUES
  ('Ann', NULL, '1970-01-02', '{a,b}'),
  ('O''Brien', E'tab\tand\nnewline and back\\slash', NULL, '{}'),
  ('Zoë Ünïcödé ✓', '日本語', '2000-02-29', NULL);
INSERT INTO app.books (author_id, title, price, cover, meta) VALUES
  (1, 'First', 9.50, '\x00ff10', '{"k": [1, 2]}'),
  (2, 'It''s "quoted"', NULL, NULL, NULL),
  (3, 'Ünïcödé', 0.10, '', 'null'),
  (3, NULL, -1, '\xdeadbeef', '{"s": "\\u00e9\t"}');
INSERT INTO public.notes VALUES
  ('same', '2024-01-01 10:00+02', '1 day 2 hours'),
  ('same', '2024-01-01 10:00+02', '1 day 2 hours'),
  (NULL, NULL, NULL),
  (E'\\N is not null', 'infinity', '-3 months');
INSERT INTO public."Odd.Name/x" VALUES ('x', 1), (NULL, NULL);
INSERT INTO public.migpkg_history (what) VALUES ('installed');
CREATE TRIGGER notes_shout BEFORE INSERT ON public.notes FOR EACH ROW EXECUTE FUNCTION public.shout();
)sql";

const std::vector<std::string> kPostgresQueries = {
    "SELECT * FROM app.authors ORDER BY id", "SELECT * FROM app.books ORDER BY id",
    "SELECT * FROM public.notes ORDER BY body, at",
    "SELECT * FROM public.\"Odd.Name/x\" ORDER BY n"};

struct PgFixture {
  std::string server = migpkg::test::postgres_url();
  std::unique_ptr<migpkg::runtime::TemporaryDatabase> scratch;
  std::unique_ptr<Connection> db;
  DatabaseUrl url;
  std::string dir = migpkg::test::make_temp_dir();

  bool ready() {
    if (server.empty()) return false;
    scratch = std::make_unique<migpkg::runtime::TemporaryDatabase>(server, "migpkg_backup");
    url = DatabaseUrl::parse(scratch->url());
    db = migpkg::runtime::open_url(scratch->url());
    db->execute(kPostgresSchema);
    return true;
  }
};

}  // namespace

TEST_CASE("a PostgreSQL backup is a directory of COPY files and a manifest",
          "[backup][postgresql]") {
  PgFixture pg;
  if (!pg.ready()) {
    WARN("skipped: MIGPKG_TEST_PG_URL is not set");
    return;
  }
  BackupInfo info = migpkg::runtime::take_backup(*pg.db, pg.url, pg.dir + "/backups", "app-1.0");
  INFO(info.path);
  CHECK(info.engine == "postgresql");
  CHECK(std::regex_match(info.path, std::regex(".*/backups/app-1\\.0-\\d{8}T\\d{6}Z")));
  CHECK(mode_of(info.path) == 0700);
  CHECK(migpkg::test::list_dir(info.path) ==
        std::vector<std::string>{"app.authors.copy.zst", "app.books.copy.zst", "manifest.json",
                                 "public.Odd%2EName%2Fx.copy.zst", "public.notes.copy.zst"});
  for (const auto& name : migpkg::test::list_dir(info.path))
    CHECK(mode_of(info.path + "/" + name) == 0600);
  CHECK(migpkg::test::list_dir(pg.dir + "/backups").size() == 1);  // no temporary directory left
  REQUIRE(info.tables.size() == 4);
  CHECK(info.total_rows == 3 + 4 + 4 + 2);

  auto manifest = nlohmann::json::parse(migpkg::test::read_file(info.path + "/manifest.json"));
  CHECK(manifest["engine"] == "postgresql");
  CHECK(manifest["sha256"] == info.sha256);
  CHECK(!manifest["server_version"].get<std::string>().empty());
  const auto& books = manifest["tables"][1];
  CHECK(books["name"] == "books");
  CHECK(books["primary_key"] == nlohmann::json::array({"id"}));
  CHECK_THAT(books["create_table"].get<std::string>(),
             Catch::Contains("GENERATED ALWAYS AS IDENTITY") &&
                 Catch::Contains("CHECK ((title <> ''::text))") &&
                 Catch::Contains("GENERATED ALWAYS AS (length(title)) STORED"));
  CHECK(books["sequences"][0]["last_value"] == 4);
  CHECK(books["foreign_keys"][0]["references"]["name"] == "authors");
  CHECK(books["indexes"].size() == 1);
  // COPY text: tabs, newlines and backslashes escaped, one line per row, bytea as hex.
  std::string authors = migpkg::test::expanded_text(info.path + "/app.authors.copy.zst");
  CHECK_THAT(authors, Catch::Contains("tab\\tand\\nnewline and back\\\\slash"));
  CHECK_THAT(migpkg::test::expanded_text(info.path + "/app.books.copy.zst"),
             Catch::Contains("\\\\x00ff10"));

  BackupInfo verified = migpkg::runtime::verify_backup(info.path);
  CHECK(verified.sha256 == info.sha256);
  CHECK(verified.total_rows == info.total_rows);
  // Same data, same hash: the files are ordered by primary key (or row text).
  CHECK(migpkg::runtime::take_backup(*pg.db, pg.url, pg.dir + "/backups", "app-1.0").sha256 ==
        info.sha256);
  CHECK_FALSE(pg.db->in_transaction());
}

TEST_CASE("a PostgreSQL restore recreates dropped tables and brings back rows and sequences",
          "[backup][postgresql]") {
  PgFixture pg;
  if (!pg.ready()) {
    WARN("skipped: MIGPKG_TEST_PG_URL is not set");
    return;
  }
  auto before = snapshot(*pg.db, kPostgresQueries);
  BackupInfo info = migpkg::runtime::take_backup(*pg.db, pg.url, pg.dir, "before");

  pg.db->execute(R"sql(
    DELETE FROM public.notes WHERE body IS NULL;
    UPDATE public."Odd.Name/x" SET n = 42;
    INSERT INTO app.authors (name) VALUES ('new 1'), ('new 2');
    INSERT INTO app.books (author_id, title) VALUES (4, 'new book');
    DROP TABLE app.books;
    DROP TABLE app.authors;
    INSERT INTO public.notes (body) VALUES ('added');
    INSERT INTO public.migpkg_history (what) VALUES ('migrated');
  )sql");
  auto bookkeeping = snapshot(*pg.db, {"SELECT * FROM public.migpkg_history ORDER BY id"});

  migpkg::runtime::restore_backup(*pg.db, pg.url, info.path);
  CHECK_FALSE(pg.db->in_transaction());
  CHECK(snapshot(*pg.db, kPostgresQueries) == before);
  CHECK(snapshot(*pg.db, {"SELECT * FROM public.migpkg_history ORDER BY id"}) == bookkeeping);

  // The trigger did not fire for the restored rows, and is enabled again.
  CHECK(scalar(*pg.db, "SELECT tgenabled FROM pg_trigger WHERE tgname = 'notes_shout'") == "O");
  // Serial and identity continue after the backup's values, not after the rows added later.
  pg.db->execute("INSERT INTO app.authors (name) VALUES ('after')");
  CHECK(scalar(*pg.db, "SELECT max(id) FROM app.authors") == "4");
  pg.db->execute("INSERT INTO app.books (author_id, title) VALUES (4, 'after')");
  CHECK(scalar(*pg.db, "SELECT max(id) FROM app.books") == "5");
  // The recreated tables have their constraints, indexes and foreign key back.
  CHECK_THROWS_AS(pg.db->execute("INSERT INTO app.books (author_id, title) VALUES (99, 'x')"),
                  migpkg::runtime::DatabaseError);
  CHECK_THROWS_AS(pg.db->execute("INSERT INTO app.books (author_id, title) VALUES (1, '')"),
                  migpkg::runtime::DatabaseError);
  CHECK_THROWS_AS(pg.db->execute("INSERT INTO app.books (id, author_id) VALUES (10, 1)"),
                  migpkg::runtime::DatabaseError);  // still GENERATED ALWAYS
  CHECK(scalar(*pg.db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'books_by_author'") ==
        "1");
  CHECK(scalar(*pg.db, "SELECT title_length FROM app.books WHERE id = 1") == "5");
  // The restored database backs up to the same hash.
  CHECK(migpkg::runtime::take_backup(*pg.db, pg.url, pg.dir, "after").tables.size() == 4);
}

TEST_CASE("a PostgreSQL restore empties tables that a newer table references",
          "[backup][postgresql]") {
  PgFixture pg;
  if (!pg.ready()) {
    WARN("skipped: MIGPKG_TEST_PG_URL is not set");
    return;
  }
  auto before = snapshot(*pg.db, kPostgresQueries);
  BackupInfo info = migpkg::runtime::take_backup(*pg.db, pg.url, pg.dir, "before");
  // Created after the backup: TRUNCATE refuses, DELETE children-first must be used instead.
  pg.db->execute(R"sql(
    CREATE TABLE app.reviews (author_id integer REFERENCES app.authors (id));
    DELETE FROM app.books WHERE id = 4;
    UPDATE app.authors SET name = 'renamed';
  )sql");
  migpkg::runtime::restore_backup(*pg.db, pg.url, info.path);
  CHECK(snapshot(*pg.db, kPostgresQueries) == before);
  CHECK(scalar(*pg.db, "SELECT count(*) FROM app.reviews") == "0");

  // With a row in the newer table pointing at an author, the restore fails as a whole.
  pg.db->execute("INSERT INTO app.reviews VALUES (1); UPDATE app.authors SET name = 'again'");
  auto current = snapshot(*pg.db, kPostgresQueries);
  std::string message =
      backup_error_of([&] { migpkg::runtime::restore_backup(*pg.db, pg.url, info.path); });
  CHECK_THAT(message, Catch::Contains("app.authors") && Catch::Contains("reviews"));
  CHECK(snapshot(*pg.db, kPostgresQueries) == current);
  CHECK_FALSE(pg.db->in_transaction());

  // A column dropped since the backup (the last one, so SELECT * reads the same) is added back
  // with its values.
  pg.db->execute("DELETE FROM app.reviews; ALTER TABLE public.notes DROP COLUMN during");
  migpkg::runtime::restore_backup(*pg.db, pg.url, info.path);
  CHECK(snapshot(*pg.db, kPostgresQueries) == before);

  // A dropped NOT NULL column comes back (last) with its values, NOT NULL once they are in.
  const std::string names = "SELECT string_agg(name, ',' ORDER BY id) FROM app.authors";
  std::string names_before = scalar(*pg.db, names);
  pg.db->execute("ALTER TABLE app.authors DROP COLUMN name");
  migpkg::runtime::restore_backup(*pg.db, pg.url, info.path);
  CHECK(scalar(*pg.db, names) == names_before);
  CHECK(scalar(*pg.db,
               "SELECT is_nullable FROM information_schema.columns WHERE table_schema = "
               "'app' AND table_name = 'authors' AND column_name = 'name'") == "NO");
}

TEST_CASE("a tampered PostgreSQL backup is refused and the database is left alone",
          "[backup][postgresql]") {
  PgFixture pg;
  if (!pg.ready()) {
    WARN("skipped: MIGPKG_TEST_PG_URL is not set");
    return;
  }
  BackupInfo info = migpkg::runtime::take_backup(*pg.db, pg.url, pg.dir, "before");
  pg.db->execute("DELETE FROM app.books; DROP TABLE public.notes");
  auto current =
      snapshot(*pg.db, {"SELECT * FROM app.authors ORDER BY id", "SELECT count(*) FROM app.books",
                        "SELECT to_regclass('public.notes')::text"});

  SECTION("a flipped byte in a data file") {
    std::string path = info.path + "/app.authors.copy.zst";
    std::string content = migpkg::test::expanded_text(path);
    content[content.find("Brien")] ^= 0x20;
    migpkg::test::rewrite_data_file(path, content);
    std::string message = backup_error_of([&] { migpkg::runtime::verify_backup(info.path); });
    CHECK_THAT(message, Catch::Contains("app.authors") && Catch::Contains("app.authors.copy") &&
                            Catch::Contains("modified or damaged"));
    message = backup_error_of([&] { migpkg::runtime::restore_backup(*pg.db, pg.url, info.path); });
    CHECK_THAT(message, Catch::Contains("modified or damaged"));
  }
  SECTION("a row removed from a data file") {
    std::string path = info.path + "/public.notes.copy.zst";
    std::string content = migpkg::test::expanded_text(path);
    migpkg::test::rewrite_data_file(path, content.substr(content.find('\n') + 1));
    std::string message = backup_error_of([&] { migpkg::runtime::verify_backup(info.path); });
    CHECK_THAT(message, Catch::Contains("public.notes") && Catch::Contains("3 rows") &&
                            Catch::Contains("records 4"));
  }
  SECTION("a data file missing") {
    std::remove((info.path + "/app.books.copy.zst").c_str());
    std::string message = backup_error_of([&] { migpkg::runtime::verify_backup(info.path); });
    CHECK_THAT(message, Catch::Contains("app.books.copy") && Catch::Contains("missing"));
  }
  SECTION("a SQLite database is not restored from a PostgreSQL backup") {
    auto sqlite = migpkg::runtime::open_sqlite(":memory:");
    std::string message = backup_error_of([&] {
      migpkg::runtime::restore_backup(*sqlite, DatabaseUrl::parse("sqlite::memory:"), info.path);
    });
    CHECK_THAT(message, Catch::Contains("postgresql backup"));
  }
  CHECK(snapshot(*pg.db, {"SELECT * FROM app.authors ORDER BY id", "SELECT count(*) FROM app.books",
                          "SELECT to_regclass('public.notes')::text"}) == current);
  CHECK_FALSE(pg.db->in_transaction());
}

TEST_CASE("a WAL-mode SQLite database backs up to one self-contained file and restores",
          "[backup][sqlite]") {
  std::string dir = migpkg::test::make_temp_dir();
  std::string path = dir + "/app.db";
  auto db = migpkg::runtime::open_sqlite(path);
  DatabaseUrl url = DatabaseUrl::parse("sqlite:" + path);
  db->execute("PRAGMA journal_mode = WAL");
  db->execute(kSqliteSchema);
  auto before = snapshot(*db, kSqliteQueries);
  BackupInfo info = migpkg::runtime::take_backup(*db, url, dir + "/backups", "wal");
  CHECK(migpkg::test::list_dir(dir + "/backups").size() == 2);  // no -wal or -shm files
  migpkg::test::write_file(dir + "/expanded.db", migpkg::test::expanded_text(info.path));
  auto copy = migpkg::runtime::open_sqlite(dir + "/expanded.db");
  CHECK(scalar(*copy, "PRAGMA journal_mode") == "delete");
  copy.reset();
  CHECK(migpkg::runtime::verify_backup(info.path).sha256 == info.sha256);

  db->execute("DELETE FROM books; UPDATE authors SET name = 'x'");
  migpkg::runtime::restore_backup(*db, url, info.path);
  CHECK(snapshot(*db, kSqliteQueries) == before);
  CHECK(scalar(*db, "PRAGMA journal_mode") == "wal");
}

TEST_CASE("PostgreSQL partitions and inheritance children are backed up once, as themselves",
          "[backup][postgresql]") {
  std::string server = migpkg::test::postgres_url();
  if (server.empty()) {
    WARN("skipped: MIGPKG_TEST_PG_URL is not set");
    return;
  }
  migpkg::runtime::TemporaryDatabase scratch(server, "migpkg_backup");
  DatabaseUrl url = DatabaseUrl::parse(scratch.url());
  auto db = migpkg::runtime::open_url(scratch.url());
  db->execute(R"sql(
    CREATE TABLE events (id integer, at date NOT NULL) PARTITION BY RANGE (at);
    CREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
    CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    INSERT INTO events VALUES (1, '2023-05-01'), (2, '2024-05-01'), (3, '2024-06-01');
    CREATE TABLE animals (name text);
    CREATE TABLE dogs (barks boolean) INHERITS (animals);
    INSERT INTO animals VALUES ('generic');
    INSERT INTO dogs VALUES ('rex', true);
  )sql");
  std::vector<std::string> queries = {"SELECT * FROM events ORDER BY id",
                                      "SELECT name FROM ONLY animals ORDER BY name",
                                      "SELECT * FROM dogs ORDER BY name"};
  auto before = snapshot(*db, queries);
  std::string dir = migpkg::test::make_temp_dir();
  BackupInfo info = migpkg::runtime::take_backup(*db, url, dir, "parts");
  std::vector<std::string> names;
  for (const auto& table : info.tables)
    names.push_back(table.name + ":" + std::to_string(table.rows));
  CHECK(names == std::vector<std::string>{"animals:1", "dogs:1", "events_2023:1", "events_2024:2"});

  db->execute("DELETE FROM events; DELETE FROM animals; INSERT INTO dogs VALUES ('fido', false)");
  migpkg::runtime::restore_backup(*db, url, info.path);
  CHECK(snapshot(*db, queries) == before);

  db->execute("DROP TABLE events_2024");
  std::string message =
      backup_error_of([&] { migpkg::runtime::restore_backup(*db, url, info.path); });
  CHECK_THAT(message, Catch::Contains("events_2024") && Catch::Contains("partition"));
}

TEST_CASE("a PostgreSQL backup that fails half-way leaves nothing behind", "[backup][postgresql]") {
  std::string server = migpkg::test::postgres_url();
  if (server.empty()) {
    WARN("skipped: MIGPKG_TEST_PG_URL is not set");
    return;
  }
  const std::string superuser = "//postgres@";
  if (server.find(superuser) == std::string::npos) {
    WARN("skipped: the test server URL does not name user postgres without a password");
    return;
  }
  auto admin = migpkg::runtime::open_url(server);
  admin->execute(
      "DROP ROLE IF EXISTS migpkg_backup_reader; CREATE ROLE migpkg_backup_reader LOGIN");
  {
    migpkg::runtime::TemporaryDatabase scratch(server, "migpkg_backup");
    auto owner = migpkg::runtime::open_url(scratch.url());
    owner->execute(kPostgresSchema);
    // The reader may read app.authors (copied first) but not app.books (copied second).
    owner->execute(
        "GRANT USAGE ON SCHEMA app TO migpkg_backup_reader; "
        "GRANT SELECT ON app.authors, app.authors_id_seq, app.books_id_seq TO "
        "migpkg_backup_reader");
    std::string reader_url = scratch.url();
    reader_url.replace(reader_url.find(superuser), superuser.size(), "//migpkg_backup_reader@");
    DatabaseUrl url = DatabaseUrl::parse(reader_url);
    auto reader = migpkg::runtime::open_url(reader_url);
    std::string dir = migpkg::test::make_temp_dir();
    std::string message = backup_error_of(
        [&] { migpkg::runtime::take_backup(*reader, url, dir + "/backups", "denied"); });
    INFO(message);
    CHECK_THAT(message, Catch::Contains("cannot copy table app.books") &&
                            Catch::Contains("permission denied"));
    CHECK(migpkg::test::list_dir(dir + "/backups").empty());
    CHECK_FALSE(reader->in_transaction());
    reader.reset();
    owner->execute("DROP OWNED BY migpkg_backup_reader");
  }
  admin->execute("DROP ROLE migpkg_backup_reader");
}
