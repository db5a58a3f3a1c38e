#pragma once
// migpkg repair: the explicit, audited way out of a state a run could not settle by itself
// (docs/repair.md). Each action takes the run lock, writes an audit row, and records what it
// changed in the history (state "repaired"), in one transaction:
//   mark-undone   a half-done migration (its migpkg_inflight row and journal) is forgotten, as
//                 never applied: after an operator undid its done steps by hand. A half-done
//                 rollback marked undone leaves the migration rolled back (its applied row goes).
//   mark-applied  a half-done migration is recorded as applied, with the plan its in-flight row
//                 holds (so rollback can undo it): after an operator finished it by hand. A
//                 half-done rollback marked applied leaves the migration applied.
//   update-checksums  applied migrations whose source changed on purpose get the sources'
//                 checksum (and plan); when the plans differ in what they run, only with
//                 `confirmed` (--yes), the differences listed either way.
#include <string>
#include <vector>

#include "compiler/planner/plan.hpp"
#include "runtime/installer/installer.hpp"

namespace migpkg::runtime {

struct RepairRequest {
  enum class Action { MarkUndone, MarkApplied, UpdateChecksums } action = Action::MarkUndone;
  std::string plugin_id, migration_id;  // mark-undone, mark-applied
  const plan::Plan* plan = nullptr;     // update-checksums: the sources, planned for the engine
  bool confirmed = false;               // --yes: accept plans that differ in what they run
};

// One migration the repair changed (or, refused, would have changed).
struct RepairedMigration {
  std::string plugin_id, migration_id, version;
  std::string action;     // "marked-undone", "marked-applied", "checksum-updated"
  std::string direction;  // mark-*: the half-done direction ("up" or "down"); else "up"
  std::vector<std::string> cleared_steps;  // mark-*: the journalled steps that were done
  std::string old_checksum, new_checksum;  // update-checksums
  std::vector<std::string> differences;    // update-checksums: plan_difference.hpp's lines
};

struct RepairReport {
  RunStatus status = RunStatus::Ok;  // Ok, Refused, Locked or Failed
  std::vector<std::string> problems;
  std::vector<RepairedMigration> migrations;
};

RepairReport repair(Connection& connection, const DatabaseUrl& url, const RepairRequest& request,
                    const RunContext& context);

// "mark-undone", "mark-applied", "update-checksums".
const char* repair_action_name(RepairRequest::Action action);

}  // namespace migpkg::runtime
