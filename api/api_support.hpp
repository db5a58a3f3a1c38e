#pragma once
// What the public API's calls (include/migpkg/) share: the library's data turned into the
// public structs, failures into a status, and RunOptions into the installer's RunContext.
#include <exception>
#include <functional>
#include <memory>
#include <string>

#include "compiler/diagnostics/diagnostic.hpp"
#include "include/migpkg/operations.hpp"
#include "runtime/crypto/age_stream.hpp"
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

// The installer's context for a call: actor, lock timeout, backups (and their encryption),
// commit interval, log, progress, cancel. `command_line` is the audit log's when the options
// name none.
runtime::RunContext run_context(const RunOptions& options, const std::string& command_line,
                                const runtime::DatabaseUrl& url);

// The audit log's command line: the options', else `call` followed by "(library)".
std::string audit_command_line(const RunOptions& options, const std::string& call);

// The age keys of a request (an AgeError names `where` for a bad recipient or identity); null
// when it names none.
std::shared_ptr<const crypto::AgeEncryptTo> age_encrypt_to(const EncryptTo& to,
                                                           const std::string& where);
std::unique_ptr<crypto::AgeDecryptWith> age_decrypt_with(const DecryptWith& with,
                                                         const std::string& where);

// After a successful run that is not a dry run, with a retention in the options: prunes the
// database's backups in the run's backup directory, sparing those the run took, into
// out.pruned_backups; what it cannot do goes to out.retention_problems (the run stays ok).
void apply_retention(RunResult& out, runtime::Connection& connection,
                     const runtime::DatabaseUrl& url, const runtime::RunContext& context,
                     const RunOptions& options, const runtime::RunReport& report, bool dry_run);

// An installer run's report as a RunResult (the same report `--json` prints).
void fill_run_result(RunResult& out, const runtime::RunReport& report, const std::string& command,
                     const std::string& database);

}  // namespace migpkg::api::detail
