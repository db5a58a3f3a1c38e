#include "api/api_support.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <set>
#include <stdexcept>

#include "compiler/diagnostics/render.hpp"
#include "runtime/crypto/age_keys.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/installer/backup_listing.hpp"
#include "runtime/installer/run_report_json.hpp"
#include "runtime/installer/unresolved_migrations.hpp"
#include "runtime/package/package_error.hpp"

namespace migpkg::api {

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Note:
      return "note";
  }
  return "error";
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics)
    if (d.severity == Severity::Error) return true;
  return false;
}

const char* status_name(Status status) {
  switch (status) {
    case Status::Ok:
      return "ok";
    case Status::Invalid:
      return "invalid";
    case Status::Failed:
      return "failed";
    case Status::Refused:
      return "refused";
    case Status::Locked:
      return "locked";
    case Status::Drift:
      return "drift";
    case Status::Cancelled:
      return "cancelled";
    case Status::Usage:
      return "usage";
  }
  return "failed";
}

namespace detail {

std::vector<api::Diagnostic> public_diagnostics(const migpkg::Diagnostics& diagnostics) {
  std::vector<api::Diagnostic> out;
  out.reserve(diagnostics.items().size());
  for (const migpkg::Diagnostic& d : diagnostics.items()) {
    api::Diagnostic p;
    p.severity = d.severity == DiagnosticSeverity::Error     ? Severity::Error
                 : d.severity == DiagnosticSeverity::Warning ? Severity::Warning
                                                             : Severity::Note;
    p.code = d.code;
    p.message = d.message;
    p.location = {d.location.file.str(), d.location.pointer, d.location.line, d.location.column};
    p.hint = d.hint;
    p.text = render_diagnostic(d);
    out.push_back(std::move(p));
  }
  return out;
}

int exit_code_of(Status status, bool trust) {
  switch (status) {
    case Status::Ok:
      return 0;
    case Status::Refused:
      return trust ? 3 : 1;
    case Status::Usage:
      return 2;
    case Status::Locked:
      return 4;
    case Status::Drift:
      return 5;
    case Status::Cancelled:
      return 6;
    case Status::Invalid:
    case Status::Failed:
      return 1;
  }
  return 1;
}

void record_failure(Outcome& out, std::exception_ptr error) {
  out.error = error;
  try {
    std::rethrow_exception(error);
  } catch (const package::PackageError& e) {
    // An untrusted package is refused for trust (3); an archive that cannot be read failed (1).
    bool trust = e.kind() == package::PackageErrorKind::Refused;
    out.status = trust ? Status::Refused : Status::Failed;
    out.exit_code = exit_code_of(out.status, trust);
    out.problems.push_back(e.what());
  } catch (const runtime::LockTimeout& e) {
    out.status = Status::Locked;
    out.exit_code = exit_code_of(out.status);
    out.problems.push_back(e.what());
  } catch (const std::invalid_argument& e) {
    out.status = Status::Usage;
    out.exit_code = exit_code_of(out.status);
    out.problems.push_back(e.what());
  } catch (const std::exception& e) {
    out.status = Status::Failed;
    out.exit_code = exit_code_of(out.status);
    out.problems.push_back(e.what());
  } catch (...) {
    out.status = Status::Failed;
    out.exit_code = exit_code_of(out.status);
    out.problems.push_back("an unknown failure");
  }
}

std::string actor_of(const RunOptions& options) {
  if (!options.actor.empty()) return options.actor;
  if (const passwd* pw = getpwuid(getuid())) return pw->pw_name;
  if (const char* user = std::getenv("USER")) return user;
  return "uid " + std::to_string(getuid());
}

runtime::RunContext run_context(const RunOptions& options, const std::string& command_line,
                                const runtime::DatabaseUrl& url) {
  runtime::RunContext context;
  context.actor = actor_of(options);
  context.command_line = audit_command_line(options, command_line);
  context.lock_timeout_seconds = options.lock_timeout_seconds;
  context.commit_interval_ms = options.commit_interval_ms;
  context.backup_encryption = age_encrypt_to(options.backup_encryption, "backup_encryption");
  context.backup_directory = options.backup_directory.empty()
                                 ? runtime::engine_of(url).default_backup_directory(url)
                                 : options.backup_directory;
  context.no_backup = options.no_backup;
  context.single_transaction = options.single_transaction;
  if (options.on_log) context.say = options.on_log;
  if (options.on_progress) {
    auto progress = options.on_progress;
    context.migrations_done = [progress](std::size_t done, std::size_t total) {
      progress({"migrations", done, total, ""});
    };
    context.progress = [progress](const runtime::TransformProgress& p) {
      progress({"rows", static_cast<std::uint64_t>(p.done), static_cast<std::uint64_t>(p.total),
                p.step_id});
    };
  }
  if (options.cancel) {
    const CancelToken* token = options.cancel;
    context.cancel_requested = [token] { return token->cancelled(); };
  }
  return context;
}

std::string audit_command_line(const RunOptions& options, const std::string& call) {
  return options.command_line.empty() ? call + " (library)" : options.command_line;
}

std::shared_ptr<const crypto::AgeEncryptTo> age_encrypt_to(const EncryptTo& to,
                                                           const std::string& where) {
  if (to.empty()) return nullptr;
  if (!to.recipients.empty() && !to.passphrase.empty())
    throw std::invalid_argument(where +
                                ": a passphrase cannot be combined with recipients (age allows a "
                                "passphrase only alone)");
  auto keys = std::make_shared<crypto::AgeEncryptTo>();
  for (std::size_t i = 0; i < to.recipients.size(); ++i)
    keys->recipients.push_back(crypto::parse_age_recipient(
        to.recipients[i], where + ".recipients[" + std::to_string(i) + "]"));
  if (!to.passphrase.empty()) keys->passphrase = crypto::secret_from_string(to.passphrase);
  return keys;
}

std::unique_ptr<crypto::AgeDecryptWith> age_decrypt_with(const DecryptWith& with,
                                                         const std::string& where) {
  if (with.empty()) return nullptr;
  auto keys = std::make_unique<crypto::AgeDecryptWith>();
  for (std::size_t i = 0; i < with.identities.size(); ++i)
    keys->identities.push_back(crypto::parse_age_identity(
        with.identities[i], where + ".identities[" + std::to_string(i) + "]"));
  if (!with.passphrase.empty()) keys->passphrase = crypto::secret_from_string(with.passphrase);
  // The file key found first is reused by every later pass over the file (scrypt runs once).
  keys->cache = std::make_shared<crypto::AgeFileKeyCache>();
  return keys;
}

void apply_retention(RunResult& out, runtime::Connection& connection,
                     const runtime::DatabaseUrl& url, const runtime::RunContext& context,
                     const RunOptions& options, const runtime::RunReport& report, bool dry_run) {
  runtime::Retention rule;
  rule.keep = options.retention.keep;
  rule.keep_days = options.retention.keep_days;
  if (dry_run || !rule.any() || report.status != runtime::RunStatus::Ok) return;
  std::set<std::string> spared;
  for (const auto& migration : report.migrations)
    if (!migration.backup.empty()) spared.insert(runtime::canonical_backup_path(migration.backup));
  try {
    auto backups = runtime::database_backups(&connection, url, context.backup_directory);
    auto outcome = runtime::prune_backups(backups, rule, spared, false);
    for (const auto& backup : outcome.deleted) out.pruned_backups.push_back(backup.path);
    out.retention_problems = outcome.problems;
  } catch (const std::exception& error) {
    out.retention_problems.push_back(std::string("backups were not pruned: ") + error.what());
  }
}

void fill_run_result(RunResult& out, const runtime::RunReport& report, const std::string& command,
                     const std::string& database) {
  out.command = command;
  out.json = runtime::run_report_json(report, command, database).dump(2);
  out.problems = report.problems;
  switch (report.status) {
    case runtime::RunStatus::Ok:
      out.status = Status::Ok;
      break;
    case runtime::RunStatus::Failed:
      out.status = Status::Failed;
      break;
    case runtime::RunStatus::Refused:
      out.status = Status::Refused;
      break;
    case runtime::RunStatus::Locked:
      out.status = Status::Locked;
      break;
    case runtime::RunStatus::Drift:
      out.status = Status::Drift;
      break;
    case runtime::RunStatus::Cancelled:
      out.status = Status::Cancelled;
      break;
  }
  out.exit_code = runtime::run_status_exit_code(report);
  for (const runtime::UnresolvedMigration& unresolved : report.not_in_sources)
    out.warnings.push_back(runtime::unresolved_warning(unresolved));
  for (const runtime::MigrationResult& m : report.migrations)
    out.migrations.push_back({m.plugin_id, m.migration_id, m.version, m.action, m.duration_ms,
                              m.backup, m.skipped_steps, m.error, m.partial, m.undone_steps});
}

}  // namespace detail
}  // namespace migpkg::api
