#include "runtime/check/check_runner.hpp"

#include <chrono>
#include <optional>

#include "runtime/check/data_checks.hpp"
#include "runtime/check/migration_facts.hpp"
#include "runtime/check/row_generator.hpp"
#include "runtime/check/schema_snapshot.hpp"
#include "runtime/check/table_rows.hpp"
#include "runtime/executor/step_runner.hpp"

namespace migpkg::runtime {
namespace {

// Runs one direction of one migration, recording the outcome instead of throwing.
bool apply(Connection& connection, const std::vector<plan::Step>& steps, MigrationCheck& record,
           double& milliseconds) {
  RunOptions options;
  options.checks_fail = false;
  options.on_event = [&](const StepEvent& event) {
    if (event.kind == StepEvent::Kind::Warning)
      record.warnings.push_back("step " + event.step_id + ": " + event.message);
    else if (event.kind == StepEvent::Kind::Skipped)
      record.warnings.push_back("step " + event.step_id +
                                " failed and was skipped (skipOnError): " + event.message);
  };
  auto start = std::chrono::steady_clock::now();
  bool ok = false;
  try {
    run_steps(connection, steps, options);
    ok = true;
  } catch (const StepFailure& failure) {
    record.error =
        "step " + failure.step_id() + ": " + failure.what() + "\n  SQL: " + failure.sql();
  } catch (const DatabaseError& e) {
    record.error = e.what();
  }
  milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return ok;
}

// Splits the lines of a schema difference into failures and notes: a table's column order
// ("table T columns a, b, c") is a note, since each column is compared by name on its own line.
void separate_column_order(MigrationCheck& record) {
  std::vector<std::string> failures;
  for (auto& line : record.difference) {
    if (line.size() > 8 && line.compare(2, 6, "table ") == 0 &&
        line.find(" columns ") != std::string::npos) {
      record.notes.push_back(std::string(line[0] == '-' ? "column order before the up: "
                                                        : "column order after the down: ") +
                             line.substr(2));
    } else {
      failures.push_back(std::move(line));
    }
  }
  record.difference = std::move(failures);
}

// The tables to seed: every table the database has, described by the schema model where it
// knows the table, else as the database describes it (raw SQL made it).
std::vector<SeedTable> tables_to_seed(Connection& connection, const MigrationFacts* facts,
                                      bool after_up) {
  std::vector<SeedTable> tables;
  for (const auto& name : user_tables(connection)) {
    const SeedTable* modelled = nullptr;
    if (facts)
      for (const auto& table : after_up ? facts->tables_after : facts->tables_before)
        if (table.name == name) modelled = &table;
    if (modelled)
      tables.push_back(*modelled);
    else if (auto table = seed_table_from_database(connection, name))
      tables.push_back(*table);
    if (facts && !tables.empty() && !modelled)
      require_not_null(tables.back(), facts->required_later);
  }
  return tables;
}

void add_all(std::vector<std::string>& to, std::vector<std::string> lines) {
  for (auto& line : lines) to.push_back(std::move(line));
}

}  // namespace

CheckResult run_check(Connection& connection, const plan::Plan& plan,
                      const CheckProgress& progress) {
  return run_check(connection, plan, CheckOptions{}, progress);
}

CheckResult run_check(Connection& connection, const plan::Plan& plan, const CheckOptions& options,
                      const CheckProgress& progress) {
  CheckResult result;
  auto say = [&](const std::string& line) {
    if (progress) progress(line);
  };
  bool check_data = options.check_data || options.seed_rows > 0;
  std::map<std::string, MigrationFacts> facts;
  if (check_data && options.program) facts = migration_facts(*options.program);
  auto facts_of = [&](const plan::Migration& m) -> const MigrationFacts* {
    auto found = facts.find(m.plugin_id + "/" + m.id);
    return found == facts.end() ? nullptr : &found->second;
  };

  std::vector<SchemaSnapshot> before;     // schema before each migration's up
  std::vector<DataSnapshot> rows_before;  // rows before each migration's up (data checks)
  for (const auto& m : plan.migrations) {
    MigrationCheck record;
    record.plugin_id = m.plugin_id;
    record.id = m.id;
    record.version = m.version;
    result.migrations.push_back(record);
  }

  std::optional<DataSnapshot> current;  // the rows now, when known
  for (std::size_t i = 0; i < plan.migrations.size(); ++i) {
    const auto& m = plan.migrations[i];
    auto& record = result.migrations[i];
    if (options.seed_rows > 0) {
      say("seed " + m.plugin_id + "/" + m.id);
      SeedRequest request{options.seed_rows, options.seed, static_cast<std::uint64_t>(i)};
      record.seeded =
          seed_tables(connection, tables_to_seed(connection, facts_of(m), false), request).inserted;
      current.reset();
    }
    if (check_data)
      rows_before.push_back(current ? std::move(*current) : snapshot_rows(connection));
    before.push_back(inspect_schema(connection));
    say("up   " + m.plugin_id + "/" + m.id + " " + m.version);
    if (!apply(connection, m.up, record, record.up_ms)) {
      record.up = "failed";
      return result;
    }
    if (check_data) {
      current = snapshot_rows(connection);
      record.up_rows = rows_touched(rows_before[i], *current);
      add_all(record.data_problems, rows_lost(rows_before[i], *current));
      add_all(record.data_problems, foreign_key_violations(connection));
      if (!record.data_problems.empty()) {
        record.up = "failed";
        record.error = "after the up, rows are missing or foreign keys point at no row";
        return result;
      }
    }
    record.up = "ok";
  }
  // The downs run on full tables too: the tables the last up left are topped up first.
  if (options.seed_rows > 0 && !plan.migrations.empty()) {
    const auto& last = plan.migrations.back();
    say("seed after " + last.plugin_id + "/" + last.id);
    SeedRequest request{options.seed_rows, options.seed, plan.migrations.size()};
    result.seeded_before_downs =
        seed_tables(connection, tables_to_seed(connection, facts_of(last), true), request).inserted;
    current.reset();
  }
  // The downs run last to first: what a later migration's down declared lost (a column it
  // re-adds without its values) is lost for every earlier migration's comparison too.
  DeclaredLoss declared;
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
    if (check_data && !current) current = snapshot_rows(connection);
    if (!apply(connection, m.down, record, record.down_ms)) {
      record.down = "failed";
      return result;
    }
    record.difference = diff_schema(before[i], inspect_schema(connection));
    separate_column_order(record);
    if (!record.difference.empty()) {
      record.down = "failed";
      record.error = "the down steps do not restore the schema as it was before the up steps";
      return result;
    }
    if (check_data) {
      DataSnapshot after = snapshot_rows(connection);
      record.down_rows = rows_touched(*current, after);
      if (const MigrationFacts* known = facts_of(m)) {
        declared.tables.insert(known->down_loses.tables.begin(), known->down_loses.tables.end());
        declared.columns.insert(known->down_loses.columns.begin(),
                                known->down_loses.columns.end());
      }
      add_all(record.data_problems, rows_not_restored(rows_before[i], after, declared));
      add_all(record.data_problems, foreign_key_violations(connection));
      current = std::move(after);
      if (!record.data_problems.empty()) {
        record.down = "failed";
        record.error = "the down steps do not bring back the rows as they were before the up steps";
        return result;
      }
    }
    record.down = "ok";
  }
  result.ok = true;
  return result;
}

}  // namespace migpkg::runtime
