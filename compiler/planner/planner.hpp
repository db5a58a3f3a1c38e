#pragma once
// IR -> step plan for one dialect: migrations in dependency order, steps in dependency order,
// SQL split into statements, transforms compiled to set-based SQL, validations to checks.
#include <functional>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/dialects/dialect.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/planner/plan.hpp"

namespace migpkg {

// Reports (as errors) migrations that cannot run on the dialect. Expects a validated program.
plan::Plan build_plan(const ir::Program& program, const Dialect& dialect, Diagnostics& diagnostics);

// One dialect's plan and what planning for it reported (what build_plan would have added).
struct DialectPlan {
  plan::Plan plan;
  Diagnostics diagnostics;
};

// The plans for several dialects at once, in the order given: the schema is replayed once per
// thread (compiler/util/parallel.hpp: MIGPKG_JOBS, else one per processor) and every
// declarative change (and the reverse of every up step) is compiled, on that replay, for each
// dialect the thread plans; checksums are taken once per migration, on every thread. The result is
// the same for any number of threads. build_plan is the one-dialect case.
std::vector<DialectPlan> build_plans(const ir::Program& program,
                                     const std::vector<const Dialect*>& dialects);

// build_plans, handing each dialect's plan to take(i, plan) (i: its index in `dialects`) as soon
// as it is ready, on the thread that planned it, so several calls may run at once; each call
// must only touch what belongs to dialect i. Callers that turn plans into text need not hold
// every dialect's plan at the same time, and write one dialect while another is planned.
using PlanSink = std::function<void(std::size_t, DialectPlan&&)>;
void build_plans_each(const ir::Program& program, const std::vector<const Dialect*>& dialects,
                      const PlanSink& take);

// One transform step's statements, checks and batching information.
struct CompiledTransform {
  std::string insert_sql;  // the whole INSERT ... SELECT
  plan::TransformInfo info;
  std::vector<plan::Check> pre_checks, post_checks;
};
CompiledTransform compile_transform(const ir::Transform& transform, const Dialect& dialect);

}  // namespace migpkg
