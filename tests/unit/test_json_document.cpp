#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <utility>

#include "compiler/json/json_document.hpp"
#include "compiler/util/utf8.hpp"
#include "unit/test_support.hpp"

using migpkg::Diagnostic;
using migpkg::Diagnostics;
using migpkg::JsonLimits;
using migpkg::line_column_at;
using migpkg::parse_json_text;
using migpkg::read_json_file;

namespace {

// Parses `text` expecting exactly one error, and returns it.
Diagnostic only_error(const std::string& text, const JsonLimits& limits = {}) {
  Diagnostics diagnostics;
  auto parsed = parse_json_text(text, "doc.json", diagnostics, limits);
  CHECK_FALSE(parsed);
  REQUIRE(diagnostics.items().size() == 1);
  CHECK(diagnostics.error_count() == 1);
  const Diagnostic& d = diagnostics.items().front();
  CHECK(d.location.file == "doc.json");
  CHECK_FALSE(d.message.empty());
  return d;
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("parse_json_text parses valid JSON without diagnostics", "[json]") {
  Diagnostics diagnostics;
  const std::string text = R"({
    "format": "portable-migration-v1",
    "migration": {"steps": {"up": [{"id": "a", "n": 1, "x": 1.5, "ok": true, "none": null},
                                   {"id": "b", "big": 18446744073709551615, "neg": -3}]}},
    "unicode": "caf\u00e9 \u20ac \ud83d\ude00",
    "raw": "café € 😀"
  })";
  auto parsed = parse_json_text(text, "doc.json", diagnostics);
  REQUIRE(parsed);
  CHECK(diagnostics.empty());
  const auto& up = (*parsed)["migration"]["steps"]["up"];
  REQUIRE(up.size() == 2);
  CHECK(up[0]["id"] == "a");
  CHECK(up[0]["n"] == 1);
  CHECK(up[0]["x"] == 1.5);
  CHECK(up[0]["ok"] == true);
  CHECK(up[0]["none"].is_null());
  CHECK(up[1]["big"].get<std::uint64_t>() == 18446744073709551615ull);
  CHECK(up[1]["neg"] == -3);
  CHECK((*parsed)["unicode"] == (*parsed)["raw"]);

  // Scalars and empty containers at the top level.
  for (const std::string scalar : {"1", "\"s\"", "null", "true", "[]", "{}", "  [ ]  \n"}) {
    Diagnostics d;
    INFO(scalar);
    CHECK(parse_json_text(scalar, "doc.json", d));
    CHECK(d.empty());
  }
  // The same key in different objects is not a duplicate.
  Diagnostics d;
  auto siblings = parse_json_text(R"([{"a": 1}, {"a": 2}, {"b": {"a": 3}, "a": 4}])", "f", d);
  REQUIRE(siblings);
  CHECK(d.empty());
  CHECK((*siblings)[2]["a"] == 4);
  CHECK((*siblings)[2]["b"]["a"] == 3);
}

TEST_CASE("parse_json_text accepts every valid UTF-8 boundary", "[json]") {
  for (const std::string text : {
           "\"\xC2\x80\"",          // U+0080, smallest 2-byte
           "\"\xDF\xBF\"",          // U+07FF
           "\"\xE0\xA0\x80\"",      // U+0800, smallest 3-byte
           "\"\xED\x9F\xBF\"",      // U+D7FF, just below the surrogates
           "\"\xEE\x80\x80\"",      // U+E000, just above them
           "\"\xEF\xBF\xBF\"",      // U+FFFF
           "\"\xF0\x90\x80\x80\"",  // U+10000, smallest 4-byte
           "\"\xF4\x8F\xBF\xBF\"",  // U+10FFFF, the largest code point
       }) {
    Diagnostics diagnostics;
    INFO("bytes: " << text);
    CHECK(parse_json_text(text, "doc.json", diagnostics));
    CHECK(diagnostics.empty());
  }
}

TEST_CASE("duplicate keys are an error located by JSON pointer", "[json]") {
  SECTION("inside the second element of an array") {
    Diagnostic d = only_error(
        R"({"format": "x", "migration": {"steps": {"up": [{"id": "a"}, {"id": "b", "sql": "", "id": "c"}]}}})");
    CHECK(d.code == "duplicate-key");
    CHECK(d.location.pointer == "/migration/steps/up/1/id");
    CHECK(d.message.find("\"id\"") != std::string::npos);
  }
  SECTION("at the top level") {
    Diagnostic d = only_error(R"({"a": 1, "b": 2, "a": 3})");
    CHECK(d.code == "duplicate-key");
    CHECK(d.location.pointer == "/a");
  }
  SECTION("after nested arrays and objects have closed") {
    Diagnostic d = only_error(R"({"x": [[1, {"y": 2}], [3]], "z": {"w": []}, "x": 0})");
    CHECK(d.code == "duplicate-key");
    CHECK(d.location.pointer == "/x");
  }
  SECTION("array indexes count scalar, array and object elements alike") {
    Diagnostic d = only_error(R"([1, "two", [3], {"four": 4}, null, {"k": 1, "k": 2}])");
    CHECK(d.code == "duplicate-key");
    CHECK(d.location.pointer == "/5/k");
  }
  SECTION("keys are escaped per RFC 6901") {
    Diagnostic d = only_error(R"({"a/b": {"c~d": 1, "c~d": 2}})");
    CHECK(d.code == "duplicate-key");
    CHECK(d.location.pointer == "/a~1b/c~0d");
  }
  SECTION("the empty key") {
    Diagnostic d = only_error(R"({"": 1, "": 2})");
    CHECK(d.code == "duplicate-key");
    CHECK(d.location.pointer == "/");
  }
}

TEST_CASE("nesting beyond the limit is refused without building it", "[json]") {
  SECTION("100,000 open brackets") {
    Diagnostic d = only_error(std::string(100000, '['));
    CHECK(d.code == "too-deep");
  }
  SECTION("100,000 balanced brackets") {
    Diagnostic d = only_error(repeat("[", 100000) + repeat("]", 100000));
    CHECK(d.code == "too-deep");
  }
  SECTION("100,000 nested objects") {
    Diagnostic d = only_error(repeat("{\"a\":", 100000) + "1" + repeat("}", 100000));
    CHECK(d.code == "too-deep");
  }
  SECTION("the default limit: 64 levels pass, 65 do not") {
    Diagnostics ok;
    CHECK(parse_json_text(repeat("[", 64) + repeat("]", 64), "doc.json", ok));
    CHECK(ok.empty());
    Diagnostic d = only_error(repeat("[", 65) + repeat("]", 65));
    CHECK(d.code == "too-deep");
    CHECK(d.location.pointer == repeat("/0", 64));
  }
  SECTION("a custom limit, located by pointer") {
    JsonLimits limits;
    limits.max_depth = 3;
    Diagnostics ok;
    CHECK(parse_json_text(R"({"a": [{"b": 1}]})", "doc.json", ok, limits));
    CHECK(ok.empty());
    Diagnostic d = only_error(R"({"a": [1, {"b": {"c": 1}}]})", limits);
    CHECK(d.code == "too-deep");
    CHECK(d.location.pointer == "/a/1/b");
  }
}

TEST_CASE("invalid UTF-8 is reported at its line and byte column", "[json]") {
  struct Case {
    const char* what;
    std::string text;
    int line, column;
  };
  for (const Case& c : {
           Case{"0xFF", "{\"name\": \"\xFF\"}", 1, 11},
           Case{"overlong NUL", "{\n  \"k\": \"\xC0\x80\"\n}", 2, 9},
           Case{"overlong 2-byte lead 0xC1", "\"\xC1\xBF\"", 1, 2},
           Case{"overlong 3-byte", "\"\xE0\x80\x80\"", 1, 2},
           Case{"overlong 4-byte", "\"\xF0\x80\x80\x80\"", 1, 2},
           Case{"surrogate U+D800", "[\n\"ok\",\n  \"\xED\xA0\x80\"]", 3, 4},
           Case{"surrogate U+DFFF", "\"\xED\xBF\xBF\"", 1, 2},
           Case{"above U+10FFFF", "\"\xF4\x90\x80\x80\"", 1, 2},
           Case{"lead byte 0xF5", "\"\xF5\x80\x80\x80\"", 1, 2},
           Case{"lone continuation byte", "\"ab\x80\"", 1, 4},
           Case{"bad continuation",
                "\"\xE2\x82"
                "A\"",
                1, 2},
           Case{"truncated at the end", "\"\xE2\x82", 1, 2},
           Case{"truncated 4-byte at the end", "[1,\n\"\xF0\x9F\x98", 2, 2},
           Case{"2-byte lead at the very end", "\"x\xC3", 1, 3},
           Case{"after valid multi-byte text", "\"\xC3\xA9\xE2\x82\xAC\xFF\"", 1, 7},
           Case{"outside strings", "[1, \xFF]", 1, 5},
       }) {
    INFO(c.what);
    Diagnostic d = only_error(c.text);
    CHECK(d.code == "invalid-utf8");
    CHECK(d.location.line == c.line);
    CHECK(d.location.column == c.column);
  }
}

TEST_CASE("syntax errors are reported as invalid-json at their line and column", "[json]") {
  SECTION("a document truncated inside an array: the position just past the end") {
    Diagnostic d = only_error("{\"a\": [1, 2");
    CHECK(d.code == "invalid-json");
    CHECK(d.location.line == 1);
    CHECK(d.location.column == 12);
    CHECK(d.message.rfind("invalid JSON: ", 0) == 0);
    CHECK(d.message.find("[json.exception") == std::string::npos);
  }
  SECTION("truncated on a later line") {
    Diagnostic d = only_error("{\n  \"a\": [1,\n    2");
    CHECK(d.code == "invalid-json");
    CHECK(d.location.line == 3);
    CHECK(d.location.column == 6);
  }
  SECTION("truncated after a newline") {
    Diagnostic d = only_error("{\n  \"a\": 1,\n");
    CHECK(d.code == "invalid-json");
    CHECK(d.location.line == 3);
    CHECK(d.location.column == 1);
  }
  SECTION("truncated inside a string") {
    Diagnostic d = only_error("{\"a\": \"abc");
    CHECK(d.code == "invalid-json");
    CHECK(d.location.line == 1);
    CHECK(d.location.column == 11);
  }
  SECTION("an empty document") {
    Diagnostic d = only_error("");
    CHECK(d.code == "invalid-json");
    CHECK(d.location.line == 1);
    CHECK(d.location.column == 1);
  }
  SECTION("an unexpected character is located at that character") {
    Diagnostic d = only_error("{\n  \"a\": 1,\n  \"b\": x\n}");
    CHECK(d.code == "invalid-json");
    CHECK(d.location.line == 3);
    CHECK(d.location.column == 8);
  }
  SECTION("a trailing comma") {
    Diagnostic d = only_error("[1, 2,]");
    CHECK(d.code == "invalid-json");
    CHECK(d.location.line == 1);
    CHECK(d.location.column == 7);
  }
  SECTION("text after the document") {
    Diagnostic d = only_error("{} {}");
    CHECK(d.code == "invalid-json");
    CHECK(d.location.line == 1);
    CHECK(d.location.column == 4);
  }
}

TEST_CASE("text larger than max_bytes is refused before parsing", "[json]") {
  JsonLimits limits;
  limits.max_bytes = 10;
  Diagnostics ok;
  CHECK(parse_json_text("[1,2,3,45]", "doc.json", ok, limits));  // exactly 10 bytes
  CHECK(ok.empty());
  // 11 bytes, and invalid too: the size is what gets reported.
  Diagnostic d = only_error("[1,2,3,4567", limits);
  CHECK(d.code == "file-too-large");
  CHECK(d.message.find("11") != std::string::npos);
  CHECK(d.message.find("10") != std::string::npos);
}

TEST_CASE("read_json_file reads, limits and reports unreadable files", "[json]") {
  const std::string dir = migpkg::test::make_temp_dir();
  const std::string good = dir + "/good.json";
  migpkg::test::write_file(good, "{\"a\": [1, 2, 3]}");

  SECTION("a valid file") {
    Diagnostics diagnostics;
    auto parsed = read_json_file(good, diagnostics);
    REQUIRE(parsed);
    CHECK(diagnostics.empty());
    CHECK((*parsed)["a"].size() == 3);
  }
  SECTION("a missing file") {
    Diagnostics diagnostics;
    const std::string missing = dir + "/missing.json";
    CHECK_FALSE(read_json_file(missing, diagnostics));
    REQUIRE(diagnostics.items().size() == 1);
    CHECK(diagnostics.items()[0].code == "cannot-read");
    CHECK(diagnostics.items()[0].location.file == missing);
  }
  SECTION("a directory") {
    Diagnostics diagnostics;
    CHECK_FALSE(read_json_file(dir, diagnostics));
    REQUIRE(diagnostics.items().size() == 1);
    CHECK(diagnostics.items()[0].code == "cannot-read");
  }
  SECTION("a file over the limit") {
    JsonLimits limits;
    limits.max_bytes = 8;
    Diagnostics diagnostics;
    CHECK_FALSE(read_json_file(good, diagnostics, limits));
    REQUIRE(diagnostics.items().size() == 1);
    CHECK(diagnostics.items()[0].code == "file-too-large");
    CHECK(diagnostics.items()[0].location.file == good);
  }
  SECTION("errors inside the file name the file") {
    const std::string bad = dir + "/bad.json";
    migpkg::test::write_file(bad, "{\"a\": 1, \"a\": 2}");
    Diagnostics diagnostics;
    CHECK_FALSE(read_json_file(bad, diagnostics));
    REQUIRE(diagnostics.items().size() == 1);
    CHECK(diagnostics.items()[0].code == "duplicate-key");
    CHECK(diagnostics.items()[0].location.file == bad);
    CHECK(diagnostics.items()[0].location.pointer == "/a");
  }
}

TEST_CASE("line_column_at turns a byte offset into a 1-based line and column", "[json]") {
  const std::string text = "ab\ncd\n\nxyz";
  CHECK(line_column_at(text, 0) == std::make_pair(1, 1));
  CHECK(line_column_at(text, 1) == std::make_pair(1, 2));
  CHECK(line_column_at(text, 2) == std::make_pair(1, 3));  // the newline itself
  CHECK(line_column_at(text, 3) == std::make_pair(2, 1));
  CHECK(line_column_at(text, 4) == std::make_pair(2, 2));
  CHECK(line_column_at(text, 6) == std::make_pair(3, 1));
  CHECK(line_column_at(text, 7) == std::make_pair(4, 1));
  CHECK(line_column_at(text, 9) == std::make_pair(4, 3));
  CHECK(line_column_at(text, 10) == std::make_pair(4, 4));    // just past the end
  CHECK(line_column_at(text, 1000) == std::make_pair(4, 4));  // clamped to the end
  CHECK(line_column_at("", 0) == std::make_pair(1, 1));
  // Columns count bytes: é is two.
  CHECK(line_column_at("\xC3\xA9x", 2) == std::make_pair(1, 3));
}

TEST_CASE("first_invalid_utf8 finds the first bad byte wherever it is", "[json]") {
  // Around and across the eight-byte steps of the ASCII fast path.
  for (std::size_t length : {0, 1, 7, 8, 9, 15, 16, 17, 40}) {
    std::string ascii(length, 'a');
    CHECK(migpkg::first_invalid_utf8(ascii) == std::string::npos);
    for (std::size_t at = 0; at <= length; ++at) {
      INFO("length " << length << ", at " << at);
      std::string bad = ascii;
      bad.insert(at, "\xff");
      CHECK(migpkg::first_invalid_utf8(bad) == at);
      std::string good = ascii;
      good.insert(at, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");  // é € 😀
      CHECK(migpkg::first_invalid_utf8(good) == std::string::npos);
      std::string cut = ascii;
      cut.insert(at, "\xe2\x82");  // € without its last byte
      std::size_t found = migpkg::first_invalid_utf8(cut);
      CHECK(found == at);
    }
  }
}
