// The public entry points of runtime/backup/backup.hpp: they pick the engine (of the URL, or of
// the backup's manifest), which does the work (Engine::take_backup, runtime/engines/<name>/), and
// turn every failure but a lock wait (LockTimeout) into a BackupError.
#include <optional>
#include <utility>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "runtime/backup/backup_encryption.hpp"
#include "runtime/backup/backup_internal.hpp"
#include "runtime/engines/engine_registry.hpp"

namespace migpkg::runtime {

namespace {

// The header promises BackupError; driver and I/O errors are wrapped, keeping their text.
template <typename Body>
auto as_backup_error(const std::string& what, Body body) -> decltype(body()) {
  try {
    return body();
  } catch (const BackupError&) {
    throw;
  } catch (const LockTimeout&) {
    throw;  // another connection held the database: exit 4, not a failed backup
  } catch (const std::exception& error) {
    throw BackupError(what + ": " + error.what());
  }
}

void check_engine(Connection& connection, const DatabaseUrl& url) {
  if (connection.engine() != url.engine)
    throw BackupError("the connection is " + std::string(ir::engine_name(connection.engine())) +
                      " but the URL names " + ir::engine_name(url.engine));
  // Backup opens its own snapshot and restore its own transaction; inside the caller's
  // transaction neither could (SQLite's backup API and PostgreSQL's isolation level both need
  // to start fresh), and silently committing the caller's work is not an option.
  if (connection.in_transaction())
    throw BackupError(
        "backup and restore must run outside a transaction (they open their own); commit or "
        "roll back first");
}

// The manifest of a backup: <directory>/manifest.json, or <file>.manifest.json beside a data
// file (which may be named itself).
std::string manifest_of(const std::string& path) {
  using namespace backup_detail;
  if (is_directory(path)) return path + "/manifest.json";
  if (!exists(path)) throw BackupError("backup " + path + " does not exist");
  const std::string suffix = ".manifest.json";
  if (path.size() > suffix.size() &&
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
    return path;
  return path + suffix;
}

// The engine name the backup's manifest records.
std::string engine_name_of(const std::string& path) {
  std::string manifest_path = manifest_of(path);
  return backup_detail::string_member(backup_detail::read_manifest(manifest_path), "engine",
                                      manifest_path);
}

// The engine of a backup that manifest names, or nullopt for a name no runnable engine has.
std::optional<ir::Engine> backup_engine(const std::string& name) {
  std::optional<ir::Engine> engine = ir::engine_from_name(name);
  if (engine && !has_runtime(*engine)) return std::nullopt;
  return engine;
}

// What the engine reads: the backup itself, or the decrypted staging copy of an encrypted one.
std::string readable_backup(const std::string& path, const crypto::AgeDecryptWith* decrypt_with,
                            backup_detail::Cleanup& cleanup) {
  if (!backup_detail::is_encrypted_backup(path)) return path;
  if (!decrypt_with)
    throw BackupError("backup " + path +
                      " is encrypted (age): give --identity FILE (an age identity file whose "
                      "key it was encrypted to) or --passphrase-file F");
  return backup_detail::unseal_backup(path, *decrypt_with, cleanup);
}

}  // namespace

bool backup_is_encrypted(const std::string& path) {
  return backup_detail::is_encrypted_backup(path);
}

BackupInfo take_backup(Connection& connection, const DatabaseUrl& url, const std::string& directory,
                       const std::string& label, const crypto::AgeEncryptTo* encrypt_to) {
  return as_backup_error("backup failed", [&] {
    check_engine(connection, url);
    if (!encrypt_to) return engine_of(url).take_backup(connection, url, directory, label);
    using namespace backup_detail;
    ensure_directory(directory);
    // The plain backup is written where no listing sees it: a hidden private directory.
    std::string staging = temp_path(directory, safe_label(label) + ".plain");
    if (mkdir(staging.c_str(), 0700) != 0)
      throw BackupError("cannot create " + staging + ": " + std::strerror(errno));
    Cleanup cleanup;
    cleanup.add(staging);
    BackupInfo info = engine_of(url).take_backup(connection, url, staging, label);
    cleanup.add(info.path);  // removed first: the staging directory is empty then
    if (!is_directory(info.path)) cleanup.add(info.path + ".manifest.json");
    info.path = seal_backup(info.path, ir::engine_name(url.engine), directory, *encrypt_to);
    return info;
  });
}

BackupInfo verify_backup(const std::string& path, const crypto::AgeDecryptWith* decrypt_with) {
  return as_backup_error("cannot verify backup " + path, [&] {
    std::string name = engine_name_of(path);
    std::optional<ir::Engine> engine = backup_engine(name);
    if (!engine)
      throw BackupError("backup " + path + " is for engine \"" + name + "\", unknown to migpkg");
    backup_detail::Cleanup cleanup;
    BackupInfo info =
        engine_for(*engine).verify_backup(readable_backup(path, decrypt_with, cleanup));
    info.path = path;
    return info;
  });
}

void restore_backup(Connection& connection, const DatabaseUrl& url, const std::string& path,
                    const crypto::AgeDecryptWith* decrypt_with, const RestoreScope* scope) {
  as_backup_error("restore of " + path + " failed", [&] {
    check_engine(connection, url);
    std::string name = engine_name_of(path);
    if (backup_engine(name) != url.engine)
      throw BackupError("backup " + path + " is a " + name + " backup; the database is " +
                        ir::engine_name(url.engine));
    // Decrypted and authenticated whole before the engine reads a byte of it.
    backup_detail::Cleanup cleanup;
    engine_of(url).restore_backup(connection, url, readable_backup(path, decrypt_with, cleanup),
                                  scope);
  });
}

}  // namespace migpkg::runtime
