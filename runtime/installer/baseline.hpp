#pragma once
// `migpkg baseline` (docs/diff.md): a database whose tables were built by hand (or by another
// tool) is recorded as having a plugin installed at a version, so that `install` goes on from
// there and `rollback` can undo it. Before anything is written, the plugin's migrations up to
// that version are run on a scratch database of the same engine and the two schemas compared
// (the check snapshots, runtime/check/schema_snapshot.hpp); any difference refuses the run.
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/planner/plan.hpp"
#include "runtime/installer/installer.hpp"

namespace migpkg::runtime {

struct BaselineRequest {
  const ir::Program* program = nullptr;  // validated; holds the plugin
  plan::Plan plan;                       // the program planned for the database's engine
  std::string plugin_id;
  std::string version;  // a version one of the plugin's migrations has
  // The database's URL as given: the scratch database is made on the same server.
  std::string database_url;
};

struct BaselineReport {
  RunStatus status = RunStatus::Ok;  // Ok, Refused, Locked or Failed
  std::vector<std::string> problems;
  // The migrations recorded as applied, in order (Ok), or that would have been.
  std::vector<std::string> migrations;
  // A schema mismatch: "- LINE" for what the plugin's schema has and the database has not,
  // "+ LINE" for what the database has on the plugin's tables and the plugin's schema has not;
  // and the changes that would make the database match, as a DSL migration.
  std::vector<std::string> difference;
  std::string fix;
  std::vector<std::string> notes;
};

BaselineReport baseline(Connection& connection, const DatabaseUrl& url,
                        const BaselineRequest& request, const RunContext& context);

}  // namespace migpkg::runtime
