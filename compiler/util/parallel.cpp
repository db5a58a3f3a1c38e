#include "compiler/util/parallel.hpp"

#include <atomic>
#include <cstdlib>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace migpkg {

std::size_t worker_count(std::size_t tasks) {
  std::size_t workers = std::thread::hardware_concurrency();
  if (const char* jobs = std::getenv("MIGPKG_JOBS")) {
    char* end = nullptr;
    long value = std::strtol(jobs, &end, 10);
    if (end != jobs && *end == '\0' && value > 0) workers = static_cast<std::size_t>(value);
  }
  if (workers > tasks) workers = tasks;
  return workers == 0 ? 1 : workers;
}

void run_tasks(std::size_t tasks, std::size_t workers,
               const std::function<void(std::size_t)>& task) {
  std::vector<std::exception_ptr> errors(tasks);
  std::atomic<std::size_t> next{0};
  // Tasks are taken in order by whichever thread is free: the first ones are started first,
  // so callers put the longest first.
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < tasks;) {
      try {
        task(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < workers && t < tasks; ++t) {
    try {
      threads.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running (at least this one) do the rest
    }
  }
  work();
  for (auto& thread : threads) thread.join();
  for (auto& error : errors)
    if (error) std::rethrow_exception(error);
}

}  // namespace migpkg
