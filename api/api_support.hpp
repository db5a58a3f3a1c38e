#pragma once
// What the public API's calls (include/migpkg/) share: the library's data turned into the
// public structs, failures into a status, and RunOptions into the installer's RunContext.
#include <exception>
#include <functional>
#include <string>

#include "compiler/diagnostics/diagnostic.hpp"
#include "include/migpkg/operations.hpp"
#include "runtime/installer/installer.hpp"

namespace migpkg::api::detail {

std::vector<api::Diagnostic> public_diagnostics(const migpkg::Diagnostics& diagnostics);

// The exit code the command line gives a status (trust: a refusal for trust, exit 3).
int exit_code_of(Status status, bool trust = false);

// Sets `out`'s status, exit code and problem from the exception that ended a call, as the
// command line classifies it: a refused package (trust, 3), a held lock (4), a bad request
// (std::invalid_argument: usage, 2), anything else failed (1).
void record_failure(Outcome& out, std::exception_ptr error);

// Runs `body` on `out`, recording an exception as its failure.
template <typename Result>
Result guarded(const std::function<void(Result&)>& body) {
  Result out;
  try {
    body(out);
  } catch (...) {
    record_failure(out, std::current_exception());
  }
  return out;
}

// The OS user, when the options name no actor.
std::string actor_of(const RunOptions& options);

// The installer's context for a call: actor, lock timeout, backups, log, progress, cancel.
runtime::RunContext run_context(const RunOptions& options, const std::string& command_line,
                                const runtime::DatabaseUrl& url);

// An installer run's report as a RunResult (the same report `--json` prints).
void fill_run_result(RunResult& out, const runtime::RunReport& report, const std::string& command,
                     const std::string& database);

}  // namespace migpkg::api::detail
