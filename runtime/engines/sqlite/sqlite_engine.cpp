// The SQLite engine (engine.hpp), linked into libmigpkg: libsqlite3 is small, and SQLite is the
// default every run without a server uses.
#include "runtime/engines/sqlite/sqlite_engine.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <utility>
#include <vector>

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

// A new, empty database file in the temporary directory, removed at the end.
class SqliteScratchDatabase : public ScratchDatabase {
 public:
  explicit SqliteScratchDatabase(const std::string& prefix) {
    const char* directory = std::getenv("TMPDIR");
    std::string pattern =
        std::string(directory && *directory ? directory : "/tmp") + "/" + prefix + "_XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    int fd = mkstemp(buffer.data());
    if (fd < 0) throw std::runtime_error("cannot create a scratch database file " + pattern);
    close(fd);
    name_ = buffer.data();
    url_ = "sqlite:" + name_;
  }
  ~SqliteScratchDatabase() override {
    std::remove(name_.c_str());
    std::remove((name_ + "-journal").c_str());
    std::remove((name_ + "-wal").c_str());
    std::remove((name_ + "-shm").c_str());
  }
  const std::string& url() const override { return url_; }
  const std::string& name() const override { return name_; }

 private:
  std::string name_, url_;
};

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

BackupInfo SqliteEngine::take_backup(Connection& connection, const DatabaseUrl& url,
                                     const std::string& directory, const std::string& label) const {
  return backup_detail::take_sqlite_backup(connection, url, directory, label);
}

BackupInfo SqliteEngine::verify_backup(const std::string& path) const {
  auto [data, manifest] = backup_paths(path);
  return backup_detail::verify_sqlite_backup(data, manifest);
}

void SqliteEngine::restore_backup(Connection& connection, const DatabaseUrl&,
                                  const std::string& path) const {
  auto [data, manifest] = backup_paths(path);
  backup_detail::restore_sqlite_backup(connection, data, manifest);
}

std::unique_ptr<ScratchDatabase> SqliteEngine::scratch_database(const DatabaseUrl&,
                                                                const std::string& prefix) const {
  return std::make_unique<SqliteScratchDatabase>(prefix);
}

}  // namespace migpkg::runtime
