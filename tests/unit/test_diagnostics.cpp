#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"

using migpkg::closest_match;
using migpkg::Diagnostic;
using migpkg::Diagnostics;
using migpkg::DiagnosticSeverity;
using migpkg::SourceLocation;

namespace {

const std::vector<std::string> kFields = {"format", "version",      "migration",  "steps",
                                          "up",     "down",         "plugin",     "depends_on",
                                          "sql",    "dependencies", "description"};

// The messages of the diagnostics, in their current order.
std::vector<std::string> messages(const Diagnostics& diagnostics) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics.items()) out.push_back(d.message);
  return out;
}

SourceLocation at(const std::string& file, const std::string& pointer, int line = 0,
                  int column = 0) {
  return SourceLocation{file, pointer, line, column};
}

}  // namespace

TEST_CASE("closest_match suggests the intended word for typos", "[diagnostics]") {
  CHECK(closest_match("versoin", kFields) == "version");   // transposition
  CHECK(closest_match("verion", kFields) == "version");    // omission
  CHECK(closest_match("verssion", kFields) == "version");  // insertion
  CHECK(closest_match("vertion", kFields) == "version");   // substitution
  CHECK(closest_match("fromat", kFields) == "format");
  CHECK(closest_match("migraton", kFields) == "migration");
  CHECK(closest_match("dependecies", kFields) == "dependencies");
  CHECK(closest_match("depends-on", kFields) == "depends_on");
  CHECK(closest_match("dwn", kFields) == "down");
  CHECK(closest_match("upp", kFields) == "up");
  CHECK(closest_match("sqll", kFields) == "sql");
  CHECK(closest_match("plugn", kFields) == "plugin");
  // An exact match is its own closest match.
  CHECK(closest_match("steps", kFields) == "steps");
}

TEST_CASE("closest_match ignores case", "[diagnostics]") {
  CHECK(closest_match("VERSION", kFields) == "version");
  CHECK(closest_match("Versoin", kFields) == "version");
  CHECK(closest_match("SQL", kFields) == "sql");
  CHECK(closest_match("format", {"Format"}) == "Format");  // returns the candidate's spelling
}

TEST_CASE("closest_match does not suggest unrelated words", "[diagnostics]") {
  CHECK(closest_match("foo", kFields).empty());
  CHECK(closest_match("table", kFields).empty());
  CHECK(closest_match("database", kFields).empty());
  CHECK(closest_match("xyzzy", kFields).empty());
  CHECK(closest_match("completely_unrelated_field", kFields).empty());
  CHECK(closest_match("description_of_everything", kFields).empty());
  // Two edits in a three-letter word is too many.
  CHECK(closest_match("sqx", {"abc", "sql"}) == "sql");
  CHECK(closest_match("sxx", {"sql"}).empty());
  // Nothing to choose from.
  CHECK(closest_match("version", {}).empty());
}

TEST_CASE("closest_match picks the nearest candidate, the first on ties", "[diagnostics]") {
  CHECK(closest_match("downs", {"down", "downs_all"}) == "down");
  CHECK(closest_match("stepz", {"stop", "steps"}) == "steps");  // 2 edits vs 1
  CHECK(closest_match("cat", {"bat", "hat"}) == "bat");
  CHECK(closest_match("cat", {"hat", "bat"}) == "hat");
}

TEST_CASE("Diagnostics counts errors and warnings", "[diagnostics]") {
  Diagnostics d;
  CHECK(d.empty());
  CHECK_FALSE(d.has_errors());
  CHECK(d.error_count() == 0);
  CHECK(d.warning_count() == 0);

  d.warning("w1", at("a.json", "/x"), "first warning");
  CHECK_FALSE(d.empty());
  CHECK_FALSE(d.has_errors());
  CHECK(d.warning_count() == 1);

  d.error("e1", at("a.json", "/y"), "first error", "a hint");
  d.error("e2", at("a.json", "/z"), "second error");
  d.add(Diagnostic{DiagnosticSeverity::Note, "n1", "a note", at("a.json", ""), ""});
  CHECK(d.has_errors());
  CHECK(d.error_count() == 2);
  CHECK(d.warning_count() == 1);
  CHECK(d.items().size() == 4);  // notes count as neither

  const Diagnostic& e1 = d.items()[1];
  CHECK(e1.severity == DiagnosticSeverity::Error);
  CHECK(e1.code == "e1");
  CHECK(e1.message == "first error");
  CHECK(e1.hint == "a hint");
  CHECK(e1.location.file == "a.json");
  CHECK(e1.location.pointer == "/y");

  Diagnostics more;
  more.warning("w2", at("b.json", ""), "another warning");
  d.append(more);
  CHECK(d.items().size() == 5);
  CHECK(d.warning_count() == 2);
  CHECK(d.items().back().code == "w2");
  CHECK(more.items().size() == 1);  // append copies

  CHECK(std::string(migpkg::to_string(DiagnosticSeverity::Error)) == "error");
  CHECK(std::string(migpkg::to_string(DiagnosticSeverity::Warning)) == "warning");
  CHECK(std::string(migpkg::to_string(DiagnosticSeverity::Note)) == "note");
}

TEST_CASE("Diagnostics::sort orders array indexes numerically", "[diagnostics]") {
  Diagnostics d;
  d.error("x", at("m.json", "/migration/steps/up/10/sql"), "up10");
  d.error("x", at("m.json", "/migration/steps/up/2/sql"), "up2");
  d.error("x", at("m.json", "/migration/steps/up/9"), "up9");
  d.error("x", at("m.json", "/migration/steps/up/2"), "up2-self");
  d.error("x", at("m.json", "/migration/steps/up/1/id"), "up1");
  d.error("x", at("m.json", "/migration"), "migration");
  d.error("x", at("m.json", "/format"), "format");
  d.error("x", at("m.json", ""), "document");
  d.sort();
  CHECK(messages(d) == std::vector<std::string>{"document", "format", "migration", "up1",
                                                "up2-self", "up2", "up9", "up10"});
}

TEST_CASE("Diagnostics::sort orders by file name, then line and column, stably", "[diagnostics]") {
  Diagnostics d;
  d.error("x", at("b.json", "/a"), "b/a");
  d.error("x", at("a.json", "/z"), "a/z");
  d.warning("x", at("c.mig", "", 10, 1), "c:10:1");
  d.warning("x", at("c.mig", "", 3, 7), "c:3:7");
  d.warning("x", at("c.mig", "", 3, 2), "c:3:2");
  d.error("x", at("a.json", "/b"), "a/b first");
  d.warning("x", at("a.json", "/b"), "a/b second");  // same place: keeps insertion order
  d.error("x", at("a.json", "/b"), "a/b third");
  d.sort();
  CHECK(messages(d) == std::vector<std::string>{"a/b first", "a/b second", "a/b third", "a/z",
                                                "b/a", "c:3:2", "c:3:7", "c:10:1"});
  // Sorting does not change the counts.
  CHECK(d.error_count() == 4);
  CHECK(d.warning_count() == 4);
}

TEST_CASE("Diagnostics::sort compares pointer segments, not strings", "[diagnostics]") {
  Diagnostics d;
  d.error("x", at("f", "/up/1/b"), "1/b");
  d.error("x", at("f", "/up/1"), "1");
  d.error("x", at("f", "/up/1/a"), "1/a");
  d.error("x", at("f", "/up/100"), "100");
  d.error("x", at("f", "/up/11"), "11");
  d.error("x", at("f", "/up/down"), "down");  // a name before any index
  d.error("x", at("f", "/up/0"), "0");
  d.sort();
  CHECK(messages(d) == std::vector<std::string>{"down", "0", "1", "1/a", "1/b", "11", "100"});
}
