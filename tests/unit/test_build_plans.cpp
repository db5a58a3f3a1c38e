// build_plans (one schema replay for several dialects) gives each dialect exactly what
// build_plan gives it alone: the same plan, SQL and diagnostics, whatever the dialects' order.
#include <catch2/catch.hpp>

#include <memory>

#include "compiler/diagnostics/render.hpp"
#include "compiler/planner/plan_output.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/sources.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

std::string rendered(const migpkg::plan::Plan& plan, const migpkg::Diagnostics& diagnostics) {
  std::string out = migpkg::plan_to_json(plan).dump(2);
  out += migpkg::plan_to_sql(plan, migpkg::PlanDirection::Up);
  out += migpkg::plan_to_sql(plan, migpkg::PlanDirection::Down);
  for (const auto& d : diagnostics.items()) out += migpkg::render_diagnostic(d);
  return out;
}

}  // namespace

TEST_CASE("build_plans plans every dialect as build_plan does alone", "[planner]") {
  std::vector<std::string> sources = valid_source_dirs();
  sources.push_back("tests/dsl/every-statement.mig");
  sources.push_back("tests/dsl/groups");
  std::vector<const migpkg::Dialect*> dialects, reversed;
  for (const auto& name : migpkg::dialect_names()) dialects.push_back(migpkg::find_dialect(name));
  reversed.assign(dialects.rbegin(), dialects.rend());
  for (const auto& source : sources) {
    DYNAMIC_SECTION(source) {
      migpkg::Diagnostics loading;
      auto program = migpkg::load_and_validate({source_dir() + "/" + source}, loading);
      if (loading.has_errors()) continue;
      auto together = migpkg::build_plans(program, dialects);
      auto backwards = migpkg::build_plans(program, reversed);
      REQUIRE(together.size() == dialects.size());
      for (std::size_t i = 0; i < dialects.size(); ++i) {
        INFO("dialect " << dialects[i]->name());
        migpkg::Diagnostics alone_diagnostics;
        auto alone = migpkg::build_plan(program, *dialects[i], alone_diagnostics);
        std::string expected = rendered(alone, alone_diagnostics);
        CHECK(rendered(together[i].plan, together[i].diagnostics) == expected);
        const auto& other = backwards[dialects.size() - 1 - i];
        CHECK(rendered(other.plan, other.diagnostics) == expected);
      }
    }
  }
}

TEST_CASE("plans streamed a migration at a time are written as whole plans are", "[planner]") {
  std::vector<std::string> sources = valid_source_dirs();
  sources.push_back("tests/dsl/every-statement.mig");
  std::vector<const migpkg::Dialect*> dialects;
  for (const auto& name : migpkg::dialect_names()) dialects.push_back(migpkg::find_dialect(name));
  for (const auto& source : sources) {
    DYNAMIC_SECTION(source) {
      migpkg::Diagnostics loading;
      auto program = migpkg::load_and_validate({source_dir() + "/" + source}, loading);
      if (loading.has_errors()) continue;
      auto whole = migpkg::build_plans(program, dialects);
      // Expecting one migration makes the writers grow their texts and, where more come, write
      // the SQL header again with the real count.
      for (std::size_t expected : {std::size_t{1}, std::size_t{1000}}) {
        INFO("expected " << expected);
        struct Writers {
          Writers(const std::string& d, std::size_t n)
              : json(d, MIGPKG_VERSION, 2, n),
                compact(d, MIGPKG_VERSION, -1, n),
                up(d, MIGPKG_VERSION, migpkg::PlanDirection::Up, n),
                down(d, MIGPKG_VERSION, migpkg::PlanDirection::Down, n) {}
          migpkg::PlanJsonWriter json, compact;
          migpkg::PlanSqlWriter up, down;
          std::size_t migrations = 0, finished = 0, late = 0;
          std::string diagnostics;
        };
        std::vector<std::unique_ptr<Writers>> writers;
        for (const auto* d : dialects)
          writers.push_back(std::make_unique<Writers>(d->name(), expected));
        migpkg::PlanStream stream;
        // The callbacks run on the planner's threads: no Catch assertion there (Catch is not
        // thread-safe), only per-dialect counts, checked below.
        stream.migration = [&](std::size_t i, migpkg::plan::Migration&& m) {
          if (writers[i]->finished != 0) ++writers[i]->late;
          writers[i]->json.add(m);
          writers[i]->compact.add(m);
          writers[i]->up.add(m);
          writers[i]->down.add(m);
          ++writers[i]->migrations;
        };
        stream.done = [&](std::size_t i, migpkg::Diagnostics&& d) {
          ++writers[i]->finished;
          for (const auto& item : d.items())
            writers[i]->diagnostics += migpkg::render_diagnostic(item);
        };
        migpkg::stream_plans(program, dialects, stream);
        for (std::size_t i = 0; i < dialects.size(); ++i) {
          INFO("dialect " << dialects[i]->name());
          const migpkg::plan::Plan& plan = whole[i].plan;
          Writers& w = *writers[i];
          CHECK(w.finished == 1);
          CHECK(w.late == 0);
          CHECK(w.migrations == plan.migrations.size());
          CHECK(w.json.finish() == migpkg::plan_json_text(plan, 2));
          CHECK(w.compact.finish() == migpkg::plan_json_text(plan, -1));
          CHECK(w.up.finish() == migpkg::plan_to_sql(plan, migpkg::PlanDirection::Up));
          CHECK(w.down.finish() == migpkg::plan_to_sql(plan, migpkg::PlanDirection::Down));
          std::string diagnostics;
          for (const auto& d : whole[i].diagnostics.items())
            diagnostics += migpkg::render_diagnostic(d);
          CHECK(w.diagnostics == diagnostics);
        }
      }
    }
  }
}
