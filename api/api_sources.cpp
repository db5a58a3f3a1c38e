// validate and compile: the sources alone, no database.
#include <stdexcept>

#include "api/api_support.hpp"
#include "compiler/diagnostics/render.hpp"
#include "compiler/planner/plan_output.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/sources.hpp"
#include "include/migpkg/migpkg.hpp"

namespace migpkg::api {
namespace {

// Diagnostics of the sources as the result's, and status invalid when one is an error.
void record_diagnostics(Outcome& out, const migpkg::Diagnostics& diagnostics) {
  out.diagnostics = detail::public_diagnostics(diagnostics);
  out.json = diagnostics_json(diagnostics).dump(2);
  if (!diagnostics.has_errors()) return;
  out.status = Status::Invalid;
  out.exit_code = detail::exit_code_of(out.status);
  out.problems.push_back(std::to_string(diagnostics.error_count()) + " error" +
                         (diagnostics.error_count() == 1 ? "" : "s") + " in the sources");
}

}  // namespace

const char* library_version() {
  return MIGPKG_VERSION;
}

ValidateResult validate(const std::vector<std::string>& sources) {
  return detail::guarded<ValidateResult>([&](ValidateResult& out) {
    migpkg::Diagnostics diagnostics;
    ir::Program program = load_and_validate(sources, diagnostics);
    record_diagnostics(out, diagnostics);
    out.plugins = program.plugins.size();
    for (const auto& plugin : program.plugins) out.migrations += plugin.migrations.size();
  });
}

CompileResult compile(const std::vector<std::string>& sources, const std::string& dialect_name,
                      CompileOutput output) {
  return detail::guarded<CompileResult>([&](CompileResult& out) {
    const Dialect* dialect = find_dialect(dialect_name);
    if (!dialect) {
      std::string list;
      for (const auto& known : dialect_names()) list += (list.empty() ? "" : ", ") + known;
      throw std::invalid_argument("unknown dialect '" + dialect_name + "'; expected one of " +
                                  list);
    }
    out.dialect = dialect_name;
    migpkg::Diagnostics diagnostics;
    ir::Program program = load_and_validate(sources, diagnostics);
    plan::Plan plan;
    if (!diagnostics.has_errors()) plan = build_plan(program, *dialect, diagnostics);
    record_diagnostics(out, diagnostics);
    if (diagnostics.has_errors()) return;
    auto wanted = [&](CompileOutput one) { return output == CompileOutput::All || output == one; };
    if (wanted(CompileOutput::PlanJson)) out.plan_json = plan_json_text(plan, 2) + "\n";
    if (wanted(CompileOutput::UpSql)) out.up_sql = plan_to_sql(plan, PlanDirection::Up);
    if (wanted(CompileOutput::DownSql)) out.down_sql = plan_to_sql(plan, PlanDirection::Down);
  });
}

}  // namespace migpkg::api
