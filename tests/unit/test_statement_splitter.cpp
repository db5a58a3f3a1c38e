#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "compiler/dialects/dialect.hpp"
#include "compiler/sql/statement_splitter.hpp"

using migpkg::is_blank_sql;
using migpkg::split_statements;
using migpkg::SplitOptions;
using Statements = std::vector<std::string>;

namespace {

// The options the dialects really use, so these tests follow the dialect tables.
SplitOptions postgres() {
  return migpkg::postgresql_dialect().spec().split;
}

SplitOptions mysql() {
  SplitOptions o;
  o.backslash_escapes = true;
  o.backtick_identifiers = true;
  return o;
}

SplitOptions sqlite() {
  return migpkg::sqlite_dialect().spec().split;
}

}  // namespace

TEST_CASE("split_statements splits at top-level semicolons and trims", "[splitter]") {
  CHECK(split_statements("SELECT 1; SELECT 2;", {}) == Statements{"SELECT 1", "SELECT 2"});
  CHECK(split_statements("  CREATE TABLE a (x INT);\n\n  INSERT INTO a VALUES (1);\n", {}) ==
        Statements{"CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)"});
  // The last statement needs no ';'.
  CHECK(split_statements("SELECT 1;\nSELECT 2", {}) == Statements{"SELECT 1", "SELECT 2"});
  CHECK(split_statements("SELECT 1", {}) == Statements{"SELECT 1"});
  // Inner white space and line breaks are kept as written.
  CHECK(split_statements("SELECT\n  1 ,\n  2;", {}) == Statements{"SELECT\n  1 ,\n  2"});
}

TEST_CASE("split_statements drops empty and comment-only fragments", "[splitter]") {
  CHECK(split_statements("", {}).empty());
  CHECK(split_statements("   \n\t ", {}).empty());
  CHECK(split_statements(";;; ;\n;", {}).empty());
  CHECK(split_statements("SELECT 1;;;SELECT 2;;", {}) == Statements{"SELECT 1", "SELECT 2"});
  CHECK(split_statements("-- only a comment\n", {}).empty());
  CHECK(split_statements("/* only\n a comment */", {}).empty());
  CHECK(split_statements("SELECT 1; -- trailing comment", {}) == Statements{"SELECT 1"});
  CHECK(split_statements("SELECT 1; /* trailing */ ; -- and more\n", {}) == Statements{"SELECT 1"});
  // A comment in front of a statement stays with it.
  CHECK(split_statements("-- make a\nCREATE TABLE a (x INT);", {}) ==
        Statements{"-- make a\nCREATE TABLE a (x INT)"});
}

TEST_CASE("split_statements ignores semicolons inside string literals", "[splitter]") {
  CHECK(split_statements("INSERT INTO t VALUES ('a;b'); SELECT 2;", {}) ==
        Statements{"INSERT INTO t VALUES ('a;b')", "SELECT 2"});
  // A doubled quote escapes itself and does not end the string.
  CHECK(split_statements("INSERT INTO t VALUES ('it''s; fine'); SELECT 2;", {}) ==
        Statements{"INSERT INTO t VALUES ('it''s; fine')", "SELECT 2"});
  CHECK(split_statements("SELECT ''; SELECT '''';SELECT 3", {}) ==
        Statements{"SELECT ''", "SELECT ''''", "SELECT 3"});
  // A string spanning lines.
  CHECK(split_statements("SELECT 'a;\nb;'; SELECT 2", {}) ==
        Statements{"SELECT 'a;\nb;'", "SELECT 2"});
  // Comment markers inside strings are text.
  CHECK(split_statements("SELECT '--'; SELECT '/*'; SELECT 3;", {}) ==
        Statements{"SELECT '--'", "SELECT '/*'", "SELECT 3"});
}

TEST_CASE("split_statements ignores semicolons inside quoted identifiers", "[splitter]") {
  CHECK(split_statements("CREATE TABLE \"a;b\" (x INT); SELECT 2", {}) ==
        Statements{"CREATE TABLE \"a;b\" (x INT)", "SELECT 2"});
  CHECK(split_statements("SELECT \"we\"\"ird;\" FROM t; SELECT 2", {}) ==
        Statements{"SELECT \"we\"\"ird;\" FROM t", "SELECT 2"});
  // A ' inside an identifier does not open a string.
  CHECK(split_statements("SELECT \"it's\"; SELECT 2", {}) ==
        Statements{"SELECT \"it's\"", "SELECT 2"});
}

TEST_CASE("split_statements ignores semicolons inside comments", "[splitter]") {
  CHECK(split_statements("SELECT 1 -- not here; really\n; SELECT 2", {}) ==
        Statements{"SELECT 1 -- not here; really", "SELECT 2"});
  CHECK(split_statements("SELECT /* a; b */ 1; SELECT 2", {}) ==
        Statements{"SELECT /* a; b */ 1", "SELECT 2"});
  CHECK(split_statements("SELECT /* multi;\nline; */ 1;", {}) ==
        Statements{"SELECT /* multi;\nline; */ 1"});
  // Quotes inside comments do not open strings.
  CHECK(split_statements("SELECT 1; -- don't\nSELECT 2;", {}) ==
        Statements{"SELECT 1", "-- don't\nSELECT 2"});
  CHECK(split_statements("SELECT 1 /* it's */; SELECT 2", {}) ==
        Statements{"SELECT 1 /* it's */", "SELECT 2"});
  // A single '-' or '/' is an operator.
  CHECK(split_statements("SELECT 4 - 1; SELECT 4 / 2;", {}) ==
        Statements{"SELECT 4 - 1", "SELECT 4 / 2"});
}

TEST_CASE("split_statements keeps PostgreSQL dollar-quoted bodies whole", "[splitter]") {
  const std::string function =
      "CREATE FUNCTION f() RETURNS int AS $$\n"
      "BEGIN\n"
      "  RETURN 1;\n"
      "END;\n"
      "$$ LANGUAGE plpgsql";
  CHECK(split_statements(function + ";\nSELECT f();", postgres()) ==
        Statements{function, "SELECT f()"});

  const std::string tagged =
      "CREATE FUNCTION g() RETURNS text AS $body$ SELECT 'x;'; SELECT $$;$$; $body$ "
      "LANGUAGE sql";
  CHECK(split_statements(tagged + "; SELECT 2", postgres()) == Statements{tagged, "SELECT 2"});

  // A ' inside a dollar-quoted body does not open a string.
  const std::string apostrophe = "DO $$ BEGIN RAISE NOTICE 'it''s'; PERFORM 1; END $$";
  CHECK(split_statements(apostrophe + "; SELECT 2", postgres()) ==
        Statements{apostrophe, "SELECT 2"});
  const std::string lone_quote = "SELECT $q$don't;$q$";
  CHECK(split_statements(lone_quote + "; SELECT 2", postgres()) ==
        Statements{lone_quote, "SELECT 2"});

  // $tag$ ends only at the same tag.
  const std::string nested = "SELECT $a$ $b$ ; $b$ ; $a$";
  CHECK(split_statements(nested + "; SELECT 2", postgres()) == Statements{nested, "SELECT 2"});
}

TEST_CASE("split_statements does not take $1 parameters for dollar quotes", "[splitter]") {
  CHECK(split_statements("SELECT $1; SELECT $2;", postgres()) ==
        Statements{"SELECT $1", "SELECT $2"});
  CHECK(split_statements("PREPARE p AS SELECT $1 + $2; EXECUTE p(1, 2);", postgres()) ==
        Statements{"PREPARE p AS SELECT $1 + $2", "EXECUTE p(1, 2)"});
  // An identifier containing '$' is not a tag either.
  CHECK(split_statements("SELECT a$b$c FROM t; SELECT 2", postgres()) ==
        Statements{"SELECT a$b$c FROM t", "SELECT 2"});
}

TEST_CASE("split_statements treats '$' as ordinary text without the dollar_quotes option",
          "[splitter]") {
  CHECK(split_statements("SELECT $$a;b$$", {}) == Statements{"SELECT $$a", "b$$"});
  CHECK(split_statements("SELECT $$a;b$$", postgres()) == Statements{"SELECT $$a;b$$"});
}

TEST_CASE("split_statements honours backslash escapes only when asked", "[splitter]") {
  const std::string script = "INSERT INTO t VALUES ('a\\';b'); SELECT 2;";
  // MySQL: \' does not end the string.
  CHECK(split_statements(script, mysql()) ==
        Statements{"INSERT INTO t VALUES ('a\\';b')", "SELECT 2"});
  // Without the option the string ends at \', the ';' splits, and b' opens a new string.
  CHECK(split_statements(script, {}) ==
        Statements{"INSERT INTO t VALUES ('a\\'", "b'); SELECT 2;"});
  // Standard SQL: the backslash is text, so 'a\' is a complete string.
  CHECK(split_statements("SELECT 'a\\'; SELECT 2;", {}) == Statements{"SELECT 'a\\'", "SELECT 2"});
  CHECK(split_statements("SELECT 'a\\\\'; SELECT 2;", mysql()) ==
        Statements{"SELECT 'a\\\\'", "SELECT 2"});
  CHECK(split_statements("SELECT \"a\\\";b\"; SELECT 2;", mysql()) ==
        Statements{"SELECT \"a\\\";b\"", "SELECT 2"});
}

TEST_CASE("split_statements honours backtick and bracket identifiers when asked", "[splitter]") {
  CHECK(split_statements("SELECT `a;b` FROM t; SELECT 2", mysql()) ==
        Statements{"SELECT `a;b` FROM t", "SELECT 2"});
  CHECK(split_statements("SELECT [a;b] FROM t; SELECT 2", sqlite()) ==
        Statements{"SELECT [a;b] FROM t", "SELECT 2"});
  CHECK(split_statements("SELECT [it's] FROM t; SELECT 2", sqlite()) ==
        Statements{"SELECT [it's] FROM t", "SELECT 2"});
  // Without the options they are ordinary characters.
  CHECK(split_statements("SELECT [a;b]", {}) == Statements{"SELECT [a", "b]"});
  CHECK(split_statements("SELECT `a;b`", {}) == Statements{"SELECT `a", "b`"});
}

TEST_CASE("split_statements keeps SQLite trigger bodies whole", "[splitter]") {
  const std::string trigger =
      "CREATE TRIGGER audit_users AFTER UPDATE ON users\n"
      "BEGIN\n"
      "  INSERT INTO audit (id) VALUES (NEW.id);\n"
      "  UPDATE users SET touched = 1 WHERE id = NEW.id;\n"
      "END";
  CHECK(split_statements(trigger + ";\nSELECT 2;", sqlite()) == Statements{trigger, "SELECT 2"});
  CHECK(split_statements("SELECT 0;\n" + trigger + ";", sqlite()) ==
        Statements{"SELECT 0", trigger});
  // The last statement may lack its ';'.
  CHECK(split_statements(trigger, sqlite()) == Statements{trigger});

  SECTION("CASE ... END inside the body does not end it") {
    const std::string with_case =
        "CREATE TRIGGER t1 AFTER INSERT ON items BEGIN\n"
        "  UPDATE items SET size = CASE WHEN NEW.n > 10 THEN 'big' ELSE 'small' END\n"
        "    WHERE id = NEW.id;\n"
        "  UPDATE totals SET n = n + (CASE NEW.kind WHEN 'a' THEN 1 END);\n"
        "END";
    CHECK(split_statements(with_case + "; SELECT 2;", sqlite()) ==
          Statements{with_case, "SELECT 2"});
  }
  SECTION("TEMP and TEMPORARY triggers, with IF NOT EXISTS") {
    const std::string temp =
        "CREATE TEMP TRIGGER t2 BEFORE DELETE ON a BEGIN DELETE FROM b; DELETE FROM c; END";
    CHECK(split_statements(temp + "; SELECT 2;", sqlite()) == Statements{temp, "SELECT 2"});
    const std::string temporary =
        "create temporary trigger if not exists t3 after insert on a begin select 1; end";
    CHECK(split_statements(temporary + "; SELECT 2;", sqlite()) ==
          Statements{temporary, "SELECT 2"});
  }
  SECTION("a WHEN clause with CASE before BEGIN") {
    const std::string when =
        "CREATE TRIGGER t4 AFTER INSERT ON a WHEN CASE WHEN NEW.x THEN 1 END BEGIN SELECT 1; "
        "SELECT 2; END";
    CHECK(split_statements(when + "; SELECT 3", sqlite()) == Statements{when, "SELECT 3"});
  }
  SECTION("END inside strings, identifiers and comments does not count") {
    const std::string tricky =
        "CREATE TRIGGER t5 AFTER INSERT ON a BEGIN\n"
        "  INSERT INTO log VALUES ('END;'); -- END;\n"
        "  UPDATE \"end\" SET x = 1; /* END; */\n"
        "  UPDATE a SET weekend = 1;\n"
        "END";
    CHECK(split_statements(tricky + "; SELECT 2", sqlite()) == Statements{tricky, "SELECT 2"});
  }
  SECTION("a leading comment does not hide CREATE TRIGGER") {
    const std::string commented =
        "-- audit\nCREATE TRIGGER t6 AFTER INSERT ON a BEGIN SELECT 1; END";
    CHECK(split_statements(commented + "; SELECT 2", sqlite()) ==
          Statements{commented, "SELECT 2"});
  }
}

TEST_CASE("split_statements splits BEGIN/CASE/END outside triggers", "[splitter]") {
  // A transaction's BEGIN is a statement of its own.
  CHECK(split_statements("BEGIN; INSERT INTO a VALUES (1); COMMIT;", sqlite()) ==
        Statements{"BEGIN", "INSERT INTO a VALUES (1)", "COMMIT"});
  CHECK(split_statements("BEGIN TRANSACTION; SELECT 1; END TRANSACTION;", sqlite()) ==
        Statements{"BEGIN TRANSACTION", "SELECT 1", "END TRANSACTION"});
  CHECK(split_statements("SELECT CASE WHEN x THEN 1 END FROM t; SELECT 2", sqlite()) ==
        Statements{"SELECT CASE WHEN x THEN 1 END FROM t", "SELECT 2"});
  // CREATE TABLE with a column named trigger is not a trigger definition.
  CHECK(split_statements("CREATE TABLE \"trigger\" (x INT); SELECT 2", sqlite()) ==
        Statements{"CREATE TABLE \"trigger\" (x INT)", "SELECT 2"});
  // A statement after a trigger starts afresh.
  CHECK(split_statements("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END; BEGIN; SELECT 2;",
                         sqlite()) ==
        Statements{"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END", "BEGIN", "SELECT 2"});
}

TEST_CASE("split_statements: PostgreSQL triggers without BEGIN end at the semicolon", "[splitter]") {
  CHECK(split_statements("CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW EXECUTE FUNCTION f(); "
                         "SELECT 2;",
                         postgres()) ==
        Statements{"CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW EXECUTE FUNCTION f()",
                   "SELECT 2"});
}

TEST_CASE("split_statements survives unterminated quotes and comments", "[splitter]") {
  CHECK(split_statements("SELECT 1; SELECT 'open; SELECT 3", {}) ==
        Statements{"SELECT 1", "SELECT 'open; SELECT 3"});
  CHECK(split_statements("SELECT 1; SELECT \"open; SELECT 3", {}) ==
        Statements{"SELECT 1", "SELECT \"open; SELECT 3"});
  CHECK(split_statements("SELECT 1; /* open; SELECT 3", {}) == Statements{"SELECT 1"});
  CHECK(split_statements("SELECT 1; SELECT $$ open; SELECT 3", postgres()) ==
        Statements{"SELECT 1", "SELECT $$ open; SELECT 3"});
  CHECK(split_statements("SELECT 'a\\", mysql()) == Statements{"SELECT 'a\\"});
}

TEST_CASE("is_blank_sql is true only for white space, semicolons and comments", "[splitter]") {
  CHECK(is_blank_sql(""));
  CHECK(is_blank_sql("  \n\t\r\n"));
  CHECK(is_blank_sql(";;"));
  CHECK(is_blank_sql("-- comment"));
  CHECK(is_blank_sql("-- one\n-- two\n  ;\n"));
  CHECK(is_blank_sql("/* block */"));
  CHECK(is_blank_sql("/* a */ -- b\n /* c\n d */ ;"));
  CHECK(is_blank_sql("/* unterminated"));

  CHECK_FALSE(is_blank_sql("SELECT 1"));
  CHECK_FALSE(is_blank_sql("-- comment\nSELECT 1"));
  CHECK_FALSE(is_blank_sql("/* c */ x"));
  CHECK_FALSE(is_blank_sql("-"));
  CHECK_FALSE(is_blank_sql("/"));
  CHECK_FALSE(is_blank_sql("- - not a comment"));
  CHECK_FALSE(is_blank_sql("''"));
}

TEST_CASE("split_statements: PostgreSQL E'' strings, nested comments, BEGIN ATOMIC", "[splitter]") {
  CHECK(migpkg::split_statements("SELECT E'don\\'t; stop'; SELECT 2", postgres()) ==
        Statements{"SELECT E'don\\'t; stop'", "SELECT 2"});
  // A plain string ending in a backslash is not an escape string.
  CHECK(migpkg::split_statements("SELECT 'a\\'; SELECT 2", postgres()) ==
        Statements{"SELECT 'a\\'", "SELECT 2"});
  CHECK(migpkg::split_statements("SELECT 1 /* a /* b */ c; */; SELECT 2", postgres()) ==
        Statements{"SELECT 1 /* a /* b */ c; */", "SELECT 2"});
  std::string atomic =
      "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a + 1; "
      "SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END; END";
  CHECK(migpkg::split_statements(atomic + "; SELECT 3;", postgres()) ==
        Statements{atomic, "SELECT 3"});
}

TEST_CASE("split_statements: a text without a semicolon is split as the same text terminated",
          "[splitter]") {
  // Texts without ';' take a shortcut past the tokenizer; with a line break and a ';' appended
  // they go through it, and the statement must come out the same (quotes and block comments
  // here are closed, and the line break ends a line comment, so the ';' ends the statement).
  const std::vector<std::string> texts = {
      "SELECT 1",
      "  \n\tINSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')  \n",
      "SELECT 'a -- not a comment' AS x -- trailing comment",
      "SELECT /* block */ 1 /* another */",
      "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = n + 1 END",
      "SELECT CASE WHEN x THEN 1 ELSE 2 END FROM t",
      "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql",
      "SELECT \"quoted \"\" name\" FROM t",
      "-- only a comment",
      "/* only a comment */",
      "   ",
      "",
  };
  for (const auto& text : texts)
    for (const SplitOptions& options : {SplitOptions{}, postgres(), mysql(), sqlite()}) {
      INFO("text: " << text);
      CHECK(split_statements(text, options) == split_statements(text + "\n;", options));
    }
  CHECK(split_statements("-- only a comment", {}).empty());
  CHECK(split_statements("  SELECT 1  ", {}) == Statements{"SELECT 1"});
}
