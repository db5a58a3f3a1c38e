// build_plans (one schema replay for several dialects) gives each dialect exactly what
// build_plan gives it alone: the same plan, SQL and diagnostics, whatever the dialects' order.
#include <catch2/catch.hpp>

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
