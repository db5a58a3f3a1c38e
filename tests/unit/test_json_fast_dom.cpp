// The fast JSON path (compiler/json/json_fast_dom.hpp) may decline anything, but what it accepts
// must be accepted by nlohmann's parser too, as the very same tree: number kinds included, since
// readers ask is_number_unsigned() and the like.
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "compiler/json/json_document.hpp"
#include "compiler/json/json_fast_dom.hpp"
#include "compiler/util/file_text.hpp"
#include "compiler/util/utf8.hpp"
#include "unit/test_support.hpp"

using migpkg::parse_json_fast;
using json = nlohmann::json;

namespace {

constexpr std::size_t kDepth = migpkg::JsonLimits{}.max_depth;

// Equal values of equal kinds all the way down (json's operator== calls 1 and 1u equal).
bool same_tree(const json& a, const json& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case json::value_t::object: {
      if (a.size() != b.size()) return false;
      auto i = a.begin();
      auto j = b.begin();
      for (; i != a.end(); ++i, ++j)
        if (i.key() != j.key() || !same_tree(i.value(), j.value())) return false;
      return true;
    }
    case json::value_t::array:
      if (a.size() != b.size()) return false;
      for (std::size_t k = 0; k < a.size(); ++k)
        if (!same_tree(a[k], b[k])) return false;
      return true;
    default:
      return a == b;
  }
}

// Checks the contract on one text; says whether the fast path took it. Text that is not UTF-8
// never reaches the fast path (parse_json_text refuses it first).
bool fast_path_agrees(const std::string& text) {
  if (migpkg::first_invalid_utf8(text) != std::string::npos) return false;
  json fast;
  bool taken = parse_json_fast(text, kDepth, fast);
  if (!taken) return false;
  json full = json::parse(text, nullptr, false);
  INFO("text: " << text);
  REQUIRE_FALSE(full.is_discarded());
  CHECK(same_tree(fast, full));
  return true;
}

}  // namespace

TEST_CASE("fast JSON path: builds nlohmann's tree, number kinds included", "[json]") {
  json doc;
  REQUIRE(parse_json_fast(R"({"a": [0, -0, 7, -7, 123456789012345678, -123456789012345678],
                             "b": {"": "x\"y\\z\/\b\f\n\r\t", "c": [true, false, null, [], {}]}})",
                          kDepth, doc));
  CHECK(doc["a"][0].is_number_unsigned());
  CHECK(doc["a"][1].is_number_integer());
  CHECK_FALSE(doc["a"][1].is_number_unsigned());  // "-0", as nlohmann types it
  CHECK(doc["a"][2].is_number_unsigned());
  CHECK(doc["a"][3].get<std::int64_t>() == -7);
  CHECK(doc["a"][4].get<std::uint64_t>() == 123456789012345678ULL);
  CHECK(doc["a"][5].get<std::int64_t>() == -123456789012345678LL);
  CHECK(doc["b"][""] == "x\"y\\z/\b\f\n\r\t");
  CHECK(doc["b"]["c"].dump() == "[true,false,null,[],{}]");
  for (const char* text : {R"({"a": [0, -0, 7, -7], "b": {"": "x\"y"}})", "[]", "{}", " 1 ",
                           "\"s\"", "true", "null", "[1,2,{\"k\":[3]}]"})
    CHECK(fast_path_agrees(text));
}

TEST_CASE("fast JSON path: declines what it leaves to the full parser", "[json]") {
  std::string deep_ok(kDepth - 2, '[');
  deep_ok += std::string(kDepth - 2, ']');
  std::string too_deep(kDepth - 1, '[');
  too_deep += std::string(kDepth - 1, ']');
  const std::vector<std::string> declined = {
      // errors of every kind: the full parser words the diagnostic
      "", " ", "{", "[1,]", "{,}", "{\"a\" 1}", "{\"a\":}", "[1 2]", "truex", "tru", "nul", "01",
      "-", "-a", "1.", "+1", "[1]x", "{\"a\":1}}", "\"abc", "\"a\x01b\"", "\"tab\there\"",
      "'single'", "{a:1}", "[\"\\x\"]", "{\"a\":1,\"a\":2}",
      // valid, but not the fast path's
      "1.5", "-2.0", "1e3", "2E-1", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "1234567890123456789",
      "\xEF\xBB\xBF{}", too_deep};
  for (const auto& text : declined) {
    json out;
    INFO("text: " << text);
    CHECK_FALSE(parse_json_fast(text, kDepth, out));
  }
  CHECK(fast_path_agrees(deep_ok));
}

TEST_CASE("fast JSON path: agrees on every JSON file of the project", "[json]") {
  namespace fs = std::filesystem;
  int files = 0, taken = 0;
  for (const char* dir : {"examples", "schemas", "tests", "bench"}) {
    fs::path root = fs::path(migpkg::test::source_dir()) / dir;
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
      auto file = migpkg::read_file_text(entry.path().string(), 16u << 20);
      if (file.error) continue;
      ++files;
      if (fast_path_agrees(file.text)) ++taken;
    }
  }
  // Most of them are valid, \u-free sources and plans: the fast path must take them (else it
  // is not the fast path any more), and the rest were checked to be left alone.
  CHECK(files >= 50);
  CHECK(taken * 2 >= files);
}

TEST_CASE("fast JSON path: agrees on generated and mutated documents", "[json]") {
  std::mt19937 random(20261121);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  const std::vector<std::string> atoms = {
      "0",     "-0",   "5",    "-17",    "123456789012345678", "1.25",        "1e2",  "true",
      "false", "null", "\"\"", "\"ab\"", "\"q\\\"\\n\\/\"",    "\"\\u0041\"", "\"é\""};
  std::function<std::string(int)> generate = [&](int depth) -> std::string {
    int kind = depth > 4 ? 0 : pick(3);
    if (kind == 0) return atoms[static_cast<std::size_t>(pick(static_cast<int>(atoms.size())))];
    std::string out = kind == 1 ? "[" : "{";
    int n = pick(4);
    for (int i = 0; i < n; ++i) {
      if (i) out += pick(2) ? "," : " , ";
      if (kind == 2) out += "\"k" + std::to_string(pick(6)) + "\":";  // duplicates happen
      out += generate(depth + 1);
    }
    return out + (kind == 1 ? "]" : "}");
  };
  const std::string noise = "{}[],:\"\\ 0-1.eE+tfnx\t\n";
  int taken = 0, declined = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string text = generate(0);
    if (round % 2) {  // one to three bytes replaced, inserted or removed
      for (int edits = 1 + pick(3); edits > 0 && !text.empty(); --edits) {
        std::size_t at = static_cast<std::size_t>(pick(static_cast<int>(text.size())));
        char c = noise[static_cast<std::size_t>(pick(static_cast<int>(noise.size())))];
        switch (pick(3)) {
          case 0:
            text[at] = c;
            break;
          case 1:
            text.insert(at, 1, c);
            break;
          default:
            text.erase(at, 1);
        }
      }
    }
    if (fast_path_agrees(text))
      ++taken;
    else
      ++declined;
  }
  CHECK(taken > 500);  // both sides of the contract were exercised
  CHECK(declined > 500);
}
