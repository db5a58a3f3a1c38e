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

// The plans for several dialects at once, in the order given (stream_plans, collected).
std::vector<DialectPlan> build_plans(const ir::Program& program,
                                     const std::vector<const Dialect*>& dialects);

// The plans for several dialects, handed over a migration at a time: migration(i, m) receives
// dialect i's (its index in `dialects`) plan of each migration as soon as it is planned, in
// plan order, and done(i, diagnostics) follows its last one with what planning for dialect i
// reported (what build_plan would have added; a dialect with errors leaves out the migrations
// it cannot run). Callers that turn plans into text never hold a whole plan, and memory does
// not grow with the number of migrations beyond the text.
//
// The schema is replayed once per thread (compiler/util/parallel.hpp: MIGPKG_JOBS, else one
// per processor) and every declarative change (and the reverse of every up step) is compiled,
// on that replay, for each dialect the thread plans; checksums are taken once per migration,
// on every thread. The calls for dialect i are made on the thread planning it, so calls for
// different dialects may run at once; each must only touch what belongs to its dialect. What
// is handed over does not depend on the number of threads.
struct PlanStream {
  std::function<void(std::size_t dialect, plan::Migration&& migration)> migration;
  std::function<void(std::size_t dialect, Diagnostics&& diagnostics)> done;
};
void stream_plans(const ir::Program& program, const std::vector<const Dialect*>& dialects,
                  const PlanStream& stream);

// One transform step's statements, checks and batching information.
struct CompiledTransform {
  std::string insert_sql;  // the whole INSERT ... SELECT
  plan::TransformInfo info;
  std::vector<plan::Check> pre_checks, post_checks;
};
CompiledTransform compile_transform(const ir::Transform& transform, const Dialect& dialect);

}  // namespace migpkg
