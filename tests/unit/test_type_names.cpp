// Portable type names: parsing, canonical spelling, precise errors with hints.
#include <catch2/catch.hpp>

#include "compiler/schema/type_names.hpp"

using migpkg::ir::ColumnType;
using migpkg::schema::parse_type_name;
using migpkg::schema::type_name;
using migpkg::schema::TypeNameError;

namespace {
std::string canonical(const std::string& text) {
  TypeNameError error;
  auto type = parse_type_name(text, &error);
  INFO(text << ": " << error.message);
  REQUIRE(type);
  return type_name(*type);
}

TypeNameError failure(const std::string& text) {
  TypeNameError error;
  CHECK_FALSE(parse_type_name(text, &error));
  return error;
}
}  // namespace

TEST_CASE("every portable type parses and prints canonically", "[types]") {
  for (const char* name :
       {"bool",          "int16",     "int32",        "int64",       "serial",      "bigserial",
        "float32",       "float64",   "text",         "bytes",       "uuid",        "json",
        "date",          "time",      "timestamp",    "timestamptz", "string(255)", "char(2)",
        "decimal(10,2)", "vector(3)", "enum('a','b')"})
    CHECK(canonical(name) == name);
}

TEST_CASE("type names are case-insensitive and spacing-tolerant", "[types]") {
  CHECK(canonical("INT64") == "int64");
  CHECK(canonical(" String ( 20 ) ") == "string(20)");
  CHECK(canonical("Decimal(12, 4)") == "decimal(12,4)");
  CHECK(canonical("decimal(5)") == "decimal(5,0)");
  CHECK(canonical("identity") == "bigserial");
  CHECK(canonical("enum( 'it''s' , 'b' )") == "enum('it''s','b')");
}

TEST_CASE("parsed types carry their arguments", "[types]") {
  auto d = parse_type_name("decimal(10,2)");
  REQUIRE(d);
  CHECK(d->kind == ColumnType::Kind::Decimal);
  CHECK(*d->precision == 10);
  CHECK(*d->scale == 2);
  auto e = parse_type_name("enum('x','it''s')");
  REQUIRE(e);
  CHECK(e->values == std::vector<std::string>{"x", "it's"});
  auto v = parse_type_name("vector(1536)");
  REQUIRE(v);
  CHECK(v->kind == ColumnType::Kind::Vector);
  CHECK(*v->length == 1536);
}

TEST_CASE("bad type names get precise errors", "[types]") {
  auto unknown = failure("timestamptzz");
  CHECK(unknown.message == "unknown type \"timestamptzz\"");
  CHECK(unknown.hint == "did you mean `timestamptz`?");
  CHECK(failure("strin(3)").hint == "did you mean `string`?");
  CHECK(failure("string").message == "type \"string\" needs a length: string(n)");
  CHECK(failure("string(0)").message == "the length of string must be between 1 and 2147483647");
  CHECK(failure("int64(3)").message == "type \"int64\" takes no arguments");
  CHECK(failure("decimal(3,4)").message ==
        "the scale of decimal must be between 0 and the precision (3)");
  CHECK(failure("decimal(39,2)").message == "the precision of decimal must be between 1 and 38");
  CHECK(failure("vector(16001)").message ==
        "the dimension count of vector must be between 1 and 16000");
  CHECK(failure("enum('a','a')").message == "enum value 'a' is listed twice");
  CHECK(failure("enum(a)").message == "expected a quoted enum value like 'active'");
  CHECK(failure("enum('a").message == "unterminated enum value: a closing ' is missing");
  CHECK(failure("string(10").message == "expected ')' at the end of the type");
  auto trailing = failure("text x");
  CHECK(trailing.message == "unexpected \"x\" after the type");
  CHECK(trailing.offset == 5);
  CHECK(failure("").message == "expected a type name");
  CHECK(failure("string(99999999999999999999)").message == "number too large in type \"string\"");
}
