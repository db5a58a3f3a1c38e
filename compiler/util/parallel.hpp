#pragma once
// Independent pieces of work run on a few threads: the compiler plans and writes each dialect
// on its own (compiler/planner/planner.cpp), so on a machine with two cores a pack of five
// dialects takes about half as long. Results never depend on the number of threads: every task
// writes only its own slot, and callers gather the slots in their fixed order.
#include <cstddef>
#include <functional>

namespace migpkg {

// How many threads `tasks` independent tasks may use: the MIGPKG_JOBS environment variable when
// it is a positive number (1 runs everything on the calling thread), else the number of
// processors; never more than `tasks`, never less than 1.
std::size_t worker_count(std::size_t tasks);

// Runs task(0) ... task(tasks - 1) on up to `workers` threads (the calling thread is one of
// them), each task once, and returns when all have finished. If tasks throw, the remaining
// ones still run and the exception of the lowest-numbered failed task is rethrown, so what a
// caller sees does not depend on timing.
void run_tasks(std::size_t tasks, std::size_t workers,
               const std::function<void(std::size_t)>& task);

}  // namespace migpkg
