#include "cli/api_client.hpp"

#include <exception>
#include <iostream>

#include "cli/progress_lines.hpp"
#include "cli/runtime_support.hpp"
#include "runtime/crypto/age_keys.hpp"

namespace migpkg::cli {

api::RunOptions api_run_options(const Arguments& args, const std::string& command,
                                const runtime::DatabaseUrl& url, bool show_progress,
                                const Config* config) {
  // The run context the commands always built: the same options, checked in the same order.
  runtime::RunContext context =
      run_context(args, joined_arguments(command, args), url, show_progress, config);
  api::RunOptions options;
  options.actor = context.actor;
  options.command_line = context.command_line;
  options.lock_timeout_seconds = context.lock_timeout_seconds;
  options.single_transaction = context.single_transaction;
  options.commit_interval_ms = context.commit_interval_ms;
  options.backup_directory = context.backup_directory;
  if (context.backup_encryption)
    options.backup_encryption = api_encrypt_to(*context.backup_encryption);
  if (config) options.retention = {config->backups_keep, config->backups_keep_days};
  options.on_log = context.say;
  if (auto draw = context.progress)
    options.on_progress = [draw](const api::Progress& p) {
      // Rows of a batched transform; the count of migrations is not drawn.
      if (p.unit == "rows")
        draw({p.item, static_cast<std::int64_t>(p.done), static_cast<std::int64_t>(p.total)});
    };
  return options;
}

namespace {

std::string secret_text(const crypto::SecretBuffer& secret) {
  return std::string(reinterpret_cast<const char*>(secret.data()), secret.size());
}

}  // namespace

api::EncryptTo api_encrypt_to(const crypto::AgeEncryptTo& keys) {
  api::EncryptTo out;
  for (const auto& recipient : keys.recipients) out.recipients.push_back(recipient.text());
  if (keys.passphrase) out.passphrase = secret_text(*keys.passphrase);
  return out;
}

api::DecryptWith api_decrypt_with(const crypto::AgeDecryptWith& keys) {
  api::DecryptWith out;
  for (const auto& identity : keys.identities) out.identities.push_back(identity.text());
  if (keys.passphrase) out.passphrase = secret_text(*keys.passphrase);
  return out;
}

void rethrow_failure(const api::Outcome& outcome) {
  if (outcome.error) std::rethrow_exception(outcome.error);
}

void print_diagnostics(const std::vector<api::Diagnostic>& diagnostics) {
  std::size_t errors = 0, warnings = 0;
  for (const api::Diagnostic& d : diagnostics) {
    std::cerr << d.text;
    errors += d.severity == api::Severity::Error;
    warnings += d.severity == api::Severity::Warning;
  }
  if (errors || warnings)
    std::cerr << errors << " error" << (errors == 1 ? "" : "s") << ", " << warnings << " warning"
              << (warnings == 1 ? "" : "s") << "\n";
}

void print_retention(const api::RunResult& run, const Config& config) {
  if (run.pruned_backups.empty() && run.retention_problems.empty()) return;
  ProgressLines::instance().flush();
  for (const auto& path : run.pruned_backups)
    std::cerr << "pruned backup " << path << " (retention from " << config.path << ")\n";
  for (const auto& problem : run.retention_problems) std::cerr << "warning: " << problem << "\n";
}

int print_run(const api::RunResult& run, const std::string& command, bool json) {
  ProgressLines::instance().flush();  // the run's progress comes before its report
  if (json) {
    std::cout << run.json << "\n";
    return run.exit_code;
  }
  for (const api::MigrationRun& m : run.migrations) {
    std::cout << "  " << m.action << " " << m.plugin_id << "/" << m.migration_id << " "
              << m.version;
    if (m.duration_ms) std::cout << " (" << m.duration_ms << " ms)";
    if (!m.backup.empty()) std::cout << ", backup " << m.backup;
    if (!m.skipped_steps.empty()) std::cout << ", " << m.skipped_steps.size() << " step(s) skipped";
    if (!m.undone_steps.empty()) {
      std::cout << ", undone:";
      for (const auto& id : m.undone_steps)
        std::cout << (&id == &m.undone_steps.front() ? " " : ", ") << id;
    }
    if (m.partial) std::cout << ", left PARTIAL";
    std::cout << "\n";
  }
  for (const auto& warning : run.warnings)
    std::cerr << "migpkg " << command << ": " << warning << "\n";
  for (const auto& problem : run.problems)
    std::cerr << "migpkg " << command << ": " << problem << "\n";
  if (run.ok())
    std::cout << command << ": ok, " << run.migrations.size() << " migration"
              << (run.migrations.size() == 1 ? "" : "s") << "\n";
  return run.exit_code;
}

}  // namespace migpkg::cli
