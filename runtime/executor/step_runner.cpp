#include "runtime/executor/step_runner.hpp"

#include <algorithm>
#include <cctype>

namespace migpkg::runtime {
namespace {

bool is_truthy(const std::optional<std::string>& value) {
  if (!value) return false;
  std::string v = *value;
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  if (v == "t" || v == "true") return true;
  if (v == "f" || v == "false" || v.empty()) return false;
  // Only plain decimal numbers count: "nan", "inf" or "0x1" are not a yes.
  if (v.find_first_not_of("0123456789+-.e") != std::string::npos) return false;
  try {
    return std::stod(v) != 0.0;
  } catch (const std::exception&) {
    return false;
  }
}

void emit(const RunOptions& options, StepEvent::Kind kind, const std::string& step,
          const std::string& message) {
  if (options.on_event) options.on_event({kind, step, message});
}

void run_checks(Connection& connection, const plan::Step& step,
                const std::vector<plan::Check>& checks, const RunOptions& options) {
  for (const auto& check : checks) {
    bool passed;
    try {
      passed = check_passes(connection, check);
    } catch (const DatabaseError& e) {
      throw StepFailure(step.id, check.sql, std::string("check failed to run: ") + e.what());
    }
    if (passed) continue;
    if (check.is_error && options.checks_fail) throw StepFailure(step.id, check.sql, check.message);
    emit(options, StepEvent::Kind::Warning, step.id,
         check.is_error ? check.message + " (an error check, only reported here)" : check.message);
  }
}

void run_one(Connection& connection, const plan::Step& step, const RunOptions& options) {
  run_checks(connection, step, step.pre_checks, options);
  if (step.transform && step.transform->batch_size > 0) {
    run_batched_transform(connection, step, options);
  } else {
    for (const auto& statement : step.statements) {
      try {
        connection.execute(statement);
      } catch (const DatabaseError& e) {
        throw StepFailure(step.id, statement, e.what());
      }
    }
  }
  run_checks(connection, step, step.post_checks, options);
}

}  // namespace

bool check_passes(Connection& connection, const plan::Check& check) {
  ResultSet result = connection.query(check.sql);
  return !result.rows.empty() && !result.rows[0].empty() && is_truthy(result.rows[0][0]);
}

bool run_step(Connection& connection, const plan::Step& step, const RunOptions& options) {
  bool savepoint = step.skip_on_error && connection.in_transaction();
  if (savepoint) connection.execute("SAVEPOINT migpkg_step");
  try {
    run_one(connection, step, options);
    if (savepoint) connection.execute("RELEASE SAVEPOINT migpkg_step");
    emit(options, StepEvent::Kind::Applied, step.id, "");
    return true;
  } catch (const StepFailure& failure) {
    if (!step.skip_on_error) throw;
    if (savepoint) {
      connection.execute("ROLLBACK TO SAVEPOINT migpkg_step");
      connection.execute("RELEASE SAVEPOINT migpkg_step");
    }
    emit(options, StepEvent::Kind::Skipped, step.id, failure.what());
    return false;
  }
}

void run_steps(Connection& connection, const std::vector<plan::Step>& steps,
               const RunOptions& options) {
  try {
    for (const auto& step : steps) {
      if (step.transactional && !connection.in_transaction()) connection.begin();
      if (!step.transactional && connection.in_transaction()) connection.commit();
      run_step(connection, step, options);
    }
    if (connection.in_transaction()) connection.commit();
  } catch (...) {
    if (connection.in_transaction()) connection.rollback();
    throw;
  }
}

}  // namespace migpkg::runtime
