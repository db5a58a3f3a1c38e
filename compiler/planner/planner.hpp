#pragma once
// IR -> step plan for one dialect: migrations in dependency order, steps in dependency order,
// SQL split into statements, transforms compiled to set-based SQL, validations to checks.
#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/dialects/dialect.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/planner/plan.hpp"

namespace migpkg {

// Reports (as errors) migrations that cannot run on the dialect. Expects a validated program.
plan::Plan build_plan(const ir::Program& program, const Dialect& dialect, Diagnostics& diagnostics);

// One transform step's statements, checks and batching information.
struct CompiledTransform {
  std::string insert_sql;  // the whole INSERT ... SELECT
  plan::TransformInfo info;
  std::vector<plan::Check> pre_checks, post_checks;
};
CompiledTransform compile_transform(const ir::Transform& transform, const Dialect& dialect);

}  // namespace migpkg
