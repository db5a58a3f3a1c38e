#pragma once
// install and plan from verified inputs (program_inputs.hpp): what `migpkg install` / `plan` do
// once their arguments are read, shared with the install operation (runtime/operations/).
// Opens the database (a SQLite file that does not exist is created only once the sources are
// known to be good), refuses downgrades, validates the sources against what the database has,
// plans them for its engine and runs the installer.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "compiler/diagnostics/diagnostic.hpp"
#include "runtime/installer/installer.hpp"
#include "runtime/installer/program_inputs.hpp"

namespace migpkg::runtime {

struct InstallInputsRequest {
  ProgramInputs inputs;  // verified; consumed
  bool dry_run = false;
  std::string target_plugin, target_version;  // install --to [PLUGIN@]VERSION
  bool allow_downgrade = false;
  // Called once the sources are validated and planned: true stops there (the diagnostics have
  // errors; nothing was run). The command line prints them here.
  std::function<bool(const Diagnostics&)> stop_on_errors;
  // Called after every check passed, right before a run that writes (the command line records
  // the registry index's version).
  std::function<void()> before_run;
};

struct InstallInputsResult {
  std::optional<RunReport> report;         // nullopt: stopped on the diagnostics
  std::unique_ptr<Connection> connection;  // still open, for what follows the run (retention)
};

// `context`: the packages' data files and provenance are added to a copy of it. Refusals of
// packages throw package::PackageError; a LockTimeout opening the database is rethrown with
// the lock's holder named.
InstallInputsResult install_inputs(const DatabaseUrl& url, InstallInputsRequest& request,
                                   RunContext context, Diagnostics& diagnostics);

}  // namespace migpkg::runtime
