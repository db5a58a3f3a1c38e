#pragma once
// Where backups go and how many are kept, from the options, the environment and the
// configuration file (config_file.hpp). The retention the configuration sets is applied by the
// public API's install and rollback (RunOptions::retention).
#include <memory>
#include <string>

#include "cli/arguments.hpp"
#include "cli/config_file.hpp"
#include "runtime/backup/backup_list.hpp"
#include "runtime/crypto/age_stream.hpp"
#include "runtime/installer/installer.hpp"

namespace migpkg::cli {

// --backup-dir, else $MIGPKG_BACKUP_DIR, else the configuration's backups.directory, else the
// engine's default (next to a SQLite file, else ./migpkg-backups); made absolute against the
// current directory, because the path is recorded in the history for `restore`.
std::string backup_directory(const Arguments& args, const runtime::DatabaseUrl& url,
                             const Config* config);

// --keep / --keep-days when given (UsageError when not whole numbers of at least 1), else the
// configuration's backups.keep / backups.keep_days.
runtime::Retention retention(const Arguments& args, const Config& config);

// Who can decrypt the backups: --encrypt-to / --recipients-file / --passphrase-file when given,
// else the configuration's backups.passphrase_file or backups.encrypt_to; null for plain
// backups. A bad recipient is an AgeError naming where it came from; an unreadable or empty
// passphrase file an error naming the file.
std::shared_ptr<const crypto::AgeEncryptTo> backup_encryption(const Arguments& args,
                                                              const Config& config);

}  // namespace migpkg::cli
