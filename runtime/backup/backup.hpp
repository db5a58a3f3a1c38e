#pragma once
// Backups before risky migrations, and putting them back. SQLite: the whole database file,
// copied with the online backup API. PostgreSQL: every user table (outside pg_catalog,
// information_schema and migpkg's own migpkg_* tables) copied out with COPY, with enough of
// each table's definition to recreate it if a migration dropped it. A backup is verified (row
// counts and a SHA-256 over the data) right after it is written, and again before a restore.
#include <cctype>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "runtime/drivers/connection.hpp"

namespace migpkg::crypto {
struct AgeEncryptTo;
struct AgeDecryptWith;
}  // namespace migpkg::crypto

namespace migpkg::runtime {

struct TableBackup {
  std::string schema;  // "" on SQLite
  std::string name;
  std::int64_t rows = 0;
};

struct BackupInfo {
  std::string path;    // file (SQLite) or directory (PostgreSQL) holding the backup
  std::string engine;  // "sqlite" or "postgresql"
  std::string sha256;  // over the backed-up data, as recorded in the backup's manifest
  std::vector<TableBackup> tables;
  std::int64_t total_rows = 0;
};

// Which tables a restore puts back: a restore per plugin names the tables of the plugins the
// backup was taken for (runtime/installer/restore.cpp). Names as object_owners.hpp normalizes
// them: no quotes, no schema, lower case. A table in `tables` is put back as the backup holds it
// (dropped when the backup does not hold it: it was created since); every other table, the
// application's and other plugins', is left as it is now. No scope: every table of the backup.
struct RestoreScope {
  std::set<std::string> tables;
  // Compared in lower case (the engine's name as the catalog spells it).
  bool covers(const std::string& table_name) const {
    std::string lower = table_name;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return tables.count(lower) > 0;
  }
};

class BackupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An encrypted backup file that does not open or authenticate: no identity or passphrase given
// opens it, or its age header or a payload chunk was changed, damaged or cut short. A trust
// failure (the command exits 3), raised before the engine reads a byte of the backup.
class BackupAuthenticationError : public BackupError {
 public:
  using BackupError::BackupError;
};

// Writes a backup under `directory` (created if needed; file names carry `label` and a UTC
// timestamp) and verifies it. Throws BackupError (nothing is left behind on failure).
//   SQLite:     <directory>/<label>-<yyyymmddThhmmssZ>.sqlite and <that>.manifest.json
//   PostgreSQL: <directory>/<label>-<yyyymmddThhmmssZ>/ with manifest.json and one
//               <schema>.<table>.copy (COPY text format) per table
// A second backup in the same second gets "-2", "-3", ... Files are 0600, new directories 0700.
// A database another connection keeps locked past the connection's lock wait throws LockTimeout
// (connection.hpp) instead, from take_backup and restore_backup alike.
// Must be called outside a transaction: it opens its own snapshot (a SQLite read transaction;
// a PostgreSQL REPEATABLE READ READ ONLY transaction) and refuses to run inside the caller's.
// With `encrypt_to`, the backup is written and verified as above in a private staging directory,
// then sealed into an encrypted backup directory <directory>/<label>-<time>/ of age files
// (backup_encryption.hpp): only the encrypted backup is ever visible in `directory`.
BackupInfo take_backup(Connection& connection, const DatabaseUrl& url, const std::string& directory,
                       const std::string& label, const crypto::AgeEncryptTo* encrypt_to = nullptr);

// Reads a backup's manifest and checks its data against the recorded counts and hash. `path` is
// what take_backup returned (for SQLite, the manifest's path works too).
// An encrypted backup needs `decrypt_with`: it is decrypted into a private staging copy (every
// file authenticated to its end) and that copy is verified.
BackupInfo verify_backup(const std::string& path,
                         const crypto::AgeDecryptWith* decrypt_with = nullptr);

// Puts the backup back: SQLite replaces the database's contents with the backup's; PostgreSQL
// replaces the rows of every backed-up table (recreating tables that no longer exist) in one
// transaction. Verifies first; throws BackupError. Outside a transaction only, like take_backup.
// migpkg_* tables keep their current contents on both engines. SQLite: tables created since the
// backup disappear (the whole file is put back). PostgreSQL: tables created since the backup are
// kept, a column dropped since the backup makes the restore fail, user triggers do not fire
// for the restored rows, and sequences of serial/identity columns are set back.
// An encrypted backup is decrypted (and every file authenticated) before the database is
// touched; without `decrypt_with` it is refused. With a `scope`, only its tables are put back
// (RestoreScope); PostgreSQL then also drops the columns of those tables that the backup does
// not hold (added since).
void restore_backup(Connection& connection, const DatabaseUrl& url, const std::string& path,
                    const crypto::AgeDecryptWith* decrypt_with = nullptr,
                    const RestoreScope* scope = nullptr);

// Whether the backup at `path` is encrypted (its manifest says so).
bool backup_is_encrypted(const std::string& path);

}  // namespace migpkg::runtime
