// Work on several threads (compiler/util/parallel.hpp): every task runs once, failures surface
// the same way whatever the timing, and the front end and the planner give exactly the same
// results on one thread as on several.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "compiler/diagnostics/render.hpp"
#include "compiler/json/ir_json.hpp"
#include "compiler/planner/plan_output.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/sources.hpp"
#include "compiler/util/parallel.hpp"
#include "compiler/util/process_memory.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

// MIGPKG_JOBS set for the scope, restored after.
class ScopedJobs {
 public:
  explicit ScopedJobs(const char* value) {
    if (const char* old = std::getenv("MIGPKG_JOBS")) old_ = old, had_ = true;
    if (value)
      setenv("MIGPKG_JOBS", value, 1);
    else
      unsetenv("MIGPKG_JOBS");
  }
  ~ScopedJobs() {
    if (had_)
      setenv("MIGPKG_JOBS", old_.c_str(), 1);
    else
      unsetenv("MIGPKG_JOBS");
  }

 private:
  std::string old_;
  bool had_ = false;
};

// Everything the front end produced, as text: each migration's portable JSON, then the
// diagnostics in the order given.
std::string loaded(const std::vector<std::string>& paths) {
  migpkg::Diagnostics diagnostics;
  migpkg::ir::Program program = migpkg::load_sources(paths, diagnostics);
  std::string out;
  for (const auto& plugin : program.plugins)
    for (const auto& migration : plugin.migrations)
      out += plugin.id + "\n" + migpkg::portable_json_text(migration, 2) + "\n";
  for (const auto& d : diagnostics.items()) out += migpkg::render_diagnostic(d);
  return out;
}

std::string planned(const std::vector<migpkg::DialectPlan>& plans) {
  std::string out;
  for (const auto& p : plans) {
    out += migpkg::plan_json_text(p.plan, 2);
    out += migpkg::plan_to_sql(p.plan, migpkg::PlanDirection::Down);
    for (const auto& d : p.diagnostics.items()) out += migpkg::render_diagnostic(d);
  }
  return out;
}

}  // namespace

TEST_CASE("run_tasks runs every task exactly once on up to the threads asked", "[parallel]") {
  for (std::size_t workers : {1, 2, 3, 8}) {
    for (std::size_t tasks : {0, 1, 2, 7, 100}) {
      std::vector<std::atomic<int>> runs(tasks);
      std::mutex mutex;
      std::set<std::thread::id> threads;
      migpkg::run_tasks(tasks, workers, [&](std::size_t i) {
        ++runs[i];
        std::lock_guard<std::mutex> lock(mutex);
        threads.insert(std::this_thread::get_id());
      });
      for (std::size_t i = 0; i < tasks; ++i) CHECK(runs[i] == 1);
      CHECK(threads.size() <= std::max<std::size_t>(1, std::min(workers, tasks)));
      if (workers == 1 && tasks > 0) CHECK(*threads.begin() == std::this_thread::get_id());
    }
  }
}

TEST_CASE("run_tasks finishes every task and rethrows the lowest-numbered failure", "[parallel]") {
  std::vector<std::atomic<int>> runs(20);
  try {
    migpkg::run_tasks(20, 4, [&](std::size_t i) {
      ++runs[i];
      if (i == 13 || i == 5 || i == 17) throw std::runtime_error("task " + std::to_string(i));
    });
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "task 5");
  }
  for (auto& count : runs) CHECK(count == 1);
}

TEST_CASE("worker_count follows MIGPKG_JOBS and never exceeds the tasks", "[parallel]") {
  {
    ScopedJobs jobs("3");
    CHECK(migpkg::worker_count(10) == 3);
    CHECK(migpkg::worker_count(2) == 2);
    CHECK(migpkg::worker_count(0) == 1);
  }
  {
    ScopedJobs jobs("1");
    CHECK(migpkg::worker_count(10) == 1);
  }
  std::size_t processors = std::max(1u, std::thread::hardware_concurrency());
  for (const char* ignored : {"0", "-2", "two", "3x", ""}) {
    INFO("MIGPKG_JOBS=" << ignored);
    ScopedJobs jobs(ignored);
    CHECK(migpkg::worker_count(64) == std::min<std::size_t>(64, processors));
  }
  ScopedJobs unset(nullptr);
  CHECK(migpkg::worker_count(64) == std::min<std::size_t>(64, processors));
}

TEST_CASE("the front end gives the same migrations and diagnostics on any number of threads",
          "[parallel]") {
  std::vector<std::vector<std::string>> inputs = {
      {source_dir() + "/tests/errors"},  // a hundred files, most with errors
      {source_dir() + "/tests/errors-dsl"},
      {source_dir() + "/packages/examples/crm-dsl", source_dir() + "/packages/examples/crm",
       source_dir() + "/tests/dsl/every-statement.mig", source_dir() + "/no/such/dir"},
  };
  for (const auto& paths : inputs) {
    DYNAMIC_SECTION(paths.front()) {
      std::string one;
      {
        ScopedJobs jobs("1");
        one = loaded(paths);
      }
      REQUIRE(one.size() > 1000);
      for (const char* threads : {"2", "5", "16"}) {
        INFO("MIGPKG_JOBS=" << threads);
        ScopedJobs jobs(threads);
        CHECK(loaded(paths) == one);
      }
    }
  }
}

TEST_CASE("the planner gives the same plans on any number of threads", "[parallel]") {
  std::vector<const migpkg::Dialect*> dialects;
  for (const auto& name : migpkg::dialect_names()) dialects.push_back(migpkg::find_dialect(name));
  for (const char* source :
       {"packages/examples/crm-dsl", "packages/examples/notes-dsl", "tests/cases/ddl-alter",
        "tests/cases/step-dependencies", "tests/cases/two-plugins"}) {
    DYNAMIC_SECTION(source) {
      migpkg::Diagnostics loading;
      auto program = migpkg::load_and_validate({source_dir() + "/" + source}, loading);
      REQUIRE_FALSE(loading.has_errors());
      std::string one;
      {
        ScopedJobs jobs("1");
        one = planned(migpkg::build_plans(program, dialects));
      }
      for (const char* threads : {"2", "3", "5"}) {
        INFO("MIGPKG_JOBS=" << threads);
        ScopedJobs jobs(threads);
        CHECK(planned(migpkg::build_plans(program, dialects)) == one);
        // stream_plans finishes every dialect exactly once, after its last migration.
        std::vector<std::atomic<int>> finished(dialects.size()), late(dialects.size());
        migpkg::PlanStream stream;
        stream.migration = [&](std::size_t i, migpkg::plan::Migration&&) {
          if (finished[i] != 0) ++late[i];
        };
        stream.done = [&](std::size_t i, migpkg::Diagnostics&&) { ++finished[i]; };
        migpkg::stream_plans(program, dialects, stream);
        for (std::size_t i = 0; i < dialects.size(); ++i) {
          CHECK(finished[i] == 1);
          CHECK(late[i] == 0);
        }
      }
    }
  }
}

TEST_CASE("release destroys at once unless results are left to the exit", "[parallel]") {
  // This test process never calls release_results_at_exit(), as a program embedding libmigpkg.
  struct Counted {
    int* destroyed;
    bool moved = false;
    explicit Counted(int* d) : destroyed(d) {}
    Counted(Counted&& other) noexcept : destroyed(other.destroyed) { other.moved = true; }
    ~Counted() {
      if (!moved) ++*destroyed;
    }
  };
  int destroyed = 0;
  Counted object(&destroyed);
  migpkg::release(std::move(object));
  CHECK(destroyed == 1);
  CHECK(object.moved);
}
