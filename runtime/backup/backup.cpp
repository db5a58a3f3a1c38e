// The public entry points of runtime/backup/backup.hpp: they pick the engine and turn every
// failure but a lock wait (LockTimeout) into a BackupError. PostgreSQL's half lives in the
// PostgreSQL module (runtime/postgresql/, loaded on first use; see
// runtime/drivers/postgresql_module.hpp).
#include <utility>

#include "runtime/backup/backup_internal.hpp"
#include "runtime/drivers/postgresql_module.hpp"

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
    throw BackupError("the connection is " + connection.engine() + " but the URL names " +
                      url.engine);
  // Backup opens its own snapshot and restore its own transaction; inside the caller's
  // transaction neither could (SQLite's backup API and PostgreSQL's isolation level both need
  // to start fresh), and silently committing the caller's work is not an option.
  if (connection.in_transaction())
    throw BackupError(
        "backup and restore must run outside a transaction (they open their own); commit or "
        "roll back first");
}

// SQLite backups are a data file plus "<file>.manifest.json"; either may be named.
std::pair<std::string, std::string> sqlite_paths(const std::string& path) {
  const std::string suffix = ".manifest.json";
  if (path.size() > suffix.size() &&
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
    return {path.substr(0, path.size() - suffix.size()), path};
  return {path, path + suffix};
}

std::string engine_of(const std::string& path) {
  using namespace backup_detail;
  if (is_directory(path)) {
    std::string manifest_path = path + "/manifest.json";
    return string_member(read_manifest(manifest_path), "engine", manifest_path);
  }
  if (!exists(path)) throw BackupError("backup " + path + " does not exist");
  std::string manifest_path = sqlite_paths(path).second;
  return string_member(read_manifest(manifest_path), "engine", manifest_path);
}

}  // namespace

BackupInfo take_backup(Connection& connection, const DatabaseUrl& url, const std::string& directory,
                       const std::string& label) {
  return as_backup_error("backup failed", [&] {
    check_engine(connection, url);
    if (url.engine == "sqlite")
      return backup_detail::take_sqlite_backup(connection, url, directory, label);
    if (url.engine == "postgresql")
      return postgresql_module().take_backup(connection, url, directory, label);
    throw BackupError("cannot back up a " + url.engine + " database");
  });
}

BackupInfo verify_backup(const std::string& path) {
  return as_backup_error("cannot verify backup " + path, [&] {
    std::string engine = engine_of(path);
    if (engine == "postgresql") {
      if (!backup_detail::is_directory(path))
        throw BackupError("backup " + path + " is a PostgreSQL backup: name its directory");
      return postgresql_module().verify_backup(path);
    }
    if (engine == "sqlite") {
      auto [data, manifest] = sqlite_paths(path);
      return backup_detail::verify_sqlite_backup(data, manifest);
    }
    throw BackupError("backup " + path + " is for engine \"" + engine + "\", unknown to migpkg");
  });
}

void restore_backup(Connection& connection, const DatabaseUrl& url, const std::string& path) {
  as_backup_error("restore of " + path + " failed", [&] {
    check_engine(connection, url);
    std::string engine = engine_of(path);
    if (engine != url.engine)
      throw BackupError("backup " + path + " is a " + engine + " backup; the database is " +
                        url.engine);
    if (engine == "sqlite") {
      auto [data, manifest] = sqlite_paths(path);
      backup_detail::restore_sqlite_backup(connection, data, manifest);
    } else {
      postgresql_module().restore_backup(connection, path);
    }
  });
}

}  // namespace migpkg::runtime
