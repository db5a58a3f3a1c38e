#pragma once
// The --json report of install, plan, rollback and restore (schemas/run-report.schema.json),
// built once for the command line and for operations (runtime/operations/) alike.
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/installer/installer.hpp"

namespace migpkg::runtime {

// "ok", "failed", "refused", "locked", "drift", "cancelled".
const char* run_status_name(RunStatus status);

// The exit code a run with this status ends the command with: ok 0, locked 4, drift 5,
// cancelled 6, anything else 1 (docs/cli.md, "Exit codes").
int run_status_exit_code(RunStatus status);

// `database`: the URL as given; its password is redacted here.
nlohmann::ordered_json run_report_json(const RunReport& report, const std::string& command,
                                       const std::string& database);

}  // namespace migpkg::runtime
