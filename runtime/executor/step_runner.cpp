#include "runtime/executor/step_runner.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>

#include "runtime/engines/engine_registry.hpp"
#include "runtime/executor/load_step.hpp"
#include "runtime/executor/sqlite_rebuild.hpp"

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

// A step's `timeout`: the whole step (checks, statements, transform batches) must finish
// within it. Before each statement the engine is told how much of it is left; a statement that
// overruns fails with the engine's error, and the step fails naming the timeout.
class StepDeadline {
 public:
  StepDeadline(Connection& connection, const plan::Step& step)
      : connection_(connection), step_(step) {
    if (step.timeout_seconds)
      deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(*step.timeout_seconds);
  }
  ~StepDeadline() {
    if (!deadline_) return;
    try {
      connection_.set_statement_timeout(std::nullopt);
    } catch (const std::exception&) {
      // The connection is failing anyway; the step's own error is what the user needs.
    }
  }
  StepDeadline(const StepDeadline&) = delete;
  StepDeadline& operator=(const StepDeadline&) = delete;

  // Before each statement: the time left, or a failure when none is.
  void arm(const std::string& sql) {
    if (!deadline_) return;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    *deadline_ - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) throw StepFailure(step_.id, sql, expired("before this statement started"));
    connection_.set_statement_timeout(left);
  }

  // The engine's error, said as the timeout when that is what it was. The engine's timer
  // starts a little after ours and counts whole milliseconds, so it may fire just before our
  // deadline: an error within kSlack of it counts (the engine's message is kept either way).
  std::string explain(const std::string& engine_message) const {
    static constexpr std::chrono::milliseconds kSlack{100};
    if (!deadline_ || std::chrono::steady_clock::now() + kSlack < *deadline_) return engine_message;
    return expired(engine_message);
  }

 private:
  std::string expired(const std::string& detail) const {
    return "the step's timeout of " + std::to_string(*step_.timeout_seconds) + " s was reached (" +
           detail + ")";
  }

  Connection& connection_;
  const plan::Step& step_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
};

bool row_passes(const ResultSet& result) {
  return !result.rows.empty() && !result.rows[0].empty() && is_truthy(result.rows[0][0]);
}

// A narrowing check's message names what its row found: "{2}", "{3}", ... stand for the text
// of the row's second, third, ... column (how many rows do not fit, the longest or extreme
// values). Other checks' messages are shown as written: a rule's message is the author's text.
std::string failure_message(const plan::Check& check, const ResultSet& result) {
  if (check.origin != "narrowing" || result.rows.empty()) return check.message;
  const auto& row = result.rows[0];
  std::string out;
  const std::string& text = check.message;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool placeholder = text[i] == '{' && i + 2 < text.size() && text[i + 2] == '}' &&
                       text[i + 1] >= '1' && text[i + 1] <= '9';
    if (!placeholder) {
      out += text[i];
      continue;
    }
    std::size_t column = static_cast<std::size_t>(text[i + 1] - '1');
    out += column < row.size() ? row[column].value_or("NULL") : "?";
    i += 2;
  }
  return out;
}

void run_checks(Connection& connection, const plan::Step& step,
                const std::vector<plan::Check>& checks, const RunOptions& options,
                StepDeadline& deadline) {
  for (const auto& check : checks) {
    ResultSet result;
    deadline.arm(check.sql);
    try {
      result = connection.query(check.sql);
    } catch (const DatabaseError& e) {
      throw StepFailure(step.id, check.sql, "check failed to run: " + deadline.explain(e.what()));
    }
    if (row_passes(result)) continue;
    std::string message = failure_message(check, result);
    if (check.is_error && options.checks_fail) throw StepFailure(step.id, check.sql, message);
    emit(options, StepEvent::Kind::Warning, step.id,
         check.is_error ? message + " (an error check, only reported here)" : message);
  }
}

// Before a step that rebuilds tables on SQLite: refuses to run it with foreign keys on (its
// DROP TABLE would delete or strand the rows that reference the table), and keeps the tables'
// indexes and triggers to restore after it.
std::optional<RebuildObjects> prepare_rebuild(Connection& connection, const plan::Step& step) {
  std::vector<std::string> tables = rebuilt_tables(step);
  if (tables.empty() || !engine_of(connection).rebuilds_need_foreign_keys_off())
    return std::nullopt;
  const std::string pragma = "PRAGMA foreign_keys";
  try {
    ResultSet setting = connection.query(pragma);
    if (!setting.rows.empty() && setting.rows[0][0].value_or("0") != "0")
      throw StepFailure(step.id, pragma,
                        "a table rebuild must run with foreign keys off (its DROP TABLE would "
                        "delete the rows of other tables that reference the table); run it "
                        "through run_steps or the installer, which switch them off");
    return RebuildObjects::capture(connection, tables);
  } catch (const DatabaseError& e) {
    throw StepFailure(step.id, e.sql().empty() ? pragma : e.sql(), e.what());
  }
}

// After it: the dropped indexes and triggers again, and no row may violate a foreign key
// (checked here rather than by the engine, which had foreign keys off).
void finish_rebuild(Connection& connection, const plan::Step& step, const RebuildObjects& objects) {
  try {
    objects.restore(connection);
    check_foreign_keys(connection);
  } catch (const DatabaseError& e) {
    throw StepFailure(step.id, e.sql(), e.what());
  }
}

void run_one(Connection& connection, const plan::Step& step, const RunOptions& options) {
  StepDeadline deadline(connection, step);
  int statements_done = 0;  // -1 once a batched transform has begun: its batches are not counted
  try {
    run_checks(connection, step, step.pre_checks, options, deadline);
    std::optional<RebuildObjects> rebuild = prepare_rebuild(connection, step);
    if (step.load) {
      deadline.arm("");
      run_load_step(connection, step, options);
    } else if (step.transform && step.transform->batch_size > 0) {
      // Each batch's statements get at most what is left when the batches start.
      deadline.arm(step.statements.empty() ? "" : step.statements.front());
      statements_done = -1;
      try {
        run_batched_transform(connection, step, options);
      } catch (const StepFailure& failure) {
        throw StepFailure(failure.step_id(), failure.sql(), deadline.explain(failure.what()));
      }
      statements_done = static_cast<int>(step.statements.size());
    } else {
      for (const auto& statement : step.statements) {
        deadline.arm(statement);
        try {
          connection.execute(statement);
        } catch (const DatabaseError& e) {
          throw StepFailure(step.id, statement, deadline.explain(e.what()));
        }
        ++statements_done;
      }
    }
    if (rebuild) finish_rebuild(connection, step, *rebuild);
    run_checks(connection, step, step.post_checks, options, deadline);
  } catch (StepFailure& failure) {
    failure.set_statements_done(statements_done);
    throw;
  }
}

}  // namespace

bool check_passes(Connection& connection, const plan::Check& check) {
  return row_passes(connection.query(check.sql));
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

bool is_plain_step(const plan::Step& step) {
  return step.kind == "sql" && !step.statements.empty() && step.pre_checks.empty() &&
         step.post_checks.empty() && !step.transform && !step.skip_on_error &&
         !step.timeout_seconds && rebuilt_tables(step).empty() &&
         std::none_of(step.statements.begin(), step.statements.end(),
                      [](const std::string& sql) { return sql.find(';') != std::string::npos; });
}

void run_plain_step(Connection& connection, const plan::Step& step, const Riders& riders,
                    const RunOptions& options) {
  std::vector<Connection::Statement> all = riders.before;
  for (const auto& sql : step.statements) all.push_back({sql, std::nullopt});
  all.insert(all.end(), riders.after.begin(), riders.after.end());
  const std::size_t first = riders.before.size(), end = first + step.statements.size();
  try {
    connection.execute_all(all);
  } catch (const StatementsFailure& e) {
    if (e.index() < first) throw RiderFailure(e, true);
    if (e.index() >= end) throw RiderFailure(e, false);
    StepFailure failure(step.id, step.statements[e.index() - first], e.what());
    failure.set_statements_done(static_cast<int>(e.index() - first));
    throw failure;
  }
  emit(options, StepEvent::Kind::Applied, step.id, "");
}

void run_steps(Connection& connection, const std::vector<plan::Step>& steps,
               const RunOptions& options) {
  // Switched off before the first BEGIN and on again after the last COMMIT or ROLLBACK.
  std::optional<ForeignKeysOff> foreign_keys_off;
  if (needs_foreign_keys_off(connection, steps)) foreign_keys_off.emplace(connection);
  ForeignKeyLedger ledger(foreign_keys_off.has_value());
  try {
    for (const auto& step : steps) {
      if (step.transactional && !connection.in_transaction()) connection.begin();
      if (!step.transactional && connection.in_transaction()) {
        ledger.check_before_commit(connection);
        connection.commit();
      }
      ledger.after_step(step, run_step(connection, step, options));
      if (!connection.in_transaction()) ledger.check_before_commit(connection);
    }
    ledger.check_before_commit(connection);
    if (connection.in_transaction()) connection.commit();
  } catch (...) {
    if (connection.in_transaction()) connection.rollback();
    throw;
  }
}

}  // namespace migpkg::runtime
