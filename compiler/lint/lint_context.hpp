#pragma once
// What the lint rules share (compiler/lint/ only): what is known of a migration when its steps
// are checked, and the sink findings go to. One rule family per file, each a function of this.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/dialects/dialect.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/lint/lint.hpp"
#include "compiler/schema/schema_model.hpp"

namespace migpkg::lint {

// Table -> its column names, for the tables the schema replay knows at one point.
using TableColumns = std::map<std::string, std::set<std::string>>;

// One migration as the rules see it.
struct MigrationScope {
  TableColumns before;  // the tables before its up steps
  // The tables after the plugin's previous version (a lower version than this migration's);
  // `has_previous` is false for the plugin's first version.
  TableColumns released;
  bool has_previous = false;
  // Tables its up steps create, declaratively or by a raw SQL CREATE TABLE: empty, so nothing
  // on them costs anything or loses anything.
  std::set<std::string> created;

  // Whether `table` may hold rows before the migration runs: the replay knew it before, or it
  // is unknown to the replay (raw SQL, another plugin) and not created by this migration.
  bool holds_rows(const std::string& table) const {
    return before.count(table) > 0 || created.count(table) == 0;
  }
  // The same for a column: it was there before, or its table is unknown to the replay.
  bool holds_values(const std::string& table, const std::string& column) const {
    auto known = before.find(table);
    return known != before.end() ? known->second.count(column) > 0 : created.count(table) == 0;
  }
};

// A step with the schema just before it (for a down step: the schema the up steps left).
struct StepFacts {
  const ir::Migration& migration;
  const ir::Step& step;
  bool down;
  const schema::SchemaModel& schema;
  const MigrationScope& scope;
};

class Sink {
 public:
  explicit Sink(const Levels& levels) : levels_(levels) {}
  // Reports a finding of `code` (a code of the table) unless its level is Off.
  void add(const char* code, const std::string& dialect, const ir::Migration& migration,
           const ir::Step& step, bool down, const SourceLocation& location, std::string message);
  std::vector<Finding>& findings() { return findings_; }

 private:
  const Levels& levels_;
  std::vector<Finding> findings_;
};

// Where a step's change is written, else the step.
const SourceLocation& change_location(const ir::Step& step);
// "\"orders\"" and "\"orders\".\"note\"".
std::string quoted(const std::string& name);
std::string quoted(const std::string& table, const std::string& column);

// The families (data_loss_rules.cpp, rewrite_rules.cpp, lock_rules.cpp,
// compatibility_rules.cpp): declarative changes, with the schema before them.
void check_data_loss(const StepFacts& facts, Sink& sink);
void check_rewrites(const StepFacts& facts, const Dialect& dialect, Sink& sink);
void check_locks(const StepFacts& facts, const Dialect& dialect, Sink& sink);
void check_compatibility(const StepFacts& facts, Sink& sink);

// The backup rule (backup_rule.cpp): a migration's declarative destruction with the backup
// waived. `previous_types` are the types its alterColumn changes change from.
void check_backup(const ir::Migration& migration, const MigrationScope& scope,
                  const std::map<const ir::SchemaChange*, ir::ColumnType>& previous_types,
                  Sink& sink);

// What a dialect's plan shows (plan_rules.cpp): SQLite rebuilds and the raw SQL statements.
struct PlannedStep {
  const ir::Migration& migration;
  const ir::Step& step;
  bool down;
  const std::vector<std::string>& statements;
  const MigrationScope& scope;
};
void check_planned_step(const PlannedStep& planned, const Dialect& dialect, Sink& sink);

}  // namespace migpkg::lint
