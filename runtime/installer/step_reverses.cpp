#include "runtime/installer/step_reverses.hpp"

namespace migpkg::runtime {

StepReverses reverses_of_done_steps(const std::vector<plan::Step>& up, int done) {
  StepReverses out;
  const int count = std::min(done, static_cast<int>(up.size()));
  for (int i = 0; i < count; ++i)
    if (!up[i].reverse) out.without_reverse.push_back(up[i].id);
  if (!out.without_reverse.empty()) return out;
  out.steps.reserve(static_cast<std::size_t>(count));
  for (int i = count - 1; i >= 0; --i) {
    plan::Step step = up[i];
    step.statements = *step.reverse;
    step.pre_checks.clear();
    step.post_checks.clear();
    out.steps.push_back(std::move(step));
  }
  return out;
}

}  // namespace migpkg::runtime
