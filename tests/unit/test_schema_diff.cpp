// `migpkg diff`'s model-to-model diff (compiler/schema/schema_diff.hpp), data-driven over the
// declarative cases: for every tests/cases/ddl-* case, the migration diff(empty -> the case's
// replayed schema) prints as DSL that compiles, for every dialect the case compiles for, to a
// plugin whose replayed schema is the case's; and diff(case -> case) is empty.
#include <catch2/catch.hpp>

#include "compiler/diagnostics/render.hpp"
#include "compiler/dialects/dialect.hpp"
#include "compiler/dsl/diff_migration.hpp"
#include "compiler/dsl/dsl_printer.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/schema/replay.hpp"
#include "compiler/schema/schema_diff.hpp"
#include "compiler/sources.hpp"
#include "unit/test_support.hpp"

using namespace migpkg;
using namespace migpkg::test;

namespace {

std::string rendered(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics.items()) out += render_diagnostic(d);
  return out;
}

ir::Program load(const std::string& path) {
  Diagnostics diagnostics;
  ir::Program program = load_and_validate(source_files(path, diagnostics), diagnostics);
  INFO(path << "\n" << rendered(diagnostics));
  REQUIRE_FALSE(diagnostics.has_errors());
  return program;
}

std::string lines(const std::vector<std::string>& all) {
  std::string out;
  for (const std::string& line : all) out += line + "\n";
  return out;
}

}  // namespace

TEST_CASE("diff from empty to every declarative case compiles back to the case's schema",
          "[diff]") {
  std::size_t cases = 0;
  for (const std::string& name : list_dir(source_dir() + "/tests/cases", true)) {
    if (!is_declarative_case(name)) continue;
    ++cases;
    DYNAMIC_SECTION(name) {
      const std::string dir = source_dir() + "/tests/cases/" + name;
      ir::Program program = load(dir);
      schema::SchemaModel wanted = schema::replayed_schema(program);
      schema::SchemaModel empty;
      std::vector<ir::SchemaChange> changes = schema::diff_schemas(empty, wanted);
      CHECK(schema::diff_schemas(wanted, wanted).empty());
      if (changes.empty()) {
        // Only raw SQL: nothing the model knows, nothing to write.
        CHECK(schema::describe_schema(wanted).empty());
        return;
      }
      dsl::DiffMigrationSpec spec;
      spec.plugin_id = "test.generated";
      spec.id = "generated";
      spec.version = "1.0.0";
      spec.name = "From " + name;
      const std::string text = dsl::print_dsl({dsl::diff_migration(changes, spec)});
      const std::string file = make_temp_dir() + "/generated.mig";
      write_file(file, text);
      ir::Program generated = load(file);
      INFO(text);
      CHECK(lines(schema::describe_schema(schema::replayed_schema(generated))) ==
            lines(schema::describe_schema(wanted)));
      // Every down derived: the generated migration undoes itself.
      const ir::Migration& m = generated.plugins.at(0).migrations.at(0);
      CHECK(m.down.size() >= 1);
      for (const std::string& dialect : case_dialects(name)) {
        if (path_exists(dir + "/expected/" + dialect + ".error")) continue;
        Diagnostics diagnostics;
        plan::Plan plan = build_plan(generated, *find_dialect(dialect), diagnostics);
        INFO(dialect << "\n" << rendered(diagnostics));
        CHECK_FALSE(diagnostics.has_errors());
        REQUIRE(plan.migrations.size() == 1);
        CHECK(plan.migrations[0].reversible);
      }
    }
  }
  CHECK(cases >= 17);
}

// Applies diff(from -> to) to a model built as `from` and returns its lines; every change must
// replay without an error.
static std::string applied(const schema::SchemaModel& from, const schema::SchemaModel& to) {
  schema::SchemaModel model;
  Diagnostics diagnostics;
  for (const ir::SchemaChange& change : schema::diff_schemas(schema::SchemaModel(), from))
    model.apply(change, "setup", diagnostics);
  for (const ir::SchemaChange& change : schema::diff_schemas(from, to))
    model.apply(change, "diff", diagnostics);
  INFO(rendered(diagnostics));
  CHECK_FALSE(diagnostics.has_errors());
  return lines(schema::describe_schema(model));
}

TEST_CASE("diff between the example plugins' schemas replays in the order it gives", "[diff]") {
  // Every pair of example plugins, both ways: drops of referenced tables come after the foreign
  // keys to them, parents are created before their children.
  std::vector<std::string> dirs;
  for (const std::string& dir : valid_source_dirs())
    if (dir.rfind("packages/examples/", 0) == 0) dirs.push_back(dir);
  REQUIRE(dirs.size() >= 2);
  for (const std::string& a : dirs)
    for (const std::string& b : dirs) {
      DYNAMIC_SECTION(a << " -> " << b) {
        schema::SchemaModel from = schema::replayed_schema(load(source_dir() + "/" + a));
        schema::SchemaModel to = schema::replayed_schema(load(source_dir() + "/" + b));
        CHECK(applied(from, to) == lines(schema::describe_schema(to)));
      }
    }
}
