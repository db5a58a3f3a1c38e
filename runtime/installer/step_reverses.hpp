#pragma once
// How the up steps of a half-applied migration are undone one by one: each done step by the
// statements that undo just it (plan::Step::reverse, the compiled inverse of a declarative
// change), the newest first. One rule for the two places that undo half-applied work: rollback
// (work an earlier run left half-done) and the installer's undo, at once, of a journalled
// migration that fails (migration_runner.cpp).
#include <string>
#include <vector>

#include "compiler/planner/plan.hpp"

namespace migpkg::runtime {

struct StepReverses {
  // The reverses of up steps done-1, ..., 0, in that order, when every one of them has one: each
  // keeps its up step's id and flags (transactional, implicitCommit) and drops its checks,
  // which were written for the up direction. Empty otherwise.
  std::vector<plan::Step> steps;
  // The ids of the done steps that have no reverse (raw SQL, transforms, a change whose inverse
  // is unknown), in step order.
  std::vector<std::string> without_reverse;
};

// For the first `done` steps of `up`.
StepReverses reverses_of_done_steps(const std::vector<plan::Step>& up, int done);

}  // namespace migpkg::runtime
