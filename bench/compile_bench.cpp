// The compile benchmark's driver (bench/compile.sh): loads the sources once (front end: text to
// IR), replays their schema changes (automatic downs included), validates, plans them for every
// registered dialect in one pass (build_plans) and writes each dialect's outputs (JSON plan, up
// and down SQL), in one process, as `migpkg pack` does. Prints one line per phase:
// "<phase> <seconds> <detail>" (plan:all, then output:<dialect> for each dialect). With
// --front-end-only it stops after loading. Exit 1 when the sources do not load or a dialect cannot
// compile them (the first diagnostics are printed).
#include <chrono>
#include <iostream>

#include "compiler/diagnostics/render.hpp"
#include "compiler/dialects/dialect.hpp"
#include "compiler/planner/plan_output.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/schema/replay.hpp"
#include "compiler/sources.hpp"
#include "compiler/util/process_memory.hpp"
#include "compiler/validate/validator.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool report(const migpkg::Diagnostics& diagnostics) {
  if (!diagnostics.has_errors()) return true;
  int shown = 0;
  for (const auto& d : diagnostics.items())
    if (shown++ < 5) std::cerr << migpkg::render_diagnostic(d);
  std::cerr << diagnostics.error_count() << " errors\n";
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  migpkg::keep_freed_memory_for_reuse();  // as the migpkg command does (cli/main.cpp)
  std::vector<std::string> sources;
  bool front_end_only = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--front-end-only")
      front_end_only = true;
    else
      sources.push_back(argv[i]);
  }
  if (sources.empty()) {
    std::cerr << "usage: migpkg_compile_bench [--front-end-only] SRC...\n";
    return 2;
  }
  auto total = std::chrono::steady_clock::now();
  auto start = total;
  migpkg::Diagnostics diagnostics;
  migpkg::ir::Program program = migpkg::load_sources(sources, diagnostics);
  std::size_t migrations = 0;
  for (const auto& plugin : program.plugins) migrations += plugin.migrations.size();
  std::cout << "front-end " << seconds_since(start) << " " << migrations << " migrations\n";
  if (!report(diagnostics)) return 1;
  if (front_end_only) return 0;
  start = std::chrono::steady_clock::now();
  migpkg::schema::prepare_schema_changes(program, diagnostics);
  std::cout << "replay+automatic-down " << seconds_since(start) << "\n";
  start = std::chrono::steady_clock::now();
  migpkg::validate_program(program, diagnostics, nullptr);
  std::cout << "validate " << seconds_since(start) << "\n";
  if (!report(diagnostics)) return 1;
  // One planner pass for every registered dialect (as `migpkg pack` does): the schema replay,
  // the compiled changes and their per-step reverses, the checksums.
  std::vector<const migpkg::Dialect*> dialects;
  for (const auto& name : migpkg::dialect_names()) dialects.push_back(migpkg::find_dialect(name));
  start = std::chrono::steady_clock::now();
  std::vector<migpkg::DialectPlan> plans = migpkg::build_plans(program, dialects);
  std::cout << "plan:all " << seconds_since(start) << " " << dialects.size() << " dialects\n";
  std::size_t bytes = 0;
  for (const auto& result : plans) {
    if (!report(result.diagnostics)) return 1;
    // Both outputs a package holds: the JSON plan and the readable SQL (up and down).
    start = std::chrono::steady_clock::now();
    const migpkg::plan::Plan& plan = result.plan;
    bytes += migpkg::plan_json_text(plan, 2).size();
    bytes += migpkg::plan_to_sql(plan, migpkg::PlanDirection::Up).size();
    bytes += migpkg::plan_to_sql(plan, migpkg::PlanDirection::Down).size();
    std::cout << "output:" << plan.dialect << " " << seconds_since(start) << " "
              << plan.migrations.size() << " migrations\n";
  }
  std::cout << "total " << seconds_since(total) << " " << dialects.size() << " dialects, " << bytes
            << " bytes of plans\n";
  return 0;
}
