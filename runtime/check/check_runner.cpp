#include "runtime/check/check_runner.hpp"

#include "runtime/check/schema_snapshot.hpp"
#include "runtime/executor/step_runner.hpp"

namespace migpkg::runtime {
namespace {

// Runs one direction of one migration, recording the outcome instead of throwing.
bool apply(Connection& connection, const std::vector<plan::Step>& steps, MigrationCheck& record) {
  RunOptions options;
  options.checks_fail = false;
  options.on_event = [&](const StepEvent& event) {
    if (event.kind == StepEvent::Kind::Warning)
      record.warnings.push_back("step " + event.step_id + ": " + event.message);
    else if (event.kind == StepEvent::Kind::Skipped)
      record.warnings.push_back("step " + event.step_id +
                                " failed and was skipped (skipOnError): " + event.message);
  };
  try {
    run_steps(connection, steps, options);
    return true;
  } catch (const StepFailure& failure) {
    record.error =
        "step " + failure.step_id() + ": " + failure.what() + "\n  SQL: " + failure.sql();
  } catch (const DatabaseError& e) {
    record.error = e.what();
  }
  return false;
}

}  // namespace

CheckResult run_check(Connection& connection, const plan::Plan& plan,
                      const CheckProgress& progress) {
  CheckResult result;
  auto say = [&](const std::string& line) {
    if (progress) progress(line);
  };
  std::vector<SchemaSnapshot> before;  // schema before each migration's up
  for (const auto& m : plan.migrations) {
    MigrationCheck record;
    record.plugin_id = m.plugin_id;
    record.id = m.id;
    record.version = m.version;
    result.migrations.push_back(record);
  }

  for (std::size_t i = 0; i < plan.migrations.size(); ++i) {
    const auto& m = plan.migrations[i];
    before.push_back(inspect_schema(connection));
    say("up   " + m.plugin_id + "/" + m.id + " " + m.version);
    auto& record = result.migrations[i];
    if (!apply(connection, m.up, record)) {
      record.up = "failed";
      return result;
    }
    record.up = "ok";
  }
  for (std::size_t i = plan.migrations.size(); i-- > 0;) {
    const auto& m = plan.migrations[i];
    auto& record = result.migrations[i];
    if (!m.reversible) {
      record.down = "not-reversible";
      say("down " + m.plugin_id + "/" + m.id + ": not reversible, rollback check stops here");
      result.ok = true;
      return result;
    }
    say("down " + m.plugin_id + "/" + m.id + " " + m.version);
    if (!apply(connection, m.down, record)) {
      record.down = "failed";
      return result;
    }
    record.difference = diff_schema(before[i], inspect_schema(connection));
    if (!record.difference.empty()) {
      record.down = "failed";
      record.error = "the down steps do not restore the schema as it was before the up steps";
      return result;
    }
    record.down = "ok";
  }
  result.ok = true;
  return result;
}

}  // namespace migpkg::runtime
