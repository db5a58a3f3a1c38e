// copy --create carries the source's schema over, translated for the target's dialect (not
// copied word for word), from each engine to each engine: column defaults (literals, now(),
// uuid(), JSON), NOT NULL, CHECK constraints, unique and non-unique indexes, the foreign key, and
// the counter moved past the highest key. Each target is inspected through its own catalog
// (Engine::schema_extras, describe_table) and compared, in the schema model's terms, with the
// source; then rows are written that use the defaults and break the checks.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <regex>
#include <set>

#include "compiler/ir/ir.hpp"
#include "runtime/data/copy_schema.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/data_move_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using json = nlohmann::json;

namespace {

// A table's defaults, checks and indexes in portable terms, engine-neutral: what must be equal
// between source and target.
struct PortableSchema {
  std::map<std::string, std::string> defaults;  // column -> "now()", "uuid()", "literal 'x'"
  std::set<std::string> checks;
  std::set<std::vector<std::string>> indexes;
  std::vector<std::vector<std::string>> unique_keys;
  std::map<std::string, bool> nullable;
  std::vector<std::string> foreign_keys;
};

std::string describe(const migpkg::ir::ColumnDefault& value) {
  switch (value.kind) {
    case migpkg::ir::ColumnDefault::Kind::Now:
      return "now()";
    case migpkg::ir::ColumnDefault::Kind::Uuid:
      return "uuid()";
    case migpkg::ir::ColumnDefault::Kind::Json:
      return "json " + value.text;
    case migpkg::ir::ColumnDefault::Kind::Literal:
      if (value.literal.kind == migpkg::ir::Literal::Kind::Bool)
        return value.literal.boolean ? "true" : "false";
      return "literal " + value.literal.text;
    default:
      return "expression";
  }
}

PortableSchema portable_schema(const std::string& url, const std::string& table) {
  auto connection = migpkg::runtime::open_url(url);
  const auto& engine = migpkg::runtime::engine_of(*connection);
  auto data = engine.data_table(*connection, table);
  REQUIRE(data);
  PortableSchema out;
  std::vector<std::string> names;
  for (const auto& column : data->columns) {
    names.push_back(column.name);
    out.nullable[column.name] = column.nullable;
  }
  migpkg::runtime::SchemaExtras extras = engine.schema_extras(*connection, table);
  for (const auto& [column, text] : extras.defaults) {
    std::string why;
    auto value =
        migpkg::data::portable_default(engine.id(), text, data->find_column(column)->type, why);
    INFO(column << " " << text << " " << why);
    if (value) out.defaults[column] = describe(*value);
  }
  for (const std::string& check : extras.checks) {
    std::vector<std::string> referenced;
    std::string why;
    // Compared without spaces and parentheses: PostgreSQL prints "((a > 0) AND (b < 1))" for
    // "a > 0 AND b < 1", the same check.
    if (auto portable = migpkg::data::portable_check(check, names, referenced, why)) {
      std::string shape;
      for (char c : *portable)
        if (c != ' ' && c != '(' && c != ')') shape += c;
      // PostgreSQL keeps "a BETWEEN x AND y" as "a >= x AND a <= y".
      static const std::regex between(R"(([A-Za-z_]+)BETWEEN([^A]+)AND([^A]+))");
      out.checks.insert(std::regex_replace(shape, between, "$1>=$2AND$1<=$3"));
    }
  }
  for (const auto& index : extras.indexes) out.indexes.insert(index);
  auto description = engine.describe_table(*connection, table);
  REQUIRE(description);
  out.unique_keys = description->unique_keys;
  for (auto& key : out.unique_keys) std::sort(key.begin(), key.end());
  std::sort(out.unique_keys.begin() + 1, out.unique_keys.end());
  for (const auto& key : description->foreign_keys)
    out.foreign_keys.push_back(key.columns.at(0) + " -> " + key.ref_table + "." +
                               key.ref_columns.at(0));
  return out;
}

std::string text_of(const std::map<std::string, std::string>& map) {
  std::string out;
  for (const auto& [key, value] : map) out += key + "=" + value + "; ";
  return out;
}

bool fails(const std::string& url, const std::string& sql) {
  try {
    execute(url, sql);
    return false;
  } catch (const std::exception&) {
    return true;
  }
}

}  // namespace

TEST_CASE("copy --create carries defaults, checks and indexes over, translated for the target",
          "[data][copy][create][sqlite][postgresql][mysql]") {
  for_each_database_url("migpkg_extras_from", [&](const std::string& from) {
    INFO("from " << from);
    CommandResult installed = run_cli("install tests/data-move/extras --db '" + from + "'");
    REQUIRE(installed.exit_code == 0);
    execute(from, "INSERT INTO ex_parents (code) VALUES ('a'), ('b'), ('c')");
    execute(from,
            "INSERT INTO ex_children (id, parent_id, qty, note) VALUES (1, 1, 2, 'x'), "
            "(2, 3, 5, NULL)");
    const PortableSchema parents = portable_schema(from, "ex_parents");
    const PortableSchema children = portable_schema(from, "ex_children");
    // What the migration declared, as the source's catalog gives it back.
    CHECK(parents.defaults ==
          std::map<std::string, std::string>{{"created", "now()"},
                                             {"ref", "uuid()"},
                                             {"active", "true"},
                                             {"label", "literal it's new"},
                                             {"score", "literal 1.50"},
                                             {"level", "literal -3"},
                                             {"prefs", "json {\"n\":[1,2],\"theme\":\"dark\"}"},
                                             {"born", "literal 2000-01-01"}});
    CHECK(parents.checks.size() == 2);
    CHECK(children.checks.size() == 1);
    CHECK(children.indexes.count({"parent_id"}) == 1);
    CHECK(children.indexes.count({"note", "qty"}) == 1);

    for_each_database_url("migpkg_extras_to", [&](const std::string& to) {
      INFO("to " << to);
      CommandResult result =
          run_cli("copy --from '" + from + "' --to '" + to + "' --create --json");
      INFO(result.out << result.err);
      REQUIRE(result.exit_code == 0);
      json report = checked_report(result.out, "copy-report.schema.json");
      CHECK(report["created"].size() == 2);
      CHECK(!report.contains("notes"));
      const PortableSchema got_parents = portable_schema(to, "ex_parents");
      const PortableSchema got_children = portable_schema(to, "ex_children");
      CHECK(text_of(got_parents.defaults) == text_of(parents.defaults));
      CHECK(got_parents.checks == parents.checks);
      CHECK(got_parents.nullable == parents.nullable);
      CHECK(got_parents.unique_keys == parents.unique_keys);
      CHECK(text_of(got_children.defaults) == text_of(children.defaults));
      CHECK(got_children.checks == children.checks);
      CHECK(got_children.nullable == children.nullable);
      // MySQL makes an index for a foreign key by itself; every source index is there.
      for (const auto& index : children.indexes) CHECK(got_children.indexes.count(index) == 1);
      CHECK(got_children.foreign_keys == std::vector<std::string>{"parent_id -> ex_parents.id"});

      // The defaults work in the target: a row with only its code gets them, and the counter
      // was moved past the copied keys.
      execute(to, "INSERT INTO ex_parents (code) VALUES ('new')");
      std::vector<migpkg::data::Row> rows = table_rows(to, "ex_parents");
      REQUIRE(rows.size() == 4);
      const migpkg::data::Row& added = rows.back();
      CHECK(*added[0] == "4");
      CHECK(added[2].has_value());  // created: now()
      REQUIRE(added[3].has_value());
      CHECK(added[3]->size() == 36);  // ref: uuid()
      CHECK(added[4] == std::optional<std::string>("true"));
      CHECK(added[5] == std::optional<std::string>("it's new"));
      CHECK(added[6] == std::optional<std::string>("1.50"));
      CHECK(added[7] == std::optional<std::string>("-3"));
      CHECK(added[8] == std::optional<std::string>("{\"n\":[1,2],\"theme\":\"dark\"}"));
      CHECK(added[9] == std::optional<std::string>("2000-01-01"));
      // The checks hold there too.
      CHECK(fails(to, "INSERT INTO ex_parents (code, level) VALUES ('x', 11)"));
      CHECK(fails(to, "INSERT INTO ex_parents (code, score) VALUES ('y', 1000.01)"));
      CHECK(fails(to, "INSERT INTO ex_children (id, parent_id, qty) VALUES (9, 1, 0)"));
      CHECK(fails(to, "INSERT INTO ex_children (id, parent_id) VALUES (9, 99)"));
      CHECK(!fails(to, "INSERT INTO ex_children (id, parent_id) VALUES (9, 4)"));
    });
  });
}

TEST_CASE(
    "copy --create translates a hand-written SQLite schema's defaults, and leaves out "
    "what has no portable meaning with a note",
    "[data][copy][create][sqlite][postgresql][mysql]") {
  const std::string from = "sqlite:" + make_temp_dir() + "/hand.db";
  execute(from,
          "CREATE TABLE hand (id INTEGER PRIMARY KEY, at TIMESTAMP NOT NULL DEFAULT "
          "(datetime('now')), n INTEGER DEFAULT 7 CHECK (n > 0), s TEXT DEFAULT 'x', "
          "odd TEXT DEFAULT (lower('A')), CHECK (length(s) < 10))");
  execute(from, "CREATE INDEX hand_n ON hand (n)");
  execute(from, "INSERT INTO hand (id, n, s) VALUES (1, 1, 'a'), (5, 2, 'b')");
  for_each_database_url("migpkg_hand_to", [&](const std::string& to) {
    INFO("to " << to);
    CommandResult result = run_cli("copy --from '" + from + "' --to '" + to + "' --create --json");
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    json report = checked_report(result.out, "copy-report.schema.json");
    REQUIRE(report["notes"].size() == 2);
    CHECK_THAT(report["notes"][0].get<std::string>(),
               Catch::Contains("table hand, column odd: default lower('A'): an expression, not a "
                               "value (left out)"));
    CHECK_THAT(report["notes"][1].get<std::string>(),
               Catch::Contains("table hand: CHECK (length(s) < 10): not portable, the function "
                               "length (left out)"));
    const PortableSchema got = portable_schema(to, "hand");
    CHECK(got.defaults == std::map<std::string, std::string>{
                              {"at", "now()"}, {"n", "literal 7"}, {"s", "literal x"}});
    CHECK(got.checks == std::set<std::string>{"n>0"});
    CHECK(got.indexes.count({"n"}) == 1);
    // datetime('now') did not reach the target word for word: its own now() fills the column.
    execute(to, "INSERT INTO hand (id) VALUES (6)");
    CHECK(table_rows(to, "hand").back()[1].has_value());
    CHECK(fails(to, "INSERT INTO hand (id, n) VALUES (7, 0)"));
  });
}
