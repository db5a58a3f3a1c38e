#pragma once
// Applies or undoes one migration with its bookkeeping, atomically where the engine allows.
#include <map>
#include <string>

#include "runtime/history/bookkeeping.hpp"
#include "runtime/installer/installer.hpp"

namespace migpkg::runtime {

class CommitBatch;

struct MigrationRun {
  const plan::Migration* migration = nullptr;
  bool up = true;
  // Steps to run: normally the migration's up or down steps; for undoing a half-applied
  // migration, the caller passes the reverses of what was done.
  const std::vector<plan::Step>* steps = nullptr;
  int resume_from = 0;           // steps already done (from the journal) when resuming
  bool inflight_exists = false;  // a migpkg_inflight row is already there
  std::string backup;
  std::optional<std::vector<std::string>> conflicts;  // the plugin's declared conflicts (install)
  // The caller's commit batch (commit_batch.hpp), a transaction open across several
  // migrations with the bookkeeping deferring its writes, or nullptr to run in transactions of
  // its own. Only for migrations whose steps are all transactional and that resume nothing.
  CommitBatch* batch = nullptr;
  // Undoing half-applied work (down): `steps` are the reverses of the first steps.size() up
  // steps, newest first (step_reverses.hpp). Each one done deletes its up step's journal row
  // instead of adding a row of its own, so the journal always lists the up steps still in
  // effect: a failure leaves a migration that install resumes and rollback undoes from there.
  bool reverses_up = false;
  // Up steps (by id) whose declarative change destroys data, with what it destroys ("drops
  // column ..."): their reverse gives the structure back but not the data, so a failure after
  // one committed is not undone at once (backup_rules.hpp, destroyed_by).
  std::map<std::string, std::string> destroying_steps;
  // The next migration of the run, journalled and certain to run right after this one (no
  // backup or anything else in between), or nullptr: its in-flight row is committed in this
  // migration's closing transaction, which saves it a durable commit of its own. A crash in
  // between leaves it in flight with no step done, as a crash right after that row always did.
  const plan::Migration* then_start = nullptr;
  // This migration's in-flight row went with the previous one's closing (then_start).
  bool inflight_written = false;
  // Recorded with its history row, and with its applied row when up: the package it is
  // installed from (RunContext::provenance), or, rolled back, what its applied row says.
  Provenance provenance;
};

// Runs it. All-transactional migrations: steps + history + applied set in one transaction.
// Otherwise each step is journalled as it completes. On failure the open transaction is
// rolled back, a "failed" (or "partial") history row is written and the result carries the
// error naming plugin, migration, step, SQL and the engine's message. A journalled up
// migration that fails after steps were committed has them undone at once, newest first, with
// their reverses (step_reverses.hpp), when each has one that gives back what it changed: it
// ends "failed" with nothing left (result.undone_steps). Otherwise, or when the undo fails, it
// is left "partial" (result.partial), and the error says which steps are done, why they were
// not undone and what to run next. A LockTimeout (another connection kept the database locked)
// is not a failure of the migration: it is rethrown.
MigrationResult run_migration(Connection& connection, Bookkeeping& bookkeeping,
                              const MigrationRun& run, const RunContext& context);

// The report of a run that met another connection's lock past --lock-timeout (a LockTimeout
// from a statement, after the run lock was taken): status locked, exit 4. The transaction the
// run had open, if any, is rolled back; what it committed before stays.
RunReport locked_report(Connection& connection, const std::string& problem);

// Why `steps` cannot run inside one transaction with others, or "" when they can.
std::string group_obstacle(const plan::Migration& migration, const std::vector<plan::Step>& steps);

}  // namespace migpkg::runtime
