// The streaming JSON writer must write exactly what nlohmann's dump() writes for the same
// ordered document: checksums (sha256-v1 over compact canonical JSON) and reproducible packages
// (plans indented by 2) were defined by dump()'s bytes before the writer replaced it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "compiler/json/json_writer.hpp"

using migpkg::JsonWriter;
using ojson = nlohmann::ordered_json;

namespace {

// Writes `document` through the writer's structural calls (not value(ojson), which would test
// the writer against itself), element by element.
void write_structurally(JsonWriter& out, const ojson& d) {
  if (d.is_object()) {
    out.begin_object();
    for (auto it = d.begin(); it != d.end(); ++it) {
      out.key(it.key());
      write_structurally(out, it.value());
    }
    out.end_object();
  } else if (d.is_array()) {
    out.begin_array();
    for (const auto& element : d) write_structurally(out, element);
    out.end_array();
  } else if (d.is_string()) {
    out.value(d.get<std::string>());
  } else if (d.is_boolean()) {
    out.value(d.get<bool>());
  } else if (d.is_number_unsigned()) {
    out.value(d.get<std::uint64_t>());
  } else if (d.is_number_integer()) {
    out.value(d.get<std::int64_t>());
  } else if (d.is_number_float()) {
    out.value(d.get<double>());
  } else {
    out.null();
  }
}

std::string written(const ojson& d, int indent) {
  JsonWriter out(indent);
  write_structurally(out, d);
  return out.take();
}

}  // namespace

TEST_CASE("JsonWriter writes the bytes nlohmann's dump writes", "[json]") {
  std::string controls;
  for (int c = 1; c < 0x20; ++c) controls += static_cast<char>(c);
  const std::vector<ojson> documents = {
      ojson::object(),
      ojson::array(),
      ojson("plain"),
      ojson(nullptr),
      ojson{{"a", 1}, {"b", ojson::array()}, {"c", ojson::object()}, {"d", {1, 2, {3, {}}}}},
      ojson{{"quote\"key", "back\\slash \"quoted\" 'single'"},
            {"controls", controls + "\x7f"},
            {"unicode", "ünïcødé ✓ 😀 \xe2\x80\xa8"},
            {"empty", ""},
            // Long runs around every kind of byte the writer skips eight at a time.
            {"runs", std::string(100, 'a') + "\"" + std::string(13, 'b') + "é" +
                         std::string(20, 'c') + "\n" + std::string(7, 'd') + "\\" +
                         std::string(64, 'e') + "\x1f" + std::string(9, 'f')}},
      ojson{{"min", INT64_MIN},
            {"max", INT64_MAX},
            {"zero", 0},
            {"negative", -42},
            {"unsigned", UINT64_MAX}},
      ojson{{"real", 1.5},
            {"integral real", 2.0},
            {"tiny", 1e-300},
            {"big", 1.7976931348623157e308},
            {"third", 1.0 / 3}},
      ojson{{"nested", {{"deeper", {{"deepest", {true, false, nullptr}}}}}}},
      ojson::array({ojson::object(), ojson::array(), ojson::array({ojson::array()})}),
  };
  for (const auto& d : documents) {
    INFO(d.dump());
    CHECK(written(d, -1) == d.dump());
    CHECK(written(d, 0) == d.dump(0));
    CHECK(written(d, 2) == d.dump(2));
    CHECK(written(d, 4) == d.dump(4));
    JsonWriter whole(2);
    whole.value(d);
    CHECK(whole.text() == d.dump(2));
  }
}

TEST_CASE("JsonWriter refuses invalid UTF-8 as dump does", "[json]") {
  for (const std::string bad :
       {"\xff", "a\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"}) {
    INFO(ojson(bad).dump(-1, ' ', true, ojson::error_handler_t::replace));
    CHECK_THROWS_AS(ojson(bad).dump(), ojson::type_error);
    JsonWriter out;
    CHECK_THROWS_AS(out.value(bad), ojson::type_error);
  }
}

TEST_CASE("JsonWriter member and vector helpers keep the order given", "[json]") {
  JsonWriter out;
  out.begin_object().member("z", 1).member("a", std::vector<std::string>{"x", "y"});
  out.member("flag", true).member("text", "t").key("none").null().end_object();
  CHECK(out.text() == R"({"z":1,"a":["x","y"],"flag":true,"text":"t","none":null})");
}

TEST_CASE("JsonWriter escapes every byte wherever it is in the text", "[json]") {
  // The scan reads eight bytes at a time and jumps to each byte that needs escaping: put every
  // kind of byte at every offset of a word and of the padded tail, alone and next to others.
  std::vector<std::string> specials = {"\"",   "\\", "\n", "\t",   "\x01", "\x1f",
                                       "\x7f", " ",  "é",  "\"\"", "\\\n", "\xe2\x80\xa8"};
  for (const auto& special : specials)
    for (std::size_t before = 0; before < 18; ++before)
      for (std::size_t after : {0, 1, 7, 8, 9}) {
        std::string text = std::string(before, 'x') + special + std::string(after, 'y');
        INFO(before << " " << after);
        JsonWriter out;
        out.value(text);
        CHECK(out.text() == ojson(text).dump());
      }
}
