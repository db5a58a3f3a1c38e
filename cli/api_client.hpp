#pragma once
// What the commands that are clients of the public API (include/migpkg/, api/) share: the API's
// RunOptions read from the command line as the commands always read them, a failure rethrown
// from the result (so cli/failure.cpp words it and picks the exit code as before), and the
// results printed as the commands print them.
#include <string>
#include <vector>

#include "cli/arguments.hpp"
#include "cli/config_file.hpp"
#include "include/migpkg/operations.hpp"
#include "runtime/crypto/age_stream.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::cli {

// --actor, --lock-timeout, --commit-interval, --single-transaction and --backup-dir (UsageError
// for bad values), the audit log's command line (the command and its words, the URL without
// its password); with `config` (install, plan, rollback) backup encryption (--encrypt-to ...,
// else the configuration's) and the configuration's retention. `show_progress`: the run's lines
// through on_log, and on a terminal its rows redrawn on stderr.
api::RunOptions api_run_options(const Arguments& args, const std::string& command,
                                const runtime::DatabaseUrl& url, bool show_progress,
                                const Config* config = nullptr);

// The age keys the options gave (read and checked as the commands always did), as the API's
// plain values.
api::EncryptTo api_encrypt_to(const crypto::AgeEncryptTo& keys);
api::DecryptWith api_decrypt_with(const crypto::AgeDecryptWith& keys);

// The exception that ended the call, as the library threw it.
void rethrow_failure(const api::Outcome& outcome);

// To stderr, each as the command line renders it, then the "N errors, M warnings" line.
void print_diagnostics(const std::vector<api::Diagnostic>& diagnostics);

// install, plan, rollback: what the retention deleted (naming the configuration it came from)
// and could not do, on stderr.
void print_retention(const api::RunResult& run, const Config& config);

// The run's report (text, or --json), its warnings and problems; returns its exit code.
int print_run(const api::RunResult& run, const std::string& command, bool json);

}  // namespace migpkg::cli
