#pragma once
// `check --against URL`: a scratch copy of a real database to rehearse pending migrations on,
// made without writing to the original: the engine's exact copy (Engine::exact_copy) where it
// has one, else a scratch database filled from a backup. SQLite: the online backup API copies the
// file, opened read-only, to a scratch file. PostgreSQL: CREATE DATABASE ... TEMPLATE (an exact
// copy; it needs no other session on the original), else a new scratch database filled from a
// migpkg backup of the original's tables plus its migpkg_* bookkeeping rows.
#include <memory>
#include <string>

#include "runtime/engines/engine_registry.hpp"

namespace migpkg::runtime {

class DatabaseCopy {
 public:
  // Throws DatabaseError / std::runtime_error when the original cannot be read or copied.
  explicit DatabaseCopy(const std::string& url);
  ~DatabaseCopy();
  DatabaseCopy(const DatabaseCopy&) = delete;
  DatabaseCopy& operator=(const DatabaseCopy&) = delete;

  Connection& connection() { return *connection_; }
  const std::string& url() const { return url_; }  // of the copy
  ir::Engine engine() const { return engine_; }
  // How the copy was made, for the report ("online backup", "template", "table copy").
  const std::string& method() const { return method_; }

 private:
  // Without an exact copy: a scratch database filled from a backup of the original, and
  // migpkg's own tables (which backups leave out) copied row by row.
  void copy_tables(const std::string& url);

  ir::Engine engine_ = ir::Engine::SQLite;
  std::string method_, url_, backup_directory_;
  std::unique_ptr<TemporaryDatabase> scratch_database_;
  std::unique_ptr<ScratchDatabase> exact_copy_;  // Engine::exact_copy, dropped at the end
  std::unique_ptr<Connection> connection_;
};

}  // namespace migpkg::runtime
