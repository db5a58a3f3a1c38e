// The SQLite engine (engine.hpp), linked into libmigpkg: libsqlite3 is small, and SQLite is the
// default every run without a server uses.
#include "runtime/engines/sqlite/sqlite_engine.hpp"

#include <unistd.h>

#include <climits>
#include <cstdlib>

#include <utility>

namespace migpkg::runtime {
namespace {

// SQLite backups are a data file plus "<file>.manifest.json"; either may be named.
std::pair<std::string, std::string> backup_paths(const std::string& path) {
  const std::string suffix = ".manifest.json";
  if (path.size() > suffix.size() &&
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
    return {path.substr(0, path.size() - suffix.size()), path};
  return {path, path + suffix};
}

}  // namespace

const Engine& sqlite_engine() {
  static const SqliteEngine engine;
  return engine;
}

ir::Engine SqliteEngine::id() const {
  return ir::Engine::SQLite;
}

const EngineSpellings& SqliteEngine::spellings() const {
  static const EngineSpellings spellings{
      "INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT", "TEXT", "1", "0", "", "OR IGNORE ", "",
  };
  return spellings;
}

std::unique_ptr<Connection> SqliteEngine::open(const DatabaseUrl& url, int lock_wait_ms) const {
  return open_sqlite(url.path, lock_wait_ms);
}

bool SqliteEngine::creates_on_open(const DatabaseUrl& url) const {
  return url.path != ":memory:" && access(url.path.c_str(), F_OK) != 0;
}

std::string SqliteEngine::default_backup_directory(const DatabaseUrl& url) const {
  return url.path != ":memory:" ? url.path + ".backups" : "migpkg-backups";
}

std::string SqliteEngine::backup_database_name(Connection*, const DatabaseUrl& url) const {
  if (url.path == ":memory:") return url.path;
  std::string path = url.path;
  char buffer[PATH_MAX];
  if (path[0] != '/' && getcwd(buffer, sizeof buffer)) path = std::string(buffer) + "/" + path;
  return realpath(path.c_str(), buffer) ? std::string(buffer) : path;
}

BackupInfo SqliteEngine::take_backup(Connection& connection, const DatabaseUrl& url,
                                     const std::string& directory, const std::string& label) const {
  return backup_detail::take_sqlite_backup(connection, url, directory, label);
}

BackupInfo SqliteEngine::verify_backup(const std::string& path) const {
  auto [data, manifest] = backup_paths(path);
  return backup_detail::verify_sqlite_backup(data, manifest);
}

void SqliteEngine::restore_backup(Connection& connection, const DatabaseUrl&,
                                  const std::string& path, const RestoreScope* scope) const {
  auto [data, manifest] = backup_paths(path);
  backup_detail::restore_sqlite_backup(connection, data, manifest, scope);
}

}  // namespace migpkg::runtime
