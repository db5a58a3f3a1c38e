#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/dialects/dialect.hpp"
#include "compiler/transform/function_catalog.hpp"

using migpkg::Dialect;
using migpkg::find_dialect;
using migpkg::ir::Literal;

namespace {

const Dialect& pg() {
  const Dialect* d = find_dialect("postgresql");
  REQUIRE(d != nullptr);
  return *d;
}

const Dialect& lite() {
  const Dialect* d = find_dialect("sqlite");
  REQUIRE(d != nullptr);
  return *d;
}

// Literals as the JSON reader builds them: numbers keep their source spelling in `text`.
Literal null_literal() {
  return Literal{};
}
Literal boolean(bool b) {
  Literal l;
  l.kind = Literal::Kind::Bool;
  l.boolean = b;
  return l;
}
Literal integer(std::int64_t i) {
  Literal l;
  l.kind = Literal::Kind::Integer;
  l.integer = i;
  l.text = std::to_string(i);
  return l;
}
Literal real(double r, const std::string& spelling) {
  Literal l;
  l.kind = Literal::Kind::Real;
  l.real = r;
  l.text = spelling;
  return l;
}
Literal string(const std::string& s) {
  Literal l;
  l.kind = Literal::Kind::String;
  l.text = s;
  return l;
}

// A plausible parameter list for a built-in, as many as it needs (at least one for open-ended).
std::vector<Literal> parameters_for(const migpkg::FunctionSignature& f) {
  std::vector<Literal> out;
  int count = f.max_parameters < 0 ? std::max(f.min_parameters, 2) : f.max_parameters;
  for (int i = 0; i < count; ++i) {
    switch (f.kind) {
      case migpkg::FunctionSignature::ParameterKind::Integer:
        out.push_back(integer(i + 2));
        break;
      case migpkg::FunctionSignature::ParameterKind::String:
        out.push_back(string("p" + std::to_string(i)));
        break;
      case migpkg::FunctionSignature::ParameterKind::Any:
        out.push_back(string("p" + std::to_string(i)));
        break;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("find_dialect knows the five dialects by name", "[dialect]") {
  const Dialect* postgres = find_dialect("postgresql");
  REQUIRE(postgres != nullptr);
  CHECK(postgres->name() == "postgresql");
  CHECK(postgres->engine() == migpkg::ir::Engine::PostgreSQL);
  CHECK(postgres == &migpkg::postgresql_dialect());
  CHECK(&migpkg::dialect_for(migpkg::ir::Engine::PostgreSQL) == postgres);

  const Dialect* sqlite = find_dialect("sqlite");
  REQUIRE(sqlite != nullptr);
  CHECK(sqlite->name() == "sqlite");
  CHECK(sqlite->engine() == migpkg::ir::Engine::SQLite);
  CHECK(&migpkg::dialect_for(migpkg::ir::Engine::SQLite) == sqlite);

  for (migpkg::ir::Engine engine : migpkg::ir::kAllEngines) {
    CHECK(migpkg::dialect_for(engine).engine() == engine);
    CHECK(migpkg::dialect_for(engine).name() == migpkg::ir::engine_name(engine));
  }
  for (const auto& name : migpkg::dialect_names())
    CHECK(migpkg::ir::engine_name(find_dialect(name)->engine()) == name);
  CHECK(find_dialect("mysql")->spec().identifier_open == '`');
  CHECK(find_dialect("sqlserver")->spec().identifier_open == '[');
  CHECK_FALSE(find_dialect("oracle")->spec().transactional_ddl);
  CHECK(migpkg::dialect_names().size() == 5);
  CHECK(find_dialect("sybase") == nullptr);
  CHECK(find_dialect("") == nullptr);
  CHECK(find_dialect("PostgreSQL") == nullptr);  // names are exact
  CHECK(find_dialect("postgres") == nullptr);

  for (const auto& name : migpkg::dialect_names()) {
    INFO(name);
    const Dialect* d = find_dialect(name);
    REQUIRE(d != nullptr);
    CHECK(d->name() == name);
  }
}

TEST_CASE("quote_identifier doubles embedded quotes", "[dialect]") {
  for (const Dialect* d : {&pg(), &lite()}) {
    INFO(d->name());
    CHECK(d->quote_identifier("users") == "\"users\"");
    CHECK(d->quote_identifier("a\"b") == "\"a\"\"b\"");
    CHECK(d->quote_identifier("\"") == "\"\"\"\"");
    CHECK(d->quote_identifier("") == "\"\"");
    CHECK(d->quote_identifier("with space") == "\"with space\"");
    CHECK(d->quote_identifier("it's") == "\"it's\"");
    // A dot is part of the name here; quote_qualified is the one that splits.
    CHECK(d->quote_identifier("a.b") == "\"a.b\"");
  }
}

TEST_CASE("quote_qualified quotes each dotted part", "[dialect]") {
  for (const Dialect* d : {&pg(), &lite()}) {
    INFO(d->name());
    CHECK(d->quote_qualified("users") == "\"users\"");
    CHECK(d->quote_qualified("crm.users") == "\"crm\".\"users\"");
    CHECK(d->quote_qualified("db.crm.users") == "\"db\".\"crm\".\"users\"");
    CHECK(d->quote_qualified("cr\"m.us\"ers") == "\"cr\"\"m\".\"us\"\"ers\"");
  }
}

TEST_CASE("string_literal doubles single quotes", "[dialect]") {
  for (const Dialect* d : {&pg(), &lite()}) {
    INFO(d->name());
    CHECK(d->string_literal("O'Brien") == "'O''Brien'");
    CHECK(d->string_literal("") == "''");
    CHECK(d->string_literal("'") == "''''");
    CHECK(d->string_literal("''") == "''''''");
    CHECK(d->string_literal("plain") == "'plain'");
    CHECK(d->string_literal("semi;colon \"dq\"") == "'semi;colon \"dq\"'");
  }
}

TEST_CASE("quoting escapes what each dialect escapes, wherever it is", "[dialect]") {
  const Dialect& mysql = *find_dialect("mysql");
  const Dialect& sqlserver = *find_dialect("sqlserver");
  CHECK(mysql.quote_identifier("a`b``") == "`a``b`````");
  CHECK(mysql.quote_identifier("say \"hi\"") == "`say \"hi\"`");
  CHECK(sqlserver.quote_identifier("[a]]b]") == "[[a]]]]b]]]");
  CHECK(sqlserver.quote_qualified("dbo.x]y") == "[dbo].[x]]y]");
  // MySQL: a backslash escapes inside a literal, so it is doubled too; elsewhere it is not.
  CHECK(mysql.string_literal("a\\b'c\\") == "'a\\\\b''c\\\\'");
  CHECK(mysql.string_literal(std::string("nul\0'", 5)) == std::string("'nul\0'''", 8));
  CHECK(pg().string_literal("a\\b") == "'a\\b'");
  CHECK(sqlserver.string_literal("it's") == "N'it''s'");
  CHECK(sqlserver.string_literal("") == "N''");
}

TEST_CASE("literal spells each kind of value per dialect", "[dialect]") {
  CHECK(pg().literal(null_literal()) == "NULL");
  CHECK(lite().literal(null_literal()) == "NULL");

  CHECK(pg().literal(boolean(true)) == "TRUE");
  CHECK(pg().literal(boolean(false)) == "FALSE");
  CHECK(lite().literal(boolean(true)) == "1");
  CHECK(lite().literal(boolean(false)) == "0");

  for (const Dialect* d : {&pg(), &lite()}) {
    INFO(d->name());
    CHECK(d->literal(integer(42)) == "42");
    CHECK(d->literal(integer(-7)) == "-7");
    CHECK(d->literal(integer(0)) == "0");
    CHECK(d->literal(real(1.5, "1.5")) == "1.5");
    CHECK(d->literal(real(-0.25, "-0.25")) == "-0.25");
    CHECK(d->literal(real(1e100, "1e+100")) == "1e+100");
    CHECK(d->literal(string("O'Brien")) == "'O''Brien'");
    CHECK(d->literal(string("")) == "''");
    // A string that looks like a number stays a string.
    CHECK(d->literal(string("42")) == "'42'");
  }
}

TEST_CASE("every built-in function has a spelling in every dialect", "[dialect]") {
  REQUIRE_FALSE(migpkg::builtin_functions().empty());
  for (const std::string& name : migpkg::dialect_names()) {
    const Dialect* d = find_dialect(name);
    REQUIRE(d != nullptr);
    for (const auto& f : migpkg::builtin_functions()) {
      INFO(name << ": " << f.name);
      // The catalog's own parameter check accepts the parameters we pass.
      auto parameters = parameters_for(f);
      CHECK(migpkg::check_parameters(f, parameters).empty());
      std::string sql = d->call_function(f.name, "\"col\"", parameters);
      CHECK_FALSE(sql.empty());
      CHECK(sql.find("\"col\"") != std::string::npos);  // the value is used
      // No placeholder or optional marker is left unexpanded.
      CHECK(sql.find('{') == std::string::npos);
      CHECK(sql.find('}') == std::string::npos);
      CHECK(sql.find('[') == std::string::npos);
      CHECK(sql.find(']') == std::string::npos);
      // Every parameter appears in the SQL.
      for (const auto& p : parameters) CHECK(sql.find(d->literal(p)) != std::string::npos);
      // With the fewest parameters allowed, it still has a spelling.
      std::vector<Literal> fewest(parameters.begin(), parameters.begin() + f.min_parameters);
      CHECK_FALSE(d->call_function(f.name, "\"col\"", fewest).empty());
    }
    // Nothing is spelled that the catalog does not know.
    for (const auto& entry : d->spec().functions) {
      INFO(name << " spells unknown function " << entry.first);
      CHECK(migpkg::find_function(entry.first) != nullptr);
    }
  }
}

TEST_CASE("call_function returns empty for an unknown function", "[dialect]") {
  CHECK(pg().call_function("no_such_function", "x", {}).empty());
  CHECK(lite().call_function("no_such_function", "x", {}).empty());
  CHECK(pg().call_function("UPPER", "x", {}).empty());  // names are lower case
}

TEST_CASE("call_function spells simple functions", "[dialect]") {
  CHECK(pg().call_function("upper", "\"name\"", {}) == "UPPER(\"name\")");
  CHECK(lite().call_function("upper", "\"name\"", {}) == "UPPER(\"name\")");
  CHECK(pg().call_function("length", "\"name\"", {}) == "CHAR_LENGTH(\"name\")");
  CHECK(lite().call_function("length", "\"name\"", {}) == "LENGTH(\"name\")");
  CHECK(pg().call_function("to_integer", "x", {}) == "CAST(x AS BIGINT)");
  CHECK(lite().call_function("to_integer", "x", {}) == "CAST(x AS INTEGER)");
  CHECK(pg().call_function("replace", "x", {string("a'b"), string("c")}) ==
        "REPLACE(x, 'a''b', 'c')");
  CHECK(lite().call_function("coalesce", "x", {integer(0)}) == "COALESCE(x, 0)");
  CHECK(lite().call_function("coalesce", "x", {boolean(true)}) == "COALESCE(x, 1)");
  CHECK(pg().call_function("coalesce", "x", {boolean(true)}) == "COALESCE(x, TRUE)");
  CHECK(pg().call_function("nullif", "x", {string("")}) == "NULLIF(x, '')");
  // The value may appear more than once.
  std::string sqlite_bool = lite().call_function("to_boolean", "v", {});
  CHECK(sqlite_bool.find("WHEN v IS NULL") != std::string::npos);
  CHECK(sqlite_bool.find("CAST(v AS TEXT)") != std::string::npos);
}

TEST_CASE("call_function keeps an optional segment only when its parameter is given", "[dialect]") {
  SECTION("round with and without digits") {
    CHECK(pg().call_function("round", "x", {}) == "ROUND(CAST(x AS NUMERIC))");
    CHECK(pg().call_function("round", "x", {integer(2)}) == "ROUND(CAST(x AS NUMERIC), 2)");
    CHECK(lite().call_function("round", "x", {}) == "ROUND(x)");
    CHECK(lite().call_function("round", "x", {integer(2)}) == "ROUND(x, 2)");
  }
  SECTION("substring with start, and with start and length") {
    CHECK(pg().call_function("substring", "x", {integer(3)}) ==
          "SUBSTRING(CAST(x AS TEXT) FROM 3)");
    CHECK(pg().call_function("substring", "x", {integer(3), integer(4)}) ==
          "SUBSTRING(CAST(x AS TEXT) FROM 3 FOR 4)");
    CHECK(lite().call_function("substring", "x", {integer(3)}) == "SUBSTR(x, 3)");
    CHECK(lite().call_function("substring", "x", {integer(3), integer(4)}) == "SUBSTR(x, 3, 4)");
  }
}

TEST_CASE("call_function concatenates every concat parameter", "[dialect]") {
  CHECK(pg().call_function("concat", "x", {string("-")}) == "(CAST(x AS TEXT) || '-')");
  CHECK(pg().call_function("concat", "x", {string(" "), string("O'Brien"), integer(7)}) ==
        "(CAST(x AS TEXT) || ' ' || 'O''Brien' || 7)");
  CHECK(lite().call_function("concat", "x", {string("a"), string("b"), string("c"), string("d")}) ==
        "(CAST(x AS TEXT) || 'a' || 'b' || 'c' || 'd')");
}

TEST_CASE("a dialect splits scripts with its own options", "[dialect]") {
  using Statements = std::vector<std::string>;
  CHECK(pg().split("SELECT $$a;b$$; SELECT 2") == Statements{"SELECT $$a;b$$", "SELECT 2"});
  CHECK(lite().split("SELECT [a;b]; SELECT 2") == Statements{"SELECT [a;b]", "SELECT 2"});
  CHECK(lite().split("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END; SELECT 2") ==
        Statements{"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END", "SELECT 2"});
}

TEST_CASE("identifiers and literals are escaped per dialect", "[dialect]") {
  CHECK(find_dialect("mysql")->quote_identifier("or`der") == "`or``der`");
  CHECK(find_dialect("sqlserver")->quote_identifier("or]der") == "[or]]der]");
  CHECK(find_dialect("oracle")->quote_identifier("or\"der") == "\"or\"\"der\"");
  CHECK(find_dialect("mysql")->string_literal("it's \\") == "'it''s \\\\'");
  CHECK(find_dialect("postgresql")->string_literal("it's \\") == "'it''s \\'");
  CHECK(find_dialect("sqlserver")->string_literal("it's") == "N'it''s'");
}

TEST_CASE("generated checks and table aliases are spelled as each dialect accepts them",
          "[dialect]") {
  // A boolean in a select list: PostgreSQL, SQLite and MySQL; SQL Server and Oracle need CASE.
  CHECK(find_dialect("postgresql")->check_select("COUNT(*) = 0", "t") ==
        "SELECT COUNT(*) = 0 FROM t");
  CHECK(find_dialect("mysql")->check_select("COUNT(*) = 0", "t") == "SELECT COUNT(*) = 0 FROM t");
  CHECK(find_dialect("sqlserver")->check_select("COUNT(*) = 0", "t") ==
        "SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM t");
  CHECK(find_dialect("oracle")->check_select("COUNT(*) = 0", "t") ==
        "SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM t");
  // Without a table: Oracle selects from DUAL.
  CHECK(find_dialect("oracle")->check_select("1 = 1", "") ==
        "SELECT CASE WHEN 1 = 1 THEN 1 ELSE 0 END FROM DUAL");
  CHECK(find_dialect("sqlite")->check_select("1 = 1", "") == "SELECT 1 = 1");
  CHECK(find_dialect("sqlite")->false_or_null("a > 0") == "NOT COALESCE((a > 0), 0)");
  CHECK(find_dialect("postgresql")->false_or_null("a > 0") == "NOT COALESCE((a > 0), FALSE)");
  CHECK(find_dialect("oracle")->false_or_null("a > 0") ==
        "CASE WHEN (a > 0) THEN 0 ELSE 1 END = 1");
  CHECK(find_dialect("postgresql")->table_alias("m") == " AS \"m\"");
  CHECK(find_dialect("sqlserver")->table_alias("m") == " AS [m]");
  CHECK(find_dialect("oracle")->table_alias("m") == " \"m\"");
}
