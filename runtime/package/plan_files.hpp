#pragma once
// The two files a package holds for one dialect's plan: plans/<dialect>.json (the JSON plan,
// two-space indented, ending in a newline) and plans/<dialect>.sql (the readable up SQL),
// written a migration at a time as stream_plans hands them over. `pack` and the compile
// benchmark (bench/compile_bench.cpp) both write through it, so the benchmark measures what a
// package holds.
#include <cstddef>
#include <string>

#include "compiler/planner/plan_output.hpp"

namespace migpkg::package {

class PlanFilesWriter {
 public:
  PlanFilesWriter(const std::string& dialect, std::size_t expected_migrations);
  void add(const plan::Migration& migration);

  struct Files {
    std::string json, sql;
  };
  Files finish();  // the writer is spent

 private:
  PlanJsonWriter json_;
  PlanSqlWriter sql_;
};

}  // namespace migpkg::package
