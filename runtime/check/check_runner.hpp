#pragma once
// `migpkg check`: applies every up, then every down in reverse order, on a scratch database,
// and proves each migration's down restores the schema exactly as it was before its up. With
// data checks (--seed, --against) it also proves no up loses rows or breaks a foreign key and
// every down brings back every row and value that was there before its up.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/planner/plan.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

struct MigrationCheck {
  std::string plugin_id, id, version;
  std::string up = "pending";    // "ok", "failed", "pending"
  std::string down = "pending";  // "ok", "failed", "not-reversible", "pending"
  std::vector<std::string> warnings;
  std::string error;                    // the step failure, with step id and SQL
  std::vector<std::string> difference;  // schema lines the down did not restore
  // Differences that are not failures: a column back in another position (PostgreSQL adds a
  // re-created column last).
  std::vector<std::string> notes;
  // Data checks only:
  std::map<std::string, std::int64_t> seeded;  // rows the generator added before the up
  std::vector<std::string> data_problems;      // rows lost, not restored, dangling references
  std::int64_t up_rows = -1, down_rows = -1;   // rows inserted, deleted or changed; -1: not run
  double up_ms = 0, down_ms = 0;
};

struct CheckResult {
  bool ok = false;
  std::vector<MigrationCheck> migrations;
  // --seed: rows the generator added after the last up, so the downs run on full tables too.
  std::map<std::string, std::int64_t> seeded_before_downs;
};

struct CheckOptions {
  // Rows per table the generator fills before each up (0: none). Needs `program`.
  std::int64_t seed_rows = 0;
  std::uint64_t seed = 1;  // the generator's PRNG seed
  // Snapshot the rows around every up and down and check them (implied by seed_rows).
  bool check_data = false;
  // The program the plan was built from: seeding reads the replayed schema of each migration
  // from it, and the data checks what each down declares lost.
  const ir::Program* program = nullptr;
};

using CheckProgress = std::function<void(const std::string& line)>;

// Runs on `connection`, which must be a scratch database: empty, or (check --against) a copy
// of a real one. Failing checks are reported as warnings, not failures: the scratch database
// holds only the rows the migrations insert, so data expectations written for a real database
// need not hold there.
CheckResult run_check(Connection& connection, const plan::Plan& plan,
                      const CheckProgress& progress = {});
CheckResult run_check(Connection& connection, const plan::Plan& plan, const CheckOptions& options,
                      const CheckProgress& progress = {});

}  // namespace migpkg::runtime
