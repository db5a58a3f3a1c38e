// The tokenizer that finds column names in check, default and partial-index expressions, and
// quotes them per dialect (compiler/schema/expression_names.hpp).
#include <catch2/catch.hpp>

#include "compiler/dialects/dialect.hpp"
#include "compiler/schema/expression_names.hpp"

using namespace migpkg;
using schema::ExpressionToken;

namespace {

std::vector<ir::Column> table(std::initializer_list<const char*> names) {
  std::vector<ir::Column> out;
  for (const char* n : names) {
    ir::Column c;
    c.name = n;
    out.push_back(c);
  }
  return out;
}

const std::vector<ir::Column> kStock = table({"id", "Quantity", "unit price", "length", "note"});

// The expression for a dialect, or "problem: <message>".
std::string quoted(const std::string& text, const std::string& dialect,
                   const std::vector<ir::Column>* columns = &kStock) {
  const Dialect& d = *find_dialect(dialect);
  auto out = schema::quote_expression_columns(
      text, columns, [&](std::string& s, const std::string& name) { d.append_identifier(s, name); },
      [&](const std::string& value) { return d.string_literal(value); });
  return out.problem ? "problem: " + out.problem->message : out.text;
}

std::optional<schema::ExpressionProblem> problem(const std::string& text,
                                                 const std::vector<ir::Column>* columns = &kStock) {
  return schema::expression_problem(text, columns);
}

}  // namespace

TEST_CASE("column names are quoted the way each dialect quotes", "[expression]") {
  CHECK(quoted("Quantity >= 0", "postgresql") == "\"Quantity\" >= 0");
  CHECK(quoted("Quantity >= 0", "sqlite") == "\"Quantity\" >= 0");
  CHECK(quoted("Quantity >= 0", "mysql") == "`Quantity` >= 0");
  CHECK(quoted("Quantity >= 0", "sqlserver") == "[Quantity] >= 0");
  CHECK(quoted("Quantity >= 0", "oracle") == "\"Quantity\" >= 0");
  // Bare words match case-insensitively and are written with the column's exact name; quoted
  // names only match exactly.
  CHECK(quoted("quantity > 0 AND QUANTITY < 10", "mysql") == "`Quantity` > 0 AND `Quantity` < 10");
  CHECK(quoted("\"Quantity\" > 0", "mysql") == "`Quantity` > 0");
  CHECK(quoted("\"unit price\" > 0", "sqlserver") == "[unit price] > 0");
  CHECK(quoted("\"Quantity\">0", "mysql") == "`Quantity`>0");
}

TEST_CASE("strings, numbers, comments, keywords and functions are kept", "[expression]") {
  // A string holding a column's name and quotes stays a string.
  CHECK(quoted("note <> 'Quantity \"x\" it''s'", "mysql") == "`note` <> 'Quantity \"x\" it''s'");
  // A function named like a column is a function: `length(` is a call, `length` alone the column.
  CHECK(quoted("length(note) < length", "mysql") == "length(`note`) < `length`");
  CHECK(quoted("length (note) > 0", "sqlserver") == "length ([note]) > 0");
  // Keywords, numbers with exponents and signs, and comments are kept byte for byte.
  CHECK(quoted("Quantity IS NOT NULL AND Quantity BETWEEN 1.5e-3 AND 10 -- Quantity\n",
               "postgresql") ==
        "\"Quantity\" IS NOT NULL AND \"Quantity\" BETWEEN 1.5e-3 AND 10 -- Quantity\n");
  CHECK(quoted("/* Quantity */ Quantity > 0x1F", "mysql") == "/* Quantity */ `Quantity` > 0x1F");
  // Prefixed and typed literals: N'..', DATE '...'.
  CHECK(quoted("note <> N'x' AND id > 0", "sqlserver") == "[note] <> N'x' AND [id] > 0");
  // Type names after AS and ::, collations, qualifiers are not columns.
  CHECK(quoted("CAST(Quantity AS note) > 0", "mysql") == "CAST(`Quantity` AS note) > 0");
  CHECK(quoted("Quantity::length > 0", "postgresql") == "\"Quantity\"::length > 0");
  CHECK(quoted("note COLLATE \"C\" > 'a'", "postgresql") == "\"note\" COLLATE \"C\" > 'a'");
  // A word that is not a column is left alone (the engine reports it).
  CHECK(quoted("Quantity > other", "mysql") == "`Quantity` > other");
  // The empty expression and one without names.
  CHECK(quoted("", "mysql").empty());
  CHECK(quoted("1 = 1", "sqlserver") == "1 = 1");
}

TEST_CASE("a string with a backslash is spelled as the dialect reads it", "[expression]") {
  // MySQL reads \ in a string as an escape: the same text must be written with \\ there.
  CHECK(quoted("note <> 'a\\b'", "mysql") == "`note` <> 'a\\\\b'");
  CHECK(quoted("note <> 'a\\b'", "postgresql") == "\"note\" <> 'a\\b'");
  CHECK(quoted("note <> 'it''s'", "mysql") == "`note` <> 'it''s'");
}

TEST_CASE("names of a table the compiler does not know", "[expression]") {
  // Bare words cannot be checked: they stay; a quoted name is surely a name and is re-quoted.
  CHECK(quoted("Quantity > 0 AND \"Price\" > 0", "mysql", nullptr) ==
        "Quantity > 0 AND `Price` > 0");
  CHECK_FALSE(problem("\"Anything\" > 0", nullptr));
}

TEST_CASE("what the tokenizer cannot read is a problem with its position", "[expression]") {
  auto unterminated = problem("note = 'abc");
  REQUIRE(unterminated);
  CHECK(unterminated->offset == 7);
  CHECK(unterminated->message.find("unterminated string") != std::string::npos);
  CHECK(problem("\"Quantity > 0")->message.find("unterminated quoted name") != std::string::npos);
  CHECK(problem("Quantity > 0 /* x")->message.find("unterminated comment") != std::string::npos);
  auto backtick = problem("`Quantity` > 0");
  REQUIRE(backtick);
  CHECK(backtick->message.find("MySQL's quoting") != std::string::npos);
  CHECK(problem("[Quantity] > 0")->message.find("SQL Server's quoting") != std::string::npos);
  CHECK(problem("note = $$x$$")->message.find("PostgreSQL's") != std::string::npos);
  CHECK(problem("note = $t$x$t$"));
  CHECK(problem("\"\" > 0"));
  // Subscripts are not quoting; a string may hold anything.
  CHECK_FALSE(problem("note[1] = 'a' AND ARRAY[1, 2] = note"));
  CHECK_FALSE(problem("note = '[x] `y` \"z\" $$'"));
  CHECK(schema::expression_position("é = 'x", 5) == "at character 5 of the expression");
}

TEST_CASE("a quoted name that is no column is a problem", "[expression]") {
  auto p = problem("\"quantity\" > 0");
  REQUIRE(p);
  CHECK(p->message == "\"quantity\" names no column of the table");
  CHECK(p->hint == "did you mean \"Quantity\"?");
  // A string written in double quotes (MySQL's habit) is told apart from a name.
  auto s = problem("note = \"active\"");
  REQUIRE(s);
  CHECK(s->hint.find("single quotes") != std::string::npos);
  CHECK(quoted("\"quantity\" > 0", "mysql") ==
        "problem: \"quantity\" names no column of the table");
}

TEST_CASE("a bare word matching two columns but for case is a problem", "[expression]") {
  auto columns = table({"qty", "Qty"});
  CHECK(quoted("qty > 0 AND \"Qty\" > 0", "mysql", &columns) == "`qty` > 0 AND `Qty` > 0");
  auto p = problem("QTY > 0", &columns);
  REQUIRE(p);
  CHECK(p->message.find("differ only in case") != std::string::npos);
}

TEST_CASE("renaming a column rewrites its references and nothing else", "[expression]") {
  CHECK(schema::rename_expression_column("Quantity >= 0 AND quantity < length(note)", kStock,
                                         "Quantity", "On Hand") ==
        "\"On Hand\" >= 0 AND \"On Hand\" < length(note)");
  CHECK(schema::rename_expression_column("\"Quantity\" > 0 -- Quantity\n AND note <> 'Quantity'",
                                         kStock, "Quantity", "qty") ==
        "\"qty\" > 0 -- Quantity\n AND note <> 'Quantity'");
  CHECK(schema::rename_expression_column("length > 0 AND length(note) > 0", kStock, "length",
                                         "size") == "\"size\" > 0 AND length(note) > 0");
  // Unreadable: kept as it is (the replay reported it).
  CHECK(schema::rename_expression_column("'x", kStock, "note", "n") == "'x");
}

TEST_CASE("every token covers the text, in order", "[expression]") {
  std::string text = "a.\"B\" + N'c''d' -- e\n/* f */ 1.5e+3 >= y[1]";
  auto lexed = schema::lex_expression("ARRAY" + text);
  REQUIRE_FALSE(lexed.problem);
  std::size_t at = 0;
  for (const auto& t : lexed.tokens) {
    CHECK(t.begin == at);
    CHECK(t.end > t.begin);
    at = t.end;
  }
  CHECK(at == text.size() + 5);
}

TEST_CASE("an expression names a column only where the quoting would see it", "[expression]") {
  CHECK(schema::expression_names_column("QUANTITY > 0", kStock, "Quantity"));
  CHECK(schema::expression_names_column("\"unit price\" > 0 OR \"Unit Price\" > 0", kStock,
                                        "unit price"));
  CHECK_FALSE(schema::expression_names_column("length(note) > 0", kStock, "length"));
  CHECK_FALSE(
      schema::expression_names_column("note <> 'Quantity' -- Quantity", kStock, "Quantity"));
  CHECK_FALSE(schema::expression_names_column("\"quantity\" > 0", kStock, "Quantity"));
}
