#pragma once
// Encrypted backups, in the age format (runtime/crypto/): a backup an engine wrote and verified
// (compressed) is sealed into a directory of age files, and opened again into a private staging
// copy, every file authenticated, before anything reads it. Internal to runtime/backup.
//
// An encrypted backup is a directory "<name>/" holding:
//   manifest.json      plain, so that `migpkg backups` lists it without a key: format, engine,
//                      created, label, database, total_rows, compression, "encryption": "age",
//                      "layout" ("file": one data file beside its manifest, as SQLite's; else
//                      "directory") and "sealed" (the file names below); no table names,
//                      definitions or hashes
//   manifest.json.age  the engine's own manifest (tables, definitions, row counts, SHA-256s)
//   1.age, 2.age, ...  the engine's data files, in the order its manifest lists them (SQLite:
//                      the one database file), numbered so that their names say nothing
#include <string>

#include "runtime/backup/backup_internal.hpp"

namespace migpkg::crypto {
struct AgeEncryptTo;
struct AgeDecryptWith;
}  // namespace migpkg::crypto

namespace migpkg::runtime::backup_detail {

inline constexpr const char* kEncryption = "age";

// Whether the backup at `path` (a directory) is an encrypted one, by its plain manifest.
bool is_encrypted_backup(const std::string& path);

// Seals the verified backup `plain` (a SQLite data file or a backup directory, as the engine
// returned it) into an encrypted backup in `directory`, named as `plain` is without its data
// suffix, and removes `plain`. Returns the encrypted backup's path. Throws BackupError.
std::string seal_backup(const std::string& plain, const std::string& engine,
                        const std::string& directory, const crypto::AgeEncryptTo& to);

// Decrypts the encrypted backup at `path` into a private staging directory beside it (removed by
// `cleanup`), authenticating every file to its end first; returns what the engine's verify and
// restore take (a SQLite data file or a backup directory). Throws BackupError naming the file
// that does not open or authenticate.
std::string unseal_backup(const std::string& path, const crypto::AgeDecryptWith& with,
                          Cleanup& cleanup);

}  // namespace migpkg::runtime::backup_detail
