#pragma once
// When the installer backs up on its own, beyond the backups an author requires
// (requiresBackup, riskLevel high or critical):
//   - install: before a migration with a destructive declarative change: dropTable,
//     dropColumn, or alterColumn with a new type (a conversion may lose values), unless the
//     author waived it (waiveBackup / `no backup`) or the installer did (--no-backup);
//   - rollback: before undoing a migration whose down steps drop a table, drop a column of a
//     table, rebuild a table (SQLite) or truncate one, when that table holds rows now. Every
//     automatic down of createTable or addColumn drops something; only rows make it a loss.
// Raw SQL up steps are not parsed for the install rule; the rollback rule reads the stored
// down SQL, whatever wrote it.
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/planner/plan.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

// The author's requirement: requiresBackup, or riskLevel high or critical.
bool backup_required(const plan::Migration& migration);

// What the migration's declarative up changes destroy ("table \"x\"", "column \"x\".\"y\""),
// whether or not the author waived the backup.
std::vector<std::string> destroyed_by(const ir::Migration& migration);

// The tables holding rows now that `steps` (down steps from a stored plan) drop, rebuild,
// truncate or drop a column of, as "table \"x\"". Asks the database, inside the caller's
// transaction if one is open (it sees what the run changed so far), never failing a query.
std::vector<std::string> tables_losing_rows(Connection& connection,
                                            const std::vector<plan::Step>& steps);

// "a, b and c".
std::string join_words(const std::vector<std::string>& words);

}  // namespace migpkg::runtime
