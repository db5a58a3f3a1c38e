#pragma once
// When the installer backs up on its own, beyond the backups an author requires
// (requiresBackup, riskLevel high or critical):
//   - install: before a migration with a destructive declarative change: dropTable,
//     dropColumn, or alterColumn with a new type that does not just widen the old one (a
//     conversion may lose values), unless the author waived it (waiveBackup / `no backup`) or
//     the installer did (--no-backup);
//   - rollback: before undoing a migration whose down steps drop a table, drop a column of a
//     table, rebuild a table (SQLite) or truncate one, when that table holds rows now. Every
//     automatic down of createTable or addColumn drops something; only rows make it a loss.
// Raw SQL up steps are not parsed for the install rule; the rollback rule reads the stored
// down SQL, whatever wrote it.
#include <map>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/planner/plan.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

// The author's requirement: requiresBackup, or riskLevel high or critical.
bool backup_required(const plan::Migration& migration);

// The type each alterColumn of the program's up steps changes from, where the schema replay
// knows it (a column made by raw SQL it does not). The replay walks every change of the
// program, so it runs only when one of the `pending` migrations alters a type.
using PreviousTypes = std::map<const ir::SchemaChange*, ir::ColumnType>;
PreviousTypes previous_types(const ir::Program& program,
                             const std::vector<const ir::Migration*>& pending);

// True when every value of `before` fits `after` unchanged: a longer string, a wider integer
// or float, more enum values, decimal digits on both sides of the point, a string to text.
bool widens(const ir::ColumnType& before, const ir::ColumnType& after);

// What the migration's declarative up changes destroy ("drops table \"x\"", "drops column
// \"x\".\"y\"", "changes the type of column \"x\".\"y\""),
// whether or not the author waived the backup. A type change counts unless it widens the type
// it changes from (in `previous`).
std::vector<std::string> destroyed_by(const ir::Migration& migration,
                                      const PreviousTypes& previous);
// The same for one up step: what it destroys, or "". Such a step's reverse gives the structure
// back but not what it destroyed (the reverse of a dropColumn adds the column back empty).
std::string destroyed_by(const ir::Step& step, const PreviousTypes& previous);

// The tables holding rows now that `steps` (down steps from a stored plan) drop, rebuild,
// truncate or drop a column of, as "table \"x\"". Asks the database, inside the caller's
// transaction if one is open (it sees what the run changed so far), never failing a query.
std::vector<std::string> tables_losing_rows(Connection& connection,
                                            const std::vector<plan::Step>& steps);

// "a, b and c".
std::string join_words(const std::vector<std::string>& words);

}  // namespace migpkg::runtime
