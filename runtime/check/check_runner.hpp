#pragma once
// `migpkg check`: applies every up, then every down in reverse order, on a scratch database,
// and proves each migration's down restores the schema exactly as it was before its up.
#include <functional>
#include <string>
#include <vector>

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
};

struct CheckResult {
  bool ok = false;
  std::vector<MigrationCheck> migrations;
};

using CheckProgress = std::function<void(const std::string& line)>;

// Runs on `connection`, which must be an empty scratch database. Failing checks are reported
// as warnings, not failures: the scratch database holds only the rows the migrations insert,
// so data expectations written for a real database need not hold there.
CheckResult run_check(Connection& connection, const plan::Plan& plan,
                      const CheckProgress& progress = {});

}  // namespace migpkg::runtime
