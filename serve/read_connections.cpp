#include "serve/read_connections.hpp"

#include <sys/stat.h>

#include "cli/arguments.hpp"
#include "cli/runtime_support.hpp"

namespace migpkg::serve {
namespace {

// The identity of a SQLite database's file; false when it is not there. A restore through
// migpkg writes into the file (the backup API), but a file replaced by another program (moved
// over, deleted and made again) would leave a kept connection reading the old one.
bool file_identity(const std::string& path, dev_t& device, ino_t& inode) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  device = st.st_dev;
  inode = st.st_ino;
  return true;
}

}  // namespace

ReadConnections::ReadConnections(std::string database, std::size_t keep)
    : database_(std::move(database)), url_(cli::parse_database(database_)), keep_(keep) {}

bool ReadConnections::take(Kept& out, bool& reused) {
  const bool file = url_.engine == ir::Engine::SQLite;
  dev_t device = 0;
  ino_t inode = 0;
  if (file && !file_identity(url_.path, device, inode)) return false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    while (!idle_.empty()) {
      Kept kept = std::move(idle_.back());
      idle_.pop_back();
      if (kept.device == device && kept.inode == inode) {
        out = std::move(kept);
        reused = true;
        return true;
      }
      // Another file now: this connection (and the others of the old file) are dropped.
    }
  }
  out.connection = cli::open_for_reading(url_);
  out.device = device;
  out.inode = inode;
  reused = false;
  return true;
}

void ReadConnections::give_back(Kept kept) {
  if (kept.connection->in_transaction()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (idle_.size() < keep_) idle_.push_back(std::move(kept));
}

nlohmann::ordered_json ReadConnections::read(const Report& report) {
  for (int attempt = 0;; ++attempt) {
    Kept kept;
    bool reused = false;
    if (!take(kept, reused)) return report(nullptr);
    nlohmann::ordered_json out;
    try {
      out = report(kept.connection.get());
    } catch (const cli::UsageError&) {
      give_back(std::move(kept));  // the request was wrong, not the connection
      throw;
    } catch (const std::exception&) {
      if (reused && attempt == 0) continue;  // dropped; once more on a new connection
      throw;
    }
    give_back(std::move(kept));
    return out;
  }
}

}  // namespace migpkg::serve
