#pragma once
// The backups of one database (`migpkg backups`, and the retention install and rollback apply):
// the migpkg backups in a directory whose manifest names this database, or that this database's
// migpkg_history names, each with the migrations it was taken before.
#include <set>
#include <string>
#include <vector>

#include "runtime/backup/backup_list.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

struct PrecededMigration {
  std::string plugin_id, migration_id;
  std::string direction;  // "up": taken before an install; "down": before a rollback
};

struct DatabaseBackup {
  ListedBackup backup;
  std::vector<PrecededMigration> before;  // from migpkg_history; empty when it names none
};

// Newest first. `connection` may be null (a SQLite file that does not exist yet): the
// manifests alone decide then. Backups of other databases in the same directory are left out.
std::vector<DatabaseBackup> database_backups(Connection* connection, const DatabaseUrl& url,
                                             const std::string& directory);

// The backup a path names however it is spelled (resolved; a SQLite manifest's path names its
// data file), as restore looks it up in the history.
std::string canonical_backup_path(std::string path);

struct PruneOutcome {
  std::vector<ListedBackup> deleted;  // or, in a dry run, what would be
  std::vector<std::string> problems;  // a backup that could not be deleted, and why
};

// Applies `rule` to the database's backups, never deleting one whose (canonical) path is in
// `spared`; with `dry_run` deletes nothing and says what would go.
PruneOutcome prune_backups(const std::vector<DatabaseBackup>& newest_first, const Retention& rule,
                           const std::set<std::string>& spared, bool dry_run);

}  // namespace migpkg::runtime
