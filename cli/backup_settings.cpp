#include "cli/backup_settings.hpp"

#include <sodium.h>
#include <unistd.h>

#include <cstdlib>

#include "cli/age_options.hpp"
#include "cli/password.hpp"
#include "runtime/crypto/age_keys.hpp"
#include "runtime/engines/engine_registry.hpp"

namespace migpkg::cli {
namespace {

std::optional<std::int64_t> count_option(const Arguments& args, const std::string& name) {
  std::optional<std::string> value = args.value(name);
  if (!value) return std::nullopt;
  try {
    std::size_t used = 0;
    long long n = std::stoll(*value, &used);
    if (used == value->size() && n >= 1) return n;
  } catch (const std::exception&) {
  }
  throw UsageError(name + " takes a whole number of at least 1, not '" + *value + "'");
}

}  // namespace

std::string backup_directory(const Arguments& args, const runtime::DatabaseUrl& url,
                             const Config* config) {
  std::string directory = runtime::engine_of(url).default_backup_directory(url);
  if (config && config->backups_directory) directory = *config->backups_directory;
  if (const char* env = std::getenv("MIGPKG_BACKUP_DIR"); env && *env) directory = env;
  directory = args.value("--backup-dir").value_or(directory);
  if (!directory.empty() && directory[0] != '/') {
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd)) directory = std::string(cwd) + "/" + directory;
  }
  return directory;
}

runtime::Retention retention(const Arguments& args, const Config& config) {
  runtime::Retention rule;
  rule.keep = count_option(args, "--keep");
  rule.keep_days = count_option(args, "--keep-days");
  if (!rule.any()) {
    rule.keep = config.backups_keep;
    rule.keep_days = config.backups_keep_days;
  }
  return rule;
}

std::shared_ptr<const crypto::AgeEncryptTo> backup_encryption(const Arguments& args,
                                                              const Config& config) {
  const AgeEncryptOptions names{"--encrypt-to", "--recipients-file", "--passphrase-file"};
  if (wants_age_encryption(args, names))
    return std::make_shared<const crypto::AgeEncryptTo>(age_encrypt_to(args, names));
  if (config.backups_passphrase_file) {
    auto to = std::make_shared<crypto::AgeEncryptTo>();
    std::string passphrase = read_password_file(*config.backups_passphrase_file);
    to->passphrase = crypto::secret_from_string(passphrase);
    sodium_memzero(passphrase.data(), passphrase.size());
    return to;
  }
  if (config.backups_encrypt_to.empty()) return nullptr;
  auto to = std::make_shared<crypto::AgeEncryptTo>();
  for (std::size_t i = 0; i < config.backups_encrypt_to.size(); ++i)
    to->recipients.push_back(crypto::parse_age_recipient(
        config.backups_encrypt_to[i],
        "configuration " + config.path + ": /backups/encrypt_to/" + std::to_string(i)));
  return to;
}

}  // namespace migpkg::cli
