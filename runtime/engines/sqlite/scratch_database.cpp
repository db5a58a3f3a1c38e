// SQLite's scratch databases and copies (engine.hpp): files of their own in $TMPDIR, removed at
// the end; a copy is made with the online backup API from the original opened read-only.
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "runtime/engines/sqlite/sqlite_engine.hpp"
#include "runtime/engines/sqlite/sqlite_native.hpp"

namespace migpkg::runtime {
namespace {

std::string temp_directory() {
  const char* dir = std::getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

// Read-only through a URI, so nothing (not even a journal) is written next to the original.
std::string read_only_uri(const std::string& path) {
  std::string uri = "file:";
  if (path.empty() || path[0] != '/')
    uri += std::filesystem::absolute(path).string();
  else
    uri += path;
  std::string escaped;
  static const char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : uri) {
    if (c == '%' || c == '?' || c == '#' || c < 0x21 || c >= 0x7F) {
      escaped += '%';
      escaped += kHex[c >> 4];
      escaped += kHex[c & 0xF];
    } else {
      escaped += static_cast<char>(c);
    }
  }
  return escaped + "?mode=ro";
}

// A new, empty database file of our own in $TMPDIR (from a mkstemp pattern), removed at
// the end.
class SqliteScratchDatabase : public ScratchDatabase {
 public:
  explicit SqliteScratchDatabase(const std::string& pattern) {
    std::string path = temp_directory() + "/" + pattern;
    int fd = mkstemp(path.data());
    if (fd < 0) throw std::runtime_error("cannot create a scratch file in " + temp_directory());
    close(fd);
    name_ = path;
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

std::unique_ptr<ScratchDatabase> SqliteEngine::scratch_database(const DatabaseUrl&,
                                                                const std::string& prefix) const {
  return std::make_unique<SqliteScratchDatabase>(prefix + "_XXXXXX");
}

std::unique_ptr<ScratchDatabase> SqliteEngine::exact_copy(const DatabaseUrl& url,
                                                          std::string& method) const {
  const std::string& path = url.path;
  if (path == ":memory:" || !std::filesystem::exists(path))
    throw std::runtime_error("check --against needs an existing SQLite file; " + path +
                             " does not exist");
  sqlite3* original = nullptr;
  if (sqlite3_open_v2(read_only_uri(path).c_str(), &original,
                      SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
    std::string why = original ? sqlite3_errmsg(original) : "out of memory";
    sqlite3_close(original);
    throw std::runtime_error("cannot open " + path + " read-only: " + why);
  }
  auto copy = std::make_unique<SqliteScratchDatabase>("migpkg-check-XXXXXX");
  auto connection = open_sqlite(copy->name());
  sqlite3* scratch = sqlite_handle(*connection);
  sqlite3_backup* backup = sqlite3_backup_init(scratch, "main", original, "main");
  int rc = backup ? sqlite3_backup_step(backup, -1) : sqlite3_errcode(scratch);
  if (backup) sqlite3_backup_finish(backup);
  std::string why = rc == SQLITE_DONE ? "" : sqlite3_errstr(rc);
  sqlite3_close(original);
  if (!why.empty()) throw std::runtime_error("cannot copy " + path + ": " + why);
  method = "online backup";
  return copy;
}

}  // namespace migpkg::runtime
