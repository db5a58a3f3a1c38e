#pragma once
// SQLite's copy-table rebuild at run time (docs/runtime.md, "SQLite: foreign keys and table
// rebuilds"). The compiler rebuilds a table to change a column or a constraint (docs/dialects.md,
// point 7): new table, copy, DROP TABLE, rename. With PRAGMA foreign_keys on, that DROP TABLE
// deletes the rows of the table first, which fails when other tables reference them or silently
// deletes their rows through ON DELETE CASCADE; and it drops the indexes and triggers that raw SQL
// put on the table, which the compiler does not know. So, as sqlite.org prescribes for "other kinds
// of table schema changes": foreign keys are switched off around the transaction that holds a
// rebuild (the pragma is a no-op inside one), PRAGMA foreign_key_check runs before that
// transaction commits, and the table's indexes and triggers are created again from what
// sqlite_schema held before the step.
#include <memory>
#include <string>
#include <vector>

#include "compiler/planner/plan.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

// The tables `step` rebuilds, from the compiler's rename statement
// `ALTER TABLE "migpkg_rebuild_<t>" RENAME TO "<t>"`. Read from the statements rather than
// marked in the plan, so plans stored by earlier versions (which rollback runs) are covered.
std::vector<std::string> rebuilt_tables(const plan::Step& step);

// Whether `steps` must run with foreign keys off: a SQLite connection and a step that rebuilds.
bool needs_foreign_keys_off(const Connection& connection, const std::vector<plan::Step>& steps);

// PRAGMA foreign_key_check: throws DatabaseError naming each violating table, its rowids and the
// table they reference.
void check_foreign_keys(Connection& connection);

// PRAGMA foreign_keys off while this lives, back to what it was when it ends. Must be created
// and ended outside a transaction (inside one SQLite ignores the pragma; the constructor throws
// then, the destructor leaves the setting to the connection's end).
class ForeignKeysOff {
 public:
  explicit ForeignKeysOff(Connection& connection);
  ~ForeignKeysOff();
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

 private:
  Connection& connection_;
  bool was_on_ = false;
};

// Which steps ran unchecked while foreign keys were off: a rebuild step checks the whole
// database itself (run_step), anything after it needs PRAGMA foreign_key_check before COMMIT.
class ForeignKeyLedger {
 public:
  explicit ForeignKeyLedger(bool off) : off_(off) {}
  bool off() const { return off_; }
  // After a step ran (`applied`) or was skipped: a rebuild that ran has checked everything.
  void after_step(const plan::Step& step, bool applied);
  // Before a COMMIT of steps that ran with foreign keys off (and after a step that ran outside
  // a transaction): PRAGMA foreign_key_check, unless the last step was a rebuild that checked.
  void check_before_commit(Connection& connection);

 private:
  bool off_;
  bool unchecked_ = false;
};

// The indexes and triggers of the tables a step rebuilds, read from sqlite_schema before it, so
// that those the rebuild dropped (created by raw SQL) are created again after it.
class RebuildObjects {
 public:
  static RebuildObjects capture(Connection& connection, const std::vector<std::string>& tables);
  // Creates the missing ones again, then checks that the views using the tables that worked
  // before still work. Throws DatabaseError naming the object that cannot be restored. An index
  // whose column the step dropped is left dropped, as PostgreSQL drops the indexes of a
  // dropped column.
  void restore(Connection& connection) const;

 private:
  struct Object {
    std::string type, name, table, sql;  // type "index", "trigger" or "view" (sql unused)
    std::vector<std::string> columns;    // an index's named columns (not its expressions)
  };
  std::vector<Object> objects_;
};

}  // namespace migpkg::runtime
