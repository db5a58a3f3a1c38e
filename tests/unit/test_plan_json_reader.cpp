// Stored plans (the history's copy of each applied migration's steps, read back by rollback,
// resume and status) read back to what was written, and anything else is refused by name.
#include <catch2/catch.hpp>

#include "compiler/json/json_reader.hpp"
#include "compiler/planner/plan_json_reader.hpp"
#include "unit/test_support.hpp"

using namespace migpkg;

TEST_CASE("every planned migration reads back from its stored JSON unchanged", "[plan]") {
  std::size_t migrations = 0;
  for (const auto& dir : test::valid_source_dirs()) {
    for (const auto& dialect : test::case_dialects(dir.substr(dir.rfind('/') + 1))) {
      // The runtime's engines, and MySQL, whose implicitCommit steps a runtime will journal.
      if (dialect != "sqlite" && dialect != "postgresql" && dialect != "mysql") continue;
      if (test::path_exists(test::source_dir() + "/" + dir + "/expected/" + dialect + ".error"))
        continue;  // a case that does not compile for this dialect
      plan::Plan plan = test::plan_for(dir, dialect);
      for (const auto& m : plan.migrations) {
        INFO(dir << " " << dialect << " " << m.id);
        std::string stored = migration_json_text(m);
        CHECK(migration_json_text(migration_from_text(stored)) == stored);
        // Indented, with members in another order and one this version does not know.
        nlohmann::ordered_json reordered = nlohmann::ordered_json::parse(stored);
        nlohmann::ordered_json shuffled;
        shuffled["future"] = {{"nested", {1, 2.5, "x", nullptr, true}}};
        for (auto it = reordered.rbegin(); it != reordered.rend(); ++it)
          shuffled[it.key()] = it.value();
        CHECK(migration_json_text(migration_from_text(shuffled.dump(2))) == stored);
        ++migrations;
      }
    }
  }
  CHECK(migrations > 20);
}

TEST_CASE("stored plan strings decode every JSON escape", "[plan]") {
  JsonReader in(R"(["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u20ac\ud83d\ude00", "plain ✓"])");
  in.begin_array();
  REQUIRE(in.next_element());
  CHECK(in.string() == "a\"b\\c/d\b\f\n\r\t");
  REQUIRE(in.next_element());
  CHECK(in.string() == "é€😀");
  REQUIRE(in.next_element());
  CHECK(in.string() == "plain ✓");
  CHECK_FALSE(in.next_element());
  in.end();
}

TEST_CASE("damaged stored plans are refused with what is wrong", "[plan]") {
  plan::Plan plan = test::plan_for("packages/examples/crm", "sqlite");
  REQUIRE_FALSE(plan.migrations.empty());
  std::string stored = migration_json_text(plan.migrations.front());
  auto refused = [](const std::string& text) -> std::string {
    try {
      migration_from_text(text);
    } catch (const PlanFormatError& e) {
      return e.what();
    }
    return "accepted";
  };
  nlohmann::ordered_json document = nlohmann::ordered_json::parse(stored);

  auto without_checksum = document;
  without_checksum.erase("checksum");
  CHECK(refused(without_checksum.dump()) == "stored plan lacks \"checksum\"");

  auto step_without_reverse = document;
  step_without_reverse["up"][0].erase("reverse");
  CHECK(refused(step_without_reverse.dump()) == "stored plan lacks \"reverse\"");

  auto wrong_type = document;
  wrong_type["up"][0]["transactional"] = "yes";
  CHECK(refused(wrong_type.dump()) == "stored plan: \"transactional\" is not a boolean");

  auto non_string = document;
  non_string["up"][0]["statements"] = {1};
  CHECK(refused(non_string.dump()) == "stored plan: \"statements\" holds a non-string");

  CHECK_THAT(refused(stored.substr(0, stored.size() / 2)),
             Catch::StartsWith("stored plan: invalid JSON at byte"));
  CHECK_THAT(refused(stored + " {}"), Catch::Contains("expected end of text"));
  CHECK_THAT(refused("[]"), Catch::Contains("is not an object"));
  CHECK_THAT(refused(std::string(100000, '[')), Catch::StartsWith("stored plan"));
  CHECK_THAT(refused(R"({"future": )" + std::string(100, '[') + std::string(100, ']') + "}"),
             Catch::Contains("less nesting"));
  CHECK_THAT(refused(R"({"name": "\ud800"})"), Catch::Contains("low surrogate"));
  CHECK_THAT(refused(R"({"checksum": 99999999999999999999})"), Catch::Contains("is not a string"));
}

TEST_CASE("JsonReader reads integers within 64 bits and refuses the rest", "[plan]") {
  auto read = [](const std::string& text) {
    JsonReader in(text);
    std::int64_t value = in.integer();
    in.end();
    return value;
  };
  CHECK(read("0") == 0);
  CHECK(read("-42") == -42);
  CHECK(read("9223372036854775807") == INT64_MAX);
  CHECK(read("-9223372036854775808") == INT64_MIN);
  CHECK_THROWS_AS(read("9223372036854775808"), JsonReadError);
  CHECK_THROWS_AS(read("99999999999999999999999"), JsonReadError);
  CHECK_THROWS_AS(read("1.5"), JsonReadError);
  CHECK_THROWS_AS(read("-"), JsonReadError);
}
